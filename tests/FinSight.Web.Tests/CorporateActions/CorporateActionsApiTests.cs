using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FinSight.MarketData;
using FinSight.Web.Jobs;
using FinSight.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FinSight.Web.Tests.CorporateActions;

/// <summary>
/// Splits and dividends from recorded Yahoo chart events (real HTTP over loopback), proposed against a
/// user's history, applied once however often asked, dismissed for good, on SQLite and PostgreSQL.
/// </summary>
public abstract class CorporateActionsApiTests(RecordedMarketApp app)
{
    private const string AaplSplit = "split:AAPL:2020-08-31";

    private static async Task<JsonElement> Post(UserClient user, string path, object body) =>
        await (await user.Http.PostAsJsonAsync(path, body)).AssertJsonAsync(HttpStatusCode.OK);

    private static async Task<JsonElement> Pending(UserClient user, string query = "") =>
        await (await user.Http.GetAsync("/api/corporate-actions" + query)).AssertJsonAsync(HttpStatusCode.OK);

    private static string[] Keys(JsonElement list) => [.. list.GetProperty("pending").EnumerateArray().Select(p => p.GetProperty("key").GetString()!)];

    private static async Task BuyAsync(UserClient user, string symbol, decimal quantity, decimal price, string date) =>
        await (await user.Http.PostAsJsonAsync("/api/transactions", new { type = "buy", symbol, quantity, price, date })).AssertJsonAsync(HttpStatusCode.Created);

    private static async Task<JsonElement> PositionAsync(UserClient user, string symbol)
    {
        var positions = await (await user.Http.GetAsync("/api/dashboard/positions")).AssertJsonAsync(HttpStatusCode.OK);
        return positions.GetProperty("data").GetProperty("positions").EnumerateArray().Single(p => p.GetProperty("symbol").GetString() == symbol);
    }

    /// <summary>Value on the first point on or after each date of the performance series.</summary>
    private static async Task<(decimal Before, decimal After)> ValuesAroundAsync(UserClient user, string before, string after)
    {
        var performance = await (await user.Http.GetAsync("/api/dashboard/performance?range=ALL")).AssertJsonAsync(HttpStatusCode.OK);
        var series = performance.GetProperty("data").GetProperty("series").EnumerateArray().ToArray();
        decimal On(string date) => series.First(p => string.CompareOrdinal(p.GetProperty("date").GetString(), date) >= 0).GetProperty("value").GetDecimal();
        return (On(before), On(after));
    }

    [Fact]
    public async Task An_AAPL_buyer_of_2019_sees_the_2020_split_proposed_applies_it_once_and_gets_the_right_shares_cost_and_chart()
    {
        var user = await app.CreateUserAsync();
        await BuyAsync(user, "AAPL", 10m, 210.52m, "2019-05-01");

        var list = await Pending(user);
        Assert.Equal(
            ["dividend:AAPL:2019-05-10", "dividend:AAPL:2019-08-09", "dividend:AAPL:2019-11-07", "dividend:AAPL:2020-02-07", "dividend:AAPL:2020-05-08",
             "dividend:AAPL:2020-08-07", AaplSplit, "dividend:AAPL:2020-11-06"], Keys(list));
        var split = list.GetProperty("pending").EnumerateArray().Single(p => p.GetProperty("key").GetString() == AaplSplit);
        Assert.Equal("AAPL 4-for-1 split on 2020-08-31: 10 shares become 40", split.GetProperty("description").GetString());
        Assert.Equal("Yahoo", split.GetProperty("source").GetString());
        Assert.False(list.GetProperty("is_simulated").GetBoolean());
        // Yahoo reports dividends divided by later splits (0.1925); the proposal is per share as traded then: 0.77 on 10 shares.
        var first = list.GetProperty("pending")[0];
        Assert.Equal((0.77m, 7.70m), (first.GetProperty("amount_per_share").GetDecimal(), first.GetProperty("amount").GetDecimal()));
        // After the (still pending) split, a dividend is on the split shares: 0.205 × 40.
        Assert.Equal(8.20m, list.GetProperty("pending")[7].GetProperty("amount").GetDecimal());

        // Without the split, the chart falls off a cliff on the ex-date (10 shares at the split price).
        var (cliffBefore, cliffAfter) = await ValuesAroundAsync(user, "2020-08-28", "2020-08-31");
        Assert.True(cliffAfter < cliffBefore * 0.3m, $"{cliffBefore} -> {cliffAfter}");

        var applied = await Post(user, "/api/corporate-actions/apply", new { keys = new[] { AaplSplit } });
        Assert.Single(applied.GetProperty("transactions").EnumerateArray());
        var again = await Post(user, "/api/corporate-actions/apply", new { keys = new[] { AaplSplit } });
        Assert.Empty(again.GetProperty("transactions").EnumerateArray());
        Assert.Equal([AaplSplit], again.GetProperty("already_recorded").EnumerateArray().Select(k => k.GetString()));

        var position = await PositionAsync(user, "AAPL");
        Assert.Equal(40m, position.GetProperty("quantity").GetDecimal());
        Assert.Equal(2105.20m, position.GetProperty("cost_basis").GetDecimal());
        Assert.Equal(52.63m, position.GetProperty("average_cost").GetDecimal());
        // 40 × 115.97 = 4638.80 against 2105.20: +120.35 %, the market's move from 52.63 (split-adjusted) to 115.97.
        Assert.Equal(120.35m, position.GetProperty("unrealized_pnl_percent").GetDecimal());
        var (before, after) = await ValuesAroundAsync(user, "2020-08-28", "2020-08-31");
        Assert.Equal(Math.Round(129.04m / 124.81m, 4), Math.Round(after / before, 4));

        var splits = await (await user.Http.GetAsync("/api/transactions?type=split")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, splits.GetProperty("total").GetInt32());
        Assert.DoesNotContain(AaplSplit, Keys(await Pending(user)));
    }

    [Fact]
    public async Task The_pages_propose_the_split_and_record_it_once()
    {
        var user = await app.CreateUserAsync();
        await BuyAsync(user, "AAPL", 10m, 210.52m, "2019-05-01");
        var page = await PageSession.SignInAsync(app, user);

        var notice = await page.GetStringAsync("/actions?handler=Notice");
        Assert.Contains("8 splits or dividends from market data are missing from your history", notice);
        var actions = await page.GetStringAsync("/actions");
        Assert.Contains("AAPL 4-for-1 split on 2020-08-31: 10 shares become 40", actions);
        foreach (var _ in Enumerable.Range(0, 2))
        {
            var posted = await PageSession.PostFormAsync(page, "/actions?handler=Apply", new() { ["key"] = AaplSplit });
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        }
        Assert.Equal(40m, (await PositionAsync(user, "AAPL")).GetProperty("quantity").GetDecimal());
        Assert.DoesNotContain("4-for-1 split", await page.GetStringAsync("/actions"));
    }

    [Fact]
    public async Task Applying_all_twice_at_once_records_each_dividend_once()
    {
        var user = await app.CreateUserAsync();
        await BuyAsync(user, "AAPL", 10m, 210.52m, "2019-05-01");

        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => user.Http.PostAsJsonAsync("/api/corporate-actions/apply", new { })));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var recorded = await (await user.Http.GetAsync("/api/transactions?limit=100")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(9, recorded.GetProperty("total").GetInt32()); // the buy, the split and 7 dividends
        var overview = await (await user.Http.GetAsync("/api/dashboard/overview")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(4 * 7.70m + 3 * 8.20m, overview.GetProperty("data").GetProperty("dividends").GetDecimal());
        Assert.Empty(Keys(await Pending(user)));
    }

    [Fact]
    public async Task The_scan_reads_the_histories_once_per_portfolio_version_and_day_and_a_dismissal_or_a_write_shows_at_once()
    {
        var user = await app.CreateUserAsync();
        await BuyAsync(user, "AAPL", 10m, 210.52m, "2019-05-01");
        await BuyAsync(user, "GE", 105m, 12m, "2021-01-04");
        var page = await PageSession.SignInAsync(app, user);
        var market = app.Services.GetRequiredService<MarketDataService>();

        var reads = market.HistoryReads;
        var first = Keys(await Pending(user));
        Assert.Equal(2, market.HistoryReads - reads); // AAPL's and GE's histories since their first trades
        Assert.Contains(AaplSplit, first);

        // Again, from the list, the dashboard's notice and the actions page: no history is read.
        reads = market.HistoryReads;
        Assert.Equal(first, Keys(await Pending(user)));
        Assert.Contains("splits or dividends from market data are missing from your history", await page.GetStringAsync("/actions?handler=Notice"));
        Assert.Contains("AAPL 4-for-1 split on 2020-08-31", await page.GetStringAsync("/actions"));
        Assert.Equal(0, market.HistoryReads - reads);

        // A dismissal is not in the cached part: it shows at once, still without a history read.
        Assert.Equal(HttpStatusCode.NoContent, (await user.Http.PostAsJsonAsync("/api/corporate-actions/dismiss", new { keys = new[] { AaplSplit } })).StatusCode);
        var afterDismissal = Keys(await Pending(user));
        Assert.Equal(first.Where(k => k != AaplSplit), afterDismissal);
        Assert.Equal(0, market.HistoryReads - reads);

        // A write is a new version: the histories are read again (once), and the new history is matched.
        await BuyAsync(user, "GE", 5m, 100m, "2021-01-04");
        reads = market.HistoryReads;
        var afterWrite = await Pending(user);
        Assert.Equal(2, market.HistoryReads - reads);
        Assert.Contains(afterWrite.GetProperty("pending").EnumerateArray(), p => p.GetProperty("key").GetString() == "split:GE:2021-08-02" && p.GetProperty("description").GetString()!.Contains("110 shares", StringComparison.Ordinal));
        reads = market.HistoryReads;
        _ = await Pending(user);
        Assert.Equal(0, market.HistoryReads - reads);
    }

    [Fact]
    public async Task A_dividend_is_recorded_on_the_pay_date_a_provider_states_and_matched_on_its_ex_date()
    {
        var user = await app.CreateUserAsync();
        await BuyAsync(user, "AAPL", 10m, 210.52m, "2019-05-01");
        const string november = "dividend:AAPL:2020-11-06";

        var proposal = (await Pending(user)).GetProperty("pending").EnumerateArray().Single(p => p.GetProperty("key").GetString() == november);
        Assert.Contains("paid 2020-11-12", proposal.GetProperty("description").GetString(), StringComparison.Ordinal);
        await Post(user, "/api/corporate-actions/apply", new { keys = new[] { AaplSplit, november } });

        var trades = (await (await user.Http.GetAsync("/api/dashboard/trades?limit=10")).AssertJsonAsync(HttpStatusCode.OK)).GetProperty("data").GetProperty("items");
        var dividend = Assert.Single(trades.EnumerateArray(), t => t.GetProperty("type").GetString() == "dividend");
        Assert.Equal(("2020-11-12", 8.20m), (dividend.GetProperty("date").GetString(), dividend.GetProperty("amount").GetDecimal())); // 0.205 × 40, on the pay date
        var pending = Keys(await Pending(user));
        Assert.DoesNotContain(november, pending);
        Assert.Contains("dividend:AAPL:2020-08-07", pending); // without a stated pay date: proposed on its ex-date, as before
    }

    [Fact]
    public async Task A_hand_entered_split_is_recognised_and_a_dismissed_one_stays_dismissed()
    {
        var user = await app.CreateUserAsync();
        await BuyAsync(user, "AAPL", 10m, 210.52m, "2019-05-01");
        await (await user.Http.PostAsJsonAsync("/api/transactions", new { type = "split", symbol = "AAPL", split_numerator = 4m, split_denominator = 1m, date = "2020-08-28" }))
            .AssertJsonAsync(HttpStatusCode.Created);
        await (await user.Http.PostAsJsonAsync("/api/transactions", new { type = "dividend", symbol = "AAPL", amount = 6.55m, date = "2019-05-16" })) // 15 % withheld
            .AssertJsonAsync(HttpStatusCode.Created);
        await (await user.Http.PostAsJsonAsync("/api/transactions", new { type = "dividend", symbol = "AAPL", amount = 5.00m, date = "2019-08-15" })) // 35 % withheld (Swiss): 7.70 × 0.65 = 5.005
            .AssertJsonAsync(HttpStatusCode.Created);
        await (await user.Http.PostAsJsonAsync("/api/transactions", new { type = "dividend", symbol = "AAPL", amount = 4.90m, date = "2019-11-14" })) // 36 % less: another payment
            .AssertJsonAsync(HttpStatusCode.Created);

        var keys = Keys(await Pending(user));
        Assert.DoesNotContain(AaplSplit, keys);
        Assert.DoesNotContain("dividend:AAPL:2019-05-10", keys);
        Assert.DoesNotContain("dividend:AAPL:2019-08-09", keys);
        Assert.Contains("dividend:AAPL:2019-11-07", keys);

        var other = await app.CreateUserAsync();
        await BuyAsync(other, "AAPL", 10m, 210.52m, "2019-05-01");
        Assert.Equal(HttpStatusCode.NoContent, (await other.Http.PostAsJsonAsync("/api/corporate-actions/dismiss", new { keys = new[] { AaplSplit } })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await other.Http.PostAsJsonAsync("/api/corporate-actions/dismiss", new { keys = new[] { AaplSplit } })).StatusCode);
        var afterDismiss = await Pending(other);
        Assert.DoesNotContain(AaplSplit, Keys(afterDismiss));
        // Without the split, the November dividend is on the 10 shares recorded.
        Assert.Equal(2.05m, afterDismiss.GetProperty("pending").EnumerateArray().Last().GetProperty("amount").GetDecimal());
        var all = await Post(other, "/api/corporate-actions/apply", new { });
        Assert.DoesNotContain(all.GetProperty("applied").EnumerateArray(), a => a.GetProperty("key").GetString() == AaplSplit);
        Assert.Empty(Keys(await Pending(other)));

        Assert.Equal(HttpStatusCode.NoContent, (await other.Http.DeleteAsync($"/api/corporate-actions/dismissed?key={AaplSplit}")).StatusCode);
        Assert.Equal([AaplSplit], Keys(await Pending(other)));
        await (await other.Http.DeleteAsync($"/api/corporate-actions/dismissed?key={AaplSplit}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_reverse_split_pays_cash_in_lieu_and_the_return_stays_the_markets()
    {
        // Ghostfolio #6271 showed +200 % after a reverse split. GE 1-for-8 on 2021-08-02: 105 shares become 13.125;
        // 13 are kept and 0.125 is paid out at the ex-date close of 104.10.
        var user = await app.CreateUserAsync();
        await BuyAsync(user, "GE", 105m, 10.79m, "2021-01-04");

        var applied = await Post(user, "/api/corporate-actions/apply", new { });

        var split = applied.GetProperty("applied").EnumerateArray().Single(a => a.GetProperty("kind").GetString() == "split");
        Assert.Equal("GE 1-for-8 reverse split on 2021-08-02: 105 shares become 13.125; 0.125 sold for cash in lieu at 104.10 = 13.01", split.GetProperty("description").GetString());
        Assert.Equal(13.01m, split.GetProperty("cash_in_lieu_amount").GetDecimal());
        var dividends = applied.GetProperty("applied").EnumerateArray().Where(a => a.GetProperty("kind").GetString() == "dividend").Select(a => a.GetProperty("amount").GetDecimal());
        Assert.Equal([1.05m, 1.05m, 1.04m], dividends); // 0.01 × 105 twice (0.08 ÷ 8), then 0.08 × 13
        var position = await PositionAsync(user, "GE");
        Assert.Equal(13m, position.GetProperty("quantity").GetDecimal());
        // The market moved from 86.32 (10.79 × 8) to 106.02: +22.82 %. The position shows that, not +200 % or +900 %.
        Assert.InRange(position.GetProperty("unrealized_pnl_percent").GetDecimal(), 22.7m, 22.9m);
        var (before, after) = await ValuesAroundAsync(user, "2021-07-30", "2021-08-02");
        Assert.InRange(after / before, 0.99m, 1.02m);
    }

    [Fact]
    public async Task Auto_apply_records_what_is_pending_now_and_the_job_records_nothing_twice()
    {
        var user = await app.CreateUserAsync();
        await BuyAsync(user, "AAPL", 10m, 210.52m, "2019-05-01");

        var on = await (await user.Http.PutAsJsonAsync("/api/corporate-actions/settings", new { auto_apply = true })).AssertJsonAsync(HttpStatusCode.OK);

        Assert.Equal(8, on.GetProperty("applied").GetArrayLength());
        var list = await Pending(user);
        Assert.True(list.GetProperty("auto_apply").GetBoolean());
        Assert.Empty(Keys(list));
        await app.Services.GetRequiredService<CorporateActionJob>().ApplyAllAsync(CancellationToken.None);
        var recorded = await (await user.Http.GetAsync("/api/transactions")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(9, recorded.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Bad_keys_are_400_unknown_ones_404_and_another_users_portfolio_404()
    {
        var user = await app.CreateUserAsync();
        await BuyAsync(user, "AAPL", 10m, 210.52m, "2019-05-01");
        var other = await app.CreateUserAsync();
        var theirs = (await (await other.Http.GetAsync("/api/portfolios")).AssertJsonAsync(HttpStatusCode.OK))[0].GetProperty("id").GetString();

        var bad = await (await user.Http.PostAsJsonAsync("/api/corporate-actions/apply", new { keys = new[] { "merger:AAPL:2020-08-31" } })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("keys", out _));
        await (await user.Http.PostAsJsonAsync("/api/corporate-actions/dismiss", new { keys = new[] { "split:AAPL:2021-08-31" } })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await user.Http.PostAsJsonAsync("/api/corporate-actions/dismiss", new { })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await user.Http.PutAsJsonAsync("/api/corporate-actions/settings", new { })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await user.Http.GetAsync($"/api/corporate-actions?portfolio_id={theirs}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await user.Http.PostAsJsonAsync("/api/corporate-actions/apply", new { portfolio_id = theirs })).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(1, (await (await user.Http.GetAsync("/api/transactions")).AssertJsonAsync(HttpStatusCode.OK)).GetProperty("total").GetInt32());

        // A symbol the vendor has no history for: its actions are unknown, said so, not "none".
        await BuyAsync(user, "MSFT", 1m, 400m, "2024-01-02");
        var list = await Pending(user);
        Assert.Equal(["MSFT"], list.GetProperty("missing_history").EnumerateArray().Select(s => s.GetString()));
        Assert.Contains(AaplSplit, Keys(list));
    }
}

public sealed class CorporateActionsApiSqliteTests(RecordedMarketSqliteApp app) : CorporateActionsApiTests(app), IClassFixture<RecordedMarketSqliteApp>;

public sealed class CorporateActionsApiPostgresTests(RecordedMarketPostgresApp app) : CorporateActionsApiTests(app), IClassFixture<RecordedMarketPostgresApp>;
