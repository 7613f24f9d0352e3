using FinSight.MarketData;
using FinSight.MarketData.Currencies;
using FinSight.MarketData.Simulated;
using FinSight.Web.Data;

namespace FinSight.Web.Features.Stocks;

/// <summary>
/// The symbol search of the API (<c>/api/stocks/symbols?q=</c>) and the UI's symbol box: the offline
/// directory's ranked matches first, then the listings the configured provider's search finds that the
/// directory lacks (Yahoo's <c>/v1/finance/search</c>, Finnhub's <c>/search</c>), in the provider's order.
/// The provider is asked through <see cref="MarketDataService.SearchSymbolsAsync"/>, so its answers are
/// cached, concurrent searches share one call and the vendor's rate limits hold. A provider that is down,
/// slow (more than <see cref="ProviderWait"/>) or simulated adds nothing: the directory's matches still come back.
/// </summary>
public sealed class ListingSearch(SymbolDirectory directory, MarketDataService marketData, ILogger<ListingSearch> logger)
{
    /// <summary>How long a search waits for the provider before answering from the directory alone.</summary>
    public static readonly TimeSpan ProviderWait = TimeSpan.FromSeconds(3);

    /// <summary>How many matches the provider is asked for (one cache entry per query).</summary>
    public const int ProviderLimit = 10;

    /// <summary>Up to <paramref name="limit"/> directory matches for <paramref name="query"/>, then the provider's other listings.</summary>
    /// <param name="query">The text typed, at most 100 characters.</param>
    /// <param name="limit">How many directory matches to rank (the page's end).</param>
    /// <param name="ct">Cancellation.</param>
    /// <returns>The directory's rows, then rows built from the provider's matches (not stored).</returns>
    public async Task<IReadOnlyList<StockRow>> SearchAsync(string query, int limit, CancellationToken ct)
    {
        var ranked = directory.Search(query, limit);
        var found = await ProviderMatchesAsync(query, ct);
        var seen = ranked.Select(r => r.Symbol).ToHashSet(StringComparer.Ordinal);
        var extra = found
            .Where(m => seen.Add(m.Symbol))
            .Select(m => directory.Find(m.Symbol) ?? new StockRow
            {
                Symbol = m.Symbol,
                Name = m.Name,
                Exchange = m.Exchange ?? Exchanges.Of(m.Symbol)?.Name ?? "Other",
                Type = m.Type,
            });
        return [.. ranked, .. extra];
    }

    private async Task<IReadOnlyList<SymbolMatch>> ProviderMatchesAsync(string query, CancellationToken ct)
    {
        try
        {
            var result = await marketData.SearchSymbolsAsync(query, ProviderLimit, ct).WaitAsync(ProviderWait, ct);
            // The simulated market searches the same offline list; its matches add nothing real.
            return result.Value?.Where(m => m.Source != SimulatedMarketProvider.ProviderName).ToArray() ?? [];
        }
        catch (TimeoutException)
        {
            logger.LogInformation("Symbol search for {Query} answered from the directory: the provider took longer than {Wait}.", query, ProviderWait);
            return [];
        }
    }
}
