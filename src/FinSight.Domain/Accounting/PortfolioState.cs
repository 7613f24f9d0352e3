namespace FinSight.Domain;

/// <summary>
/// What a portfolio holds and has realized after replaying its transactions; produced by
/// <see cref="Replay"/>, the entry point of the accounting engine. Immutable. Amounts are unrounded
/// decimals: round only for display.
/// </summary>
public sealed class PortfolioState
{
    /// <summary>
    /// Replays <paramref name="transactions"/> in order (by date; on one date splits first, then the
    /// caller's order) and returns what is held, what was realized and the cash balance.
    /// </summary>
    /// <param name="transactions">The whole history, in any order. Not modified.</param>
    /// <param name="method">How sells choose the cost of the shares they close.</param>
    /// <param name="asOf">
    /// When given, transactions dated after it are ignored and the state describes the end of that day.
    /// The cash mode is still decided from the whole history, so a state as of any date agrees with the
    /// history built from the same transactions.
    /// </param>
    /// <param name="rates">
    /// The base currency and daily rates into it; null for USD and no other currency. Each amount is
    /// converted at its own day's rate (a transaction without a currency is in the base currency); cash
    /// is valued at the as-of day's rates.
    /// </param>
    /// <returns>The state after the last applied transaction.</returns>
    /// <exception cref="InsufficientQuantityException">A sell exceeds the shares held on its date.</exception>
    /// <exception cref="MissingExchangeRateException">An amount in a currency with no rate on its date.</exception>
    /// <exception cref="PortfolioException">Another inconsistency, such as a dividend from a symbol never held or a symbol traded in two currencies.</exception>
    /// <remarks>
    /// Cash mode: a history with at least one deposit or withdrawal tracks cash
    /// (<see cref="CashMode.Tracked"/>); otherwise cash stays zero and trades are external flows
    /// (<see cref="CashMode.Implicit"/>).
    /// </remarks>
    public static PortfolioState Replay(IEnumerable<Transaction> transactions, CostBasisMethod method = CostBasisMethod.Fifo, DateOnly? asOf = null, ExchangeRates? rates = null)
    {
        var ordered = Ledger.Order(transactions);
        var ledger = new Ledger(method, Ledger.DetectCashMode(ordered), rates);
        foreach (var transaction in ordered)
        {
            if (asOf is { } limit && transaction.Date > limit)
            {
                break;
            }

            ledger.Apply(transaction);
        }

        return ledger.ToState(asOf);
    }

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

    /// <summary>The as-of date passed to <see cref="Replay"/>, else the last transaction's date; null for an empty history.</summary>
    public DateOnly? AsOf { get; }

    /// <summary>Open positions ordered by symbol (ordinal). Closed positions are not listed.</summary>
    public IReadOnlyList<Position> Positions { get; }

    /// <summary>One entry per sell, in replay order.</summary>
    public IReadOnlyList<RealizedTrade> RealizedTrades { get; }

    /// <summary>
    /// Cash balance in the base currency, every currency's balance at the <see cref="AsOf"/> rates; always 0
    /// under <see cref="CashMode.Implicit"/>; may be negative under <see cref="CashMode.Tracked"/>.
    /// </summary>
    public decimal Cash { get; }

    /// <summary>The base currency and rates the history was replayed with.</summary>
    public ExchangeRates Rates { get; init; } = ExchangeRates.UsdOnly;

    /// <summary>The base currency: every amount of the state (but a position's local figures) is in it.</summary>
    public Currency BaseCurrency => Rates.BaseCurrency;

    /// <summary>Cash per currency (code → balance in that currency), non-zero balances only, ordered by code.</summary>
    public IReadOnlyDictionary<string, decimal> CashBalances { get; init; } = new Dictionary<string, decimal>();

    /// <summary>Cash in the base currency as booked, each movement at its own day's rate; see <see cref="PortfolioValuation.CashCurrencyGain"/>.</summary>
    public decimal CashBook { get; init; }

    /// <summary>Sum of the sells' <see cref="RealizedTrade.CurrencyEffect"/>.</summary>
    public decimal RealizedCurrencyEffect { get; init; }

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
    /// Values the open positions at the given prices. A position without a price is valued at its last
    /// trade price and marked <see cref="PriceSource.LastTrade"/>, never at zero.
    /// </summary>
    /// <param name="prices">Current price per symbol (keys compared ordinally, so use <see cref="Ticker"/> values).</param>
    /// <param name="rates">
    /// Current value in the base currency of one unit of each other currency held (code → rate, &gt; 0);
    /// null for the rates of the <see cref="AsOf"/> day from <see cref="Rates"/>. Prices are in each symbol's currency.
    /// </param>
    /// <returns>The valuation, in the base currency.</returns>
    /// <exception cref="ArgumentException">A price is <c>default(ValuationPrice)</c>.</exception>
    /// <exception cref="MissingExchangeRateException">A currency held has no rate.</exception>
    public PortfolioValuation Value(IReadOnlyDictionary<string, ValuationPrice> prices, IReadOnlyDictionary<string, decimal>? rates = null) =>
        PortfolioValuation.Create(this, prices, rates);


}
