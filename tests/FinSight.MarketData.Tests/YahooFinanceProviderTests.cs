using FinSight.MarketData.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace FinSight.MarketData.Tests;

public sealed class YahooFinanceProviderTests : IAsyncLifetime
{
    private readonly TestClock _clock = TestClock.At("2024-06-14T20:30:00Z");
    private FakeYahoo _yahoo = null!;
    private IMarketDataProvider _provider = null!;

    public async Task InitializeAsync()
    {
        _yahoo = await FakeYahoo.StartAsync(_clock);
        _provider = _yahoo.CreateProvider(_clock);
    }

    public async Task DisposeAsync() => await _yahoo.DisposeAsync();

    private Yahoo.YahooFinanceProvider Yahoo => (Yahoo.YahooFinanceProvider)_provider;

    [Fact]
    public async Task Quote_comes_from_chart_meta_with_a_browser_user_agent()
    {
        var quote = await Yahoo.GetQuoteAsync("AAPL");

        Assert.NotNull(quote);
        Assert.Equal(212.49m, quote.Price);
        Assert.Equal(214.24m, quote.PreviousClose);
        Assert.Equal(-1.75m, quote.Change);
        Assert.Equal(215.17m, quote.DayHigh);
        Assert.Equal(211.3m, quote.DayLow);
        Assert.Equal(70122748, quote.Volume);
        Assert.Equal(DateTimeOffset.Parse("2024-06-14T20:00:01Z", System.Globalization.CultureInfo.InvariantCulture), quote.MarketTime);
        Assert.Equal(_clock.GetUtcNow(), quote.AsOf);
        Assert.StartsWith("Mozilla/5.0", _yahoo.Server.Headers.Last()["User-Agent"].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_skips_null_rows_and_reads_splits_dividends_and_adjusted_closes()
    {
        var history = await Yahoo.GetDailyHistoryAsync("NVDA", new DateOnly(2024, 6, 5), new DateOnly(2024, 6, 14));

        Assert.NotNull(history);
        Assert.Equal(7, history.Bars.Count); // 8 sessions, 12 June is all nulls
        Assert.DoesNotContain(history.Bars, b => b.Date == new DateOnly(2024, 6, 12));
        var split = Assert.Single(history.Splits);
        Assert.Equal((new DateOnly(2024, 6, 10), 10, 1), (split.Date, split.Numerator, split.Denominator));
        var dividend = Assert.Single(history.Dividends);
        Assert.Equal((new DateOnly(2024, 6, 11), 0.01m), (dividend.ExDate, dividend.Amount));
        var first = history.Bars[0];
        Assert.Equal((new DateOnly(2024, 6, 5), 122.44m), (first.Date, first.Close));
        Assert.True(first.AdjustedClose < first.Close);
        Assert.Contains("events=div%2Csplits", _yahoo.Server.Requests.Last(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_symbol_404_is_not_found()
    {
        Assert.Null(await Yahoo.GetQuoteAsync("NOSUCHTICKER"));
        Assert.Null(await Yahoo.GetDailyHistoryAsync("NOSUCHTICKER", new DateOnly(2024, 6, 5), new DateOnly(2024, 6, 14)));
    }

    [Fact]
    public async Task An_error_inside_an_http_200_is_a_failure_not_data()
    {
        _yahoo.Intercept = async context => { await context.Response.Json("yahoo-chart-error-in-200.json"); return true; };

        var ex = await Assert.ThrowsAsync<MarketDataException>(() => Yahoo.GetQuoteAsync("AAPL"));

        Assert.Contains("Data doesn't exist", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("yahoo-truncated.json")]
    [InlineData("yahoo-malformed.html")]
    public async Task Truncated_or_malformed_bodies_are_failures(string recording)
    {
        _yahoo.Intercept = async context => { await context.Response.Json(recording); return true; };

        await Assert.ThrowsAsync<MarketDataException>(() => Yahoo.GetQuoteAsync("AAPL"));
    }

    [Fact]
    public async Task Search_keeps_equities_and_etfs_and_converts_share_classes()
    {
        var matches = await Yahoo.SearchAsync("apple", 10);

        Assert.Equal(["AAPL", "APLE", "BRK.B"], matches.Select(m => m.Symbol));
    }

    [Fact]
    public async Task Share_classes_are_requested_in_yahoo_form()
    {
        await Yahoo.GetQuoteAsync("BRK.B");

        Assert.StartsWith("/v8/finance/chart/BRK-B?", _yahoo.Server.Requests.Last(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task News_drops_items_without_a_web_link()
    {
        var feed = await Yahoo.GetNewsAsync("AAPL", new DateOnly(2024, 6, 1), new DateOnly(2024, 6, 14));

        Assert.Equal(2, feed!.Headlines.Count);
        Assert.Equal(["AAPL", "MSFT"], feed.Headlines.Single(h => h.Publisher == "Reuters").RelatedSymbols);
    }

    [Fact]
    public async Task The_calendar_gives_the_next_dividends_pay_date_after_the_same_handshake()
    {
        // The quoteSummary calendarEvents response is hand-built in Yahoo's format (see FakeYahoo).
        var report = await Yahoo.GetCorporateActionsAsync("AAPL", new DateOnly(2024, 6, 1), new DateOnly(2024, 6, 14));

        var next = Assert.Single(report!.PayDates); // ex-date after the range: the next dividend
        Assert.Equal((new DateOnly(2024, 8, 12), new DateOnly(2024, 8, 15)), (next.ExDate, next.PayDate));
        Assert.Empty(report.Dividends);
        Assert.Empty(report.Splits);
        Assert.Null(await Yahoo.GetCorporateActionsAsync("NOSUCHTICKER", new DateOnly(2024, 6, 1), new DateOnly(2024, 6, 14)));
    }

    [Fact]
    public async Task Profile_does_the_cookie_and_crumb_handshake_once()
    {
        var first = await Yahoo.GetProfileAsync("AAPL");
        var second = await Yahoo.GetProfileAsync("AAPL");

        Assert.Equal("Apple Inc.", first!.Name);
        Assert.Equal(("Technology", "Consumer Electronics", "https://www.apple.com"), (first.Sector, first.Industry, first.Website));
        Assert.Equal(3258350166016m, first.MarketCap);
        Assert.Equal(first with { AsOf = default }, second! with { AsOf = default });
        Assert.Equal(1, _yahoo.CrumbRequests);
        Assert.Contains(_yahoo.Server.Requests, r => r.Contains("formatted=false", StringComparison.Ordinal) && r.Contains("crumb=crumb-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_401_refreshes_the_crumb_and_retries_once()
    {
        await Yahoo.GetProfileAsync("AAPL");
        _yahoo.Crumb = "crumb-2"; // Yahoo rotated the session

        var profile = await Yahoo.GetProfileAsync("AAPL");

        Assert.NotNull(profile);
        Assert.Equal(2, _yahoo.CrumbRequests);
        Assert.Contains("crumb=crumb-2", _yahoo.Server.Requests.Last(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Profile_for_unknown_symbol_is_null()
    {
        Assert.Null(await Yahoo.GetProfileAsync("NOSUCHTICKER"));
    }

    [Fact]
    public async Task A_429_with_retry_after_is_waited_out_then_retried()
    {
        var calls = 0;
        _yahoo.Intercept = async context =>
        {
            if (Interlocked.Increment(ref calls) > 1) return false;
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = "1";
            await context.Response.WriteAsync("Too Many Requests");
            return true;
        };
        // Real time here: the back-off must really wait.
        await using var yahoo = await FakeYahoo.StartAsync(TimeProvider.System);
        yahoo.Intercept = _yahoo.Intercept;
        var started = TimeProvider.System.GetTimestamp();

        var quote = await yahoo.CreateProvider(TimeProvider.System).GetQuoteAsync("AAPL");

        Assert.NotNull(quote);
        Assert.Equal(2, yahoo.Server.RequestCount);
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(900));
    }

    [Fact]
    public async Task A_429_asking_for_a_long_wait_fails_fast_so_the_chain_can_fall_through()
    {
        _yahoo.Intercept = async context =>
        {
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = "3600";
            await context.Response.WriteAsync("Too Many Requests");
            return true;
        };

        await Assert.ThrowsAsync<MarketDataException>(() => Yahoo.GetQuoteAsync("AAPL"));
        var ex = await Assert.ThrowsAsync<MarketDataException>(() => Yahoo.GetQuoteAsync("MSFT"));

        Assert.Equal(1, _yahoo.Server.RequestCount); // the second call did not even try
        Assert.Contains("rate limited", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slow_vendor_times_out()
    {
        await using var yahoo = await FakeYahoo.StartAsync(TimeProvider.System, o =>
        {
            o.Timeout = TimeSpan.FromMilliseconds(200);
            o.MaxRetries = 0;
        });
        yahoo.Intercept = async context =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return true;
        };
        var started = TimeProvider.System.GetTimestamp();

        var ex = await Assert.ThrowsAsync<MarketDataException>(() => yahoo.CreateProvider(TimeProvider.System).GetQuoteAsync("AAPL"));

        Assert.IsType<TimeoutException>(ex.InnerException);
        Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(3));
    }
}

/// <summary>Currencies as Yahoo states them: London in pence, currency pairs, and ticker forms outside the US.</summary>
public sealed class YahooCurrencyTests : IAsyncLifetime
{
    private readonly TestClock _clock = TestClock.At("2024-06-14T20:30:00Z");
    private FakeYahoo _yahoo = null!;
    private Yahoo.YahooFinanceProvider _provider = null!;

    public async Task InitializeAsync()
    {
        _yahoo = await FakeYahoo.StartAsync(_clock);
        _provider = _yahoo.CreateProvider(_clock);
    }

    public async Task DisposeAsync() => await _yahoo.DisposeAsync();

    [Fact]
    public async Task A_London_quote_in_pence_is_turned_into_pounds_exactly()
    {
        var quote = await _provider.GetQuoteAsync("SHEL.L");

        Assert.NotNull(quote);
        Assert.Equal("GBP", quote.Currency);
        Assert.Equal(24.50m, quote.Price);
        Assert.Equal(24.375m, quote.PreviousClose);
        Assert.Equal(24.625m, quote.DayHigh);
        Assert.Equal(24.31m, quote.DayLow);
        // Asked for under the exchange suffix, not turned into a share class (SHEL-L).
        Assert.Contains("/v8/finance/chart/SHEL.L", _yahoo.Server.Requests.Last(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_currency_pair_history_is_daily_rates_in_the_quote_currency()
    {
        var history = await _provider.GetDailyHistoryAsync("EURUSD=X", new DateOnly(2024, 6, 10), new DateOnly(2024, 6, 14));

        Assert.NotNull(history);
        Assert.Equal("USD", history.Currency);
        Assert.Equal(5, history.Bars.Count);
        Assert.Equal((new DateOnly(2024, 6, 10), 1.076658m), (history.Bars[0].Date, history.Bars[0].Close));
        Assert.Equal((new DateOnly(2024, 6, 14), 1.073883m), (history.Bars[^1].Date, history.Bars[^1].Close));
    }

    [Theory]
    [InlineData("BRK.B", "BRK-B")]
    [InlineData("VOD.L", "VOD.L")]
    [InlineData("7203.T", "7203.T")]
    [InlineData("SAP.DE", "SAP.DE")]
    [InlineData("RY.TO", "RY.TO")]
    [InlineData("EURUSD=X", "EURUSD=X")]
    [InlineData("AAPL", "AAPL")]
    public void Share_classes_take_a_dash_and_exchange_suffixes_stay(string symbol, string yahoo) =>
        Assert.Equal(yahoo, Yahoo.YahooFinanceProvider.ToYahoo(symbol));
}
