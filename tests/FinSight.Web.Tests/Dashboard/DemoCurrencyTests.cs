using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FinSight.Web.Data;
using FinSight.Web.Tests.Infrastructure;

namespace FinSight.Web.Tests.Dashboard;

/// <summary>
/// The demo switched to EUR on the moving simulated market: everything it holds is in dollars, so
/// every value re-expresses as its dollar figure × today's USD/EUR rate (to the cent), while what it
/// cost is at each purchase day's rate, and the gain's currency part is what the dollar did since.
/// </summary>
public sealed class DemoCurrencyTests(DemoEurApp app) : IClassFixture<DemoEurApp>
{
    [Fact]
    public async Task The_demo_switched_to_EUR_re_expresses_every_value_at_todays_rate()
    {
        var login = await app.CreateClient().PostAsJsonAsync("/api/auth/login", new { username = "demo", password = "demo123" });
        var demo = app.CreateClient();
        demo.DefaultRequestHeaders.Authorization = new("Bearer", (await login.AssertJsonAsync(HttpStatusCode.OK)).GetProperty("access_token").GetString());
        var usd = await (await demo.GetAsync("/api/dashboard/overview")).AssertSuccessAsync();
        var usdPositions = (await (await demo.GetAsync("/api/dashboard/positions")).AssertSuccessAsync()).GetProperty("positions").EnumerateArray().ToArray();
        Assert.Equal("USD", usd.GetProperty("currency").GetString());
        Assert.Equal(0m, usd.GetProperty("currency_effect").GetDecimal());

        var id = (await (await demo.GetAsync("/api/portfolios")).AssertJsonAsync(HttpStatusCode.OK))[0].GetProperty("id").GetString();
        (await demo.PutAsJsonAsync($"/api/portfolios/{id}", new { base_currency = "EUR" })).EnsureSuccessStatusCode();
        var eur = await (await demo.GetAsync("/api/dashboard/overview")).AssertSuccessAsync();
        var eurPositions = (await (await demo.GetAsync("/api/dashboard/positions")).AssertSuccessAsync()).GetProperty("positions").EnumerateArray().ToArray();

        Assert.Equal("EUR", eur.GetProperty("currency").GetString());
        var rate = Assert.Single(eur.GetProperty("exchange_rates").EnumerateArray());
        Assert.Equal(("USD", "simulated"), (rate.GetProperty("currency").GetString(), rate.GetProperty("status").GetString()));
        var r = rate.GetProperty("rate").GetDecimal();
        Assert.InRange(r, 0.7m, 1.2m);
        foreach (var field in new[] { "total_value", "cash", "market_value" })
        {
            Assert.InRange(eur.GetProperty(field).GetDecimal() - Math.Round(usd.GetProperty(field).GetDecimal() * r, 2), -0.02m, 0.02m);
        }
        foreach (var (u, e) in usdPositions.Zip(eurPositions))
        {
            Assert.Equal(u.GetProperty("symbol").GetString(), e.GetProperty("symbol").GetString());
            Assert.Equal(u.GetProperty("price").GetDecimal(), e.GetProperty("price").GetDecimal());
            Assert.Equal("USD", e.GetProperty("currency").GetString());
            Assert.InRange(e.GetProperty("market_value").GetDecimal() - Math.Round(u.GetProperty("market_value").GetDecimal() * r, 2), -0.01m, 0.01m);
            Assert.Equal(e.GetProperty("unrealized_pnl").GetDecimal(), e.GetProperty("price_effect").GetDecimal() + e.GetProperty("currency_effect").GetDecimal());
            Assert.Equal(u.GetProperty("weight").GetDecimal(), e.GetProperty("weight").GetDecimal());
        }
        // The parts add up to the total, and the whole portfolio is in dollars.
        Assert.Equal(eur.GetProperty("total_return").GetDecimal(), eur.GetProperty("price_effect").GetDecimal() + eur.GetProperty("currency_effect").GetDecimal());
        var split = Assert.Single(eur.GetProperty("currency_allocation").EnumerateArray());
        Assert.Equal(("USD", 100m), (split.GetProperty("currency").GetString(), split.GetProperty("weight").GetDecimal()));
        var performance = await (await demo.GetAsync("/api/dashboard/performance?range=ALL")).AssertSuccessAsync();
        Assert.Equal("EUR", performance.GetProperty("currency").GetString());
        Assert.True(performance.GetProperty("series").GetArrayLength() > 200);

        // And back: the dollar figures again.
        (await demo.PutAsJsonAsync($"/api/portfolios/{id}", new { base_currency = "USD" })).EnsureSuccessStatusCode();
        var again = await (await demo.GetAsync("/api/dashboard/overview")).AssertSuccessAsync();
        Assert.Equal(usd.GetProperty("invested").GetDecimal(), again.GetProperty("invested").GetDecimal());
        Assert.Equal(usd.GetProperty("twr").GetDouble(), again.GetProperty("twr").GetDouble());
    }
}

public sealed class DemoEurApp() : FinSightApp(DatabaseProvider.Sqlite)
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["FinSight:Demo"] = "true", ["FinSight:ForceDemo"] = "true" };
}
