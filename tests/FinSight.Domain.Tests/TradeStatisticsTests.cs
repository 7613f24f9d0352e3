using static FinSight.Domain.Tests.TestData;

namespace FinSight.Domain.Tests;

public sealed class TradeStatisticsTests
{
    [Fact]
    public void Statistics_over_closed_sells()
    {
        var state = PortfolioState.Replay(
        [
            Transaction.Buy(D("2024-01-02"), "X", 10m, 10m),
            Transaction.Sell(D("2024-01-03"), "X", 2m, 15m),   // +10
            Transaction.Sell(D("2024-01-04"), "X", 2m, 8m),    // −4
            Transaction.Sell(D("2024-01-05"), "X", 2m, 10m),   // 0
            Transaction.Sell(D("2024-01-08"), "X", 2m, 25m),   // +30
            Transaction.Sell(D("2024-01-09"), "X", 2m, 9m),    // −2
        ]);
        var stats = TradeStatistics.Compute(state.RealizedTrades);

        Assert.Equal((5, 2, 2), (stats.Count, stats.Winners, stats.Losers));
        Assert.Equal(0.4m, stats.WinRate);
        Assert.Equal((20m, -3m), (stats.AverageWin!.Value, stats.AverageLoss!.Value));
        Assert.Equal(40m / 6m, stats.ProfitFactor);
        Assert.Equal((30m, -4m), (stats.LargestWin!.Value, stats.LargestLoss!.Value));
        Assert.Equal(34m, stats.NetRealized);
        Assert.Equal(1, TradeStatistics.Compute(state.RealizedTrades, D("2024-01-08"), D("2024-01-08")).Count);
    }

    [Fact]
    public void Undefined_figures_are_null()
    {
        var none = TradeStatistics.Compute([]);
        Assert.Null(none.WinRate);
        Assert.Null(none.AverageWin);
        Assert.Null(none.ProfitFactor);
        Assert.Null(none.LargestLoss);

        var onlyWins = TradeStatistics.Compute([new RealizedTrade(null, "X", D("2024-01-02"), 1m, 2m, 2m, 1m)]);
        Assert.Equal(1m, onlyWins.WinRate);
        Assert.Null(onlyWins.ProfitFactor);
        Assert.Null(onlyWins.AverageLoss);
    }
}
