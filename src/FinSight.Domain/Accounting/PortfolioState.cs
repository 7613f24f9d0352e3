namespace FinSight.Domain;

/// <summary>
/// What a portfolio holds and has realized after replaying its transactions; produced by
/// <see cref="Portfolio.Replay"/>. Immutable. Amounts are unrounded decimals: round only for display.
/// </summary>
public sealed class PortfolioState
{
    internal PortfolioState(
        CostBasisMethod method,
        CashMode cashMode,
        DateOnly? asOf,
        IReadOnlyList<Position> positions,
        IReadOnlyList<RealizedTrade> realizedTrades,
        decimal cash,
        decimal realizedGain,
        decimal dividends,
        decimal fees,
        decimal netContributions)
    {
        Method = method;
        CashMode = cashMode;
        AsOf = asOf;
        Positions = positions;
        RealizedTrades = realizedTrades;
        Cash = cash;
        RealizedGain = realizedGain;
        Dividends = dividends;
        Fees = fees;
        NetContributions = netContributions;
        CostBasis = positions.Sum(p => p.CostBasis);
    }

    /// <summary>The cost basis method used.</summary>
    public CostBasisMethod Method { get; }

    /// <summary>How cash was accounted for.</summary>
    public CashMode CashMode { get; }

    /// <summary>The as-of date passed to <see cref="Portfolio.Replay"/>, else the last transaction's date; null for an empty history.</summary>
    public DateOnly? AsOf { get; }

    /// <summary>Open positions ordered by symbol (ordinal). Closed positions are not listed.</summary>
    public IReadOnlyList<Position> Positions { get; }

    /// <summary>One entry per sell, in replay order.</summary>
    public IReadOnlyList<RealizedTrade> RealizedTrades { get; }

    /// <summary>Cash balance; always 0 under <see cref="CashMode.Implicit"/>; may be negative under <see cref="CashMode.Tracked"/>.</summary>
    public decimal Cash { get; }

    /// <summary>Sum of <see cref="RealizedTrade.Gain"/> over all sells.</summary>
    public decimal RealizedGain { get; }

    /// <summary>All dividends received.</summary>
    public decimal Dividends { get; }

    /// <summary>All standalone fees paid (<see cref="FeeTransaction"/>; trade fees are in lot costs and proceeds instead).</summary>
    public decimal Fees { get; }

    /// <summary>
    /// External money in minus money out to date: deposits − withdrawals under <see cref="CashMode.Tracked"/>;
    /// buys with fees + fees − sell proceeds − dividends under <see cref="CashMode.Implicit"/>.
    /// Total gain = total value − net contributions.
    /// </summary>
    public decimal NetContributions { get; }

    /// <summary>Total cost of the open positions (the "invested" amount).</summary>
    public decimal CostBasis { get; }

    /// <summary>Finds the open position in <paramref name="symbol"/> (case-insensitive), or null when none is open.</summary>
    /// <param name="symbol">A <see cref="Ticker"/> in any letter case.</param>
    /// <returns>The position or null.</returns>
    public Position? FindPosition(string symbol)
    {
        var key = Transaction.NormalizeSymbol(symbol, nameof(symbol));
        foreach (var position in Positions)
        {
            if (position.Symbol == key)
            {
                return position;
            }
        }

        return null;
    }

    /// <summary>
    /// Values the open positions at the given quotes. A position without a quote is valued at its last
    /// trade price and marked <see cref="PriceSource.LastTrade"/>, never at zero.
    /// </summary>
    /// <param name="quotes">Current quote per symbol (keys compared case-sensitively, so use upper-case tickers).</param>
    /// <returns>The valuation.</returns>
    public PortfolioValuation Value(IReadOnlyDictionary<string, Quote> quotes) => PortfolioValuation.Create(this, quotes);
}
