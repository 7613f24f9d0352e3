using FinSight.MarketData.Ecb;
using FinSight.MarketData.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace FinSight.MarketData.Tests;

/// <summary>The ECB's reference rates over real HTTP on loopback, from a file in the ECB's own XML format.</summary>
public sealed class EcbProviderTests : IAsyncLifetime
{
    private readonly TestClock _clock = TestClock.At("2024-06-15T10:00:00Z");
    private LoopbackServer _server = null!;
    private TestHttpClientFactory _http = null!;
    private EcbProvider _provider = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = "application/xml";
            await context.Response.WriteAsync(Recordings.Read("ecb-eurofxref-hist-90d.xml"));
        });
        _http = new TestHttpClientFactory(EcbProvider.ProviderName, TestHttpClientFactory.Fast(new EcbOptions(), _server.BaseUrl), _clock);
        _provider = new EcbProvider(_http, _clock);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_euro_pair_is_the_published_rate_and_the_day_before_is_the_previous_close()
    {
        var quote = await _provider.GetQuoteAsync("EURUSD=X");

        Assert.NotNull(quote);
        Assert.Equal((1.0686m, 1.0784m, "USD"), (quote.Price, quote.PreviousClose, quote.Currency));
        Assert.False(quote.IsSimulated);
        Assert.Contains("eurofxref-hist-90d.xml", _server.Requests.Last(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_pairs_are_crossed_through_the_euro()
    {
        var history = await _provider.GetDailyHistoryAsync("GBPUSD=X", new DateOnly(2024, 6, 12), new DateOnly(2024, 6, 14));
        var usdeur = await _provider.GetQuoteAsync("USDEUR=X");

        Assert.NotNull(history);
        Assert.Equal([new DateOnly(2024, 6, 12), new DateOnly(2024, 6, 13), new DateOnly(2024, 6, 14)], history.Bars.Select(b => b.Date));
        // 1 GBP = 1.0686 / 0.8436 USD on 14 June
        Assert.Equal(Math.Round(1.0686m / 0.8436m, 10), history.Bars[^1].Close);
        Assert.Equal(Math.Round(1m / 1.0686m, 10), usdeur!.Price);
    }

    [Fact]
    public async Task A_currency_the_ecb_does_not_publish_is_not_found_and_a_stock_is_for_the_next_provider()
    {
        Assert.Null(await _provider.GetQuoteAsync("EURXYZ=X"));
        await Assert.ThrowsAsync<MarketDataException>(() => _provider.GetQuoteAsync("AAPL"));
    }
}
