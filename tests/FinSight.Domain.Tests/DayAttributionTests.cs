using static FinSight.Domain.Tests.TestData;

namespace FinSight.Domain.Tests;

/// <summary>"Why did my portfolio move today": per-holding contributions that add up to the day's change to the cent.</summary>
public sealed class DayAttributionTests
{
    private static readonly DateOnly Yesterday = D("2025-06-02");
    private static readonly DateOnly Today = D("2025-06-03");

    [Fact]
    public void Without_trades_each_holding_contributes_shares_times_the_price_change_largest_first()
    {
        Transaction[] history = [Transaction.Buy(D("2025-01-02"), "AAPL", 10m, 150m), Transaction.Buy(D("2025-01-02"), "MSFT", 3m, 400m)];
        var prices = new Dictionary<string, ValuationPrice> { ["AAPL"] = new(201m, 200m), ["MSFT"] = new(410m, 420m) };

        var day = DayAttribution.Compute(history, Yesterday, prices);

        Assert.Equal(["MSFT", "AAPL"], day.Holdings.Select(h => h.Symbol));
        Assert.Equal([-30m, 10m], day.Holdings.Select(h => h.Contribution));
        Assert.Equal(-20m, day.Change);
        Assert.Equal(10m * 200m + 3m * 420m, day.PreviousMarketValue);
        // Without trades it is exactly what the valuation's day change says.
        Assert.Equal(PortfolioState.Replay(history).Value(prices).DayChange, day.Change);
    }

    [Fact]
    public void Shares_bought_today_count_from_their_price_and_shares_sold_today_up_to_theirs()
    {
        Transaction[] history =
        [
            Transaction.Buy(D("2025-01-02"), "AAPL", 10m, 150m),
            Transaction.Buy(Today, "AAPL", 5m, 204m, fees: 1m),
            Transaction.Buy(D("2025-01-02"), "NVDA", 10m, 100m),
            Transaction.Sell(Today, "NVDA", 10m, 103m),
        ];
        var prices = new Dictionary<string, ValuationPrice> { ["AAPL"] = new(205m, 200m), ["NVDA"] = new(106m, 100m) };

        var day = DayAttribution.Compute(history, Yesterday, prices);

        var aapl = day.Holdings.Single(h => h.Symbol == "AAPL");
        Assert.Equal(10m * 5m + 5m * 1m - 1m, aapl.Contribution); // not 15 × 5: the new shares cost 204
        Assert.True(aapl.TradedToday);
        var nvda = day.Holdings.Single(h => h.Symbol == "NVDA");
        Assert.Equal(30m, nvda.Contribution); // sold at 103 from a 100 close; the later rise to 106 is not the portfolio's
        Assert.Equal(0m, nvda.Shares);
        Assert.Equal(84m, day.Change);
    }

    [Fact]
    public void Cash_of_the_day_is_explicit_dividends_and_fees_count_deposits_do_not_and_a_split_today_is_in_todays_shares()
    {
        Transaction[] history =
        [
            Transaction.Deposit(D("2025-01-02"), 10_000m), Transaction.Buy(D("2025-01-02"), "AAPL", 10m, 400m),
            Transaction.Split(Today, "AAPL", 4m, 1m), Transaction.Dividend(Today, "AAPL", 10m), Transaction.Fee(Today, 2.5m),
            Transaction.Deposit(Today, 1_000m),
        ];
        var prices = new Dictionary<string, ValuationPrice> { ["AAPL"] = new(101m, 100m) };

        var day = DayAttribution.Compute(history, Yesterday, prices);

        var aapl = Assert.Single(day.Holdings);
        Assert.Equal((40m, 40m), (aapl.SharesAtPreviousClose, aapl.Contribution));
        Assert.Equal((10m, 2.5m, 1_000m), (day.Dividends, day.Fees, day.NetDeposits));
        Assert.Equal(47.5m, day.Change);
    }

    [Fact]
    public void Contributions_rounded_to_cents_add_up_to_the_rounded_total()
    {
        Transaction[] history = [.. new[] { "A", "B", "C" }.Select(s => Transaction.Buy(D("2025-01-02"), s, 1m, 1m))];
        var prices = new Dictionary<string, ValuationPrice>
        {
            ["A"] = new(1.003333m, 1m), ["B"] = new(1.003333m, 1m), ["C"] = new(1.003334m, 1m),
        };

        var day = DayAttribution.Compute(history, Yesterday, prices);

        Assert.Equal(0.01m, day.Change);
        Assert.Equal(day.Change, day.Holdings.Sum(h => h.Contribution));
        Assert.All(day.Holdings, h => Assert.Equal(h.Contribution, Math.Round(h.Contribution, 2)));
    }

    [Fact]
    public void Amounts_in_another_currency_are_in_the_base_currency_at_todays_rate_and_without_a_rate_the_holding_is_unpriced()
    {
        // A EUR portfolio: 10 AAPL in USD since January, 2 more bought today; today 1 USD = 0.90 EUR.
        var usd = Currency.Usd;
        var history = new ExchangeRates(Currency.Parse("EUR"), [new PriceSeries("USD", [new DailyClose(D("2025-01-02"), 0.95m)])]);
        Transaction[] transactions =
        [
            Transaction.Buy(D("2025-01-02"), "AAPL", 10m, 150m) with { Currency = usd },
            Transaction.Buy(Today, "AAPL", 2m, 204m, fees: 1m) with { Currency = usd },
            Transaction.Dividend(Today, "AAPL", 3m) with { Currency = usd },
        ];
        var prices = new Dictionary<string, ValuationPrice> { ["AAPL"] = new(205m, 200m) };

        var day = DayAttribution.Compute(transactions, Yesterday, prices, history: history, rates: new Dictionary<string, decimal> { ["USD"] = 0.90m });

        // (10 × 5 + 2 × 1 − 1) × 0.90 = 45.90 EUR; the dividend 3 × 0.90 = 2.70 EUR; the previous close 10 × 200 × 0.90.
        Assert.Equal(45.90m, Assert.Single(day.Holdings).Contribution);
        Assert.Equal(2.70m, day.Dividends);
        Assert.Equal(45.90m + 2.70m, day.Change);
        Assert.Equal(1800m, day.PreviousMarketValue);

        var noRate = DayAttribution.Compute([transactions[0]], Yesterday, prices, history: history, rates: new Dictionary<string, decimal>());
        Assert.Equal(["AAPL"], noRate.Unpriced);
        Assert.Null(noRate.KnownChange);
    }

    [Fact]
    public void A_holding_without_a_previous_close_is_unpriced_not_zero()
    {
        Transaction[] history = [Transaction.Buy(D("2025-01-02"), "AAPL", 10m, 150m), Transaction.Buy(D("2025-01-02"), "XYZ", 1m, 10m)];

        var day = DayAttribution.Compute(history, Yesterday, new Dictionary<string, ValuationPrice> { ["AAPL"] = new(201m, 200m), ["XYZ"] = new(11m) });

        Assert.Equal(["XYZ"], day.Unpriced);
        Assert.Equal(10m, day.Change);
    }
}
