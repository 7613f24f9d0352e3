namespace FinSight.Domain.Tests;

public sealed class TickerTests
{
    [Theory]
    [InlineData("AAPL")]
    [InlineData("A")]
    [InlineData("SAP.DE")]
    [InlineData("VOD.L")]
    [InlineData("7203.T")]
    [InlineData("0700.HK")]
    [InlineData("BRK-B")]
    [InlineData("BRK.B")]
    [InlineData("^GSPC")]
    [InlineData("EURUSD=X")]
    [InlineData("RY.TO")]
    [InlineData("NESN.SW")]
    [InlineData("ABCDEFGHIJKL.WXYZ")]
    [InlineData("^ABCDEFGHIJKL.WXYZ")]
    public void Listings_at_home_and_abroad_are_tickers(string text)
    {
        Assert.True(Ticker.TryParse(text, out var ticker));
        Assert.Equal(text, ticker.Value);
        Assert.Equal(text, Ticker.Parse(text).ToString());
    }

    [Theory]
    [InlineData("  brk.b ", "BRK.B")]
    [InlineData("sap.de", "SAP.DE")]
    [InlineData("\t^gspc\n", "^GSPC")]
    [InlineData("eurusd=x", "EURUSD=X")]
    public void Case_and_surrounding_white_space_are_normalized(string text, string expected)
    {
        Assert.True(Ticker.TryParse(text, out var ticker));
        Assert.Equal(expected, ticker.Value);
        Assert.Equal(Ticker.Parse(expected), ticker);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("A..B")]
    [InlineData("BRK B")]
    [InlineData(".B")]
    [InlineData("ABC.")]
    [InlineData("^")]
    [InlineData("^^GSPC")]
    [InlineData("GSPC^")]
    [InlineData("A.B.C")]
    [InlineData("A-B=C")]
    [InlineData("ABCDEFGHIJKLMNO")]
    [InlineData("ABCDEFGHIJKLM")]
    [InlineData("AAPL.ABCDE")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZABCD")]
    [InlineData("AA\nPL")]
    [InlineData("AAPL;DROP")]
    [InlineData("ÄPL")]
    [InlineData("aapı")]
    [InlineData("ＡＡＰＬ")]
    public void Junk_is_not_a_ticker(string text)
    {
        Assert.False(Ticker.TryParse(text, out var ticker));
        Assert.Equal(default, ticker);
        var error = Assert.ThrowsAny<ArgumentException>(() => Ticker.Parse(text));
        Assert.Equal("text", error.ParamName);
    }

    [Fact]
    public void Null_is_not_a_ticker()
    {
        Assert.False(Ticker.TryParse(null, out _));
        Assert.Throws<ArgumentNullException>(() => Ticker.Parse(null!));
    }

    [Fact]
    public void Default_is_the_empty_non_ticker()
    {
        var none = default(Ticker);

        Assert.Equal("", none.Value);
        Assert.Equal("", none.ToString());
        Assert.NotEqual(Ticker.Parse("A"), none);
        Assert.False(Ticker.TryParse(none.Value, out _));
    }

    [Fact]
    public void Equality_is_ordinal_on_the_normalized_value()
    {
        Assert.Equal(Ticker.Parse("brk.b"), Ticker.Parse("BRK.B"));
        Assert.NotEqual(Ticker.Parse("BRK.B"), Ticker.Parse("BRK-B"));
        Assert.Equal(Ticker.MaxLength, "^ABCDEFGHIJKL.WXYZ".Length);
    }
}
