using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FinSight.Web.Data;
using FinSight.Web.Features.Demo;
using FinSight.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FinSight.Web.Tests.Dashboard;

/// <summary>
/// Dashboard and profit/loss figures on a simulated market whose prices are pinned, so every
/// number can be worked out by hand: AAPL 200, AMZN 150, MSFT 400, SPY 500 on every day.
/// </summary>
public abstract class DashboardApiTests(PinnedPricesApp app)
{
    [Fact]
    public async Task Overview_profit_loss_and_trades_show_exact_figures()
    {
        var user = await SeedAsync();

        var overview = await Get(user, "/api/dashboard/overview");
        var profitLoss = await Get(user, "/holdings/profit-loss");
        var trades = await Get(user, "/api/dashboard/trades?limit=50");

        // 50 AAPL bought at 175.50 (cost 8,775.00) now at 200: 10,000.00, +1,225.00, +13.96 %.
        Assert.Equal(10000.00m, overview.GetProperty("market_value").GetDecimal());
        Assert.Equal(10000.00m, overview.GetProperty("total_value").GetDecimal());
        Assert.Equal(8775.00m, overview.GetProperty("invested").GetDecimal());
        Assert.Equal(1225.00m, overview.GetProperty("unrealized_pnl").GetDecimal());
        Assert.Equal(13.96m, overview.GetProperty("unrealized_pnl_percent").GetDecimal());
        // AMZN 10 bought at 145.03, sold at 165.03: +200.00.
        Assert.Equal(200.00m, overview.GetProperty("realized_pnl").GetDecimal());
        Assert.Equal(1425.00m, overview.GetProperty("total_return").GetDecimal());
        // 1,425 of 10,225.30 paid in for the buys.
        Assert.Equal(13.94m, overview.GetProperty("total_return_percent").GetDecimal());
        Assert.Equal((1, 1, 0), (overview.GetProperty("total_trades").GetInt32(), overview.GetProperty("winning_trades").GetInt32(), overview.GetProperty("losing_trades").GetInt32()));
        Assert.Equal(100m, overview.GetProperty("win_rate").GetDecimal());
        Assert.Equal(0m, overview.GetProperty("day_change").GetDecimal());
        Assert.True(overview.GetProperty("data").GetProperty("is_simulated").GetBoolean());
        Assert.Equal(1, overview.GetProperty("position_count").GetInt32());
        // TWR links days with buys counted at the start of their day and the sale at the end of its:
        // 06-02: 8,775 → 10,000; 06-03: 10,000 + 1,450.30 → 11,500; 07-01: 11,500 → 10,000 + 1,650.30 out.
        var twr = (10000.0 / 8775.0) * (11500.0 / 11450.30) * (11650.30 / 11500.0) - 1;
        Assert.Equal(twr * 100, overview.GetProperty("twr").GetDouble(), 0.005);
        // Constant prices after the first days: no drawdown, and no volatility worth the name.
        Assert.Equal(0.0, overview.GetProperty("max_drawdown").GetDouble(), 6);
        Assert.Equal("ALL", overview.GetProperty("range").GetString());

        var totals = profitLoss.GetProperty("totals");
        Assert.Equal((10000.00m, 8775.00m, 1225.00m, 13.96m), (totals.GetProperty("market_value").GetDecimal(),
            totals.GetProperty("cost").GetDecimal(), totals.GetProperty("gain").GetDecimal(), totals.GetProperty("gain_percent").GetDecimal()));
        var line = Assert.Single(profitLoss.GetProperty("positions").EnumerateArray());
        Assert.Equal(("AAPL", 200m, 175.50m), (line.GetProperty("symbol").GetString(), line.GetProperty("current_price").GetDecimal(), line.GetProperty("purchase_cost").GetDecimal()));
        Assert.Equal("simulated", line.GetProperty("price_status").GetProperty("status").GetString());

        var sell = trades.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("type").GetString() == "sell");
        Assert.Equal(200.00m, sell.GetProperty("realized_pnl").GetDecimal());
        Assert.Equal(13.79m, sell.GetProperty("realized_pnl_percent").GetDecimal());
        Assert.Equal("sell", trades.GetProperty("items")[0].GetProperty("type").GetString());
    }

    [Fact]
    public async Task Positions_carry_company_details_weight_and_price_status()
    {
        var user = await SeedAsync();
        await Post(user, new { type = "buy", symbol = "MSFT", quantity = 10m, price = 400m, date = "2025-08-01" });

        var positions = (await Get(user, "/api/dashboard/positions")).GetProperty("positions").EnumerateArray().ToArray();

        Assert.Equal(["AAPL", "MSFT"], positions.Select(p => p.GetProperty("symbol").GetString()!));
        var msft = positions[1];
        Assert.Equal("Microsoft Corporation", msft.GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(msft.GetProperty("sector").GetString()));
        Assert.Equal(4000m, msft.GetProperty("market_value").GetDecimal());
        Assert.Equal(28.57m, msft.GetProperty("weight").GetDecimal());
        Assert.Equal(0m, msft.GetProperty("unrealized_pnl").GetDecimal());
    }

    [Fact]
    public async Task A_new_transaction_shows_in_the_next_overview()
    {
        var user = await SeedAsync();
        Assert.Equal(10000.00m, (await Get(user, "/api/dashboard/overview")).GetProperty("market_value").GetDecimal());

        await Post(user, new { type = "sell", symbol = "AAPL", quantity = 10m, price = 210m, date = "2025-09-01" });

        var after = await Get(user, "/api/dashboard/overview");
        Assert.Equal(8000.00m, after.GetProperty("market_value").GetDecimal());
        // 10 × (210 − 175.50) more realized.
        Assert.Equal(545.00m, after.GetProperty("realized_pnl").GetDecimal());
        Assert.Equal(2, after.GetProperty("total_trades").GetInt32());
    }

    [Fact]
    public async Task Performance_returns_a_daily_series_for_each_range()
    {
        var user = await SeedAsync();

        var all = await Get(user, "/api/dashboard/performance?range=ALL&benchmark=SPY");
        var oneMonth = await Get(user, "/api/dashboard/performance?range=1M");

        var series = all.GetProperty("series").EnumerateArray().ToArray();
        Assert.Equal("2025-06-02", series[0].GetProperty("date").GetString());
        Assert.Equal(10000m, series[^1].GetProperty("value").GetDecimal());
        Assert.Equal(8775m, series[^1].GetProperty("invested").GetDecimal());
        // A benchmark at a constant price stays at its starting index.
        Assert.All(series, p => Assert.Equal(1.0, p.GetProperty("benchmark_index").GetDouble(), 9));
        Assert.Equal(all.GetProperty("twr").GetDouble(), (series[^1].GetProperty("twr_index").GetDouble() - 1) * 100, 0.005);
        Assert.Equal("1M", oneMonth.GetProperty("range").GetString());
        Assert.Equal(0.0, oneMonth.GetProperty("twr").GetDouble(), 9);
        Assert.True(oneMonth.GetProperty("series").GetArrayLength() is > 15 and < 35);

        await (await user.Http.GetAsync("/api/dashboard/performance?range=2W")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await user.Http.GetAsync("/api/dashboard/performance?benchmark=NOTREAL1")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task An_empty_portfolio_has_zeros_and_nulls_not_errors()
    {
        var user = await app.CreateUserAsync();

        var overview = await Get(user, "/api/dashboard/overview");
        var performance = await Get(user, "/api/dashboard/performance");

        Assert.Equal(0m, overview.GetProperty("total_value").GetDecimal());
        Assert.Equal(JsonValueKind.Null, overview.GetProperty("twr").ValueKind);
        Assert.Equal(JsonValueKind.Null, overview.GetProperty("win_rate").ValueKind);
        Assert.Equal(0, performance.GetProperty("series").GetArrayLength());
    }

    [Fact]
    public async Task Quotes_and_profiles_say_they_are_simulated()
    {
        var user = await app.CreateUserAsync();

        var quote = await Get(user, "/api/dashboard/quote/aapl");
        var profile = await Get(user, "/api/dashboard/profile/MSFT");

        Assert.Equal((200m, "simulated"), (quote.GetProperty("price").GetDecimal(), quote.GetProperty("status").GetString()));
        Assert.True(profile.GetProperty("is_simulated").GetBoolean());
        Assert.Equal("Microsoft Corporation", profile.GetProperty("name").GetString());
        await (await user.Http.GetAsync("/api/dashboard/quote/A%20B")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Another_users_portfolio_is_404_on_every_dashboard_route()
    {
        var owner = await SeedAsync();
        var intruder = await app.CreateUserAsync();
        var portfolioId = (await Get(owner, "/api/dashboard/overview")).GetProperty("portfolio_id").GetString();

        foreach (var route in new[] { "/api/dashboard/overview", "/api/dashboard/positions", "/api/dashboard/trades", "/api/dashboard/performance", "/holdings/profit-loss" })
        {
            var separator = route.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            await (await intruder.Http.GetAsync($"{route}{separator}portfolio_id={portfolioId}")).AssertProblemAsync(HttpStatusCode.NotFound);
            await (await app.CreateClient().GetAsync(route)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        }
        Assert.Equal(0m, (await Get(intruder, "/api/dashboard/overview")).GetProperty("total_value").GetDecimal());
    }

    [Fact]
    public async Task The_demo_account_is_created_once_with_the_specs_holdings()
    {
        await DemoMode.SeedAsync(app.Services, CancellationToken.None);
        await DemoMode.SeedAsync(app.Services, CancellationToken.None);

        var login = await app.CreateClient().PostAsJsonAsync("/api/auth/login", new { username = "demo", password = "demo123" });
        var token = (await login.AssertJsonAsync(HttpStatusCode.OK)).GetProperty("access_token").GetString();
        var demo = app.CreateClient();
        demo.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var trades = await (await demo.GetAsync("/api/dashboard/trades")).AssertSuccessAsync();
        var positions = await (await demo.GetAsync("/api/dashboard/positions")).AssertSuccessAsync();

        // The deposit that funds the buys, the five buys and the AMZN round trip, beside the dividends the demo records from market data.
        Assert.Equal(8, trades.GetProperty("items").EnumerateArray().Count(t => t.GetProperty("type").GetString() != "dividend"));
        Assert.Equal(["AAPL", "GOOGL", "MSFT", "NVDA", "TSLA"], positions.GetProperty("positions").EnumerateArray().Select(p => p.GetProperty("symbol").GetString()!));
        var lots = positions.GetProperty("positions").EnumerateArray().ToDictionary(p => p.GetProperty("symbol").GetString()!, p => (p.GetProperty("quantity").GetDecimal(), p.GetProperty("average_cost").GetDecimal()));
        Assert.Equal((50m, 175.50m), lots["AAPL"]);
        Assert.Equal((30m, 380.25m), lots["MSFT"]);
        Assert.Equal((25m, 142.30m), lots["GOOGL"]);
        Assert.Equal((20m, 245.80m), lots["TSLA"]);
        Assert.Equal((15m, 495.60m), lots["NVDA"]);
        var sell = trades.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("type").GetString() == "sell");
        Assert.Equal(("AMZN", 200.00m, 13.79m), (sell.GetProperty("symbol").GetString(), sell.GetProperty("realized_pnl").GetDecimal(), sell.GetProperty("realized_pnl_percent").GetDecimal()));
    }

    private async Task<UserClient> SeedAsync()
    {
        var user = await app.CreateUserAsync();
        (await user.Http.PostAsJsonAsync("/holdings/add", new { symbol = "AAPL", purchase_cost = 175.50m, quantity = 50m, date = "2025-06-02" })).EnsureSuccessStatusCode();
        await Post(user, new { type = "buy", symbol = "AMZN", quantity = 10m, price = 145.03m, date = "2025-06-03" });
        await Post(user, new { type = "sell", symbol = "AMZN", quantity = 10m, price = 165.03m, date = "2025-07-01" });
        return user;
    }

    private static async Task Post(UserClient user, object body) =>
        await (await user.Http.PostAsJsonAsync("/api/transactions", body)).AssertJsonAsync(HttpStatusCode.Created);

    /// <summary>The body of a 200; for a dashboard route, the <c>data</c> of its success envelope.</summary>
    private static async Task<JsonElement> Get(UserClient user, string route)
    {
        var response = await user.Http.GetAsync(route);
        return route.StartsWith("/api/dashboard/", StringComparison.Ordinal)
            ? await response.AssertSuccessAsync()
            : await response.AssertJsonAsync(HttpStatusCode.OK);
    }
}

public class PinnedPricesApp(DatabaseProvider provider) : FinSightApp(provider)
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["MarketData:Simulated:FixedPrices:AAPL"] = "200",
        ["MarketData:Simulated:FixedPrices:AMZN"] = "150",
        ["MarketData:Simulated:FixedPrices:MSFT"] = "400",
        ["MarketData:Simulated:FixedPrices:SPY"] = "500",
        ["Analytics:RiskFreeRate"] = "0",
    };
}

public sealed class PinnedPricesSqliteApp() : PinnedPricesApp(DatabaseProvider.Sqlite);

public sealed class PinnedPricesPostgresApp() : PinnedPricesApp(DatabaseProvider.Postgres);

public sealed class DashboardApiSqliteTests(PinnedPricesSqliteApp app) : DashboardApiTests(app), IClassFixture<PinnedPricesSqliteApp>;

public sealed class DashboardApiPostgresTests(PinnedPricesPostgresApp app) : DashboardApiTests(app), IClassFixture<PinnedPricesPostgresApp>;

public sealed class SnapshotJobTests(PinnedPricesSqliteApp app) : IClassFixture<PinnedPricesSqliteApp>
{
    [Fact]
    public async Task The_daily_job_writes_a_snapshot_per_portfolio_with_the_days_figures()
    {
        var user = await app.CreateUserAsync();
        (await user.Http.PostAsJsonAsync("/holdings/add", new { symbol = "AAPL", purchase_cost = 150m, quantity = 10m, date = "2025-06-02" })).EnsureSuccessStatusCode();

        var written = await app.Services.GetRequiredService<FinSight.Web.Jobs.SnapshotJob>().WriteAllAsync(CancellationToken.None);

        Assert.True(written >= 1);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FinSightDbContext>();
        var snapshots = await db.PortfolioSnapshots.AsNoTracking().ToListAsync();
        Assert.Contains(snapshots, s => s.TotalValue == 2000m && s.CostBasis == 1500m && s.Benchmark == "SPY");
    }

    [Theory]
    [InlineData("2026-11-20T12:00:00Z", "2026-11-20T21:30:00Z")] // Friday morning → Friday 16:30 New York
    [InlineData("2026-11-20T22:00:00Z", "2026-11-23T21:30:00Z")] // Friday after the run → Monday
    [InlineData("2026-07-01T20:00:00Z", "2026-07-01T20:30:00Z")] // summer time: 16:30 EDT is 20:30 UTC
    public void The_job_runs_half_an_hour_after_each_close(string now, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            FinSight.Web.Jobs.SnapshotJob.NextRun(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
