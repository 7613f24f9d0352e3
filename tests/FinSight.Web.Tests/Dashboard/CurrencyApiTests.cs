using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FinSight.Web.Data;
using FinSight.Web.Tests.Infrastructure;
using FinSight.MarketData;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace FinSight.Web.Tests.Dashboard;

/// <summary>
/// A EUR portfolio holding a London and a US stock, on a simulated market whose prices and rates are
/// pinned so that every figure can be worked out by hand: SHEL.L 24.50 GBP (2,450p), AAPL 200 USD;
/// 1 GBP = 1.20 EUR, 1 USD = 0.90 EUR; 1 EUR = 1.10 USD, 1 GBP = 1.32 USD.
/// </summary>
public abstract class CurrencyApiTests(PinnedRatesApp app)
{
    [Fact]
    public async Task A_EUR_portfolio_values_a_London_and_a_US_holding_in_euros_and_splits_the_gain()
    {
        var user = await SeedAsync();

        var overview = await Get(user, "/api/dashboard/overview");
        var positions = await Get(user, "/api/dashboard/positions");

        Assert.Equal("EUR", overview.GetProperty("currency").GetString());
        // Cash: 10,000.00 − 2,886.00 (100 × 24.00 + 5.00 = 2,405.00 GBP at 1.20) − 1,656.00 (1,800.00 USD at the stated 0.92)
        Assert.Equal(5458.00m, overview.GetProperty("cash").GetDecimal());
        // SHEL.L 100 × 24.50 × 1.20 = 2,940.00; AAPL 10 × 200 × 0.90 = 1,800.00
        Assert.Equal(4740.00m, overview.GetProperty("market_value").GetDecimal());
        Assert.Equal(10198.00m, overview.GetProperty("total_value").GetDecimal());
        Assert.Equal(4542.00m, overview.GetProperty("invested").GetDecimal());
        Assert.Equal(198.00m, overview.GetProperty("total_return").GetDecimal());
        // Price: (2,450 − 2,405) × 1.20 = 54.00 and (2,000 − 1,800) × 0.90 = 180.00; currency: 0 and 1,800 × 0.90 − 1,656 = −36.00
        Assert.Equal(234.00m, overview.GetProperty("price_effect").GetDecimal());
        Assert.Equal(-36.00m, overview.GetProperty("currency_effect").GetDecimal());
        var split = overview.GetProperty("currency_allocation").EnumerateArray()
            .ToDictionary(s => s.GetProperty("currency").GetString()!, s => s.GetProperty("value").GetDecimal());
        Assert.Equal(new Dictionary<string, decimal> { ["EUR"] = 5458.00m, ["GBP"] = 2940.00m, ["USD"] = 1800.00m }, split);
        Assert.Contains(overview.GetProperty("exchange_rates").EnumerateArray(),
            r => r.GetProperty("currency").GetString() == "GBP" && r.GetProperty("rate").GetDecimal() == 1.20m && r.GetProperty("status").GetString() == "simulated");

        Assert.Equal("EUR", positions.GetProperty("currency").GetString());
        var shell = positions.GetProperty("positions").EnumerateArray().Single(p => p.GetProperty("symbol").GetString() == "SHEL.L");
        Assert.Equal(("GBP", 24.50m, 2450.00m, 2940.00m), (shell.GetProperty("currency").GetString(), shell.GetProperty("price").GetDecimal(),
            shell.GetProperty("local_market_value").GetDecimal(), shell.GetProperty("market_value").GetDecimal()));
        var apple = positions.GetProperty("positions").EnumerateArray().Single(p => p.GetProperty("symbol").GetString() == "AAPL");
        Assert.Equal((180.00m, -36.00m, 144.00m), (apple.GetProperty("price_effect").GetDecimal(), apple.GetProperty("currency_effect").GetDecimal(),
            apple.GetProperty("unrealized_pnl").GetDecimal()));

        var performance = await Get(user, "/api/dashboard/performance?range=ALL");
        Assert.Equal("EUR", performance.GetProperty("currency").GetString());
        Assert.Equal(10198.00m, performance.GetProperty("end_value").GetDecimal());
    }

    [Fact]
    public async Task Changing_the_base_currency_re_expresses_every_figure()
    {
        var user = await SeedAsync();
        var id = (await Get(user, "/api/portfolios"))[0].GetProperty("id").GetString();

        (await user.Http.PutAsJsonAsync($"/api/portfolios/{id}", new { base_currency = "usd" })).EnsureSuccessStatusCode();
        var overview = await Get(user, "/api/dashboard/overview");

        Assert.Equal("USD", overview.GetProperty("currency").GetString());
        // EUR cash 5,458.00 × 1.10 = 6,003.80; SHEL.L 2,450.00 × 1.32 = 3,234.00; AAPL 2,000.00
        Assert.Equal(6003.80m, overview.GetProperty("cash").GetDecimal());
        Assert.Equal(11237.80m, overview.GetProperty("total_value").GetDecimal());
        // 10,000 EUR paid in = 11,000.00 USD
        Assert.Equal(237.80m, overview.GetProperty("total_return").GetDecimal());
    }

    [Fact]
    public async Task Income_is_in_the_base_currency_and_agrees_with_the_overview()
    {
        var user = await SeedAsync();
        // A USD dividend into the EUR portfolio: 10.00 USD at 0.90 = 9.00 EUR.
        (await user.Http.PostAsJsonAsync("/api/transactions", new { type = "dividend", symbol = "AAPL", amount = 10m, currency = "USD", date = "2025-06-10" }))
            .EnsureSuccessStatusCode();

        var overview = await Get(user, "/api/dashboard/overview");
        var income = await Get(user, "/api/income");

        Assert.Equal(9.00m, overview.GetProperty("dividends").GetDecimal());
        Assert.Equal(9.00m, income.GetProperty("total_received").GetDecimal());
        Assert.Equal(9.00m, income.GetProperty("by_year").EnumerateArray().Single().GetProperty("amount").GetDecimal());
        Assert.Equal(9.00m, income.GetProperty("by_holding").EnumerateArray().Single(h => h.GetProperty("symbol").GetString() == "AAPL")
            .GetProperty("received").GetDecimal());
    }

    [Fact]
    public async Task Currencies_are_checked_and_an_exchange_is_recorded()
    {
        var user = await SeedAsync();

        var bad = await user.Http.PostAsJsonAsync("/api/transactions", new { type = "deposit", amount = 10m, currency = "EURO", date = "2025-06-02" });
        var errors = await bad.AssertJsonAsync(HttpStatusCode.BadRequest);
        Assert.True(errors.GetProperty("errors").TryGetProperty("currency", out _));
        var pence = await user.Http.PostAsJsonAsync("/api/transactions", new { type = "buy", symbol = "SHEL.L", quantity = 1m, price = 2450m, currency = "GBp", date = "2025-06-02" });
        await pence.AssertJsonAsync(HttpStatusCode.BadRequest);
        var twoCurrencies = await user.Http.PostAsJsonAsync("/api/transactions", new { type = "sell", symbol = "SHEL.L", quantity = 1m, price = 25m, currency = "USD", date = "2025-06-03" });
        await twoCurrencies.AssertJsonAsync(HttpStatusCode.UnprocessableEntity);

        var exchange = await user.Http.PostAsJsonAsync("/api/transactions", new { type = "exchange", amount = 1000m, currency = "EUR", to_currency = "USD", to_amount = 1090m, date = "2025-06-04" });
        var created = await exchange.AssertJsonAsync(HttpStatusCode.Created);
        Assert.Equal(("EUR", "USD", 1090m), (created.GetProperty("currency").GetString(), created.GetProperty("to_currency").GetString(), created.GetProperty("to_amount").GetDecimal()));
        var overview = await Get(user, "/api/dashboard/overview");
        // 1,000 EUR out, 1,090 USD × 0.90 = 981.00 EUR in: cash 5,458.00 − 19.00; the 19.00 is a currency loss
        Assert.Equal(5439.00m, overview.GetProperty("cash").GetDecimal());
        Assert.Equal(179.00m, overview.GetProperty("total_return").GetDecimal());
        Assert.Equal(-55.00m, overview.GetProperty("currency_effect").GetDecimal());
    }

    private async Task<UserClient> SeedAsync()
    {
        var user = await app.CreateUserAsync();
        var id = (await Get(user, "/api/portfolios"))[0].GetProperty("id").GetString();
        (await user.Http.PutAsJsonAsync($"/api/portfolios/{id}", new { base_currency = "EUR" })).EnsureSuccessStatusCode();
        await Post(user, new { type = "deposit", amount = 10000m, date = "2025-06-02" });
        await Post(user, new { type = "buy", symbol = "SHEL.L", quantity = 100m, price = 24.00m, fees = 5.00m, settlement_currency = "EUR", date = "2025-06-02" });
        await Post(user, new { type = "buy", symbol = "AAPL", quantity = 10m, price = 180m, currency = "USD", settlement_currency = "EUR", settlement_rate = 0.92m, date = "2025-06-03" });
        return user;
    }

    private static async Task Post(UserClient user, object body) =>
        await (await user.Http.PostAsJsonAsync("/api/transactions", body)).AssertJsonAsync(HttpStatusCode.Created);

    private static async Task<JsonElement> Get(UserClient user, string route)
    {
        var response = await user.Http.GetAsync(route);
        return route.StartsWith("/api/dashboard/", StringComparison.Ordinal)
            ? await response.AssertSuccessAsync()
            : await response.AssertJsonAsync(HttpStatusCode.OK);
    }
}

public class PinnedRatesApp(DatabaseProvider provider) : FinSightApp(provider)
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["MarketData:Simulated:FixedPrices:AAPL"] = "200",
        ["MarketData:Simulated:FixedPrices:SHEL.L"] = "24.50",
        ["MarketData:Simulated:FixedPrices:SPY"] = "500",
        ["Analytics:RiskFreeRate"] = "0",
    };

    // A setting's key cannot hold '=' (it separates key from value), so the pairs are pinned here.
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.PostConfigure<MarketDataOptions>(o =>
        {
            o.Simulated.FixedPrices["GBPEUR=X"] = 1.20m;
            o.Simulated.FixedPrices["USDEUR=X"] = 0.90m;
            o.Simulated.FixedPrices["EURUSD=X"] = 1.10m;
            o.Simulated.FixedPrices["GBPUSD=X"] = 1.32m;
        }));
    }
}

public sealed class PinnedRatesSqliteApp() : PinnedRatesApp(DatabaseProvider.Sqlite);

public sealed class PinnedRatesPostgresApp() : PinnedRatesApp(DatabaseProvider.Postgres);

public sealed class CurrencyApiSqliteTests(PinnedRatesSqliteApp app) : CurrencyApiTests(app), IClassFixture<PinnedRatesSqliteApp>;

public sealed class CurrencyApiPostgresTests(PinnedRatesPostgresApp app) : CurrencyApiTests(app), IClassFixture<PinnedRatesPostgresApp>;

/// <summary>The currency columns of CSV export and import, and a broker's pence.</summary>
public sealed class CurrencyCsvTests(PinnedRatesSqliteApp app) : IClassFixture<PinnedRatesSqliteApp>
{
    [Fact]
    public async Task An_export_with_currencies_imports_into_another_portfolio_with_the_same_figures()
    {
        var alice = await app.CreateUserAsync();
        var id = (await (await alice.Http.GetAsync("/api/portfolios")).AssertJsonAsync(HttpStatusCode.OK))[0].GetProperty("id").GetString();
        (await alice.Http.PutAsJsonAsync($"/api/portfolios/{id}", new { base_currency = "EUR" })).EnsureSuccessStatusCode();
        foreach (var body in new object[]
        {
            new { type = "deposit", amount = 10000m, date = "2025-06-02" },
            new { type = "buy", symbol = "SHEL.L", quantity = 100m, price = 24.00m, fees = 5.00m, settlement_currency = "EUR", date = "2025-06-02" },
            new { type = "exchange", amount = 1000m, currency = "EUR", to_currency = "USD", to_amount = 1090m, date = "2025-06-03" },
            new { type = "buy", symbol = "AAPL", quantity = 5m, price = 180m, date = "2025-06-04" },
        })
        {
            await (await alice.Http.PostAsJsonAsync("/api/transactions", body)).AssertJsonAsync(HttpStatusCode.Created);
        }
        var csv = await alice.Http.GetStringAsync("/api/transactions/export");
        Assert.Contains("2025-06-02,buy,SHEL.L,100,24,5,,,,,GBP,EUR,,,", csv, StringComparison.Ordinal);
        Assert.Contains("2025-06-03,exchange,,,,,1000,,,,EUR,,,USD,1090", csv, StringComparison.Ordinal);

        var bob = await app.CreateUserAsync();
        var bobId = (await (await bob.Http.GetAsync("/api/portfolios")).AssertJsonAsync(HttpStatusCode.OK))[0].GetProperty("id").GetString();
        (await bob.Http.PutAsJsonAsync($"/api/portfolios/{bobId}", new { base_currency = "EUR" })).EnsureSuccessStatusCode();
        using var content = new StringContent(csv, System.Text.Encoding.UTF8, "text/csv");
        Assert.Equal(4, (await (await bob.Http.PostAsync("/api/transactions/import", content)).AssertJsonAsync(HttpStatusCode.OK)).GetProperty("imported").GetInt32());

        var a = await (await alice.Http.GetAsync("/api/dashboard/overview")).AssertSuccessAsync();
        var b = await (await bob.Http.GetAsync("/api/dashboard/overview")).AssertSuccessAsync();
        foreach (var field in new[] { "total_value", "cash", "invested", "total_return", "price_effect", "currency_effect" })
        {
            Assert.Equal(a.GetProperty(field).GetDecimal(), b.GetProperty(field).GetDecimal());
        }
        // 10,000 − 2,886.00 − 1,000 EUR; 1,090 − 900 USD at 0.90; SHEL.L at 24.50 × 1.20; AAPL 5 × 200 × 0.90
        Assert.Equal(6114.00m + 171.00m + 2940.00m + 900.00m, a.GetProperty("total_value").GetDecimal());
    }

    [Fact]
    public async Task A_broker_file_in_pence_is_read_in_pounds()
    {
        var user = await app.CreateUserAsync();
        const string broker = "Action,Date,Ticker,No. of shares,Price / share,Currency (Price / share),Total\r\n"
            + "Market buy,2025-06-02,SHEL.L,10,2450.0,GBX,245.00\r\n";
        using var content = new StringContent(broker, System.Text.Encoding.UTF8, "text/csv");
        var mapping = Uri.EscapeDataString("""{"symbol":"Ticker","quantity":"No. of shares","price":"Price / share","currency":"Currency (Price / share)"}""");
        var result = await (await user.Http.PostAsync($"/api/transactions/import?mapping={mapping}", content)).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, result.GetProperty("imported").GetInt32());
        var stored = (await (await user.Http.GetAsync("/api/transactions")).AssertJsonAsync(HttpStatusCode.OK)).GetProperty("items")[0];
        Assert.Equal(("GBP", 24.50m), (stored.GetProperty("currency").GetString(), stored.GetProperty("price").GetDecimal()));
    }
}
