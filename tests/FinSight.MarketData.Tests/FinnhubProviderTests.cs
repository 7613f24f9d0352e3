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

    // The split and dividend responses are hand-built in Finnhub's documented format (see FakeFinnhub).
    [Fact]
    public async Task Splits_and_dividends_map_the_factors_ex_dates_pay_dates_and_split_adjusted_amounts()
    {
        var report = await _provider.GetCorporateActionsAsync("AAPL", new DateOnly(2020, 1, 1), new DateOnly(2020, 12, 31));

        var split = Assert.Single(report!.Splits); // the 2014 one is outside the range
        Assert.Equal((new DateOnly(2020, 8, 31), 4, 1), (split.Date, split.Numerator, split.Denominator));
        Assert.Equal(
            [(new DateOnly(2020, 5, 8), 0.205m, (DateOnly?)null), (new DateOnly(2020, 8, 7), 0.205m, new DateOnly(2020, 8, 13)), (new DateOnly(2020, 11, 6), 0.205m, new DateOnly(2020, 11, 12))],
            report.Dividends.Select(d => (d.ExDate, d.Amount, d.PayDate)));
        Assert.Contains("from=2020-01-01&to=2020-12-31", _finnhub.Server.Requests.Last(), StringComparison.Ordinal);
        Assert.Empty((await _provider.GetCorporateActionsAsync("ZZZZ", new DateOnly(2020, 1, 1), new DateOnly(2020, 12, 31)))!.Dividends);
    }

    [Theory]
    [InlineData(403)]
    [InlineData(401)]
    public async Task Dividends_the_key_may_not_read_are_left_out_and_both_parts_refused_are_a_missing_capability(int status)
    {
        var refuse = "/stock/dividend";
        _finnhub.Intercept = async context =>
        {
            if (refuse != "*" && !context.Request.Path.StartsWithSegments(refuse))
            {
                return false;
            }
            context.Response.StatusCode = status;
            await context.Response.WriteAsync("""{"error":"You don't have access to this resource."}""");
            return true;
        };

        var report = await _provider.GetCorporateActionsAsync("AAPL", new DateOnly(2020, 1, 1), new DateOnly(2020, 12, 31));
        Assert.Single(report!.Splits);
        Assert.Empty(report.Dividends);

        refuse = "*";
        var ex = await Record.ExceptionAsync(() => _provider.GetCorporateActionsAsync("AAPL", new DateOnly(2020, 1, 1), new DateOnly(2020, 12, 31)));
        Assert.True(ex is CapabilityUnavailableException, ex?.ToString());
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

/// <summary>
/// Corporate actions through the facade from Yahoo and Finnhub over loopback HTTP (hand-built calendarEvents,
/// /stock/split and /stock/dividend responses in the vendors' formats): every provider is asked and the answers merge.
/// </summary>
public sealed class CorporateActionReportTests : IAsyncLifetime
{
    private readonly TestClock _clock = TestClock.At("2024-06-14T20:30:00Z");
    private FakeYahoo _yahoo = null!;
    private FakeFinnhub _finnhub = null!;

    public async Task InitializeAsync()
    {
        _yahoo = await FakeYahoo.StartAsync(_clock);
        _finnhub = await FakeFinnhub.StartAsync(_clock);
    }

    public async Task DisposeAsync()
    {
        await _yahoo.DisposeAsync();
        await _finnhub.DisposeAsync();
    }

    private MarketDataService Service() => new(
        [_yahoo.CreateProvider(_clock), _finnhub.CreateProvider(_clock)], new InMemoryMarketDataStore(),
        Microsoft.Extensions.Options.Options.Create(new MarketDataOptions { Providers = ["Yahoo", "Finnhub"] }), _clock);

    [Fact]
    public async Task Yahoos_next_pay_date_and_finnhubs_splits_and_dividends_merge_and_a_refused_dividend_endpoint_is_not_a_failure()
    {
        var merged = await Service().GetCorporateActionsAsync("AAPL", new DateOnly(2020, 1, 1), new DateOnly(2020, 12, 31));

        Assert.Equal(MarketDataStatus.Fresh, merged.Status);
        Assert.Equal("Yahoo,Finnhub", merged.Value!.Source);
        Assert.Equal(new DateOnly(2020, 8, 31), Assert.Single(merged.Value.Splits).Date);
        Assert.Equal(new DateOnly(2020, 11, 12), merged.Value.PayDateOf(new DateOnly(2020, 11, 6)));
        Assert.Equal(new DateOnly(2024, 8, 15), merged.Value.PayDateOf(new DateOnly(2024, 8, 12))); // Yahoo's next one

        // A history without pay dates takes them; a dividend it lacks is added; one it has is not doubled.
        var history = new PriceHistory
        {
            Symbol = "AAPL", Source = "Yahoo",
            Bars = [new DailyBar { Date = new DateOnly(2020, 1, 2), Open = 1, High = 1, Low = 1, Close = 1, AdjustedClose = 1, Volume = 1 }],
            Dividends = [new Dividend { ExDate = new DateOnly(2020, 8, 7), Amount = 0.205m }, new Dividend { ExDate = new DateOnly(2020, 11, 6), Amount = 0.205m }],
            Splits = [new StockSplit { Date = new DateOnly(2020, 8, 31), Numerator = 4, Denominator = 1 }],
        }.With(merged.Value);
        Assert.Equal([(new DateOnly(2020, 5, 8), (DateOnly?)null), (new DateOnly(2020, 8, 7), new DateOnly(2020, 8, 13)), (new DateOnly(2020, 11, 6), new DateOnly(2020, 11, 12))],
            history.Dividends.Select(d => (d.ExDate, d.PayDate)));
        Assert.Single(history.Splits);

        _finnhub.Intercept = async context =>
        {
            if (!context.Request.Path.StartsWithSegments("/stock/dividend"))
            {
                return false;
            }
            context.Response.StatusCode = 403;
            await context.Response.WriteAsync("""{"error":"You don't have access to this resource."}""");
            return true;
        };
        var withoutDividends = await Service().GetCorporateActionsAsync("AAPL", new DateOnly(2020, 1, 1), new DateOnly(2020, 12, 31));
        Assert.Equal(MarketDataStatus.Fresh, withoutDividends.Status);
        Assert.Single(withoutDividends.Value!.Splits);
        Assert.Empty(withoutDividends.Value.Dividends);
    }
}
