using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using FinSight.MarketData;
using FinSight.Web.Data;
using FinSight.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FinSight.Web.Tests.Dashboard;

/// <summary>The demo as a new user sees it: started with <c>FinSight:Demo=true</c> on the moving simulated market.</summary>
public sealed class DemoDashboardTests(DemoApp app) : IClassFixture<DemoApp>
{
    [Fact]
    public async Task The_demo_tells_one_story_trades_at_the_market_on_trading_days_with_cash_beside()
    {
        var login = await app.CreateClient().PostAsJsonAsync("/api/auth/login", new { username = "demo", password = "demo123" });
        var demo = app.CreateClient();
        demo.DefaultRequestHeaders.Authorization = new("Bearer", (await login.AssertJsonAsync(HttpStatusCode.OK)).GetProperty("access_token").GetString());

        var trades = (await (await demo.GetAsync("/api/dashboard/trades")).AssertSuccessAsync()).GetProperty("items").EnumerateArray().Reverse().ToArray();
        var overview = await (await demo.GetAsync("/api/dashboard/overview")).AssertSuccessAsync();

        // A deposit first, then the spec's trades, every one on a NYSE trading day within the past year.
        Assert.Equal(("deposit", 50000m), (trades[0].GetProperty("type").GetString(), trades[0].GetProperty("amount").GetDecimal()));
        var lastSession = MarketCalendar.LastClosedSession(app.Clock.GetUtcNow());
        var market = app.Services.GetRequiredService<MarketDataService>();
        foreach (var trade in trades)
        {
            var date = DateOnly.Parse(trade.GetProperty("date").GetString()!, CultureInfo.InvariantCulture);
            Assert.True(MarketCalendar.IsTradingDay(date), $"{date} is not a trading day");
            Assert.InRange(date, lastSession.AddYears(-1), lastSession);
            if (trade.GetProperty("type").GetString() is "buy" or "sell")
            {
                // The simulated market closes exactly at the trade's price that day.
                var symbol = trade.GetProperty("symbol").GetString()!;
                var bar = Assert.Single((await market.GetDailyHistoryAsync(symbol, date, date)).Value!.Bars);
                Assert.Equal(trade.GetProperty("price").GetDecimal(), bar.Close);
            }
        }

        var total = overview.GetProperty("total_value").GetDecimal();
        var cash = overview.GetProperty("cash").GetDecimal();
        // The demo records the simulated market's dividends (its portfolio applies corporate actions automatically): cash beside the trades.
        var dividends = trades.Where(t => t.GetProperty("type").GetString() == "dividend").Sum(t => t.GetProperty("amount").GetDecimal());
        Assert.True(dividends > 0, "the demo recorded no dividend");
        Assert.Equal(dividends, overview.GetProperty("dividends").GetDecimal());
        Assert.Equal(50000m - 37540.30m + 1650.30m + dividends, cash);
        Assert.InRange(cash / total, 0.1m, 0.5m);
        var twr = overview.GetProperty("twr").GetDouble();
        var xirr = overview.GetProperty("xirr").GetDouble();
        Assert.Equal(Math.Sign(twr), Math.Sign(xirr));
        Assert.InRange(Math.Abs(twr - xirr), 0, 10);
        Assert.InRange(overview.GetProperty("volatility").GetDouble(), 15, 45);
        Assert.InRange(overview.GetProperty("max_drawdown").GetDouble(), 0.01, 60);
        Assert.InRange(overview.GetProperty("beta").GetDouble(), 0.3, 1.7);
        // The total return in money is the time-weighted one's: one deposit, no other external flow.
        Assert.Equal((double)overview.GetProperty("total_return_percent").GetDecimal(), twr, 0.5);
    }
}

public sealed class DemoApp() : FinSightApp(DatabaseProvider.Sqlite)
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["FinSight:Demo"] = "true", ["FinSight:ForceDemo"] = "true" };
}
