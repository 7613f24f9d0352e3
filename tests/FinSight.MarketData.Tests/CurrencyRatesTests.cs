using FinSight.MarketData.Currencies;
using FinSight.MarketData.Simulated;
using FinSight.MarketData.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace FinSight.MarketData.Tests;

/// <summary>Exchange rates through the market-data chain: the simulated market's pairs, crosses, and listings outside the US.</summary>
public sealed class CurrencyRatesTests
{
    private static readonly TestClock Clock = TestClock.At("2025-03-12T17:00:00Z");

    private static (CurrencyRates Rates, SimulatedMarketProvider Market) Create()
    {
        var market = new SimulatedMarketProvider(new SimulatedMarketOptions(), Clock);
        var service = new MarketDataService([market], new InMemoryMarketDataStore(), Options.Create(new MarketDataOptions { Providers = ["Simulated"] }), Clock);
        return (new CurrencyRates(service), market);
    }

    [Fact]
    public async Task Simulated_pairs_are_deterministic_consistent_and_labelled()
    {
        var (rates, market) = Create();
        var eurusd = await market.GetDailyHistoryAsync("EURUSD=X", new DateOnly(2025, 1, 2), new DateOnly(2025, 1, 10));
        var again = await new SimulatedMarketProvider(new SimulatedMarketOptions(), Clock).GetDailyHistoryAsync("EURUSD=X", new DateOnly(2025, 1, 2), new DateOnly(2025, 1, 10));
        var usdeur = await market.GetDailyHistoryAsync("USDEUR=X", new DateOnly(2025, 1, 2), new DateOnly(2025, 1, 10));

        Assert.True(eurusd!.IsSimulated);
        Assert.Equal(eurusd.Bars, again!.Bars);
        // Weekdays only; anchored near the real 2 January 2025 level.
        Assert.Equal(7, eurusd.Bars.Count);
        Assert.Equal(1.035m, eurusd.Bars[0].Close);
        Assert.All(eurusd.Bars.Zip(usdeur!.Bars), p => Assert.Equal(1m, Math.Round(p.First.Close * p.Second.Close, 4)));

        var latest = await rates.LatestAsync("EUR", "USD", CancellationToken.None);
        Assert.True(latest.IsSimulated);
        Assert.Equal(MarketDataStatus.Fresh, latest.Status);
        Assert.InRange(latest.Rate!.Value, 0.8m, 1.3m);
    }

    [Fact]
    public async Task A_pair_is_the_same_direct_or_crossed_through_the_dollar()
    {
        var (rates, _) = Create();
        var direct = await rates.HistoryAsync("GBP", "EUR", new DateOnly(2025, 2, 3), new DateOnly(2025, 2, 7), CancellationToken.None);
        var gbpusd = await rates.HistoryAsync("GBP", "USD", new DateOnly(2025, 2, 3), new DateOnly(2025, 2, 7), CancellationToken.None);
        var usdeur = await rates.HistoryAsync("USD", "EUR", new DateOnly(2025, 2, 3), new DateOnly(2025, 2, 7), CancellationToken.None);

        Assert.Null(direct.Via);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(Math.Round(direct.Series![i].Close, 4), Math.Round(gbpusd.Series![i].Close * usdeur.Series![i].Close, 4));
        }
    }

    [Theory]
    [InlineData("SHEL.L", "GBP")]
    [InlineData("SAP.DE", "EUR")]
    [InlineData("7203.T", "JPY")]
    [InlineData("NESN.SW", "CHF")]
    [InlineData("AAPL", "USD")]
    [InlineData("BRK.B", "USD")]
    public async Task Listings_trade_in_their_exchange_currency(string symbol, string currency)
    {
        var (_, market) = Create();
        var quote = await market.GetQuoteAsync(symbol);
        Assert.Equal(currency, quote!.Currency);
        Assert.Equal(currency, Exchanges.CurrencyOf(symbol));
    }
}

public sealed class PinnedRateTests
{
    [Fact]
    public async Task A_pinned_pair_never_moves()
    {
        var clock = TestClock.At("2025-03-12T17:00:00Z");
        var options = new SimulatedMarketOptions();
        options.FixedPrices["USDEUR=X"] = 0.90m;
        var market = new SimulatedMarketProvider(options, clock);
        var quote = await market.GetQuoteAsync("USDEUR=X");
        var history = await market.GetDailyHistoryAsync("USDEUR=X", new DateOnly(2025, 1, 2), new DateOnly(2025, 1, 10));
        var free = await market.GetQuoteAsync("GBPEUR=X");
        Assert.Equal(0.90m, quote!.Price);
        Assert.All(history!.Bars, b => Assert.Equal(0.90m, b.Close));
        Assert.InRange(free!.Price, 1.1m, 1.3m);
    }
}
