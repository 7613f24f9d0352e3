using static FinSight.Domain.Tests.TestData;

namespace FinSight.Domain.Tests;

public sealed class TransactionTests
{
    private static readonly DateOnly Day = D("2024-01-02");

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Quantity_must_be_positive(decimal quantity)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Transaction.Buy(Day, "AAPL", quantity, 10m));
        Assert.Equal("quantity", ex.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Transaction.Sell(Day, "AAPL", quantity, 10m));
    }

    [Fact]
    public void Price_and_fees_must_not_be_negative_but_may_be_zero()
    {
        Assert.Equal("price", Assert.Throws<ArgumentOutOfRangeException>(() => Transaction.Buy(Day, "AAPL", 1m, -0.01m)).ParamName);
        Assert.Equal("fees", Assert.Throws<ArgumentOutOfRangeException>(() => Transaction.Sell(Day, "AAPL", 1m, 1m, -1m)).ParamName);
        var gift = Transaction.Buy(Day, "AAPL", 1m, 0m);
        Assert.Equal(0m, gift.TotalCost);
    }

    [Fact]
    public void Split_ratio_must_be_positive()
    {
        Assert.Equal("numerator", Assert.Throws<ArgumentOutOfRangeException>(() => Transaction.Split(Day, "AAPL", 0m, 1m)).ParamName);
        Assert.Equal("denominator", Assert.Throws<ArgumentOutOfRangeException>(() => Transaction.Split(Day, "AAPL", 1m, -2m)).ParamName);
        Assert.Equal(0.25m, Transaction.Split(Day, "AAPL", 1m, 4m).Ratio);
    }

    [Fact]
    public void Cash_amounts_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Transaction.Deposit(Day, 0m));
        Assert.Throws<ArgumentOutOfRangeException>(() => Transaction.Withdrawal(Day, -5m));
        Assert.Throws<ArgumentOutOfRangeException>(() => Transaction.Fee(Day, 0m));
        Assert.Throws<ArgumentOutOfRangeException>(() => Transaction.Dividend(Day, "KO", 0m));
    }

    [Fact]
    public void Symbols_are_trimmed_upper_cased_and_required()
    {
        Assert.Equal("BRK.B", Transaction.Buy(Day, "  brk.b ", 1m, 1m).Symbol);
        Assert.Throws<ArgumentException>(() => Transaction.Buy(Day, "  ", 1m, 1m));
        Assert.Throws<ArgumentNullException>(() => Transaction.Buy(Day, null!, 1m, 1m));
    }

    [Fact]
    public void Symbols_follow_the_ticker_grammar()
    {
        Assert.Equal("symbol", Assert.Throws<ArgumentException>(() => Transaction.Buy(Day, "A..B", 1m, 1m)).ParamName);
        Assert.Equal("symbol", Assert.Throws<ArgumentException>(() => Transaction.Dividend(Day, "ABCDEFGHIJKLMNO", 1m)).ParamName);
        Assert.Equal("symbol", Assert.Throws<ArgumentException>(() => new PriceSeries("BRK B", [])).ParamName);
        Assert.Equal("SAP.DE", Transaction.Sell(Day, "sap.de", 1m, 1m).Symbol);
    }

    [Fact]
    public void Trade_totals_include_fees()
    {
        Assert.Equal(1005m, Transaction.Buy(Day, "X", 10m, 100m, 5m).TotalCost);
        Assert.Equal(995m, Transaction.Sell(Day, "X", 10m, 100m, 5m).NetProceeds);
    }

    [Fact]
    public void Transactions_are_values()
    {
        Assert.Equal(Transaction.Buy(Day, "x", 1m, 2m, 0m, "a"), Transaction.Buy(Day, "X", 1m, 2m, 0m, "a"));
        Assert.Equal(TransactionType.Withdrawal, Transaction.Withdrawal(Day, 1m).Type);
    }
}
