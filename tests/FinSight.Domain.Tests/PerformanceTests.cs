using static FinSight.Domain.Tests.TestData;

namespace FinSight.Domain.Tests;

public sealed class PerformanceTests
{
    /// <summary>One stock bought at the close of 100, then +10 %, −10 %, +10 %: daily returns 0, 0.1, −0.1, 0.1.</summary>
    private static PortfolioHistory Zigzag() => PortfolioHistory.Build(
        [Transaction.Buy(D("2024-01-02"), "X", 10m, 100m)],
        Prices(Series("X", ("2024-01-02", 100m), ("2024-01-03", 110m), ("2024-01-04", 99m), ("2024-01-05", 108.9m))),
        D("2024-01-05"));

    [Fact]
    public void Risk_figures_match_hand_computation()
    {
        var risk = PerformanceMetrics.ComputeRange(Zigzag(), PerformanceRange.All).Risk;

        // mean 0.025; sample sd 0.0957427; × √252 = 1.519868
        Assert.Equal(4, risk.Observations);
        Assert.Equal(1.519868, risk.Volatility!.Value, 6);
        // 0.025 / 0.0957427 × √252
        Assert.Equal(4.145096, risk.SharpeRatio!.Value, 6);
        // downside deviation √(0.01 / 4) = 0.05; 0.025 / 0.05 × √252
        Assert.Equal(7.937254, risk.SortinoRatio!.Value, 6);
        // peak 1.1 on Jan 3, trough 0.99 on Jan 4: −10 %; not recovered (1.089 < 1.1)
        Assert.Equal(new Drawdown(-0.1, D("2024-01-03"), D("2024-01-04"), null), risk.MaxDrawdown! with { Depth = Math.Round(risk.MaxDrawdown!.Depth, 12) });
    }

    [Fact]
    public void Risk_free_rate_lowers_sharpe()
    {
        var withRate = PerformanceMetrics.ComputeRange(Zigzag(), PerformanceRange.All, options: new PerformanceOptions { AnnualRiskFreeRate = 0.05 }).Risk;
        var daily = Math.Pow(1.05, 1.0 / 252) - 1;
        Assert.Equal((0.025 - daily) / 0.09574271077563382 * Math.Sqrt(252), withRate.SharpeRatio!.Value, 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PerformanceOptions { AnnualRiskFreeRate = -1 });
    }

    [Fact]
    public void One_day_of_history_leaves_risk_undefined()
    {
        var history = PortfolioHistory.Build([Transaction.Buy(D("2024-01-02"), "X", 1m, 9m)], Prices(Series("X", ("2024-01-02", 10m))), D("2024-01-02"));
        var all = PerformanceMetrics.ComputeRange(history, PerformanceRange.All);

        Assert.Equal(1.0 / 9, all.TimeWeightedReturn!.Value, 12);
        Assert.Null(all.Risk.Volatility);
        Assert.Null(all.Risk.SharpeRatio);
        Assert.Null(all.Risk.SortinoRatio);
        Assert.Null(all.Risk.Beta);
        Assert.Null(all.AnnualizedTimeWeightedReturn);
        Assert.Null(all.AnnualizedMoneyWeightedReturn);
    }

    [Fact]
    public void Zero_variance_gives_zero_volatility_and_undefined_ratios()
    {
        var history = PortfolioHistory.Build([Transaction.Buy(D("2024-01-02"), "X", 1m, 10m)], Prices(Series("X", ("2024-01-02", 10m), ("2024-01-03", 10m), ("2024-01-04", 10m))), D("2024-01-04"));
        var risk = PerformanceMetrics.ComputeRange(history, PerformanceRange.All).Risk;

        Assert.Equal(0.0, risk.Volatility);
        Assert.Null(risk.SharpeRatio);
        Assert.Null(risk.SortinoRatio);
        Assert.Equal(new Drawdown(0, null, null, null), risk.MaxDrawdown);
    }

    [Fact]
    public void Nothing_invested_means_no_returns_at_all()
    {
        var history = PortfolioHistory.Build([], Prices(Series("X", ("2024-01-02", 10m))), D("2024-01-02"));
        var all = PerformanceMetrics.ComputeRange(history, PerformanceRange.All);
        Assert.Null(all.TimeWeightedReturn);
        Assert.Null(all.SimpleReturn);
        Assert.Null(all.Risk.MaxDrawdown);
        Assert.Equal(0m, all.Gain);
    }

    [Fact]
    public void Holding_the_benchmark_gives_beta_one_correlation_one_alpha_zero()
    {
        var spy = Series("SPY", ("2024-01-02", 100m), ("2024-01-03", 103m), ("2024-01-04", 101m), ("2024-01-05", 104m), ("2024-01-08", 102m));
        var history = PortfolioHistory.Build([Transaction.Buy(D("2024-01-02"), "SPY", 3m, 100m)], Prices(spy), D("2024-01-08"));
        var risk = PerformanceMetrics.ComputeRange(history, PerformanceRange.All, spy).Risk;

        Assert.Equal(4, risk.BenchmarkObservations);
        Assert.Equal(1.0, risk.Beta!.Value, 9);
        Assert.Equal(1.0, risk.Correlation!.Value, 9);
        Assert.Equal(0.0, risk.Alpha!.Value, 9);
    }

    [Fact]
    public void Twice_leveraged_returns_give_beta_two()
    {
        // Portfolio returns 0 (buy day, not paired: no benchmark close the day before), then exactly 2 × the benchmark's.
        var spy = Series("SPY", ("2024-01-02", 100m), ("2024-01-03", 101m), ("2024-01-04", 99.99m), ("2024-01-05", 101.9898m));
        var lev = Series("LEV", ("2024-01-02", 100m), ("2024-01-03", 102m), ("2024-01-04", 99.96m), ("2024-01-05", 103.9584m));
        var history = PortfolioHistory.Build([Transaction.Buy(D("2024-01-02"), "LEV", 1m, 100m)], Prices(spy, lev), D("2024-01-05"));
        var risk = PerformanceMetrics.ComputeRange(history, PerformanceRange.All, spy).Risk;

        Assert.Equal(3, risk.BenchmarkObservations);
        Assert.Equal(2.0, risk.Beta!.Value, 9);
        Assert.Equal(1.0, risk.Correlation!.Value, 9);
    }

    [Fact]
    public void No_benchmark_overlap_or_a_flat_benchmark_leaves_beta_undefined()
    {
        var history = Zigzag();
        var disjoint = Series("SPY", ("2023-01-02", 100m), ("2023-01-03", 101m));
        Assert.Null(PerformanceMetrics.ComputeRange(history, PerformanceRange.All, disjoint).Risk.Beta);
        var flat = Series("SPY", ("2024-01-02", 100m), ("2024-01-03", 100m), ("2024-01-04", 100m), ("2024-01-05", 100m));
        var risk = PerformanceMetrics.ComputeRange(history, PerformanceRange.All, flat).Risk;
        Assert.Equal(3, risk.BenchmarkObservations);
        Assert.Null(risk.Beta);
        Assert.Null(risk.Alpha);
        Assert.Null(risk.Correlation);
    }

    [Fact]
    public void Drawdown_reports_recovery_date()
    {
        var history = PortfolioHistory.Build(
            [Transaction.Buy(D("2024-01-02"), "X", 1m, 10m)],
            Prices(Series("X", ("2024-01-02", 10m), ("2024-01-03", 12m), ("2024-01-04", 9m), ("2024-01-05", 11m), ("2024-01-08", 12m), ("2024-01-09", 13m))),
            D("2024-01-09"));
        var dd = PerformanceMetrics.ComputeRange(history, PerformanceRange.All).Risk.MaxDrawdown!;
        Assert.Equal((-0.25, D("2024-01-03"), D("2024-01-04"), D("2024-01-08")), (Math.Round(dd.Depth, 12), dd.Peak!.Value, dd.Trough!.Value, dd.Recovery!.Value));
    }

    [Fact]
    public void Ranges_start_where_their_names_say_and_flag_short_histories()
    {
        var closes = new List<DailyClose>();
        for (var d = D("2022-01-03"); d <= D("2024-06-28"); d = d.AddDays(1))
        {
            if (d.DayOfWeek is not DayOfWeek.Saturday and not DayOfWeek.Sunday)
            {
                closes.Add(new DailyClose(d, 100m + (d.DayNumber % 7)));
            }
        }

        var history = PortfolioHistory.Build([Transaction.Buy(D("2022-01-03"), "X", 1m, 100m)], Prices(new PriceSeries("X", closes)), D("2024-06-28"));
        var report = PerformanceMetrics.Compute(history);

        Assert.Equal(D("2024-05-28"), report[PerformanceRange.OneMonth].StartDate);
        Assert.Equal(D("2023-12-31"), report[PerformanceRange.YearToDate].StartDate);
        Assert.False(report[PerformanceRange.OneYear].IsPartial);
        Assert.True(report[PerformanceRange.ThreeYears].IsPartial);
        Assert.True(report[PerformanceRange.FiveYears].IsPartial);
        Assert.Equal(report[PerformanceRange.All].TimeWeightedReturn, report[PerformanceRange.FiveYears].TimeWeightedReturn);
        Assert.Null(report[PerformanceRange.ThreeMonths].AnnualizedTimeWeightedReturn);
        Assert.NotNull(report[PerformanceRange.OneYear].AnnualizedTimeWeightedReturn);
        Assert.Equal(9, report.Ranges.Count);
        Assert.Equal(D("2024-05-31"), report[PerformanceRange.MonthToDate].StartDate);
        Assert.Equal(D("2024-06-27"), report[PerformanceRange.OneDay].StartDate);
        var jun27 = 100m + (D("2024-06-27").DayNumber % 7);
        Assert.Equal((double)((100m + (D("2024-06-28").DayNumber % 7)) / jun27) - 1, report[PerformanceRange.OneDay].TimeWeightedReturn!.Value, 9);

        // YTD: from the close on Dec 29, 2023 (carried to Dec 31) to Jun 28, 2024
        var ytd = report[PerformanceRange.YearToDate];
        var dec29 = 100m + (D("2023-12-29").DayNumber % 7);
        var jun28 = 100m + (D("2024-06-28").DayNumber % 7);
        Assert.Equal((double)(jun28 / dec29) - 1, ytd.TimeWeightedReturn!.Value, 9);
        Assert.Equal(dec29, ytd.StartValue);
    }

    [Fact]
    public void Annualized_returns_over_two_years()
    {
        // Doubling over 731 days (2022-01-03 → 2024-01-04, with 2024 a leap year... 2023-01-03 + 366 days)
        var history = PortfolioHistory.Build(
            [Transaction.Buy(D("2022-01-03"), "X", 1m, 100m)],
            Prices(Series("X", ("2022-01-03", 100m), ("2024-01-03", 200m))),
            D("2024-01-03"));
        var all = PerformanceMetrics.ComputeRange(history, PerformanceRange.All);
        var days = D("2024-01-03").DayNumber - D("2022-01-02").DayNumber;

        Assert.Equal(1.0, all.TimeWeightedReturn!.Value, 12);
        Assert.Equal(Math.Pow(2, 365.0 / days) - 1, all.AnnualizedTimeWeightedReturn!.Value, 9);
        // One contribution, one ending value: XIRR over the exact 730 days between them, 2^(365/730) − 1
        Assert.Equal(Math.Sqrt(2) - 1, all.AnnualizedMoneyWeightedReturn!.Value, 9);
        Assert.Equal(1.0, all.SimpleReturn!.Value, 12);
    }

    [Fact]
    public void Money_weighted_return_sees_flow_timing_that_twr_ignores()
    {
        // Small stake through a fall, large stake through the recovery: TWR is 0 %, money-weighted is positive.
        // (The close before the second buy matters: inflows are assumed invested at the start of their day.)
        var history = PortfolioHistory.Build(
            [Transaction.Buy(D("2023-01-02"), "X", 1m, 100m), Transaction.Buy(D("2023-07-03"), "X", 10m, 50m)],
            Prices(Series("X", ("2023-01-02", 100m), ("2023-06-30", 50m), ("2023-07-03", 50m), ("2024-01-02", 100m))),
            D("2024-01-02"));
        var all = PerformanceMetrics.ComputeRange(history, PerformanceRange.All);
        Assert.Equal(0.0, all.TimeWeightedReturn!.Value, 12);
        Assert.True(all.AnnualizedMoneyWeightedReturn > 0.5);
        Assert.Equal(1100m - 600m, all.Gain);
    }

    [Fact]
    public void Benchmark_index_starts_at_one_and_is_null_before_the_benchmark_exists()
    {
        var history = Zigzag();
        var spy = Series("SPY", ("2024-01-03", 200m), ("2024-01-05", 210m));
        Assert.Equal([null, 1.0, 1.0, 1.05], PerformanceMetrics.BenchmarkIndex(spy, history.Points));
    }

    [Fact]
    public void One_day_starts_at_the_previous_close_and_month_to_date_at_the_previous_month_end()
    {
        Assert.Equal(D("2024-05-31"), PerformanceRanges.StartDate(PerformanceRange.MonthToDate, D("2024-06-28")));
        Assert.Equal(D("2024-02-29"), PerformanceRanges.StartDate(PerformanceRange.MonthToDate, D("2024-03-01")));
        Assert.Equal(D("2023-12-31"), PerformanceRanges.StartDate(PerformanceRange.MonthToDate, D("2024-01-15")));
        // A Monday: the day before is Sunday, and the baseline is the last point on or before it (Friday's close).
        Assert.Equal(D("2024-06-02"), PerformanceRanges.StartDate(PerformanceRange.OneDay, D("2024-06-03")));
        Assert.True(PerformanceRanges.TryParse("mtd", out var mtd) && mtd == PerformanceRange.MonthToDate);
        Assert.Equal("1D", PerformanceRange.OneDay.ToCode());
    }

    [Fact]
    public void Range_codes_round_trip()
    {
        foreach (var range in PerformanceRanges.AllRanges)
        {
            Assert.True(PerformanceRanges.TryParse(range.ToCode().ToLowerInvariant(), out var parsed));
            Assert.Equal(range, parsed);
        }

        Assert.False(PerformanceRanges.TryParse("2W", out _));
    }
}
