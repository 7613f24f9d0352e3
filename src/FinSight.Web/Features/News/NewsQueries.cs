using FinSight.MarketData;
using FinSight.Web.Data;
using FinSight.Web.Features.Dashboard;
using FinSight.Web.Features.Portfolios;

namespace FinSight.Web.Features.News;

/// <summary>News with sentiment for a portfolio's holdings and for one symbol: for the JSON routes and the pages alike.</summary>
public sealed class NewsQueries(NewsSentimentService news, PortfolioAnalytics analytics, Stocks.SymbolDirectory directory, TimeProvider clock)
{
    public int HeadlinesPerSymbol => news.HeadlinesPerSymbol;

    /// <summary>Every open position's headlines, sentiment and digest. Which symbols are held needs no prices, so no quote is fetched.</summary>
    public async Task<HoldingsNewsResponse> HoldingsAsync(Portfolio portfolio, CancellationToken ct)
    {
        var facts = await analytics.FactsAsync(portfolio, ct);
        var symbols = facts.State.Positions.Select(p => p.Symbol).Distinct(StringComparer.Ordinal).ToArray();
        var holdings = (await news.ForSymbolsAsync(symbols, news.HeadlinesPerSymbol, ct)).Select(SymbolNewsView.From).ToArray();
        return new HoldingsNewsResponse(portfolio.Id, news.ModelVersion, clock.GetUtcNow(), holdings, NewsFreshness.From(holdings));
    }

    /// <summary>A symbol's latest <paramref name="limit"/> headlines and digest, or why there are none (404 unknown, 503 unavailable).</summary>
    public async Task<(SymbolNewsView? News, WriteProblem? Problem)> SymbolAsync(string symbol, int limit, CancellationToken ct)
    {
        if (directory.Unlisted(symbol, "news") is { } unlisted)
        {
            return (null, unlisted);
        }
        var result = (await news.ForSymbolsAsync([symbol], limit, ct))[0];
        return result.Result.Status switch
        {
            MarketDataStatus.NotFound => (null, new WriteProblem(StatusCodes.Status404NotFound, $"No news for {symbol}",
                result.Result.Reason ?? $"{symbol} is not known to any market data provider.", new Dictionary<string, object?>())),
            MarketDataStatus.Unavailable => (null, new WriteProblem(StatusCodes.Status503ServiceUnavailable, $"No news available for {symbol} right now",
                $"Every market data provider failed and nothing is stored yet. {result.Result.Reason}", new Dictionary<string, object?>())),
            _ => (SymbolNewsView.From(result), null),
        };
    }
}
