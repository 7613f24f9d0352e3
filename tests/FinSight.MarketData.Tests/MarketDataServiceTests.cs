using FinSight.MarketData.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace FinSight.MarketData.Tests;

public sealed class MarketDataServiceTests
{
    // Wednesday 12 June 2024, 11:00 in New York.
    private readonly TestClock _clock = TestClock.At("2024-06-12T15:00:00Z");
    private readonly InMemoryMarketDataStore _store = new();
    private readonly StubProvider _primary;
    private readonly StubProvider _backup;

    public MarketDataServiceTests()
    {
        _primary = new StubProvider("Primary", _clock).Init();
        _backup = new StubProvider("Backup", _clock).Init();
    }

    private MarketDataService Service(params string[] order) => new(
        [_primary, _backup], _store,
        Options.Create(new MarketDataOptions { Providers = order.Length > 0 ? [.. order] : ["Primary", "Backup"] }),
        _clock);

    [Fact]
    public async Task Hundred_concurrent_requests_for_one_symbol_make_exactly_one_upstream_call()
    {
        var release = new TaskCompletionSource();
        _primary.Quote = async symbol =>
        {
            await release.Task; // hold the upstream call open until every caller has arrived
            return _primary.MakeQuote(symbol, 123.45m);
        };
        var service = Service();

        var requests = Enumerable.Range(0, 100).Select(_ => Task.Run(() => service.GetQuoteAsync("aapl"))).ToArray();
        await Task.Delay(100);
        release.SetResult();
        var results = await Task.WhenAll(requests);

        Assert.Equal(1, _primary.Calls);
        Assert.All(results, r => Assert.Equal(123.45m, r.Value!.Price));
    }

    [Fact]
    public async Task Quotes_are_cached_for_the_configured_period()
    {
        var service = Service();

        await service.GetQuoteAsync("AAPL");
        _clock.Advance(TimeSpan.FromSeconds(59));
        await service.GetQuoteAsync("AAPL");
        Assert.Equal(1, _primary.Calls);

        _clock.Advance(TimeSpan.FromSeconds(2));
        await service.GetQuoteAsync("AAPL");
        Assert.Equal(2, _primary.Calls);
    }

    [Fact]
    public async Task A_fresh_stored_quote_survives_a_restart_without_an_upstream_call()
    {
        await Service().GetQuoteAsync("AAPL");
        _clock.Advance(TimeSpan.FromSeconds(20));

        var result = await Service().GetQuoteAsync("AAPL"); // a new instance: empty memory cache

        Assert.Equal(MarketDataStatus.Fresh, result.Status);
        Assert.Equal(1, _primary.Calls);
    }

    [Fact]
    public async Task When_every_provider_fails_the_last_known_value_is_served_stale_with_its_timestamp()
    {
        var service = Service();
        var fetchedAt = _clock.GetUtcNow();
        await service.GetQuoteAsync("AAPL");
        _primary.Fail();
        _backup.Fail();
        _clock.Advance(TimeSpan.FromMinutes(5));

        var result = await service.GetQuoteAsync("AAPL");

        Assert.Equal(MarketDataStatus.Stale, result.Status);
        Assert.True(result.Value!.IsStale);
        Assert.Equal(fetchedAt, result.Value.AsOf);
        Assert.Equal(100m, result.Value.Price);
        Assert.Contains("HTTP 503", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_nothing_stored_an_outage_is_reported_never_a_made_up_price()
    {
        _primary.Fail();
        _backup.Fail();

        var result = await Service().GetQuoteAsync("AAPL");

        Assert.Equal(MarketDataStatus.Unavailable, result.Status);
        Assert.Null(result.Value);
        Assert.Contains("No earlier value", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_outage_is_not_hammered_the_failure_is_reused_briefly()
    {
        _primary.Fail();
        _backup.Fail();
        var service = Service();

        await service.GetQuoteAsync("AAPL");
        await service.GetQuoteAsync("AAPL");
        Assert.Equal(1, _primary.Calls);

        _clock.Advance(TimeSpan.FromSeconds(16));
        await service.GetQuoteAsync("AAPL");
        Assert.Equal(2, _primary.Calls);
    }

    [Fact]
    public async Task A_failing_provider_falls_through_to_the_next()
    {
        _primary.Fail();

        var result = await Service().GetQuoteAsync("AAPL");

        Assert.Equal(("Backup", MarketDataStatus.Fresh), (result.Value!.Source, result.Status));
    }

    [Fact]
    public async Task A_missing_capability_falls_through_and_is_not_asked_again_for_a_while()
    {
        _primary.History = (_, _, _) => throw new CapabilityUnavailableException("Primary", "HTTP 403");
        var service = Service();

        var first = await service.GetDailyHistoryAsync("AAPL", new DateOnly(2024, 6, 3), new DateOnly(2024, 6, 7));
        var second = await service.GetDailyHistoryAsync("MSFT", new DateOnly(2024, 6, 3), new DateOnly(2024, 6, 7));

        Assert.Equal("Backup", first.Value!.Source);
        Assert.Equal("Backup", second.Value!.Source);
        Assert.Equal(1, _primary.Calls);
    }

    [Fact]
    public async Task Not_found_is_authoritative_and_stops_the_chain()
    {
        _primary.Quote = _ => Task.FromResult<Quote?>(null);

        var result = await Service().GetQuoteAsync("NOPE");

        Assert.Equal(MarketDataStatus.NotFound, result.Status);
        Assert.Equal(0, _backup.Calls);
    }

    [Fact]
    public async Task Providers_follow_the_configured_order_and_unknown_names_are_skipped()
    {
        var service = Service("Finnhub", "Backup", "Primary");

        Assert.Equal(["Backup", "Primary"], service.Providers);
        Assert.Equal("Backup", (await service.GetQuoteAsync("AAPL")).Value!.Source);
    }

    [Fact]
    public async Task Many_symbols_share_the_cache_and_each_is_fetched_once()
    {
        var service = Service();

        var first = await service.GetQuotesAsync(["AAPL", "MSFT", "aapl"]);
        var second = await service.GetQuotesAsync(["MSFT", "NVDA"]);

        Assert.Equal(["AAPL", "MSFT"], first.Keys.Order());
        Assert.Equal(3, _primary.Calls);
        Assert.True(second["NVDA"].HasValue);
    }

    [Fact]
    public async Task One_invalid_symbol_does_not_fail_a_dashboard()
    {
        var quotes = await Service().GetQuotesAsync(["AAPL", "not valid"]);

        Assert.Equal(MarketDataStatus.Fresh, quotes["AAPL"].Status);
        Assert.Equal(MarketDataStatus.NotFound, quotes["NOT VALID"].Status);
    }

    [Fact]
    public async Task Simulated_values_are_never_written_to_the_store()
    {
        _primary.Simulated = true;
        _primary.Init();

        await Service().GetQuoteAsync("AAPL");
        await Service().GetProfileAsync("AAPL");

        Assert.Null(await _store.GetQuoteAsync("AAPL"));
        Assert.Null(await _store.GetProfileAsync("AAPL"));
    }

    [Fact]
    public async Task History_fetches_only_the_missing_tail_and_stores_only_completed_days()
    {
        var service = Service();
        await _store.SaveDailyHistoryAsync(_primary.MakeHistory("AAPL", new DateOnly(2024, 5, 1), new DateOnly(2024, 6, 7)));

        var result = await service.GetDailyHistoryAsync("AAPL", new DateOnly(2024, 5, 1), new DateOnly(2024, 6, 12));

        Assert.Equal([(new DateOnly(2024, 6, 8), new DateOnly(2024, 6, 12))], _primary.HistoryRequests);
        Assert.Equal(new DateOnly(2024, 6, 12), result.Value!.Bars[^1].Date); // today's live bar is returned...
        var stored = await _store.GetDailyHistoryAsync("AAPL", new DateOnly(2024, 5, 1), new DateOnly(2024, 6, 30));
        Assert.Equal(new DateOnly(2024, 6, 11), stored!.Bars[^1].Date); // ...but not stored while it can still change
        Assert.Equal(result.Value.Bars.Count, result.Value.Bars.Select(b => b.Date).Distinct().Count());
    }

    [Fact]
    public async Task A_fully_stored_past_range_needs_no_upstream_call()
    {
        await _store.SaveDailyHistoryAsync(_primary.MakeHistory("AAPL", new DateOnly(2024, 1, 2), new DateOnly(2024, 3, 22)));

        var result = await Service().GetDailyHistoryAsync("AAPL", new DateOnly(2024, 1, 2), new DateOnly(2024, 3, 24)); // ends on a Sunday

        Assert.Equal(0, _primary.Calls);
        Assert.Equal(MarketDataStatus.Fresh, result.Status);
    }

    [Fact]
    public async Task History_outage_serves_stored_bars_as_stale()
    {
        await _store.SaveDailyHistoryAsync(_primary.MakeHistory("AAPL", new DateOnly(2024, 6, 3), new DateOnly(2024, 6, 7)));
        _primary.History = (_, _, _) => throw new MarketDataException("Primary", "timeout");
        _backup.History = (_, _, _) => throw new MarketDataException("Backup", "timeout");

        var result = await Service().GetDailyHistoryAsync("AAPL", new DateOnly(2024, 6, 3), new DateOnly(2024, 6, 12));

        Assert.Equal(MarketDataStatus.Stale, result.Status);
        Assert.Equal(new DateOnly(2024, 6, 7), result.Value!.Bars[^1].Date);
    }

    [Fact]
    public async Task Profiles_are_cached_for_a_day()
    {
        var service = Service();

        await service.GetProfileAsync("AAPL");
        _clock.Advance(TimeSpan.FromHours(23));
        await service.GetProfileAsync("AAPL");
        Assert.Equal(1, _primary.Calls);

        _clock.Advance(TimeSpan.FromHours(2));
        await service.GetProfileAsync("AAPL");
        Assert.Equal(2, _primary.Calls);
    }

    [Fact]
    public async Task Invalid_symbols_are_rejected_before_any_call()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Service().GetQuoteAsync("not a symbol"));
        Assert.Equal(0, _primary.Calls);
    }
}
