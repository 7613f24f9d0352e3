using FinSight.MarketData.Finnhub;
using FinSight.MarketData.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace FinSight.MarketData.Tests;

public sealed class FinnhubProviderTests : IAsyncLifetime
{
    private readonly TestClock _clock = TestClock.At("2024-06-14T20:30:00Z");
    private FakeFinnhub _finnhub = null!;
    private FinnhubProvider _provider = null!;

    public async Task InitializeAsync()
    {
        _finnhub = await FakeFinnhub.StartAsync(_clock);
        _provider = _finnhub.CreateProvider(_clock);
    }

    public async Task DisposeAsync() => await _finnhub.DisposeAsync();

    [Fact]
    public async Task Quote_maps_short_fields_and_sends_the_key_in_a_header_not_the_url()
    {
        var quote = await _provider.GetQuoteAsync("AAPL");

        Assert.Equal((212.49m, 214.24m, 215.17m, 211.3m), (quote!.Price, quote.PreviousClose!.Value, quote.DayHigh!.Value, quote.DayLow!.Value));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1718395200), quote.MarketTime);
        Assert.DoesNotContain("token", _finnhub.Server.Requests.Last(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_zero_price_means_unknown_symbol()
    {
        Assert.Null(await _provider.GetQuoteAsync("ZZZZ"));
    }

    [Fact]
    public async Task Market_cap_is_converted_from_millions_and_empty_profiles_are_not_found()
    {
        var profile = await _provider.GetProfileAsync("AAPL");

        Assert.Equal(3_258_350_166_000m, profile!.MarketCap);
        Assert.Equal("https://static2.finnhub.io/file/publicdatany/finnhubimage/stock_logo/AAPL.png", profile.LogoUrl);
        Assert.Equal("Technology", profile.Sector);
        Assert.Null(await _provider.GetProfileAsync("ZZZZ"));
    }

    [Fact]
    public async Task Company_news_sends_the_required_date_range_and_drops_broken_items_and_non_web_links()
    {
        var feed = await _provider.GetNewsAsync("AAPL", new DateOnly(2024, 6, 7), new DateOnly(2024, 6, 14));

        Assert.Contains("from=2024-06-07&to=2024-06-14", _finnhub.Server.Requests.Last(), StringComparison.Ordinal);
        Assert.Equal(2, feed!.Headlines.Count);
        Assert.Equal(["AAPL", "MSFT"], feed.Headlines[1].RelatedSymbols);
        Assert.Equal("Analysts see Apple Intelligence as a catalyst.", feed.Headlines[0].Summary);
        Assert.Null(feed.Headlines[1].Summary);
    }

    [Fact]
    public async Task Candles_on_a_free_key_are_a_missing_capability()
    {
        var ex = await Assert.ThrowsAsync<CapabilityUnavailableException>(() =>
            _provider.GetDailyHistoryAsync("AAPL", new DateOnly(2024, 6, 1), new DateOnly(2024, 6, 14)));

        Assert.Contains("403", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_key_is_a_failure()
    {
        _finnhub.Intercept = async context =>
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsync("""{"error":"Invalid API key"}""");
            return true;
        };

        await Assert.ThrowsAsync<MarketDataException>(() => _provider.GetQuoteAsync("AAPL"));
    }

    [Fact]
    public async Task A_429_without_retry_after_backs_off_and_retries()
    {
        var calls = 0;
        _finnhub.Intercept = async context =>
        {
            if (Interlocked.Increment(ref calls) > 1) return false;
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            await context.Response.WriteAsync("""{"error":"API limit reached. Please try again later."}""");
            return true;
        };

        var quote = await _provider.GetQuoteAsync("AAPL");

        Assert.NotNull(quote);
        Assert.Equal(2, _finnhub.Server.RequestCount);
    }

    [Fact]
    public async Task Malformed_json_is_a_failure()
    {
        _finnhub.Intercept = async context => { await context.Response.WriteAsync("""{"c":212.49,"d":"""); return true; };

        await Assert.ThrowsAsync<MarketDataException>(() => _provider.GetQuoteAsync("AAPL"));
    }
}
