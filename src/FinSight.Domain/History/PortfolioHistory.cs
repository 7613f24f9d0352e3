namespace FinSight.Domain;

/// <summary>
/// A portfolio replayed day by day against daily closes: value, cash, invested, flows, daily
/// time-weighted return, TWR index and drawdown per day. Build with <see cref="Build"/>; feed it to
/// <see cref="PerformanceMetrics"/>.
/// </summary>
/// <remarks>
/// <para>Days: one point for every date on which any supplied price series has a close, every transaction
/// date, and the first and last day, between <see cref="From"/> and <see cref="To"/>. Weekends and
/// holidays without trades therefore have no point; flows on such days are captured on their own date.
/// With <see cref="HistoryOptions.TradingDays"/>, the points are that calendar's trading days (and the last
/// day) instead, and a transaction dated on a closed day counts with the next trading day.</para>
/// <para>Missing closes carry the last close forward; a symbol with no close yet is valued at its last
/// trade price and the point is flagged (<see cref="HistoryPoint.HasEstimatedPrices"/>).</para>
/// </remarks>
public sealed class PortfolioHistory
{
    private readonly HistoryPoint[] points;

    private PortfolioHistory(HistoryPoint[] points, DateOnly from, DateOnly to, decimal startingValue, CashMode cashMode, PortfolioState finalState, IReadOnlySet<string> estimatedSymbols)
    {
        this.points = points;
        StartingValue = startingValue;
        From = from;
        To = to;
        CashMode = cashMode;
        FinalState = finalState;
        EstimatedSymbols = estimatedSymbols;
    }

    /// <summary>The points, ordered by date; never empty.</summary>
    public IReadOnlyList<HistoryPoint> Points => points;

    /// <summary>First day.</summary>
    public DateOnly From { get; }

    /// <summary>Last day (the as-of date).</summary>
    public DateOnly To { get; }

    /// <summary>
    /// Total value at the end of the day before <see cref="From"/>: 0 when the history starts at the first
    /// transaction; the value of earlier holdings when <see cref="HistoryOptions.From"/> cuts into the history.
    /// </summary>
    public decimal StartingValue { get; }

    /// <summary>How cash was accounted for.</summary>
    public CashMode CashMode { get; }

    /// <summary>The accounting state at the end of <see cref="To"/>: the same as <see cref="PortfolioState.Replay"/> with that as-of date.</summary>
    public PortfolioState FinalState { get; }

    /// <summary>Symbols valued at their last trade price on at least one day for want of a close.</summary>
    public IReadOnlySet<string> EstimatedSymbols { get; }

    /// <summary>Replays <paramref name="transactions"/> day by day up to <paramref name="to"/>.</summary>
    /// <param name="transactions">The whole history; transactions after <paramref name="to"/> are ignored.</param>
    /// <param name="prices">Daily closes; symbols without a series are valued at their last trade price.</param>
    /// <param name="to">As-of date: the last point.</param>
    /// <param name="options">Method, start date and close adjustment; null for the defaults.</param>
    /// <returns>The history.</returns>
    /// <exception cref="ArgumentException">The start date is after <paramref name="to"/>.</exception>
    /// <exception cref="PortfolioException">The transactions are inconsistent (see <see cref="PortfolioState.Replay"/>).</exception>
    public static PortfolioHistory Build(IEnumerable<Transaction> transactions, MarketPrices prices, DateOnly to, HistoryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(prices);
        options ??= new HistoryOptions();
        var ordered = Ledger.Order(transactions);
        var from = options.From ?? (ordered.Length > 0 && ordered[0].Date < to ? ordered[0].Date : to);
        if (from > to)
        {
            throw new ArgumentException($"History start {from:yyyy-MM-dd} is after its end {to:yyyy-MM-dd}.", nameof(options));
        }

        var ledger = new Ledger(options.Method, Ledger.DetectCashMode(ordered), options.Rates);
        var tracks = SymbolTrack.Create(ordered, prices, options.CloseAdjustment);
        var days = options.TradingDays is { } isTradingDay
            ? TradingDays(isTradingDay, from, to, out var marketDays)
            : ValuationDays(ordered, prices, from, to, out marketDays);

        var next = 0;
        while (next < ordered.Length && ordered[next].Date < from)
        {
            ledger.Apply(ordered[next++]);
        }

        var estimated = new HashSet<string>(StringComparer.Ordinal);
        var previousValue = from == DateOnly.MinValue ? 0m : Value(ledger, tracks, from.AddDays(-1), estimated, out _) + ledger.CashValue(from.AddDays(-1));
        var startingValue = previousValue;
        estimated.Clear();

        var points = new HistoryPoint[days.Length];
        var index = 1.0;
        var peak = 1.0;
        for (var d = 0; d < days.Length; d++)
        {
            var day = days[d];
            ledger.ResetFlows();
            while (next < ordered.Length && ordered[next].Date <= day)
            {
                ledger.Apply(ordered[next++]);
            }

            var marketValue = Value(ledger, tracks, day, estimated, out var hasEstimate);
            var cash = ledger.CashValue(day);
            var value = marketValue + cash;
            var capital = previousValue + ledger.Inflow;
            var ending = value + ledger.Outflow;
            double? dailyReturn = null;
            if (capital > 0m && ending >= 0m)
            {
                var r = (double)(ending / capital) - 1.0;
                dailyReturn = r;
                index *= 1.0 + r;
                peak = Math.Max(peak, index);
            }

            var costBasis = 0m;
            foreach (var holding in ledger.OpenHoldings)
            {
                costBasis += holding.Cost;
            }

            points[d] = new HistoryPoint(
                day,
                marketValue,
                cash,
                costBasis,
                ledger.NetContributions,
                ledger.Inflow,
                ledger.Outflow,
                dailyReturn,
                index,
                (index / peak) - 1.0,
                marketDays.Contains(day),
                hasEstimate);
            previousValue = value;
        }

        return new PortfolioHistory(points, from, to, startingValue, ledger.Mode, ledger.ToState(to), estimated);
    }

    /// <summary>The last point on or before <paramref name="date"/>, or null when the history starts later.</summary>
    /// <param name="date">The date.</param>
    /// <returns>The point or null.</returns>
    public HistoryPoint? PointOnOrBefore(DateOnly date)
    {
        var i = IndexOnOrBefore(date);
        return i >= 0 ? points[i] : null;
    }

    /// <summary>
    /// The points from the last one on or before <paramref name="from"/> (the baseline) to the end, with
    /// <see cref="HistoryPoint.TwrIndex"/> rebased to 1 at the baseline and <see cref="HistoryPoint.Drawdown"/>
    /// measured from peaks inside the slice. For charting a range. When the history starts after
    /// <paramref name="from"/>, the baseline is the start of the history itself (index 1 before the first
    /// day), so the first day's return stays in the series exactly as it is in the range's time-weighted return.
    /// </summary>
    /// <param name="from">Range start, for example <see cref="PerformanceRanges.StartDate"/>.</param>
    /// <returns>The rebased points; never empty.</returns>
    public IReadOnlyList<HistoryPoint> Rebased(DateOnly from)
    {
        var onOrBefore = IndexOnOrBefore(from);
        var start = Math.Max(0, onOrBefore);
        var result = new HistoryPoint[points.Length - start];
        var baseIndex = onOrBefore < 0 ? 1.0 : points[start].TwrIndex;
        var peak = 1.0;
        for (var i = 0; i < result.Length; i++)
        {
            var p = points[start + i];
            var rebased = baseIndex == 0 ? 0 : p.TwrIndex / baseIndex;
            peak = Math.Max(peak, rebased);
            result[i] = p with
            {
                TwrIndex = rebased,
                Drawdown = peak == 0 ? 0 : (rebased / peak) - 1.0,
                DailyReturn = i == 0 && onOrBefore >= 0 ? null : p.DailyReturn,
            };
        }

        return result;
    }

    internal ReadOnlySpan<HistoryPoint> Span => points;

    internal int IndexOnOrBefore(DateOnly date)
    {
        int lo = 0, hi = points.Length - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (points[mid].Date <= date)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found;
    }

    private static decimal Value(Ledger ledger, Dictionary<string, SymbolTrack> tracks, DateOnly day, HashSet<string> estimated, out bool hasEstimate)
    {
        hasEstimate = false;
        var total = 0m;
        foreach (var holding in ledger.OpenHoldings)
        {
            if (!tracks[holding.Symbol].TryGetPrice(day, out var price))
            {
                ledger.TryGetLastTradePrice(holding.Symbol, out price);
                estimated.Add(holding.Symbol);
                hasEstimate = true;
            }

            total += holding.Currency == ledger.BaseCode ? holding.Quantity * price : holding.Quantity * price * ledger.Rates.Rate(holding.Currency, day);
        }

        return total;
    }

    private static DateOnly[] TradingDays(Func<DateOnly, bool> isTradingDay, DateOnly from, DateOnly to, out HashSet<DateOnly> marketDays)
    {
        marketDays = [];
        var days = new List<DateOnly>();
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            if (isTradingDay(day))
            {
                marketDays.Add(day);
                days.Add(day);
            }
        }

        // The as-of date always closes the history, so that every transaction up to it is applied.
        if (days.Count == 0 || days[^1] != to)
        {
            days.Add(to);
        }

        return [.. days];
    }

    private static DateOnly[] ValuationDays(Transaction[] ordered, MarketPrices prices, DateOnly from, DateOnly to, out HashSet<DateOnly> marketDays)
    {
        marketDays = [];
        foreach (var series in prices.Series)
        {
            var dates = series.Dates;
            var i = Math.Max(0, series.IndexOnOrBefore(from));
            for (; i < dates.Length && dates[i] <= to; i++)
            {
                if (dates[i] >= from)
                {
                    marketDays.Add(dates[i]);
                }
            }
        }

        var all = new HashSet<DateOnly>(marketDays) { from, to };
        foreach (var t in ordered)
        {
            if (t.Date >= from && t.Date <= to)
            {
                all.Add(t.Date);
            }
        }

        var days = all.ToArray();
        Array.Sort(days);
        return days;
    }

    /// <summary>Walks one symbol's closes forward in time and turns them into as-traded prices.</summary>
    private sealed class SymbolTrack
    {
        private readonly PriceSeries? series;
        private readonly (DateOnly Date, decimal Numerator, decimal Denominator)[] splits;
        private int cursor = -1;
        private int splitCursor;
        private decimal factorNumerator = 1m;
        private decimal factorDenominator = 1m;

        private SymbolTrack(PriceSeries? series, (DateOnly, decimal, decimal)[] splits)
        {
            this.series = series;
            this.splits = splits;
            foreach (var (_, numerator, denominator) in splits)
            {
                factorNumerator *= numerator;
                factorDenominator *= denominator;
            }
        }

        internal static Dictionary<string, SymbolTrack> Create(Transaction[] ordered, MarketPrices prices, CloseAdjustment adjustment)
        {
            var splits = new Dictionary<string, List<(DateOnly, decimal, decimal)>>(StringComparer.Ordinal);
            foreach (var t in ordered)
            {
                var symbol = t switch
                {
                    BuyTransaction b => b.Symbol,
                    SplitTransaction s => s.Symbol,
                    _ => null,
                };
                if (symbol is null)
                {
                    continue;
                }

                if (!splits.TryGetValue(symbol, out var list))
                {
                    splits[symbol] = list = [];
                }

                if (t is SplitTransaction split && adjustment == CloseAdjustment.SplitAdjusted)
                {
                    list.Add((split.Date, split.Numerator, split.Denominator));
                }
            }

            var tracks = new Dictionary<string, SymbolTrack>(splits.Count, StringComparer.Ordinal);
            foreach (var (symbol, list) in splits)
            {
                prices.TryGetSeries(symbol, out var series);
                tracks[symbol] = new SymbolTrack(series, list.ToArray());
            }

            return tracks;
        }

        /// <summary>The as-traded close on or before <paramref name="day"/>. Days must not go backwards except for the very first call.</summary>
        internal bool TryGetPrice(DateOnly day, out decimal price)
        {
            price = 0m;
            if (series is null)
            {
                return false;
            }

            var dates = series.Dates;
            while (cursor + 1 < dates.Length && dates[cursor + 1] <= day)
            {
                cursor++;
            }

            if (cursor < 0 || dates[cursor] > day)
            {
                return false;
            }

            // A back-adjusted close is divided by every split after its date; multiply those back in.
            while (splitCursor < splits.Length && splits[splitCursor].Date <= day)
            {
                factorNumerator /= splits[splitCursor].Numerator;
                factorDenominator /= splits[splitCursor].Denominator;
                splitCursor++;
            }

            var close = series.Closes[cursor];
            price = factorNumerator == factorDenominator ? close : close * factorNumerator / factorDenominator;
            return true;
        }
    }
}
