using static FinSight.Domain.Tests.TestData;

namespace FinSight.Domain.Tests;

public sealed class ValuationTests
{
    private static PortfolioState TwoPositions() => PortfolioState.Replay(
    [
        Transaction.Deposit(D("2024-01-01"), 10_000m),
        Transaction.Buy(D("2024-01-02"), "AAA", 10m, 100m),
        Transaction.Buy(D("2024-01-02"), "BBB", 20m, 50m),
        Transaction.Split(D("2024-01-03"), "BBB", 2m, 1m),
    ]);

    [Fact]
    public void Weights_are_shares_of_position_market_value()
    {
        var valuation = TwoPositions().Value(new Dictionary<string, ValuationPrice> { ["AAA"] = new(150m, 140m), ["BBB"] = new(25m, 25m) });
        Assert.Equal(1500m + 1000m, valuation.MarketValue);
        Assert.Equal([0.6m, 0.4m], valuation.Positions.Select(p => p.Weight!.Value));
        Assert.Equal(100m, valuation.DayChange);
        Assert.Equal(8000m + 2500m, valuation.TotalValue);
        Assert.Equal(500m, valuation.UnrealizedGain);
        Assert.Equal(0.25m, valuation.UnrealizedGainRatio);
    }

    [Fact]
    public void A_position_without_a_quote_is_valued_at_its_split_adjusted_last_trade_price_and_flagged()
    {
        var valuation = TwoPositions().Value(new Dictionary<string, ValuationPrice> { ["AAA"] = new(150m) });
        var bbb = valuation.Positions.Single(p => p.Symbol == "BBB");
        Assert.Equal(PriceSource.LastTrade, bbb.PriceSource);
        Assert.Equal(25m, bbb.Price);
        Assert.True(valuation.HasEstimatedPrices);
        Assert.Null(bbb.DayChange);
        Assert.Null(valuation.DayChange);
    }

    [Fact]
    public void Valuation_prices_reject_zero_prices()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ValuationPrice(0m));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ValuationPrice(1m, 0m));
    }

    [Fact]
    public void A_default_price_is_refused_never_valued_at_zero()
    {
        var error = Assert.Throws<ArgumentException>(() => TwoPositions().Value(new Dictionary<string, ValuationPrice> { ["AAA"] = default }));

        Assert.Equal("prices", error.ParamName);
        Assert.Contains("AAA", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Allocation_by_symbol_and_by_group_with_cash()
    {
        var valuation = TwoPositions().Value(new Dictionary<string, ValuationPrice> { ["AAA"] = new(100m), ["BBB"] = new(25m) });
        var bySymbol = Allocation.BySymbol(valuation, includeCash: true);
        Assert.Equal([("Cash", 8000m), ("AAA", 1000m), ("BBB", 1000m)], bySymbol.Select(s => (s.Key, s.Value)));
        Assert.Equal(0.8m, bySymbol[0].Weight);

        var bySector = Allocation.ByGroup(valuation, s => s == "AAA" ? "Tech" : null);
        Assert.Equal([("Other", 0.5m), ("Tech", 0.5m)], bySector.Select(s => (s.Key, s.Weight!.Value)));
    }

    [Fact]
    public void Empty_portfolio_has_undefined_weights_and_ratios()
    {
        var valuation = PortfolioState.Replay([]).Value(new Dictionary<string, ValuationPrice>());
        Assert.Null(valuation.UnrealizedGainRatio);
        Assert.Null(valuation.DayChange);
        Assert.Empty(Allocation.BySymbol(valuation, includeCash: true));
    }

    [Fact]
    public void Prices_as_of_a_date_carry_the_last_close_and_the_one_before()
    {
        var prices = Prices(Series("X", ("2024-01-02", 10m), ("2024-01-03", 11m), ("2024-01-05", 12m)));
        var quote = prices.PricesAsOf(D("2024-01-04"))["X"];
        Assert.Equal((11m, 10m), (quote.Price, quote.PreviousClose!.Value));
        Assert.Empty(prices.PricesAsOf(D("2024-01-01")));
    }
}
