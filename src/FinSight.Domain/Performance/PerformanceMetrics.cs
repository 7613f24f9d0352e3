namespace FinSight.Domain;

/// <summary>
/// Returns, risk and trade statistics computed from a <see cref="PortfolioHistory"/>.
/// </summary>
/// <remarks>
/// <para>Time-weighted return links the history's daily returns, in which external inflows are invested at
/// the start of their day and outflows leave at its end (see <see cref="HistoryPoint.DailyReturn"/>), so the
/// size and timing of deposits and withdrawals do not move it. Money-weighted return (XIRR) is the opposite:
/// it answers "what did my money earn", flows included.</para>
/// <para>Benchmark figures use the benchmark's closes as given (price return; pass a total-return series
/// to include its dividends).</para>
/// </remarks>
public static class PerformanceMetrics
{
    /// <summary>Below this a standard deviation is treated as zero, so ratios over it are null rather than astronomically large.</summary>
    private const double ZeroSpread = 1e-12;

    /// <summary>Computes every <see cref="PerformanceRange"/> and the trade statistics.</summary>
    /// <param name="history">The portfolio history.</param>
    /// <param name="benchmark">Benchmark closes (for example SPY) for beta, alpha and correlation; null to skip them.</param>
    /// <param name="options">Risk-free rate and annualization; null for the defaults.</param>
    /// <returns>The report.</returns>
    public static PerformanceReport Compute(PortfolioHistory history, PriceSeries? benchmark = null, PerformanceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        var ranges = new RangePerformance[PerformanceRanges.AllRanges.Count];
        for (var i = 0; i < ranges.Length; i++)
        {
            ranges[i] = ComputeRange(history, PerformanceRanges.AllRanges[i], benchmark, options);
        }

        return new PerformanceReport(history.To, ranges, TradeStatistics.Compute(history.FinalState.RealizedTrades));
    }

    /// <summary>Computes one range.</summary>
    /// <param name="history">The portfolio history.</param>
    /// <param name="range">The range, ending at <see cref="PortfolioHistory.To"/>.</param>
    /// <param name="benchmark">Benchmark closes, or null.</param>
    /// <param name="options">Risk-free rate and annualization; null for the defaults.</param>
    /// <returns>The figures.</returns>
    public static RangePerformance ComputeRange(PortfolioHistory history, PerformanceRange range, PriceSeries? benchmark = null, PerformanceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        options ??= new PerformanceOptions();
        var points = history.Span;
        var nominal = PerformanceRanges.StartDate(range, history.To);
        var virtualStart = history.From.AddDays(-1);

        // The baseline is the last point on or before the nominal start; when the history starts later, it is
        // the state just before the first point (index 1, the history's starting value).
        int first;
        DateOnly startDate, baselineDate;
        decimal startValue;
        double startIndex;
        if (nominal is { } n && n >= points[0].Date)
        {
            var baseline = history.IndexOnOrBefore(n);
            first = baseline + 1;
            startDate = n;
            baselineDate = points[baseline].Date;
            startValue = points[baseline].TotalValue;
            startIndex = points[baseline].TwrIndex;
        }
        else
        {
            first = 0;
            startDate = virtualStart;
            baselineDate = virtualStart;
            startValue = history.StartingValue;
            startIndex = 1.0;
        }

        var isPartial = nominal is { } nominalStart && nominalStart < virtualStart;
        var end = points[^1];
        var flows = new List<CashFlow>();
        if (startValue != 0m)
        {
            flows.Add(new CashFlow(startDate, -startValue));
        }

        decimal netFlow = 0m, inflows = 0m;
        var anyReturn = false;
        for (var i = first; i < points.Length; i++)
        {
            var p = points[i];
            netFlow += p.NetFlow;
            inflows += p.Inflow;
            anyReturn |= p.DailyReturn is not null;
            if (p.NetFlow != 0m)
            {
                flows.Add(new CashFlow(p.Date, -p.NetFlow));
            }
        }

        flows.Add(new CashFlow(end.Date, end.TotalValue));
        var days = end.Date.DayNumber - startDate.DayNumber;

        double? twr = anyReturn && startIndex != 0 ? Finite((end.TwrIndex / startIndex) - 1) : null;
        var annualizedTwr = twr is { } t && days >= 365 ? Finite(Math.Pow(1 + t, 365.0 / days) - 1) : null;
        var xirr = anyReturn ? Xirr.Compute(flows) : null;
        var mwr = xirr is { } x && days > 0 ? Finite(Math.Pow(1 + x, days / 365.0) - 1) : null;
        var gain = end.TotalValue - startValue - netFlow;
        var capital = startValue + inflows;
        double? simple = capital > 0m ? (double)(gain / capital) : null;

        var risk = Risk(points, first, baselineDate, startIndex, anyReturn, benchmark, options);
        return new RangePerformance(range, startDate, end.Date, isPartial, startValue, end.TotalValue, netFlow, twr, annualizedTwr, mwr, xirr, simple, risk);
    }

    /// <summary>
    /// A benchmark's growth index aligned to <paramref name="points"/> (for example from
    /// <see cref="PortfolioHistory.Rebased"/>): close on or before each date ÷ the close on or before the
    /// first date, so it starts at 1 like the TWR index. Null for dates before the benchmark's first close;
    /// if the first date has no close, the first available close becomes the base.
    /// </summary>
    /// <param name="benchmark">Benchmark closes.</param>
    /// <param name="points">The points to align to, ordered by date.</param>
    /// <returns>One value per point.</returns>
    public static IReadOnlyList<double?> BenchmarkIndex(PriceSeries benchmark, IReadOnlyList<HistoryPoint> points)
    {
        ArgumentNullException.ThrowIfNull(benchmark);
        ArgumentNullException.ThrowIfNull(points);
        var result = new double?[points.Count];
        decimal? baseClose = null;
        for (var i = 0; i < points.Count; i++)
        {
            if (benchmark.TryGetCloseOnOrBefore(points[i].Date, out var close))
            {
                baseClose ??= close.Close;
                result[i] = (double)(close.Close / baseClose.Value);
            }
        }

        return result;
    }

    private static RiskMetrics Risk(
        ReadOnlySpan<HistoryPoint> points,
        int first,
        DateOnly baselineDate,
        double startIndex,
        bool anyReturn,
        PriceSeries? benchmark,
        PerformanceOptions options)
    {
        if (!anyReturn)
        {
            return new RiskMetrics(0, null, null, null, null, 0, null, null, null);
        }

        var returns = new List<double>(points.Length - first);
        var pairs = new List<(double Portfolio, double Benchmark)>();
        var previousIndex = startIndex;
        // The first return runs from the baseline point's own date, so it pairs with the benchmark's move over
        // the same days. Before the first point there is no close-to-close interval at all (the first return
        // runs from the trade prices to the close), so it is not paired.
        var previousDate = first == 0 ? DateOnly.MinValue : baselineDate;
        var invested = false;
        for (var i = first; i < points.Length; i++)
        {
            var p = points[i];
            invested |= p.DailyReturn is not null;
            if (!p.IsMarketDay)
            {
                continue;
            }

            if (invested && previousIndex != 0)
            {
                var r = (p.TwrIndex / previousIndex) - 1;
                returns.Add(r);
                if (benchmark is not null && TryBenchmarkReturn(benchmark, previousDate, p.Date, out var b))
                {
                    pairs.Add((r, b));
                }
            }

            previousIndex = p.TwrIndex;
            previousDate = p.Date;
            invested = false;
        }

        var periods = options.PeriodsPerYear;
        var riskFree = Math.Pow(1 + options.AnnualRiskFreeRate, 1.0 / periods) - 1;
        var sqrtPeriods = Math.Sqrt(periods);
        double? volatility = null, sharpe = null, sortino = null;
        if (returns.Count >= 2)
        {
            var mean = Mean(returns);
            var sd = Math.Sqrt(SampleVariance(returns, mean));
            volatility = sd * sqrtPeriods;
            var excess = mean - riskFree;
            sharpe = sd > ZeroSpread ? excess / sd * sqrtPeriods : null;
            var downside = 0.0;
            foreach (var r in returns)
            {
                var shortfall = Math.Min(0, r - riskFree);
                downside += shortfall * shortfall;
            }

            downside = Math.Sqrt(downside / returns.Count);
            sortino = downside > ZeroSpread ? excess / downside * sqrtPeriods : null;
        }

        double? beta = null, alpha = null, correlation = null;
        if (pairs.Count >= 2)
        {
            double meanP = 0, meanB = 0;
            foreach (var (p, b) in pairs)
            {
                meanP += p;
                meanB += b;
            }

            meanP /= pairs.Count;
            meanB /= pairs.Count;
            double cov = 0, varP = 0, varB = 0;
            foreach (var (p, b) in pairs)
            {
                cov += (p - meanP) * (b - meanB);
                varP += (p - meanP) * (p - meanP);
                varB += (b - meanB) * (b - meanB);
            }

            var m = pairs.Count - 1;
            cov /= m;
            varP /= m;
            varB /= m;
            if (Math.Sqrt(varB) > ZeroSpread)
            {
                beta = cov / varB;
                alpha = ((meanP - riskFree) - (beta.Value * (meanB - riskFree))) * periods;
                if (Math.Sqrt(varP) > ZeroSpread)
                {
                    correlation = Math.Clamp(cov / Math.Sqrt(varP * varB), -1, 1);
                }
            }
        }

        return new RiskMetrics(
            returns.Count,
            Finite(volatility),
            Finite(sharpe),
            Finite(sortino),
            MaxDrawdown(points, first, baselineDate, startIndex),
            pairs.Count,
            Finite(beta),
            Finite(alpha),
            Finite(correlation));
    }

    private static Drawdown MaxDrawdown(ReadOnlySpan<HistoryPoint> points, int first, DateOnly startDate, double startIndex)
    {
        var peak = startIndex;
        var peakDate = startDate;
        var depth = 0.0;
        DateOnly? depthPeak = null, trough = null;
        var depthPeakIndex = 0.0;
        var troughPosition = -1;
        for (var i = first; i < points.Length; i++)
        {
            var p = points[i];
            if (p.TwrIndex > peak)
            {
                peak = p.TwrIndex;
                peakDate = p.Date;
            }
            else if (peak > 0)
            {
                var d = (p.TwrIndex / peak) - 1;
                if (d < depth)
                {
                    depth = d;
                    depthPeak = peakDate;
                    depthPeakIndex = peak;
                    trough = p.Date;
                    troughPosition = i;
                }
            }
        }

        DateOnly? recovery = null;
        if (troughPosition >= 0)
        {
            for (var i = troughPosition + 1; i < points.Length; i++)
            {
                // Relative tolerance: a return to the same price should count as recovered despite float noise.
                if (points[i].TwrIndex >= depthPeakIndex * (1 - 1e-12))
                {
                    recovery = points[i].Date;
                    break;
                }
            }
        }

        return new Drawdown(depth, depthPeak, trough, recovery);
    }

    private static bool TryBenchmarkReturn(PriceSeries benchmark, DateOnly from, DateOnly to, out double result)
    {
        result = 0;
        var i0 = benchmark.IndexOnOrBefore(from);
        var i1 = benchmark.IndexOnOrBefore(to);
        if (i0 < 0 || i1 < 0 || benchmark.Dates[i0] != from || benchmark.Dates[i1] != to)
        {
            return false;
        }

        result = (double)(benchmark.Closes[i1] / benchmark.Closes[i0]) - 1;
        return true;
    }

    private static double Mean(List<double> values)
    {
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v;
        }

        return sum / values.Count;
    }

    private static double SampleVariance(List<double> values, double mean)
    {
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += (v - mean) * (v - mean);
        }

        return sum / (values.Count - 1);
    }

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;
}
