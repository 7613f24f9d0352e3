namespace FinSight.Domain;

/// <summary>
/// The portfolio at the end of one day of a <see cref="PortfolioHistory"/>. Money is decimal; returns
/// and indices are double (statistics, not accounting).
/// </summary>
/// <param name="Date">The day.</param>
/// <param name="MarketValue">Σ quantity × close × the day's rate, in the base currency (closes carried forward; last trade price when the symbol has no close yet).</param>
/// <param name="Cash">Cash balance at the end of the day in the base currency, each currency at the day's rate (0 under <see cref="CashMode.Implicit"/>).</param>
/// <param name="CostBasis">Cost of the open positions: the "net invested" line.</param>
/// <param name="NetContributions">External inflows minus outflows from the start of the history to the end of this day.</param>
/// <param name="Inflow">External money in during the day, ≥ 0 (see <see cref="CashMode"/> for what counts).</param>
/// <param name="Outflow">External money out during the day, ≥ 0.</param>
/// <param name="DailyReturn">
/// Time-weighted return since the previous point: (value + outflow) ÷ (previous value + inflow) − 1,
/// i.e. inflows are invested at the start of the day and outflows leave at its end. Null when the
/// capital base (previous value + inflow) or the end value plus outflow is not positive: nothing was
/// at risk, so no return exists (for example before the first buy).
/// </param>
/// <param name="TwrIndex">Growth of 1 invested at the start of the history, linking daily returns (days without a return leave it unchanged).</param>
/// <param name="Drawdown">TwrIndex ÷ its running maximum − 1: 0 at a peak, −0.25 when 25 % below it.</param>
/// <param name="IsMarketDay">True when at least one price series has a close on this date; false for a day added only because a transaction or the range end fell on it.</param>
/// <param name="HasEstimatedPrices">True when a position was valued at its last trade price because its symbol had no close yet.</param>
public readonly record struct HistoryPoint(
    DateOnly Date,
    decimal MarketValue,
    decimal Cash,
    decimal CostBasis,
    decimal NetContributions,
    decimal Inflow,
    decimal Outflow,
    double? DailyReturn,
    double TwrIndex,
    double Drawdown,
    bool IsMarketDay,
    bool HasEstimatedPrices)
{
    /// <summary>Market value + cash.</summary>
    public decimal TotalValue => MarketValue + Cash;

    /// <summary>Inflow − outflow during the day.</summary>
    public decimal NetFlow => Inflow - Outflow;
}

/// <summary>Options for <see cref="PortfolioHistory.Build"/>.</summary>
public sealed record HistoryOptions
{
    /// <summary>Cost basis method of the portfolio. Default FIFO.</summary>
    public CostBasisMethod Method { get; init; } = CostBasisMethod.Fifo;

    /// <summary>First day of the series; null starts at the first transaction. Transactions before it are applied silently, so the first point has the right holdings.</summary>
    public DateOnly? From { get; init; }

    /// <summary>
    /// The exchange calendar: true for a day the market is open. When set, the history has one point per
    /// trading day from the first transaction (or <see cref="From"/>) to the as-of date, which closes the
    /// history even when it is not a trading day; a transaction dated on a closed day is booked at the
    /// start of the next trading day (its holdings are valued at the last close before it until that
    /// day closes). Null (the default): points on every date with a close or a transaction.
    /// </summary>
    public Func<DateOnly, bool>? TradingDays { get; init; }

    /// <summary>
    /// The base currency and daily rates into it: values, flows and returns are in the base currency at
    /// each day's rate (closes are in each symbol's trading currency). Default: USD, no other currency.
    /// </summary>
    public ExchangeRates Rates { get; init; } = ExchangeRates.UsdOnly;

    /// <summary>What the closes are adjusted for. Default <see cref="CloseAdjustment.SplitAdjusted"/>.</summary>
    public CloseAdjustment CloseAdjustment { get; init; } = CloseAdjustment.SplitAdjusted;
}
