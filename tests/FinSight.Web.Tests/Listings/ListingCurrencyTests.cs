using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FinSight.Web.Tests.Infrastructure;

namespace FinSight.Web.Tests.Listings;

/// <summary>
/// A security's currency comes from market data (Yahoo's chart <c>meta.currency</c>, pence turned into
/// pounds), not only from its exchange suffix; the suffix is the fallback when no provider says. A quote
/// in another currency than the one the position is held in is never taken as its price.
/// </summary>
public abstract class ListingCurrencyTests(ListingsApp app)
{
    [Fact]
    public async Task A_London_listing_that_trades_in_dollars_is_recorded_in_dollars()
    {
        var user = await app.CreateUserAsync();

        // The suffix alone would say pounds; Yahoo's chart says USD.
        var etf = await Post(user, new { type = "buy", symbol = "CSPX.L", quantity = 2m, price = 590m, date = "2025-09-02" });
        // Yahoo quotes Shell in pence (GBp): the listing trades in pounds.
        var shell = await Post(user, new { type = "buy", symbol = "SHEL.L", quantity = 10m, price = 24.00m, date = "2025-09-02" });
        // Yahoo does not know VOD.L: the suffix's currency stands.
        var vodafone = await Post(user, new { type = "buy", symbol = "VOD.L", quantity = 100m, price = 0.70m, date = "2025-09-02" });
        // A later sell without a currency is in the symbol's currency, whatever the suffix says.
        var sell = await Post(user, new { type = "sell", symbol = "CSPX.L", quantity = 1m, price = 600m, date = "2025-09-03" });

        Assert.Equal(("USD", "GBP", "GBP", "USD"), (Currency(etf), Currency(shell), Currency(vodafone), Currency(sell)));
        var positions = await (await user.Http.GetAsync("/api/dashboard/positions")).AssertSuccessAsync();
        var cspx = Position(positions, "CSPX.L");
        Assert.Equal(("USD", 600.00m, "live"), (cspx.GetProperty("currency").GetString(), cspx.GetProperty("price").GetDecimal(),
            cspx.GetProperty("price_status").GetProperty("status").GetString()));
        Assert.Equal(24.50m, Position(positions, "SHEL.L").GetProperty("price").GetDecimal());
    }

    [Fact]
    public async Task A_quote_in_another_currency_than_the_position_is_not_its_price_and_says_so()
    {
        var user = await app.CreateUserAsync();
        var id = (await (await user.Http.GetAsync("/api/portfolios")).AssertJsonAsync(HttpStatusCode.OK))[0].GetProperty("id").GetString();
        (await user.Http.PutAsJsonAsync($"/api/portfolios/{id}", new { base_currency = "GBP" })).EnsureSuccessStatusCode();
        // Booked in pounds on purpose (a broker's statement in GBP); Yahoo quotes CSPX.L at 600 USD.
        await Post(user, new { type = "buy", symbol = "CSPX.L", quantity = 10m, price = 450m, currency = "GBP", date = "2025-09-02" });

        var positions = await (await user.Http.GetAsync("/api/dashboard/positions")).AssertSuccessAsync();
        var cspx = Position(positions, "CSPX.L");
        // Valued at its last trade price in pounds (4,500.00), never at 600 "pounds" (6,000.00).
        Assert.Equal(("GBP", 450m, 4500.00m), (cspx.GetProperty("currency").GetString(), cspx.GetProperty("price").GetDecimal(), cspx.GetProperty("market_value").GetDecimal()));
        var status = cspx.GetProperty("price_status");
        Assert.Equal("unavailable", status.GetProperty("status").GetString());
        Assert.Contains("in USD, but it is held in GBP", status.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("CSPX.L", positions.GetProperty("data").GetProperty("unavailable_symbols").EnumerateArray().Select(s => s.GetString()));

        var performance = await (await user.Http.GetAsync("/api/dashboard/performance?range=ALL")).AssertSuccessAsync();
        Assert.Equal(4500.00m, performance.GetProperty("end_value").GetDecimal());
    }

    private static string? Currency(JsonElement transaction) => transaction.GetProperty("currency").GetString();

    private static JsonElement Position(JsonElement positions, string symbol) =>
        positions.GetProperty("positions").EnumerateArray().Single(p => p.GetProperty("symbol").GetString() == symbol);

    private static async Task<JsonElement> Post(UserClient user, object body) =>
        await (await user.Http.PostAsJsonAsync("/api/transactions", body)).AssertJsonAsync(HttpStatusCode.Created);
}

public sealed class ListingCurrencySqliteTests(ListingsSqliteApp app) : ListingCurrencyTests(app), IClassFixture<ListingsSqliteApp>;

public sealed class ListingCurrencyPostgresTests(ListingsPostgresApp app) : ListingCurrencyTests(app), IClassFixture<ListingsPostgresApp>;
