using static FinSight.Domain.Tests.TestData;

namespace FinSight.Domain.Tests;

public sealed class HistoryTests
{
    [Fact]
    public void Missing_closes_carry_forward_and_points_exist_only_on_market_and_transaction_days()
    {
        var prices = Prices(Series("X", ("2024-01-02", 10m), ("2024-01-03", 11m), ("2024-01-05", 12m)));
        var history = PortfolioHistory.Build([Transaction.Buy(D("2024-01-02"), "X", 1m, 10m), Transaction.Fee(D("2024-01-06"), 1m)], prices, D("2024-01-07"));

        Assert.Equal(["2024-01-02", "2024-01-03", "2024-01-05", "2024-01-06", "2024-01-07"], history.Points.Select(p => p.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal([true, true, true, false, false], history.Points.Select(p => p.IsMarketDay));
        Assert.Equal(12m, history.Points[^1].MarketValue);
        Assert.Equal(0.0, history.Points[^1].DailyReturn);
    }

    [Fact]
    public void With_a_trading_calendar_points_fall_on_trading_days_and_a_closed_day_trade_counts_with_the_next_one()
    {
        // 2024-01-01 (Monday, a holiday) and the weekend of 6–7 January are closed.
        static bool Open(DateOnly d) => d != D("2024-01-01") && d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
        var prices = Prices(Series("X", ("2023-12-29", 9m), ("2024-01-02", 10m), ("2024-01-03", 11m), ("2024-01-05", 12m), ("2024-01-08", 12m)));
        var history = PortfolioHistory.Build(
            [Transaction.Buy(D("2024-01-01"), "X", 1m, 9m), Transaction.Buy(D("2024-01-06"), "X", 1m, 12m)],
            prices, D("2024-01-08"), new HistoryOptions { TradingDays = Open });

        Assert.Equal(["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-08"], history.Points.Select(p => p.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(history.Points, p => Assert.True(p.IsMarketDay));
        // The holiday buy at 9 counts at the start of 2 January (closing at 10); the Saturday buy with 8 January.
        Assert.Equal((9m, 10m / 9m - 1), (history.Points[0].Inflow, (decimal)history.Points[0].DailyReturn!.Value), new ToleranceComparer());
        Assert.Equal(11m, history.Points[2].MarketValue); // 4 January has no close: the 3rd's carries forward
        Assert.Equal((12m, 24m), (history.Points[^1].Inflow, history.Points[^1].MarketValue));
    }

    private sealed class ToleranceComparer : IEqualityComparer<(decimal, decimal)>
    {
        public bool Equals((decimal, decimal) x, (decimal, decimal) y) => x.Item1 == y.Item1 && Math.Abs(x.Item2 - y.Item2) < 1e-12m;
        public int GetHashCode((decimal, decimal) obj) => 0;
    }

    [Fact]
    public void A_symbol_without_any_close_is_valued_at_its_last_trade_price_and_flagged()
    {
        var prices = Prices(Series("X", ("2024-01-02", 10m), ("2024-01-03", 10m)));
        var history = PortfolioHistory.Build([Transaction.Buy(D("2024-01-02"), "NEW", 2m, 7m)], prices, D("2024-01-03"));

        Assert.All(history.Points, p => Assert.True(p.HasEstimatedPrices));
        Assert.Equal(14m, history.Points[^1].MarketValue);
        Assert.Equal(["NEW"], history.EstimatedSymbols);
    }

    [Fact]
    public void Before_anything_is_invested_there_is_no_return()
    {
        var prices = Prices(Series("X", ("2024-01-02", 10m), ("2024-01-03", 10m), ("2024-01-04", 11m)));
        var history = PortfolioHistory.Build([Transaction.Buy(D("2024-01-03"), "X", 1m, 10m)], prices, D("2024-01-04"), new HistoryOptions { From = D("2024-01-02") });

        Assert.Null(history.Points[0].DailyReturn);
        Assert.Equal(1.0, history.Points[0].TwrIndex);
        Assert.Equal(1.1, history.Points[^1].TwrIndex, 12);
    }

    [Fact]
    public void Deposits_are_external_flows_and_not_returns()
    {
        var prices = Prices(Series("X", ("2024-01-02", 10m), ("2024-01-03", 11m), ("2024-01-04", 11m)));
        var history = PortfolioHistory.Build(
        [
            Transaction.Deposit(D("2024-01-02"), 1000m),
            Transaction.Buy(D("2024-01-02"), "X", 50m, 10m),
            Transaction.Deposit(D("2024-01-04"), 5000m),
        ], prices, D("2024-01-04"));

        var last = history.Points[^1];
        Assert.Equal(5000m, last.Inflow);
        Assert.Equal(6000m, last.NetContributions);
        Assert.Equal(0.0, last.DailyReturn);
        Assert.Equal(1.05, last.TwrIndex, 12);
        Assert.Equal(1000m + 5000m + 550m - 500m, last.TotalValue);
    }

    [Fact]
    public void Final_state_matches_replay_as_of_the_end()
    {
        Transaction[] txns = [Transaction.Buy(D("2024-01-02"), "X", 5m, 10m), Transaction.Sell(D("2024-01-03"), "X", 2m, 12m), Transaction.Buy(D("2024-02-01"), "X", 1m, 10m)];
        var history = PortfolioHistory.Build(txns, MarketPrices.Empty, D("2024-01-15"));
        var replay = PortfolioState.Replay(txns, asOf: D("2024-01-15"));

        Assert.Equal(replay.RealizedTrades, history.FinalState.RealizedTrades);
        Assert.Equal(replay.Positions.Single().Quantity, history.FinalState.Positions.Single().Quantity);
    }

    [Fact]
    public void Starting_later_applies_earlier_transactions_and_keeps_their_value()
    {
        var prices = Prices(Series("X", ("2024-01-02", 10m), ("2024-01-03", 12m), ("2024-01-04", 15m)));
        var history = PortfolioHistory.Build([Transaction.Buy(D("2024-01-02"), "X", 1m, 10m)], prices, D("2024-01-04"), new HistoryOptions { From = D("2024-01-04") });

        Assert.Equal(12m, history.StartingValue);
        Assert.Equal(0.25, history.Points.Single().DailyReturn!.Value, 12);
    }

    [Fact]
    public void As_traded_and_split_adjusted_closes_give_the_same_values()
    {
        Transaction[] txns = [Transaction.Buy(D("2024-01-02"), "X", 10m, 100m), Transaction.Split(D("2024-01-04"), "X", 2m, 1m), Transaction.Sell(D("2024-01-05"), "X", 4m, 52m)];
        var raw = Prices(Series("X", ("2024-01-02", 100m), ("2024-01-03", 102m), ("2024-01-04", 51.5m), ("2024-01-05", 52m)));
        var adjusted = Prices(Series("X", ("2024-01-02", 50m), ("2024-01-03", 51m), ("2024-01-04", 51.5m), ("2024-01-05", 52m)));

        var a = PortfolioHistory.Build(txns, raw, D("2024-01-05"), new HistoryOptions { CloseAdjustment = CloseAdjustment.AsTraded });
        var b = PortfolioHistory.Build(txns, adjusted, D("2024-01-05"));
        Assert.Equal(a.Points.Select(p => p.TotalValue), b.Points.Select(p => p.TotalValue));
        Assert.Equal([1000m, 1020m, 1030m, 832m], a.Points.Select(p => p.TotalValue));
    }

    [Fact]
    public void Rebasing_starts_the_index_at_one_and_measures_drawdown_inside_the_slice()
    {
        var prices = Prices(Series("X", ("2024-01-02", 10m), ("2024-01-03", 20m), ("2024-01-04", 15m), ("2024-01-05", 18m)));
        var history = PortfolioHistory.Build([Transaction.Buy(D("2024-01-02"), "X", 1m, 10m)], prices, D("2024-01-05"));
        var slice = history.Rebased(D("2024-01-04"));

        Assert.Equal([1.0, 1.2], slice.Select(p => Math.Round(p.TwrIndex, 12)));
        Assert.Equal(0.0, slice[^1].Drawdown, 12);
        Assert.Null(slice[0].DailyReturn);
        Assert.Equal(-0.1, history.Points[^1].Drawdown, 12);
    }

    [Fact]
    public void Rebasing_from_before_the_history_keeps_the_first_days_return_like_the_range_twr()
    {
        // Bought at 8 and closed at 10 on the first day: +25 % that day, then +20 %.
        var prices = Prices(Series("X", ("2024-01-02", 10m), ("2024-01-03", 12m)));
        var history = PortfolioHistory.Build([Transaction.Buy(D("2024-01-02"), "X", 1m, 8m)], prices, D("2024-01-03"));
        var all = PerformanceMetrics.ComputeRange(history, PerformanceRange.All);

        var slice = history.Rebased(D("2023-01-01"));

        Assert.Equal([1.25, 1.5], slice.Select(p => Math.Round(p.TwrIndex, 12)));
        Assert.Equal(all.TimeWeightedReturn!.Value, slice[^1].TwrIndex - 1, 12);
        Assert.Equal(0.25, slice[0].DailyReturn!.Value, 12);
    }

    [Fact]
    public void Start_after_end_is_rejected_and_price_series_are_validated()
    {
        Assert.Throws<ArgumentException>(() => PortfolioHistory.Build([], MarketPrices.Empty, D("2024-01-01"), new HistoryOptions { From = D("2024-02-01") }));
        Assert.Throws<ArgumentException>(() => Series("X", ("2024-01-02", 0m)));
        Assert.Throws<ArgumentException>(() => Series("X", ("2024-01-02", 1m), ("2024-01-02", 2m)));
        Assert.Throws<ArgumentException>(() => Prices(Series("X", ("2024-01-02", 1m)), Series("x", ("2024-01-02", 1m))));
    }
}
