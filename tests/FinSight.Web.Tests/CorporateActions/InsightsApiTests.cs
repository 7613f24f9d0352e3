using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FinSight.Web.Tests.Infrastructure;

namespace FinSight.Web.Tests.CorporateActions;

/// <summary>"Why it moved today", income and monthly returns on recorded Yahoo prices and events, SQLite and PostgreSQL.</summary>
public abstract class InsightsApiTests(RecordedMarketApp app)
{
    /// <summary>Today in New York: a trade dated so is one of today's, whatever the session.</summary>
    private static string Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("America/New_York")).DateTime)
        .ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task PostAsync(UserClient user, object body) =>
        await (await user.Http.PostAsJsonAsync("/api/transactions", body)).AssertJsonAsync(HttpStatusCode.Created);

    [Fact]
    public async Task Day_move_splits_the_change_by_holding_counts_todays_buy_from_its_price_and_adds_up_to_the_cent()
    {
        var user = await app.CreateUserAsync();
        await PostAsync(user, new { type = "buy", symbol = "AAPL", quantity = 40m, price = 100m, date = "2024-01-02" });
        await PostAsync(user, new { type = "buy", symbol = "GE", quantity = 13m, price = 80m, date = "2024-01-02" });
        var before = await (await user.Http.GetAsync("/api/dashboard/day-move")).AssertJsonAsync(HttpStatusCode.OK);
        var overview = await (await user.Http.GetAsync("/api/dashboard/overview")).AssertJsonAsync(HttpStatusCode.OK);
        // Without trades today, the same figure as the overview's day change: 40 × (115.97 − 116.32) + 13 × (106.02 − 105.76).
        Assert.Equal(-14.00m + 3.38m, before.GetProperty("data").GetProperty("day_change").GetDecimal());
        Assert.Equal(overview.GetProperty("data").GetProperty("day_change").GetDecimal(), before.GetProperty("data").GetProperty("day_change").GetDecimal());

        await PostAsync(user, new { type = "buy", symbol = "GE", quantity = 2m, price = 105m, fees = 0.5m, date = Today });
        await PostAsync(user, new { type = "deposit", amount = 1000m, date = Today });

        var data = (await (await user.Http.GetAsync("/api/dashboard/day-move")).AssertJsonAsync(HttpStatusCode.OK)).GetProperty("data");
        var holdings = data.GetProperty("holdings").EnumerateArray().ToArray();
        Assert.Equal(["AAPL", "GE"], holdings.Select(h => h.GetProperty("symbol").GetString()));
        Assert.Equal(-14.00m, holdings[0].GetProperty("contribution").GetDecimal());
        // 13 × 0.26 + 2 × (106.02 − 105) − 0.50: the new shares count from what they cost, not from yesterday's close.
        Assert.Equal(3.38m + 2.04m - 0.50m, holdings[1].GetProperty("contribution").GetDecimal());
        Assert.True(holdings[1].GetProperty("traded_today").GetBoolean());
        Assert.Equal(holdings.Sum(h => h.GetProperty("contribution").GetDecimal()), data.GetProperty("day_change").GetDecimal());
        Assert.Equal(1000m, data.GetProperty("net_deposits").GetDecimal());
        Assert.Equal(JsonValueKind.Null, data.GetProperty("news_score").ValueKind); // the recorded vendor has no news: none, not 0
    }

    [Fact]
    public async Task On_a_day_with_a_buy_and_a_sell_the_overview_the_positions_the_day_move_and_both_pages_show_one_day_change()
    {
        var user = await app.CreateUserAsync();
        await PostAsync(user, new { type = "buy", symbol = "AAPL", quantity = 40m, price = 100m, date = "2024-01-02" });
        await PostAsync(user, new { type = "buy", symbol = "GE", quantity = 13m, price = 80m, date = "2024-01-02" });
        var page = await PageSession.SignInAsync(app, user);
        // Warm the dashboard's cache first: the writes below must retire what it holds.
        _ = await page.GetStringAsync("/");
        await (await user.Http.GetAsync("/api/dashboard/overview")).AssertJsonAsync(HttpStatusCode.OK);

        await PostAsync(user, new { type = "sell", symbol = "AAPL", quantity = 10m, price = 116.00m, fees = 1m, date = Today });
        await PostAsync(user, new { type = "buy", symbol = "GE", quantity = 2m, price = 105m, fees = 0.5m, date = Today });

        // AAPL: 40 × (115.97 − 116.32) + 10 × (116.00 − 115.97) − 1 (sold today: up to the sale price).
        // GE: 13 × (106.02 − 105.76) + 2 × (106.02 − 105) − 0.50 (bought today: from the trade price).
        const decimal aapl = -14.00m + 0.30m - 1m, ge = 3.38m + 2.04m - 0.50m;
        var move = (await (await user.Http.GetAsync("/api/dashboard/day-move")).AssertJsonAsync(HttpStatusCode.OK)).GetProperty("data");
        var contributions = move.GetProperty("holdings").EnumerateArray().ToDictionary(h => h.GetProperty("symbol").GetString()!, h => h.GetProperty("contribution").GetDecimal());
        Assert.Equal(new Dictionary<string, decimal> { ["AAPL"] = aapl, ["GE"] = ge }, contributions);
        Assert.Equal(aapl + ge, move.GetProperty("day_change").GetDecimal());

        var overview = (await (await user.Http.GetAsync("/api/dashboard/overview")).AssertJsonAsync(HttpStatusCode.OK)).GetProperty("data");
        Assert.Equal(aapl + ge, overview.GetProperty("day_change").GetDecimal());
        // Of what was held at the previous close: 40 × 116.32 + 13 × 105.76.
        Assert.Equal(Math.Round((aapl + ge) / (40m * 116.32m + 13m * 105.76m) * 100m, 2), overview.GetProperty("day_change_percent").GetDecimal());
        var positions = (await (await user.Http.GetAsync("/api/dashboard/positions")).AssertJsonAsync(HttpStatusCode.OK)).GetProperty("data").GetProperty("positions")
            .EnumerateArray().ToDictionary(p => p.GetProperty("symbol").GetString()!, p => p.GetProperty("day_change").GetDecimal());
        Assert.Equal(contributions, positions);

        // The pages show the same figure, the dashboard's headline and the "why it moved" panel alike.
        Assert.Equal(aapl + ge, AmountIn(await page.GetStringAsync("/"), "day-change"));
        Assert.Equal(aapl + ge, AmountIn(await page.GetStringAsync("/income?handler=DayMove"), "day-move-total"));
    }

    /// <summary>The signed amount inside the element marked <c>data-testid="<paramref name="testId"/>"</c>, whatever its markup.</summary>
    private static decimal AmountIn(string html, string testId)
    {
        var match = System.Text.RegularExpressions.Regex.Match(html, $"data-testid=\"{testId}\"[^>]*>(.*?)</(div|span)>\\s*</", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.True(match.Success, $"no {testId} in the page");
        var text = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(match.Groups[1].Value, "<[^>]+>", ""));
        var number = new string([.. text.Replace('\u2212', '-').Where(c => char.IsDigit(c) || c is '.' or '-')]);
        return decimal.Parse(number, CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Income_counts_the_applied_dividends_by_month_year_and_holding()
    {
        var user = await app.CreateUserAsync();
        await PostAsync(user, new { type = "buy", symbol = "AAPL", quantity = 10m, price = 210.52m, date = "2019-05-01" });
        await (await user.Http.PostAsJsonAsync("/api/corporate-actions/apply", new { })).AssertJsonAsync(HttpStatusCode.OK);

        var income = await (await user.Http.GetAsync("/api/income")).AssertJsonAsync(HttpStatusCode.OK);

        Assert.Equal(55.40m, income.GetProperty("total_received").GetDecimal());
        Assert.Equal([("2019", 23.10m), ("2020", 32.30m)],
            income.GetProperty("by_year").EnumerateArray().Select(y => (y.GetProperty("period").GetString()!, y.GetProperty("amount").GetDecimal())));
        var months = income.GetProperty("by_month").EnumerateArray().ToArray();
        Assert.Equal("2019-05", months[0].GetProperty("period").GetString());
        Assert.Equal(7.70m, months[0].GetProperty("amount").GetDecimal());
        Assert.Equal(0m, months[1].GetProperty("amount").GetDecimal());
        var aapl = Assert.Single(income.GetProperty("by_holding").EnumerateArray());
        Assert.Equal(55.40m, aapl.GetProperty("received").GetDecimal());
        // Nothing in the last 12 months and no dividend of the last year to repeat: 0, and no calendar.
        Assert.Equal(0m, income.GetProperty("trailing_twelve_months").GetDecimal());
        Assert.Equal(0m, income.GetProperty("forecast_twelve_months").GetDecimal());
        Assert.Empty(income.GetProperty("upcoming").EnumerateArray());
        Assert.False(income.GetProperty("is_simulated").GetBoolean());
    }

    [Fact]
    public async Task Monthly_returns_compound_to_the_performance_routes_time_weighted_return()
    {
        var user = await app.CreateUserAsync();
        await PostAsync(user, new { type = "buy", symbol = "AAPL", quantity = 10m, price = 210.52m, date = "2019-05-01" });
        await (await user.Http.PostAsJsonAsync("/api/corporate-actions/apply", new { keys = new[] { "split:AAPL:2020-08-31" } })).AssertJsonAsync(HttpStatusCode.OK);

        var table = (await (await user.Http.GetAsync("/api/dashboard/monthly-returns")).AssertJsonAsync(HttpStatusCode.OK)).GetProperty("data");
        var performance = (await (await user.Http.GetAsync("/api/dashboard/performance?range=ALL")).AssertJsonAsync(HttpStatusCode.OK)).GetProperty("data");

        var years = table.GetProperty("years").EnumerateArray().ToArray();
        Assert.Equal(2019, years[0].GetProperty("year").GetInt32());
        Assert.Equal(JsonValueKind.Null, years[0].GetProperty("months")[0].ValueKind);
        // September 2020, the split's month: the market's +3.5 % from the August close 124.81… to 115.97 is −7.08 %, no −75 % cliff.
        var year2020 = years.Single(y => y.GetProperty("year").GetInt32() == 2020);
        Assert.InRange(year2020.GetProperty("months")[8].GetDecimal(), -20m, 20m);
        var compounded = years.Aggregate(1m, (f, y) => f * (1 + y.GetProperty("total").GetDecimal() / 100m)) - 1;
        Assert.Equal(performance.GetProperty("twr").GetDecimal() / 100m, compounded, 3);
    }

    [Fact]
    public async Task The_routes_are_in_the_openapi_document_and_another_users_portfolio_is_404()
    {
        var doc = await (await app.CreateClient().GetAsync("/openapi/v1.json")).AssertJsonAsync(HttpStatusCode.OK);
        var paths = doc.GetProperty("paths");
        foreach (var (path, method) in new[]
        {
            ("/api/corporate-actions", "get"), ("/api/corporate-actions/apply", "post"), ("/api/corporate-actions/dismiss", "post"),
            ("/api/corporate-actions/dismissed", "delete"), ("/api/corporate-actions/settings", "put"),
            ("/api/dashboard/day-move", "get"), ("/api/dashboard/monthly-returns", "get"), ("/api/income", "get"),
        })
        {
            Assert.True(paths.TryGetProperty(path, out var item) && item.TryGetProperty(method, out _), $"{method} {path} is not documented");
        }
        var user = await app.CreateUserAsync();
        var other = await app.CreateUserAsync();
        var theirs = (await (await other.Http.GetAsync("/api/portfolios")).AssertJsonAsync(HttpStatusCode.OK))[0].GetProperty("id").GetString();
        foreach (var route in new[] { "/api/dashboard/day-move", "/api/dashboard/monthly-returns", "/api/income" })
        {
            await (await user.Http.GetAsync($"{route}?portfolio_id={theirs}")).AssertProblemAsync(HttpStatusCode.NotFound);
        }
    }
}

public sealed class InsightsApiSqliteTests(RecordedMarketSqliteApp app) : InsightsApiTests(app), IClassFixture<RecordedMarketSqliteApp>;

public sealed class InsightsApiPostgresTests(RecordedMarketPostgresApp app) : InsightsApiTests(app), IClassFixture<RecordedMarketPostgresApp>;

/// <summary>On the simulated market (offline demos): the forecast from last year's dividends, and the day's headlines with their sentiment.</summary>
public abstract class SimulatedInsightsTests(FinSightApp app)
{
    [Fact]
    public async Task The_forecast_repeats_last_years_dividends_on_todays_shares_and_the_day_move_carries_headlines()
    {
        var user = await app.CreateUserAsync();
        var twoYearsAgo = DateTime.UtcNow.AddYears(-2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await (await user.Http.PostAsJsonAsync("/api/transactions", new { type = "buy", symbol = "MSFT", quantity = 30m, price = 400m, date = twoYearsAgo })).AssertJsonAsync(HttpStatusCode.Created);
        await (await user.Http.PostAsJsonAsync("/api/transactions", new { type = "buy", symbol = "AAPL", quantity = 10m, price = 200m, date = twoYearsAgo })).AssertJsonAsync(HttpStatusCode.Created);
        await (await user.Http.PostAsJsonAsync("/api/corporate-actions/apply", new { })).AssertJsonAsync(HttpStatusCode.OK);

        var income = await (await user.Http.GetAsync("/api/income")).AssertJsonAsync(HttpStatusCode.OK);
        var upcoming = income.GetProperty("upcoming").EnumerateArray().ToArray();
        var msft = upcoming.Where(u => u.GetProperty("symbol").GetString() == "MSFT").ToArray();
        Assert.InRange(msft.Length, 4, 5);
        Assert.All(msft, u => Assert.Equal((0.83m, 24.90m), (u.GetProperty("amount_per_share").GetDecimal(), u.GetProperty("amount").GetDecimal())));
        Assert.Equal(upcoming.Sum(u => u.GetProperty("amount").GetDecimal()), income.GetProperty("forecast_twelve_months").GetDecimal());
        Assert.True(income.GetProperty("is_simulated").GetBoolean());
        var trailing = income.GetProperty("trailing_twelve_months").GetDecimal();
        Assert.True(trailing >= 4 * (24.90m + 2.50m), $"trailing income {trailing}");
        Assert.Equal(trailing, income.GetProperty("by_holding").EnumerateArray().Sum(h => h.GetProperty("trailing_twelve_months").GetDecimal()));

        var move = (await (await user.Http.GetAsync("/api/dashboard/day-move")).AssertJsonAsync(HttpStatusCode.OK)).GetProperty("data");
        Assert.True(move.GetProperty("data").GetProperty("is_simulated").GetBoolean());
        var holdings = move.GetProperty("holdings").EnumerateArray().ToArray();
        Assert.Equal(2, holdings.Length);
        Assert.Equal(holdings.Sum(h => h.GetProperty("contribution").GetDecimal()), move.GetProperty("day_change").GetDecimal());
        Assert.Contains(holdings, h => h.GetProperty("headlines").GetArrayLength() > 0);
        Assert.All(holdings.SelectMany(h => h.GetProperty("headlines").EnumerateArray()),
            n => Assert.True(DateTimeOffset.Parse(n.GetProperty("published_at").GetString()!, CultureInfo.InvariantCulture) >= DateTimeOffset.UtcNow.AddHours(-24.1)));
        Assert.InRange(move.GetProperty("news_score").GetDouble(), -1, 1);
        Assert.NotEmpty(move.GetProperty("news_headlines").EnumerateArray());
    }
}

/// <summary>The stock page on the simulated market: NVDA's 10-for-1 split of 2024-06-10 inside the chart.</summary>
public sealed class StockChartSplitTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public async Task A_buy_before_a_split_is_marked_with_its_price_in_todays_shares_on_the_split_adjusted_line()
    {
        var user = await app.CreateUserAsync();
        // The page charts at most five years back, so this holds until 2029.
        await (await user.Http.PostAsJsonAsync("/api/transactions", new { type = "buy", symbol = "NVDA", quantity = 1m, price = 500m, date = "2024-01-02" })).AssertJsonAsync(HttpStatusCode.Created);
        var page = await PageSession.SignInAsync(app, user);

        var stock = await page.GetStringAsync("/stock/NVDA");

        Assert.Contains("Buy 1 @ $500.00 ($50.00 in today", stock);
    }
}

public sealed class SimulatedInsightsSqliteTests(SqliteApp app) : SimulatedInsightsTests(app), IClassFixture<SqliteApp>;

public sealed class SimulatedInsightsPostgresTests(PostgresApp app) : SimulatedInsightsTests(app), IClassFixture<PostgresApp>;
