using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using FinSight.Web.Tests.Infrastructure;

namespace FinSight.Web.Tests.Listings;

/// <summary>
/// A portfolio's daily history follows the trading days of the venues it holds, as the listings'
/// daily bars tell them (Yahoo's chart leaves London's bank holidays out): London only, the summer
/// bank holiday is no point and US Labor Day and Thanksgiving are; with a US holding too, both are.
/// </summary>
public abstract class ExchangeCalendarHistoryTests(ListingsApp app)
{
    [Fact]
    public async Task A_London_portfolio_has_no_point_on_a_UK_bank_holiday_but_one_on_US_holidays()
    {
        var days = await SeriesDaysAsync(new { type = "buy", symbol = "SHEL.L", quantity = 10m, price = 24.00m, date = "2025-08-18" });

        Assert.DoesNotContain(D("2025-08-25"), days);   // Summer bank holiday
        Assert.DoesNotContain(D("2025-12-26"), days);   // Boxing Day
        Assert.Contains(D("2025-09-01"), days);         // US Labor Day: London trades
        Assert.Contains(D("2025-11-27"), days);         // Thanksgiving
        Assert.Contains(D("2025-08-26"), days);
    }

    [Fact]
    public async Task A_portfolio_in_London_and_New_York_follows_both_and_carries_each_value_forward()
    {
        var days = await SeriesDaysAsync(
            new { type = "buy", symbol = "SHEL.L", quantity = 10m, price = 24.00m, date = "2025-08-18" },
            new { type = "buy", symbol = "AAPL", quantity = 1m, price = 200m, date = "2025-08-18" });

        Assert.Contains(D("2025-08-25"), days);
        Assert.Contains(D("2025-09-01"), days);
        Assert.Contains(D("2025-12-26"), days);
        Assert.DoesNotContain(D("2025-12-25"), days);
        Assert.DoesNotContain(D("2025-08-23"), days);
    }

    private static DateOnly D(string date) => DateOnly.Parse(date, CultureInfo.InvariantCulture);

    private async Task<HashSet<DateOnly>> SeriesDaysAsync(params object[] transactions)
    {
        var user = await app.CreateUserAsync();
        var id = (await (await user.Http.GetAsync("/api/portfolios")).AssertJsonAsync(HttpStatusCode.OK))[0].GetProperty("id").GetString();
        (await user.Http.PutAsJsonAsync($"/api/portfolios/{id}", new { base_currency = "GBP" })).EnsureSuccessStatusCode();
        foreach (var body in transactions)
        {
            await (await user.Http.PostAsJsonAsync("/api/transactions", body)).AssertJsonAsync(HttpStatusCode.Created);
        }
        var performance = await (await user.Http.GetAsync("/api/dashboard/performance?range=ALL")).AssertSuccessAsync();
        Assert.Empty(performance.GetProperty("missing_history").EnumerateArray());
        var days = performance.GetProperty("series").EnumerateArray().Select(p => D(p.GetProperty("date").GetString()!)).ToHashSet();
        Assert.Contains(D("2025-08-18"), days);
        return days;
    }
}

public sealed class ExchangeCalendarHistorySqliteTests(ListingsSqliteApp app) : ExchangeCalendarHistoryTests(app), IClassFixture<ListingsSqliteApp>;

public sealed class ExchangeCalendarHistoryPostgresTests(ListingsPostgresApp app) : ExchangeCalendarHistoryTests(app), IClassFixture<ListingsPostgresApp>;
