namespace FinSight.Domain;

/// <summary>One slice of an allocation.</summary>
/// <param name="Key">Symbol, group name, <see cref="Allocation.CashKey"/> or the caller's name for unassigned symbols.</param>
/// <param name="Value">Market value of the slice.</param>
/// <param name="Weight">Value ÷ the sum of all slices; null when that sum is zero.</param>
public sealed record AllocationSlice(string Key, decimal Value, decimal? Weight);

/// <summary>
/// Allocation weights of a <see cref="PortfolioValuation"/>, by symbol or by any grouping the caller
/// supplies (sector, industry, asset class). Slices are ordered by value, largest first, then by key.
/// </summary>
public static class Allocation
{
    /// <summary>The key of the cash slice.</summary>
    public const string CashKey = "Cash";

    /// <summary>Weights by symbol.</summary>
    /// <param name="valuation">The valued portfolio.</param>
    /// <param name="includeCash">Adds a <see cref="CashKey"/> slice when cash is positive (negative cash has no place in a pie).</param>
    /// <returns>The slices.</returns>
    public static IReadOnlyList<AllocationSlice> BySymbol(PortfolioValuation valuation, bool includeCash = false) =>
        ByGroup(valuation, symbol => symbol, includeCash);

    /// <summary>
    /// Weights by currency: each position's value under its trading currency, plus each currency's
    /// positive cash balance, all in the base currency. What a move in each exchange rate would touch.
    /// </summary>
    /// <param name="valuation">The valued portfolio.</param>
    /// <returns>The slices, keyed by ISO 4217 code.</returns>
    public static IReadOnlyList<AllocationSlice> ByCurrency(PortfolioValuation valuation)
    {
        ArgumentNullException.ThrowIfNull(valuation);
        var sums = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var position in valuation.Positions)
        {
            sums[position.Currency.Code] = sums.GetValueOrDefault(position.Currency.Code) + position.MarketValue;
        }

        foreach (var (code, value) in valuation.CashByCurrency)
        {
            if (value > 0m)
            {
                sums[code] = sums.GetValueOrDefault(code) + value;
            }
        }

        return Slices(sums);
    }

    /// <summary>Weights by a caller-supplied group.</summary>
    /// <param name="valuation">The valued portfolio.</param>
    /// <param name="groupOf">Maps a symbol to its group; null or blank puts it in <paramref name="unassigned"/>.</param>
    /// <param name="includeCash">Adds a <see cref="CashKey"/> slice when cash is positive.</param>
    /// <param name="unassigned">Group name for symbols <paramref name="groupOf"/> does not know.</param>
    /// <returns>The slices.</returns>
    public static IReadOnlyList<AllocationSlice> ByGroup(
        PortfolioValuation valuation,
        Func<string, string?> groupOf,
        bool includeCash = false,
        string unassigned = "Other")
    {
        ArgumentNullException.ThrowIfNull(valuation);
        ArgumentNullException.ThrowIfNull(groupOf);
        var sums = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var position in valuation.Positions)
        {
            var group = groupOf(position.Symbol);
            var key = string.IsNullOrWhiteSpace(group) ? unassigned : group;
            sums[key] = sums.GetValueOrDefault(key) + position.MarketValue;
        }

        if (includeCash && valuation.Cash > 0m)
        {
            sums[CashKey] = sums.GetValueOrDefault(CashKey) + valuation.Cash;
        }

        return Slices(sums);
    }

    private static AllocationSlice[] Slices(Dictionary<string, decimal> sums)
    {
        var total = sums.Values.Sum();
        return sums
            .OrderByDescending(kv => kv.Value)
            .ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new AllocationSlice(kv.Key, kv.Value, total == 0m ? null : kv.Value / total))
            .ToArray();
    }
}
