namespace FinSight.Domain;

/// <summary>
/// One holding's part of the day's change. <see cref="Contribution"/> is the market's effect on the
/// holding, trades included: shares held at the previous close × (price − previous close), plus for each
/// share bought today (price − trade price), plus for each share sold today (sale price − price), less
/// today's trade fees. It is rounded to cents so that all holdings add up to <see cref="DayAttribution.Change"/>.
/// </summary>
/// <param name="Symbol">The ticker.</param>
/// <param name="SharesAtPreviousClose">Shares held at the previous close, in today's shares (a split today applied).</param>
/// <param name="Shares">Shares held now.</param>
/// <param name="Price">The current price.</param>
/// <param name="PreviousClose">The previous session's close, in today's shares.</param>
/// <param name="Contribution">Money, rounded to cents (largest-remainder rounding, so the holdings add up to the total).</param>
/// <param name="ChangeRatio">Price change since the previous close as a fraction (0.012 = +1.2 %).</param>
/// <param name="TradedToday">Whether the holding was bought or sold today.</param>
public sealed record HoldingDayChange(
    string Symbol, decimal SharesAtPreviousClose, decimal Shares, decimal Price, decimal PreviousClose, decimal Contribution, decimal ChangeRatio, bool TradedToday);

/// <summary>
/// Why the portfolio moved today: the day's change split by holding (largest first by size), plus today's
/// dividends and standalone fees, which are part of the change, and today's deposits and withdrawals,
/// which are not (they move money in or out, they do not gain or lose it).
/// </summary>
public sealed record DayAttribution
{
    private DayAttribution(IReadOnlyList<HoldingDayChange> holdings, IReadOnlyList<string> unpriced, decimal dividends, decimal fees, decimal netDeposits, decimal previousValue)
    {
        Holdings = holdings;
        Unpriced = unpriced;
        Dividends = dividends;
        Fees = fees;
        NetDeposits = netDeposits;
        PreviousMarketValue = previousValue;
        Change = holdings.Sum(h => h.Contribution) + dividends - fees;
    }

    /// <summary>Each priced holding held at the previous close or traded today, largest absolute contribution first.</summary>
    public IReadOnlyList<HoldingDayChange> Holdings { get; }

    /// <summary>Symbols held or traded today with no price or no previous close: left out of the change, never counted as 0.</summary>
    public IReadOnlyList<string> Unpriced { get; }

    /// <summary>Dividends recorded today, money.</summary>
    public decimal Dividends { get; }

    /// <summary>Standalone fees recorded today (trade fees are in their holding's contribution), money.</summary>
    public decimal Fees { get; }

    /// <summary>Deposits less withdrawals recorded today: not part of the change.</summary>
    public decimal NetDeposits { get; }

    /// <summary>What the priced holdings were worth at the previous close (shares then × previous close).</summary>
    public decimal PreviousMarketValue { get; }

    /// <summary>The day's change in money, to the cent: the holdings' contributions plus dividends less fees.</summary>
    public decimal Change { get; }

    /// <summary><see cref="Change"/> as a fraction of <see cref="PreviousMarketValue"/>; null when nothing was held at the previous close.</summary>
    public decimal? ChangeRatio => PreviousMarketValue > 0m ? Change / PreviousMarketValue : null;

    /// <summary>
    /// Attributes the change since the close of <paramref name="previousSession"/>. Transactions dated after it are today's
    /// (so a trade dated on a closed day counts with the next session, as everywhere else). This is FinSight's one
    /// definition of the day's change: the dashboard's headline, each position's day change and "why it moved" all read it.
    /// </summary>
    /// <param name="transactions">The portfolio's history, in replay order.</param>
    /// <param name="previousSession">The last session before the one being priced.</param>
    /// <param name="prices">Current price and previous close per symbol (the previous close in today's shares, as vendors give it), in the symbol's trading currency.</param>
    /// <param name="method">The portfolio's cost basis method (it does not change the result, only the replay).</param>
    /// <param name="history">The daily rates the replay needs when the history has amounts in other currencies; its base currency is the result's.</param>
    /// <param name="rates">
    /// Today's value in the base currency of one unit of each other currency (code → rate), as <see cref="PortfolioState.Value"/> takes them:
    /// every money figure is converted at it (the previous close too, as the valuation's day change always did).
    /// </param>
    /// <param name="current">The replay of all of <paramref name="transactions"/> with <paramref name="history"/>, when the caller has it (spares replaying them again).</param>
    /// <returns>The attribution, in the base currency.</returns>
    /// <exception cref="MissingExchangeRateException">An amount of today's is in a currency <paramref name="rates"/> has no rate for.</exception>
    public static DayAttribution Compute(
        IReadOnlyList<Transaction> transactions, DateOnly previousSession, IReadOnlyDictionary<string, ValuationPrice> prices,
        CostBasisMethod method = CostBasisMethod.Fifo, ExchangeRates? history = null, IReadOnlyDictionary<string, decimal>? rates = null, PortfolioState? current = null)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        ArgumentNullException.ThrowIfNull(prices);
        var today = transactions.Where(t => t.Date > previousSession).ToArray();
        var now = current ?? PortfolioState.Replay(transactions, method, rates: history);
        // Nothing dated today: the holdings at the previous close are today's.
        var before = today.Length == 0 ? now : PortfolioState.Replay(transactions, method, previousSession, history);
        var baseCode = now.BaseCurrency.Code;
        decimal? RateOf(Currency? currency) =>
            currency is null || currency.Value.Code == baseCode ? 1m
            : rates is not null && rates.TryGetValue(currency.Value.Code, out var r) && r > 0m ? r : null;
        decimal InBase(Transaction t, decimal amount) =>
            amount * (RateOf(t.Currency) ?? throw new MissingExchangeRateException(t.Currency!.Value.Code, baseCode, t.Date));

        var symbols = before.Positions.Select(p => p.Symbol)
            .Concat(today.OfType<BuyTransaction>().Select(b => b.Symbol))
            .Concat(today.OfType<SellTransaction>().Select(s => s.Symbol))
            .Distinct(StringComparer.Ordinal).ToArray();
        var exact = new List<(string Symbol, decimal Held, decimal Shares, ValuationPrice Price, decimal Value, bool Traded)>();
        var unpriced = new List<string>();
        var previousValue = 0m;
        foreach (var symbol in symbols)
        {
            var held = before.FindPosition(symbol)?.Quantity ?? 0m;
            foreach (var split in today.OfType<SplitTransaction>().Where(s => s.Symbol == symbol))
            {
                held *= split.Ratio;
            }
            var currency = now.FindPosition(symbol)?.Currency ?? before.FindPosition(symbol)?.Currency
                ?? today.Where(t => t is BuyTransaction b && b.Symbol == symbol || t is SellTransaction s && s.Symbol == symbol).Select(t => t.Currency).FirstOrDefault(c => c is not null);
            if (!prices.TryGetValue(symbol, out var price) || price.PreviousClose is not { } previous || RateOf(currency) is not { } rate)
            {
                unpriced.Add(symbol);
                continue;
            }
            var value = held * (price.Price - previous);
            var traded = false;
            foreach (var t in today)
            {
                switch (t)
                {
                    case BuyTransaction b when b.Symbol == symbol:
                        value += b.Quantity * (price.Price - b.Price) - b.Fees;
                        traded = true;
                        break;
                    case SellTransaction s when s.Symbol == symbol:
                        value += s.Quantity * (s.Price - price.Price) - s.Fees;
                        traded = true;
                        break;
                }
            }
            previousValue += held * previous * rate;
            exact.Add((symbol, held, now.FindPosition(symbol)?.Quantity ?? 0m, price, value * rate, traded));
        }

        var rounded = RoundToTotal([.. exact.Select(e => e.Value)]);
        var holdings = exact.Select((e, i) => new HoldingDayChange(
                e.Symbol, e.Held, e.Shares, e.Price.Price, e.Price.PreviousClose!.Value, rounded[i],
                (e.Price.Price - e.Price.PreviousClose!.Value) / e.Price.PreviousClose!.Value, e.Traded))
            .OrderByDescending(h => Math.Abs(h.Contribution)).ThenBy(h => h.Symbol, StringComparer.Ordinal)
            .ToArray();
        return new DayAttribution(
            holdings, unpriced,
            Cents(today.OfType<DividendTransaction>().Sum(d => InBase(d, d.Amount))),
            Cents(today.OfType<FeeTransaction>().Sum(f => InBase(f, f.Amount))),
            Cents(today.OfType<DepositTransaction>().Sum(d => InBase(d, d.Amount)) - today.OfType<WithdrawalTransaction>().Sum(w => InBase(w, w.Amount))),
            Cents(previousValue));
    }

    /// <summary>The contribution of <paramref name="symbol"/>, or null when it was neither held nor traded today, or could not be priced.</summary>
    /// <param name="symbol">The ticker.</param>
    /// <returns>Money, to the cent.</returns>
    public decimal? ContributionOf(string symbol) => Holdings.FirstOrDefault(h => h.Symbol == symbol)?.Contribution;

    /// <summary>
    /// <see cref="Change"/>, or null when nothing could be attributed (no holding with a price and a previous close,
    /// no dividend or fee today): an unknown change, never a zero one.
    /// </summary>
    public decimal? KnownChange => Holdings.Count > 0 || Dividends != 0m || Fees != 0m ? Change : null;

    private static decimal Cents(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);

    /// <summary>
    /// Rounds each value to cents so that they add up to their rounded total (largest remainder): rounding each
    /// on its own could leave the holdings a cent or two away from the portfolio's change.
    /// </summary>
    internal static decimal[] RoundToTotal(decimal[] values)
    {
        var total = Cents(values.Sum());
        var floors = values.Select(v => Math.Floor(v * 100m) / 100m).ToArray();
        var missing = (int)((total - floors.Sum()) * 100m);
        foreach (var i in Enumerable.Range(0, values.Length).OrderByDescending(i => values[i] - floors[i]).ThenBy(i => i).Take(Math.Max(0, missing)))
        {
            floors[i] += 0.01m;
        }
        return floors;
    }
}
