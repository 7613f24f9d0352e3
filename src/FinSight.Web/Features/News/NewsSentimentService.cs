using FinSight.MarketData;
using FinSight.MarketData.Simulated;
using FinSight.Sentiment.Digest;
using Microsoft.Extensions.Options;

namespace FinSight.Web.Features.News;

/// <summary>A headline with its stored sentiment.</summary>
public sealed record AnalyzedHeadline(NewsHeadline Headline, AnalyzedSentiment Sentiment);

/// <summary>
/// One symbol's news: the market-data answer (with its freshness), the latest deduplicated
/// headlines, and the digest over every headline of the lookback window.
/// </summary>
public sealed record SymbolNews(string Symbol, MarketDataResult<NewsFeed> Result, IReadOnlyList<AnalyzedHeadline> Latest, SentimentDigest Digest, int WindowDays);

/// <summary>The news pipeline: fetch, deduplicate, label (once per headline and model), digest.</summary>
public sealed class NewsSentimentService(
    MarketDataService marketData, HeadlineSentimentStore sentiments, IOptions<NewsOptions> options,
    IOptions<MarketDataOptions> marketOptions, TimeProvider clock)
{
    public int HeadlinesPerSymbol => options.Value.HeadlinesPerSymbol;

    public string ModelVersion => sentiments.ModelVersion;

    /// <summary>
    /// Stored feeds are only ever real news, but a stored copy does not carry the flag, so the
    /// source is checked too: simulated news must never pass for live.
    /// </summary>
    public static bool IsSimulated(NewsFeed feed) =>
        feed.IsSimulated || string.Equals(feed.Source, SimulatedMarketProvider.ProviderName, StringComparison.OrdinalIgnoreCase);

    /// <summary>News per symbol, in the order given; every symbol's headlines are labelled in one batch.</summary>
    public async Task<IReadOnlyList<SymbolNews>> ForSymbolsAsync(IReadOnlyList<string> symbols, int limit, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var windowDays = marketOptions.Value.NewsLookbackDays;
        var windowStart = now.AddDays(-windowDays);
        var results = await Task.WhenAll(symbols.Select(s => marketData.GetNewsAsync(s, ct)));

        var picked = results.Select(result =>
        {
            // Newest first, so the deduplicator keeps the latest copy of a story delivered twice.
            var stories = HeadlineDeduplicator.Deduplicate(
                result.Value?.Headlines.OrderByDescending(h => h.PublishedAt).ToArray() ?? [], h => h.Title, h => h.Url.ToString());
            return (Latest: stories.Take(limit).ToArray(),
                    Window: stories.Where(h => h.PublishedAt >= windowStart && h.PublishedAt <= now).ToArray());
        }).ToArray();

        var labelled = await sentiments.GetOrAnalyzeAsync(picked.SelectMany(p => p.Latest.Concat(p.Window)), ct);
        var digestOptions = new DigestOptions { TrendDays = options.Value.TrendDays };
        return [.. symbols.Select((symbol, i) => new SymbolNews(
            symbol,
            results[i],
            [.. picked[i].Latest.Select(h => new AnalyzedHeadline(h, labelled[HeadlineSentimentStore.KeyOf(h)]))],
            SentimentDigestBuilder.Build(
                picked[i].Window.Select(h => ToDigest(h, labelled[HeadlineSentimentStore.KeyOf(h)])), now, digestOptions),
            windowDays))];
    }

    private static DigestHeadline ToDigest(NewsHeadline h, AnalyzedSentiment s) => new(h.Title, h.Summary, h.PublishedAt, s.Result);
}
