using FinSight.MarketData.Finnhub;
using FinSight.MarketData.Simulated;
using FinSight.MarketData.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace FinSight.MarketData.Tests;

/// <summary>
/// Finnhub's latest exchange rates (<c>forex/rates?base=</c>) over loopback. The rates body
/// (Recordings/finnhub-forex-rates-EUR.json) is HAND-BUILT in Finnhub's documented format, not recorded;
/// the 403 body is the recorded one Finnhub sends for candles on a free key.
/// </summary>
public sealed class FinnhubForexTests : IAsyncLifetime
{
    private readonly TestClock _clock = TestClock.At("2024-06-14T20:30:00Z");
    private FakeFinnhub _finnhub = null!;

    public async Task InitializeAsync() => _finnhub = await FakeFinnhub.StartAsync(_clock);

    public async Task DisposeAsync() => await _finnhub.DisposeAsync();

    [Fact]
    public async Task A_pair_is_read_from_the_rates_of_its_base_currency()
    {
        var provider = _finnhub.CreateProvider(_clock);

        var quote = await provider.GetQuoteAsync("EURUSD=X");

        Assert.Equal((1.071208m, "USD", "Finnhub", false), (quote!.Price, quote.Currency, quote.Source, quote.IsSimulated));
        Assert.Contains("/forex/rates?base=EUR", _finnhub.Server.Requests.Last(), StringComparison.Ordinal);
        Assert.Equal(168.391205m, (await provider.GetQuoteAsync("EURJPY=X"))!.Price);
        // A currency the answer lacks is for the next source, not "no such pair".
        await Assert.ThrowsAsync<MarketDataException>(() => provider.GetQuoteAsync("EURSEK=X"));
        await Assert.ThrowsAsync<MarketDataException>(() => provider.GetQuoteAsync("SEKUSD=X"));
    }

    [Fact]
    public async Task A_key_without_forex_sends_rates_to_the_next_source_and_keeps_its_stock_quotes()
    {
        _finnhub.ForexForbidden = true;
        var service = new MarketDataService(
            [_finnhub.CreateProvider(_clock), new SimulatedMarketProvider(new SimulatedMarketOptions(), _clock)],
            new InMemoryMarketDataStore(),
            Options.Create(new MarketDataOptions { Providers = ["Finnhub", "Simulated"] }),
            _clock);

        var euro = await service.GetQuoteAsync("EURUSD=X");
        var pound = await service.GetQuoteAsync("GBPUSD=X");
        var apple = await service.GetQuoteAsync("AAPL");

        Assert.Equal(("Simulated", true), (euro.Value!.Source, euro.Value.IsSimulated));
        Assert.Equal("Simulated", pound.Value!.Source);
        // Refused once, then not asked again for an hour; stock quotes still come from Finnhub.
        Assert.Single(_finnhub.Server.Requests, r => r.Contains("/forex/rates", StringComparison.Ordinal));
        Assert.Equal(("Finnhub", 212.49m), (apple.Value!.Source, apple.Value.Price));
    }
}
