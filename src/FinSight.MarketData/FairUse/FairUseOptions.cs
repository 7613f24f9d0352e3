namespace FinSight.MarketData.FairUse;

/// <summary>Settings under <c>MarketData:FairUse</c>: how much of the shared vendor quota one caller may spend.</summary>
public sealed class FairUseOptions
{
    /// <summary>
    /// Distinct symbols one caller may have fetched from a vendor (cache and store misses only)
    /// per <see cref="Window"/>; 0 turns the budget off. Default 60. Cached and stored answers
    /// are free, and background refreshes are not counted against anyone.
    /// </summary>
    public int SymbolsPerWindow { get; set; } = 60;

    /// <summary>The budget's window (default 10 minutes); a caller's count starts again after it.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(10);
}
