using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FinSight.Web.Data;
using FinSight.Web.Tests.Infrastructure;

namespace FinSight.Web.Tests.Faults;

/// <summary>
/// The app on the Yahoo provider, pointed at a fake Yahoo on loopback that the test switches
/// between healthy and failing. Cache periods and the breaker's break follow the app's clock,
/// which the test moves forward instead of waiting; vendor timeouts are real but short.
/// </summary>
public sealed class MarketDataFaultTests : IAsyncLifetime
{
    private static readonly TimeSpan QuoteCache = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan FailureCache = TimeSpan.FromSeconds(15);

    private FakeYahooServer _yahoo = null!;

    public async Task InitializeAsync()
    {
        _yahoo = await FakeYahooServer.StartAsync();
        _yahoo.Prices["AAPL"] = 200m;
        _yahoo.Prices["MSFT"] = 400m;
    }

    public async Task DisposeAsync() => await _yahoo.DisposeAsync();

    [Theory]
    [InlineData(VendorMode.Slow)]
    [InlineData(VendorMode.ServerError)]
    [InlineData(VendorMode.RateLimited)]
    [InlineData(VendorMode.Garbage)]
    public async Task Dashboard_and_profit_loss_serve_stored_prices_marked_stale_and_recover_when_the_vendor_returns(VendorMode failure)
    {
        await using var lease = await StartAppAsync(breakerMinimumThroughput: 1000);
        var app = lease.App;
        var user = await app.CreateUserAsync();
        await BuyAsync(user, "AAPL", 10, 150m);
        await BuyAsync(user, "MSFT", 5, 300m);

        // Healthy: live prices, which the app stores.
        var live = await GetAsync(user, "/api/dashboard/positions");
        var liveAsOf = new Dictionary<string, DateTimeOffset>();
        foreach (var position in live.GetProperty("positions").EnumerateArray())
        {
            Assert.Equal("live", Status(position));
            liveAsOf[position.GetProperty("symbol").GetString()!] = AsOf(position);
        }
        Assert.Equal(200m, Position(live, "AAPL").GetProperty("price").GetDecimal());
        Assert.Empty((await GetAsync(user, "/api/dashboard/overview")).GetProperty("data").GetProperty("stale_symbols").EnumerateArray());

        _yahoo.Mode = failure;
        app.Clock.Advance(QuoteCache + TimeSpan.FromSeconds(1));

        var started = DateTime.UtcNow;
        var overview = await GetAsync(user, "/api/dashboard/overview");
        var positions = await GetAsync(user, "/api/dashboard/positions");
        var profitLoss = await GetAsync(user, "/holdings/profit-loss");
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20), "a failing vendor must not hold requests for long");

        Assert.Equal(["AAPL", "MSFT"], Symbols(overview.GetProperty("data").GetProperty("stale_symbols")));
        Assert.Equal(2000m + 2000m, overview.GetProperty("market_value").GetDecimal());
        Assert.Equal(liveAsOf.Values.Min(), overview.GetProperty("data").GetProperty("oldest_price_as_of").GetDateTimeOffset());
        foreach (var (body, priceField) in new[] { (positions, "price"), (profitLoss, "current_price") })
        {
            Assert.Equal(["AAPL", "MSFT"], Symbols(body.GetProperty("data").GetProperty("stale_symbols")));
            foreach (var symbol in liveAsOf.Keys)
            {
                var line = Position(body, symbol);
                Assert.Equal("stale", Status(line));
                Assert.Equal(liveAsOf[symbol], AsOf(line)); // the stored price's own time, not "now"
                Assert.False(string.IsNullOrEmpty(line.GetProperty("price_status").GetProperty("reason").GetString()));
                Assert.Equal(_yahoo.Prices[symbol], line.GetProperty(priceField).GetDecimal());
            }
        }
        Assert.Equal(4000m, profitLoss.GetProperty("totals").GetProperty("market_value").GetDecimal());

        if (failure == VendorMode.RateLimited)
        {
            // Retry-After is honoured: until it has passed, no request reaches the vendor.
            var before = _yahoo.Requests;
            app.Clock.Advance(FailureCache + TimeSpan.FromSeconds(1));
            Assert.Equal("stale", Status(Position(await GetAsync(user, "/api/dashboard/positions"), "AAPL")));
            Assert.Equal(before, _yahoo.Requests);
            app.Clock.Advance(TimeSpan.FromSeconds(_yahoo.RetryAfterSeconds));
        }

        // The vendor comes back: fresh again once the failure cache period has passed.
        _yahoo.Mode = VendorMode.Healthy;
        _yahoo.Prices["AAPL"] = 210m;
        app.Clock.Advance(FailureCache + TimeSpan.FromSeconds(1));
        var recovered = await PollAsync(user, "/api/dashboard/positions", body => Status(Position(body, "AAPL")) == "live", app.Clock);
        Assert.Equal(210m, Position(recovered, "AAPL").GetProperty("price").GetDecimal());
        Assert.True(AsOf(Position(recovered, "AAPL")) > liveAsOf["AAPL"]);
        var fresh = await GetAsync(user, "/holdings/profit-loss");
        Assert.Empty(fresh.GetProperty("data").GetProperty("stale_symbols").EnumerateArray());
        Assert.Equal(2100m + 2000m, fresh.GetProperty("totals").GetProperty("market_value").GetDecimal());
    }

    [Fact]
    public async Task The_circuit_breaker_opens_so_calls_stop_reaching_the_vendor_and_closes_after_the_break()
    {
        await using var lease = await StartAppAsync(breakerMinimumThroughput: 4);
        var app = lease.App;
        var user = await app.CreateUserAsync();
        await BuyAsync(user, "AAPL", 10, 150m);
        Assert.Equal("live", (await GetAsync(user, "/api/dashboard/quote/AAPL")).GetProperty("status").GetString());

        _yahoo.Mode = VendorMode.ServerError;
        var healthyCalls = _yahoo.QuoteRequests;
        // Each request after the cache period asks the vendor once (no retries in this app).
        int reached;
        var attempts = 0;
        do
        {
            reached = _yahoo.QuoteRequests;
            app.Clock.Advance(QuoteCache + TimeSpan.FromSeconds(1));
            var quote = await GetAsync(user, "/api/dashboard/quote/AAPL");
            Assert.Equal("stale", quote.GetProperty("status").GetString());
            Assert.True(++attempts < 20, "the circuit never opened");
        }
        while (_yahoo.QuoteRequests > reached);
        // The breaker opened once the sample held its minimum throughput (4 calls, counting the healthy one) at >= 50 % failures.
        Assert.InRange(_yahoo.QuoteRequests - healthyCalls, 3, 4);

        // Open: requests keep answering from the store without calling the vendor.
        var open = _yahoo.Requests;
        for (var i = 0; i < 3; i++)
        {
            app.Clock.Advance(FailureCache + TimeSpan.FromSeconds(1));
            Assert.Equal("stale", (await GetAsync(user, "/holdings/profit-loss")).GetProperty("positions")[0].GetProperty("price_status").GetProperty("status").GetString());
        }
        Assert.Equal(open, _yahoo.Requests);

        // After the break one trial call goes through; it succeeds, so the circuit closes.
        _yahoo.Mode = VendorMode.Healthy;
        app.Clock.Advance(BreakDuration);
        var live = await PollAsync(user, "/api/dashboard/quote/AAPL", body => body.GetProperty("status").GetString() == "live", app.Clock);
        Assert.Equal(200m, live.GetProperty("price").GetDecimal());
        var closed = _yahoo.QuoteRequests;
        app.Clock.Advance(QuoteCache + TimeSpan.FromSeconds(1));
        Assert.Equal("live", (await GetAsync(user, "/api/dashboard/quote/AAPL")).GetProperty("status").GetString());
        Assert.Equal(closed + 1, _yahoo.QuoteRequests);
    }

    [Fact]
    public async Task A_symbol_never_priced_is_unavailable_and_valued_at_its_last_trade_price_never_zero()
    {
        await using var lease = await StartAppAsync(breakerMinimumThroughput: 1000);
        var app = lease.App;
        var user = await app.CreateUserAsync();
        // NVDA has no price at the vendor (it fails for it); AAPL is priced.
        await BuyAsync(user, "NVDA", 4, 100m, date: "2025-01-02");
        await BuyAsync(user, "NVDA", 2, 130m, date: "2025-02-03");
        await BuyAsync(user, "AAPL", 1, 150m);

        var positions = await GetAsync(user, "/api/dashboard/positions");
        var profitLoss = await GetAsync(user, "/holdings/profit-loss");
        var overview = await GetAsync(user, "/api/dashboard/overview");

        var nvda = Position(positions, "NVDA");
        Assert.Equal("unavailable", Status(nvda));
        Assert.Equal(JsonValueKind.Null, nvda.GetProperty("price_status").GetProperty("as_of").ValueKind);
        Assert.Equal(130m, nvda.GetProperty("price").GetDecimal());
        Assert.Equal(780m, nvda.GetProperty("market_value").GetDecimal());
        Assert.Equal(130m, Position(profitLoss, "NVDA").GetProperty("current_price").GetDecimal());
        Assert.Equal("unavailable", Status(Position(profitLoss, "NVDA")));
        Assert.Equal("live", Status(Position(profitLoss, "AAPL")));
        Assert.Equal(["NVDA"], Symbols(overview.GetProperty("data").GetProperty("unavailable_symbols")));
        Assert.Equal(780m + 200m, overview.GetProperty("market_value").GetDecimal());
        var quote = await user.Http.GetAsync("/api/dashboard/quote/NVDA");
        await quote.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
    }

    private static readonly TimeSpan BreakDuration = TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1);

    private async Task<Lease<FinSightApp>> StartAppAsync(int breakerMinimumThroughput)
    {
        var settings = _yahoo.Settings();
        settings["MarketData:QuoteCacheDuration"] = QuoteCache.ToString("c", CultureInfo.InvariantCulture);
        settings["MarketData:FailureCacheDuration"] = FailureCache.ToString("c", CultureInfo.InvariantCulture);
        settings["MarketData:Yahoo:Timeout"] = "00:00:00.4";
        settings["MarketData:Yahoo:MaxRetries"] = breakerMinimumThroughput < 1000 ? "0" : "1";
        settings["MarketData:Yahoo:RetryBaseDelay"] = "00:00:00.05";
        settings["MarketData:Yahoo:MaxRetryAfter"] = "00:00:02";
        settings["MarketData:Yahoo:BreakerFailureRatio"] = "0.5";
        settings["MarketData:Yahoo:BreakerMinimumThroughput"] = breakerMinimumThroughput.ToString(CultureInfo.InvariantCulture);
        settings["MarketData:Yahoo:BreakerSamplingDuration"] = "00:10:00";
        settings["MarketData:Yahoo:BreakerBreakDuration"] = "00:10:00";
        var app = new FaultApp(settings);
        await app.InitializeAsync();
        return new Lease<FinSightApp>(app);
    }

    private static async Task BuyAsync(UserClient user, string symbol, decimal quantity, decimal price, string date = "2025-03-03")
    {
        var response = await user.Http.PostAsJsonAsync("/api/transactions", new { type = "buy", symbol, quantity, price, date });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The body of a 200; for a dashboard route, the <c>data</c> of its success envelope.</summary>
    private static async Task<JsonElement> GetAsync(UserClient user, string path)
    {
        var response = await user.Http.GetAsync(path);
        return path.StartsWith("/api/dashboard/", StringComparison.Ordinal)
            ? await response.AssertSuccessAsync()
            : await response.AssertJsonAsync(HttpStatusCode.OK);
    }

    /// <summary>Asks until the condition holds, moving the app's clock past the failure cache between tries.</summary>
    private static async Task<JsonElement> PollAsync(UserClient user, string path, Func<JsonElement, bool> condition, TestClock clock)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var body = await GetAsync(user, path);
            if (condition(body))
            {
                return body;
            }
            Assert.True(DateTime.UtcNow < deadline, $"{path} did not recover: {body}");
            clock.Advance(FailureCache + TimeSpan.FromSeconds(1));
            await Task.Delay(50);
        }
    }

    private static JsonElement Position(JsonElement body, string symbol) =>
        body.GetProperty("positions").EnumerateArray().Single(p => p.GetProperty("symbol").GetString() == symbol);

    private static string? Status(JsonElement line) => line.GetProperty("price_status").GetProperty("status").GetString();

    private static DateTimeOffset AsOf(JsonElement line) => line.GetProperty("price_status").GetProperty("as_of").GetDateTimeOffset();

    private static string[] Symbols(JsonElement array) => [.. array.EnumerateArray().Select(s => s.GetString()!).Order(StringComparer.Ordinal)];

    private sealed class FaultApp(IDictionary<string, string?> settings) : FinSightApp(DatabaseProvider.Sqlite)
    {
        protected override IDictionary<string, string?> ExtraSettings => settings;
    }
}
