using static FinSight.Domain.Tests.TestData;

namespace FinSight.Domain.Tests;

/// <summary>Lots, positions, realized trades and position valuations come only from the engine, and are never built invalid.</summary>
public sealed class EngineResultTests
{
    private static readonly DateOnly Day = D("2024-01-02");

    [Theory]
    [InlineData(typeof(Lot))]
    [InlineData(typeof(Position))]
    [InlineData(typeof(RealizedTrade))]
    [InlineData(typeof(PositionValuation))]
    public void Have_no_public_constructor_and_no_settable_property(Type type)
    {
        Assert.Empty(type.GetConstructors());
        Assert.All(type.GetProperties(), p => Assert.Null(p.SetMethod));
    }

    [Fact]
    public void Refuse_what_would_divide_by_zero_or_price_at_nothing()
    {
        var lot = new Lot(Day, 1m, 10m, null);
        var position = new Position("X", 1m, 10m, Day, 0m, 10m, [lot]);

        Assert.Equal("quantity", Assert.Throws<ArgumentOutOfRangeException>(() => new Lot(Day, 0m, 10m, null)).ParamName);
        Assert.Equal("quantity", Assert.Throws<ArgumentOutOfRangeException>(() => new Position("X", 0m, 10m, Day, 0m, 10m, [lot])).ParamName);
        Assert.Equal("lots", Assert.Throws<ArgumentException>(() => new Position("X", 1m, 10m, Day, 0m, 10m, [])).ParamName);
        Assert.Equal("symbol", Assert.Throws<ArgumentException>(() => new Position("A..B", 1m, 10m, Day, 0m, 10m, [lot])).ParamName);
        Assert.Equal("quantity", Assert.Throws<ArgumentOutOfRangeException>(() => new RealizedTrade(null, "X", Day, -1m, 10m, 10m, 5m)).ParamName);
        Assert.Equal("price", Assert.Throws<ArgumentOutOfRangeException>(() => new PositionValuation(position, 0m, PriceSource.Market, null, 1m)).ParamName);
        Assert.Equal("weight", Assert.Throws<ArgumentOutOfRangeException>(() => new PositionValuation(position, 10m, PriceSource.Market, null, 1.5m)).ParamName);
        // A gift bought at 0 is valued at its last trade price of 0 when no market price is known.
        Assert.Equal(0m, new PositionValuation(position, 0m, PriceSource.LastTrade, null, null).MarketValue);
        Assert.Equal(10m, position.AverageCost);
    }
}
