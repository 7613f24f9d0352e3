namespace FinSight.Domain.Tests;

/// <summary>Currency codes, vendors' minor units and the rates that convert into a base currency.</summary>
public sealed class CurrencyTests
{
    [Theory]
    [InlineData("GBp", "GBP", 2450, 24.50)]
    [InlineData("GBX", "GBP", 2450, 24.50)]
    [InlineData("ZAc", "ZAR", 12345, 123.45)]
    [InlineData("ILA", "ILS", 1999, 19.99)]
    [InlineData("GBP", "GBP", 24.50, 24.50)]
    [InlineData("usd", "USD", 1, 1)]
    public void Minor_units_convert_exactly_to_the_major_currency(string vendor, string major, double quoted, double expected)
    {
        Assert.True(Currency.FromQuote(vendor, out var currency, out var divisor));
        Assert.Equal(major, currency.Code);
        Assert.Equal((decimal)expected, (decimal)quoted / divisor);
    }

    [Theory]
    [InlineData("EUR")]
    [InlineData(" chf ")]
    public void Three_letters_are_a_currency(string text) => Assert.True(Currency.TryParse(text, out _));

    [Theory]
    [InlineData("GBp")]
    [InlineData("GBX")]
    [InlineData("ILA")]
    [InlineData("EURO")]
    [InlineData("U$D")]
    [InlineData("")]
    [InlineData(null)]
    public void Minor_units_and_other_text_are_not_a_currency(string? text)
    {
        Assert.False(Currency.TryParse(text, out _));
        Assert.Contains("ISO 4217", Assert.Throws<ArgumentException>(() => Currency.Parse(text)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rate_before_the_first_is_missing_never_guessed()
    {
        var rates = new ExchangeRates(Currency.Parse("EUR"), [new PriceSeries("USD", [new DailyClose(new DateOnly(2024, 1, 2), 0.9m)])]);
        Assert.Equal(1m, rates.Rate("EUR", new DateOnly(2000, 1, 1)));
        Assert.Equal(0.9m, rates.Rate("USD", new DateOnly(2024, 1, 6)));
        var ex = Assert.Throws<MissingExchangeRateException>(() => rates.Rate("USD", new DateOnly(2024, 1, 1)));
        Assert.Equal("USD", ex.Currency);
        Assert.Throws<MissingExchangeRateException>(() => rates.Rate("GBP", new DateOnly(2024, 1, 6)));
    }

    [Fact]
    public void A_symbol_trades_in_one_currency()
    {
        var day = new DateOnly(2024, 1, 2);
        var rates = new ExchangeRates(Currency.Usd, [new PriceSeries("EUR", [new DailyClose(day, 1.1m)])]);
        Transaction[] history =
        [
            Transaction.Buy(day, "SAP.DE", 1, 100m) with { Currency = Currency.Parse("EUR") },
            Transaction.Sell(day, "SAP.DE", 1, 100m, id: "s") with { Currency = Currency.Usd },
        ];
        var ex = Assert.ThrowsAny<PortfolioException>(() => PortfolioState.Replay(history, rates: rates));
        Assert.Equal("s", ex.TransactionId);
    }

    [Fact]
    public void A_sell_splits_its_gain_into_price_and_currency()
    {
        // 10 X bought at 100 USD (1 USD = 0.80 EUR: cost 800 EUR), sold at 110 USD when 1 USD = 0.90 EUR:
        // proceeds 1100 × 0.90 = 990 EUR, gain 190; currency 1000 × 0.90 − 800 = 100; price (1100 − 1000) × 0.90 = 90.
        var rates = new ExchangeRates(Currency.Parse("EUR"), [new PriceSeries("USD", [new DailyClose(new DateOnly(2024, 1, 2), 0.80m), new DailyClose(new DateOnly(2024, 6, 3), 0.90m)])]);
        var usd = Currency.Usd;
        var state = PortfolioState.Replay(
            [Transaction.Buy(new DateOnly(2024, 1, 2), "X", 10, 100m) with { Currency = usd }, Transaction.Sell(new DateOnly(2024, 6, 3), "X", 10, 110m) with { Currency = usd }],
            rates: rates);
        var trade = Assert.Single(state.RealizedTrades);
        Assert.Equal(190m, trade.Gain);
        Assert.Equal(100m, trade.CurrencyEffect);
        Assert.Equal(90m, trade.PriceEffect);
        var valuation = state.Value(new Dictionary<string, ValuationPrice>());
        Assert.Equal(100m, valuation.CurrencyEffect);
        Assert.Equal(90m, valuation.PriceEffect);
    }
}
