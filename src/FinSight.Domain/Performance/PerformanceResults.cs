namespace FinSight.Domain;

/// <summary>Settings for <see cref="PerformanceMetrics"/>.</summary>
public sealed record PerformanceOptions
{
    private readonly double annualRiskFreeRate;
    private readonly int periodsPerYear = 252;

    /// <summary>Annual risk-free rate as a fraction (0.04 = 4 %), compounded to a daily rate (1 + r)^(1/252) − 1. Default 0; must be &gt; −1.</summary>
    public double AnnualRiskFreeRate
    {
        get => annualRiskFreeRate;
        init => annualRiskFreeRate = value > -1 && double.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(AnnualRiskFreeRate), value, "The risk-free rate must be a finite number greater than −1.");
    }

    /// <summary>Trading days per year used to annualize daily statistics. Default 252.</summary>
    public int PeriodsPerYear
    {
        get => periodsPerYear;
        init => periodsPerYear = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(PeriodsPerYear), value, "Must be positive.");
    }
}

/// <summary>The deepest fall of the TWR index within a range.</summary>
/// <param name="Depth">Trough ÷ peak − 1 (−0.25 = a 25 % fall); 0 when the index never fell.</param>
/// <param name="Peak">Date of the peak before the deepest fall; null when <paramref name="Depth"/> is 0.</param>
/// <param name="Trough">Date of the lowest point; null when <paramref name="Depth"/> is 0.</param>
/// <param name="Recovery">First date after the trough at which the index regained the peak; null when not (yet) recovered.</param>
public sealed record Drawdown(double Depth, DateOnly? Peak, DateOnly? Trough, DateOnly? Recovery);

/// <summary>
/// Risk figures from daily time-weighted returns. A "daily" return spans one market day to the next
/// (<see cref="HistoryPoint.IsMarketDay"/>), linking any flows on days in between; stretches where nothing
/// was invested are left out. Ratios are fractions; each figure is null when it is undefined.
/// </summary>
/// <param name="Observations">Number of daily returns used.</param>
/// <param name="Volatility">Sample standard deviation × √252; null with fewer than 2 returns. 0 is a real answer (constant returns).</param>
/// <param name="SharpeRatio">Mean daily excess return ÷ sample standard deviation × √252; null with fewer than 2 returns or zero variance.</param>
/// <param name="SortinoRatio">Mean daily excess return ÷ downside deviation (root mean square of negative excess returns over all returns) × √252; null with fewer than 2 returns or no downside.</param>
/// <param name="MaxDrawdown">Deepest fall of the TWR index; null with fewer than 2 points.</param>
/// <param name="BenchmarkObservations">Number of daily returns paired with a benchmark return over exactly the same two dates.</param>
/// <param name="Beta">Sample covariance with the benchmark ÷ benchmark variance; null with fewer than 2 pairs or a flat benchmark.</param>
/// <param name="Alpha">Jensen's alpha, annualized by × 252: mean(excess) − beta × mean(benchmark excess); null when beta is.</param>
/// <param name="Correlation">Pearson correlation with the benchmark; null with fewer than 2 pairs or either side flat.</param>
public sealed record RiskMetrics(
    int Observations,
    double? Volatility,
    double? SharpeRatio,
    double? SortinoRatio,
    Drawdown? MaxDrawdown,
    int BenchmarkObservations,
    double? Beta,
    double? Alpha,
    double? Correlation);

/// <summary>
/// Returns and risk over one <see cref="PerformanceRange"/>. Money is decimal, ratios are double
/// fractions; null means undefined, never zero.
/// </summary>
/// <param name="Range">The range.</param>
/// <param name="StartDate">Baseline date: figures run from the end of this day (or from the start of the history) to <paramref name="EndDate"/>.</param>
/// <param name="EndDate">The as-of date.</param>
/// <param name="IsPartial">True when the history starts after the range's nominal start, so the range is shorter than its name says.</param>
/// <param name="StartValue">Total value at the baseline.</param>
/// <param name="EndValue">Total value at the end.</param>
/// <param name="NetFlow">External inflows − outflows within the range.</param>
/// <param name="TimeWeightedReturn">Cumulative TWR: end index ÷ baseline index − 1; null when nothing was invested in the range.</param>
/// <param name="AnnualizedTimeWeightedReturn">(1 + TWR)^(365 / days) − 1; null for ranges under 365 days (not annualized, as GIPS advises) or when TWR is null.</param>
/// <param name="MoneyWeightedReturn">Cumulative money-weighted return over the range: (1 + XIRR)^(days / 365) − 1; null when XIRR is.</param>
/// <param name="AnnualizedMoneyWeightedReturn">XIRR of −start value, the range's flows (investor side) and +end value; null when it has no solution.</param>
/// <param name="SimpleReturn">Gain ÷ (start value + inflows); null when that is not positive.</param>
/// <param name="Risk">Risk figures for the range.</param>
public sealed record RangePerformance(
    PerformanceRange Range,
    DateOnly StartDate,
    DateOnly EndDate,
    bool IsPartial,
    decimal StartValue,
    decimal EndValue,
    decimal NetFlow,
    double? TimeWeightedReturn,
    double? AnnualizedTimeWeightedReturn,
    double? MoneyWeightedReturn,
    double? AnnualizedMoneyWeightedReturn,
    double? SimpleReturn,
    RiskMetrics Risk)
{
    /// <summary>Gain in money: end value − start value − net flow (includes dividends, net of all fees).</summary>
    public decimal Gain => EndValue - StartValue - NetFlow;
}

/// <summary>Every range's figures plus trade statistics; produced by <see cref="PerformanceMetrics.Compute"/>.</summary>
/// <param name="AsOf">The history's last day.</param>
/// <param name="Ranges">One entry per <see cref="PerformanceRange"/>, shortest first.</param>
/// <param name="Trades">Statistics over all sells up to the as-of date.</param>
public sealed record PerformanceReport(DateOnly AsOf, IReadOnlyList<RangePerformance> Ranges, TradeStatistics Trades)
{
    /// <summary>The figures for one range.</summary>
    /// <param name="range">The range.</param>
    public RangePerformance this[PerformanceRange range] => Ranges.First(r => r.Range == range);
}
