using FinSight.MarketData;
using FinSight.Sentiment;
using FinSight.Sentiment.Digest;

namespace FinSight.Web.Features.News;

// Probabilities are fractions that sum to 1; net = positive − negative, in [-1, 1].

public sealed record ProbabilitiesView(double Positive, double Negative, double Neutral);

/// <summary>One reason behind a label: the words in the text, the kind of rule or learned term, and how strongly it pushed.</summary>
public sealed record EvidenceView(string Term, EvidenceKind Kind, SentimentLabel Supports, double Weight, string? Note)
{
    public static IReadOnlyList<EvidenceView> From(IReadOnlyList<SentimentEvidence> evidence) =>
        [.. evidence.Select(e => new EvidenceView(e.Term, e.Kind, e.Supports, Math.Round(e.Weight, 4), e.Note))];
}

/// <summary>A headline's stored sentiment; <c>analyzed_at</c> is when this model version first labelled it.</summary>
public sealed record SentimentView(
    SentimentLabel Label, ProbabilitiesView Probabilities, double Net, IReadOnlyList<EvidenceView> Evidence, string ModelVersion, DateTimeOffset AnalyzedAt)
{
    public static SentimentView From(AnalyzedSentiment s) => new(
        s.Result.Label, new(s.Result.Probabilities.Positive, s.Result.Probabilities.Negative, s.Result.Probabilities.Neutral),
        s.Result.Probabilities.Net, EvidenceView.From(s.Result.Evidence), s.Result.ModelVersion, s.AnalyzedAt);
}

public sealed record HeadlineView(
    string Id, string Title, string Publisher, Uri Url, DateTimeOffset PublishedAt, string? Summary, IReadOnlyList<string> RelatedSymbols, SentimentView Sentiment)
{
    public static HeadlineView From(AnalyzedHeadline h) => new(
        h.Headline.Id, h.Headline.Title, h.Headline.Publisher, h.Headline.Url, h.Headline.PublishedAt, h.Headline.Summary,
        h.Headline.RelatedSymbols, SentimentView.From(h.Sentiment));
}

/// <summary>
/// How far to trust a symbol's news: <c>live</c>, <c>simulated</c> (made up for offline demos),
/// <c>stale</c> (the last stored headlines, as of <c>as_of</c>, because every provider failed),
/// <c>unavailable</c> or <c>not_found</c>. Simulated and stale news is never labelled live.
/// </summary>
public sealed record NewsStatusView(string Status, bool IsSimulated, bool IsStale, string? Source, DateTimeOffset? AsOf, string? Reason)
{
    public const string Live = "live";
    public const string Simulated = "simulated";
    public const string Stale = "stale";
    public const string Unavailable = "unavailable";
    public const string NotFound = "not_found";

    public static NewsStatusView From(MarketDataResult<NewsFeed> result)
    {
        if (result.Value is not { } feed)
        {
            return new(result.Status == MarketDataStatus.NotFound ? NotFound : Unavailable, false, false, null, null, result.Reason);
        }
        var simulated = NewsSentimentService.IsSimulated(feed);
        var status = simulated ? Simulated : result.IsStale ? Stale : Live;
        var reason = simulated
            ? "Simulated headlines generated for offline demos; not real news." + (result.IsStale ? " " + result.Reason : "")
            : result.Reason;
        return new(status, simulated, result.IsStale, feed.Source, feed.AsOf, reason);
    }
}

public sealed record LabelCountsView(int Positive, int Negative, int Neutral, int Total);

public sealed record TrendDayView(DateOnly Date, int Count, double? NetScore);

/// <summary><c>slope</c> is the least-squares change of the daily net score per day; null with fewer than two days of news.</summary>
public sealed record TrendView(TrendDirection Direction, double? Slope, IReadOnlyList<TrendDayView> Days);

/// <summary>
/// What the news of the lookback window says about one symbol: every deduplicated headline of the
/// window counts, not only the ones listed. <c>net_score</c> is the mean net of those headlines. <c>summary</c> quotes
/// the articles' summaries, or the headlines when no provider sent one (<c>summary_source</c>: summaries, headlines, none).
/// </summary>
public sealed record DigestView(
    DateTimeOffset AsOf, int WindowDays, LabelCountsView Counts, double NetScore, TrendView Trend, IReadOnlyList<string> Summary,
    DigestSource SummarySource)
{
    public static DigestView From(SentimentDigest d, int windowDays) => new(
        d.AsOf, windowDays, new(d.Counts.Positive, d.Counts.Negative, d.Counts.Neutral, d.Counts.Total), Math.Round(d.NetScore, 6),
        new(d.Trend.Direction, d.Trend.Slope is { } s ? Math.Round(s, 6) : null,
            [.. d.Trend.Days.Select(x => new TrendDayView(x.Day, x.Count, x.NetScore is { } n ? Math.Round(n, 6) : null))]),
        d.Summary, d.SummarySource);
}

public sealed record SymbolNewsView(string Symbol, NewsStatusView News, IReadOnlyList<HeadlineView> Headlines, DigestView Digest)
{
    public static SymbolNewsView From(SymbolNews n) =>
        new(n.Symbol, NewsStatusView.From(n.Result), [.. n.Latest.Select(HeadlineView.From)], DigestView.From(n.Digest, n.WindowDays));
}

/// <summary>Which symbols' news is not live. The UI shows a badge when anything is listed.</summary>
public sealed record NewsFreshness(bool IsSimulated, IReadOnlyList<string> StaleSymbols, IReadOnlyList<string> UnavailableSymbols, DateTimeOffset? OldestAsOf)
{
    public static NewsFreshness From(IReadOnlyList<SymbolNewsView> symbols) => new(
        symbols.Any(s => s.News.IsSimulated),
        [.. symbols.Where(s => s.News.IsStale).Select(s => s.Symbol)],
        [.. symbols.Where(s => s.News.Status is NewsStatusView.Unavailable or NewsStatusView.NotFound).Select(s => s.Symbol)],
        symbols.Select(s => s.News.AsOf).Where(a => a is not null).Min());
}

public sealed record HoldingsNewsResponse(
    Guid PortfolioId, string ModelVersion, DateTimeOffset AsOf, IReadOnlyList<SymbolNewsView> Holdings, NewsFreshness Data);

/// <summary>Texts to label; null entries, an empty list and overlong texts are refused, never truncated.</summary>
public sealed record AnalyzeRequest(IReadOnlyList<string?>? Texts);

public sealed record AnalyzeResultView(int Index, SentimentLabel Label, ProbabilitiesView Probabilities, double Net, IReadOnlyList<EvidenceView> Evidence);

public sealed record AnalyzeResponse(string ModelVersion, IReadOnlyList<AnalyzeResultView> Results);
