using static FinSight.Domain.Tests.TestData;

namespace FinSight.Domain.Tests;

public sealed class ReplayTests
{
    [Fact]
    public void Worked_example_realizes_200_and_13_79_percent()
    {
        var state = PortfolioState.Replay(
        [
            Transaction.Buy(D("2024-01-10"), "AMZN", 10m, 145.03m),
            Transaction.Sell(D("2024-03-15"), "AMZN", 10m, 165.03m, id: "s1"),
        ]);

        var trade = Assert.Single(state.RealizedTrades);
        Assert.Equal(200.00m, trade.Gain);
        Assert.Equal(13.79m, Math.Round(trade.GainRatio!.Value * 100m, 2));
        Assert.Equal("s1", trade.TransactionId);
        Assert.Empty(state.Positions);
    }

    [Fact]
    public void Selling_more_than_held_names_symbol_date_and_quantity_held()
    {
        var ex = Assert.Throws<InsufficientQuantityException>(() => PortfolioState.Replay(
        [
            Transaction.Buy(D("2024-01-02"), "AAPL", 3m, 100m),
            Transaction.Sell(D("2024-01-05"), "aapl", 3.5m, 100m, id: "42"),
        ]));

        Assert.Equal(("AAPL", D("2024-01-05"), 3m, 3.5m, "42"), (ex.Symbol, ex.Date, ex.QuantityHeld, ex.QuantityRequested, ex.TransactionId));
        Assert.Contains("AAPL", ex.Message, StringComparison.Ordinal);
        Assert.Contains("2024-01-05", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Selling_a_symbol_never_held_reports_zero_held()
    {
        var ex = Assert.Throws<InsufficientQuantityException>(() => PortfolioState.Replay([Transaction.Sell(D("2024-01-05"), "MSFT", 1m, 1m)]));
        Assert.Equal(0m, ex.QuantityHeld);
    }

    [Fact]
    public void Same_day_trades_keep_the_callers_order()
    {
        var day = D("2024-01-02");
        Assert.Throws<InsufficientQuantityException>(() => PortfolioState.Replay([Transaction.Sell(day, "X", 1m, 10m), Transaction.Buy(day, "X", 1m, 10m)]));
        var state = PortfolioState.Replay([Transaction.Buy(day, "X", 1m, 10m), Transaction.Sell(day, "X", 1m, 11m)]);
        Assert.Equal(1m, state.RealizedGain);
    }

    [Fact]
    public void Input_order_across_dates_does_not_matter()
    {
        Transaction[] txns =
        [
            Transaction.Sell(D("2024-03-01"), "X", 5m, 12m),
            Transaction.Buy(D("2024-01-01"), "X", 10m, 10m),
            Transaction.Split(D("2024-02-01"), "X", 2m, 1m),
        ];
        var a = PortfolioState.Replay(txns);
        var b = PortfolioState.Replay(txns.Reverse());
        Assert.Equal(a.RealizedTrades, b.RealizedTrades);
        Assert.Equal(a.Positions.Single().Quantity, b.Positions.Single().Quantity);
    }

    [Fact]
    public void A_split_on_a_buys_date_applies_first_because_the_date_is_the_ex_date()
    {
        var day = D("2024-06-10");
        var state = PortfolioState.Replay([Transaction.Buy(day, "NVDA", 10m, 120m), Transaction.Split(day, "NVDA", 10m, 1m)]);
        Assert.Equal(10m, state.Positions.Single().Quantity);
    }

    [Fact]
    public void A_split_scales_quantity_and_unit_cost_but_not_total_cost_of_every_open_lot()
    {
        var state = PortfolioState.Replay(
        [
            Transaction.Buy(D("2024-01-02"), "X", 10m, 100m),
            Transaction.Buy(D("2024-01-03"), "X", 5m, 90m),
            Transaction.Split(D("2024-01-04"), "X", 3m, 1m),
        ]);

        var position = state.Positions.Single();
        Assert.Equal([30m, 15m], position.Lots.Select(l => l.Quantity));
        Assert.Equal([1000m, 450m], position.Lots.Select(l => l.CostBasis));
        Assert.Equal(1450m, position.CostBasis);
        Assert.Equal(30m, position.Lots[1].UnitCost);
        Assert.Equal(30m, position.LastTradePrice);
    }

    [Fact]
    public void Selling_all_after_a_recurring_reverse_split_leaves_no_dust()
    {
        var state = PortfolioState.Replay(
        [
            Transaction.Buy(D("2024-01-02"), "X", 10m, 3m),
            Transaction.Split(D("2024-01-03"), "X", 1m, 3m),
            Transaction.Sell(D("2024-01-04"), "X", 3.333333333333m, 9m),
        ]);

        Assert.Empty(state.Positions);
        Assert.Equal(30m, state.RealizedTrades.Single().CostBasis);
    }

    [Fact]
    public void Average_cost_moves_with_buys_and_not_with_sells()
    {
        var state = PortfolioState.Replay(
        [
            Transaction.Buy(D("2024-01-02"), "X", 10m, 10m),
            Transaction.Sell(D("2024-01-03"), "X", 5m, 20m),
            Transaction.Buy(D("2024-01-04"), "X", 5m, 16m),
        ], CostBasisMethod.AverageCost);

        var position = state.Positions.Single();
        Assert.Equal(13m, position.AverageCost);
        Assert.Single(position.Lots);
        Assert.Null(position.Lots[0].TransactionId);
        Assert.Equal(50m, state.RealizedGain);
    }

    [Fact]
    public void Fifo_lots_keep_their_buy_ids()
    {
        var state = PortfolioState.Replay([Transaction.Buy(D("2024-01-02"), "X", 1m, 1m, id: "b1"), Transaction.Buy(D("2024-01-03"), "X", 1m, 2m, id: "b2")]);
        Assert.Equal(["b1", "b2"], state.Positions.Single().Lots.Select(l => l.TransactionId));
    }

    [Fact]
    public void A_dividend_from_a_symbol_never_held_is_a_domain_error()
    {
        var ex = Assert.Throws<PortfolioException>(() => PortfolioState.Replay([Transaction.Dividend(D("2024-01-02"), "KO", 10m, "d1")]));
        Assert.Equal("d1", ex.TransactionId);
    }

    [Fact]
    public void A_dividend_paid_after_the_position_closed_is_income()
    {
        var state = PortfolioState.Replay(
        [
            Transaction.Buy(D("2024-01-02"), "KO", 10m, 60m),
            Transaction.Sell(D("2024-02-01"), "KO", 10m, 60m),
            Transaction.Dividend(D("2024-02-15"), "KO", 4.6m),
        ]);
        Assert.Equal(4.6m, state.Dividends);
        Assert.Equal(0m, state.RealizedGain);
    }

    [Fact]
    public void Without_deposits_cash_stays_zero_and_trades_are_contributions()
    {
        var state = PortfolioState.Replay(
        [
            Transaction.Buy(D("2024-01-02"), "X", 10m, 10m, 1m),
            Transaction.Sell(D("2024-01-03"), "X", 4m, 12m, 1m),
            Transaction.Dividend(D("2024-01-04"), "X", 2m),
            Transaction.Fee(D("2024-01-05"), 3m),
        ]);

        Assert.Equal(CashMode.Implicit, state.CashMode);
        Assert.Equal(0m, state.Cash);
        Assert.Equal(101m - 47m - 2m + 3m, state.NetContributions);
    }

    [Fact]
    public void With_deposits_cash_follows_the_formula_and_may_go_negative()
    {
        var state = PortfolioState.Replay(
        [
            Transaction.Deposit(D("2024-01-02"), 100m),
            Transaction.Buy(D("2024-01-03"), "X", 10m, 15m, 1m),
        ]);

        Assert.Equal(CashMode.Tracked, state.CashMode);
        Assert.Equal(-51m, state.Cash);
        Assert.Equal(100m, state.NetContributions);
    }

    [Fact]
    public void As_of_ignores_later_transactions_but_keeps_the_cash_mode()
    {
        Transaction[] txns =
        [
            Transaction.Buy(D("2024-01-02"), "X", 10m, 10m),
            Transaction.Sell(D("2024-02-01"), "X", 10m, 11m),
            Transaction.Deposit(D("2024-03-01"), 50m),
        ];
        var state = PortfolioState.Replay(txns, asOf: D("2024-01-31"));
        Assert.Equal(10m, state.Positions.Single().Quantity);
        Assert.Equal(CashMode.Tracked, state.CashMode);
        Assert.Equal(-100m, state.Cash);
        Assert.Equal(D("2024-01-31"), state.AsOf);
    }

    [Fact]
    public void A_free_lot_has_no_gain_ratio()
    {
        var state = PortfolioState.Replay([Transaction.Buy(D("2024-01-02"), "X", 1m, 0m), Transaction.Sell(D("2024-01-03"), "X", 1m, 5m)]);
        Assert.Null(state.RealizedTrades.Single().GainRatio);
        Assert.Equal(5m, state.RealizedGain);
    }

    [Fact]
    public void Find_position_is_case_insensitive_and_null_when_closed()
    {
        var state = PortfolioState.Replay([Transaction.Buy(D("2024-01-02"), "X", 1m, 1m)]);
        Assert.NotNull(state.FindPosition("x"));
        Assert.Null(state.FindPosition("Y"));
    }

    [Fact]
    public void Replay_is_deterministic_and_empty_history_is_empty()
    {
        var empty = PortfolioState.Replay([]);
        Assert.Empty(empty.Positions);
        Assert.Null(empty.AsOf);
        Assert.Equal(0m, empty.Cash);
    }
}
