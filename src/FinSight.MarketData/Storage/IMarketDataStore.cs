namespace FinSight.MarketData;

/// <summary>
/// Where the facade keeps last-known values and completed daily bars. The host implements this
/// with EF Core; register it as a singleton (use IDbContextFactory inside), because the facade
/// is a singleton. Simulated data is never written here, so switching to a real provider never
/// mixes invented prices into real history.
/// </summary>
public interface IMarketDataStore
{
    Task<Quote?> GetQuoteAsync(string symbol, CancellationToken cancellationToken = default);
    /// <summary>Upsert by symbol.</summary>
    Task SaveQuoteAsync(Quote quote, CancellationToken cancellationToken = default);

    Task<CompanyProfile?> GetProfileAsync(string symbol, CancellationToken cancellationToken = default);
    /// <summary>Upsert by symbol.</summary>
    Task SaveProfileAsync(CompanyProfile profile, CancellationToken cancellationToken = default);

    Task<NewsFeed?> GetNewsAsync(string symbol, CancellationToken cancellationToken = default);
    /// <summary>Replace the symbol's feed (headlines upserted by Id; AsOf updated).</summary>
    Task SaveNewsAsync(NewsFeed feed, CancellationToken cancellationToken = default);

    /// <summary>Stored bars and corporate actions in the inclusive range; null when none are stored.</summary>
    Task<PriceHistory?> GetDailyHistoryAsync(string symbol, DateOnly from, DateOnly to, CancellationToken cancellationToken = default);
    /// <summary>
    /// Insert bars and actions not yet stored (by symbol+date). Only completed trading days are
    /// passed in: past bars never change, so they are written once.
    /// </summary>
    Task SaveDailyHistoryAsync(PriceHistory history, CancellationToken cancellationToken = default);
}
