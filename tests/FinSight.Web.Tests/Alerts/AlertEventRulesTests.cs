using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FinSight.MarketData;
using FinSight.Web.Features.Alerts;
using FinSight.Web.Features.Insights;
using FinSight.Web.Tests.Infrastructure;

namespace FinSight.Web.Tests.Alerts;

/// <summary>Which upcoming dividends an ex-dividend rule of N days is due for, at and around N.</summary>
public sealed class ExDividendsDueTests
{
    private static readonly DateOnly Today = new(2026, 12, 2);

    private static UpcomingDividend Dividend(string symbol, string exDate, bool estimated = true, decimal perShare = 0.83m, decimal shares = 10m) =>
        new(symbol, DateOnly.Parse(exDate, CultureInfo.InvariantCulture), estimated, null, perShare, shares, decimal.Round(perShare * shares, 2));

    [Theory]
    [InlineData(6, 0)]
    [InlineData(7, 1)]
    [InlineData(8, 1)]
    public void A_dividend_seven_days_away_is_due_from_N_equals_7(int days, int due) =>
        Assert.Equal(due, AlertEventRules.ExDividendsDue([Dividend("MSFT", "2026-12-09")], "MSFT", Today, days).Count);

    [Fact]
    public void Past_ex_dates_and_other_symbols_are_not_due_and_today_is()
    {
        UpcomingDividend[] upcoming = [Dividend("MSFT", "2026-12-01"), Dividend("KO", "2026-12-02", perShare: 0.485m, shares: 20m), Dividend("MSFT", "2026-12-05")];
        Assert.Equal(["KO"], AlertEventRules.ExDividendsDue(upcoming, "KO", Today, 1).Select(i => i.Symbol));
        var any = AlertEventRules.ExDividendsDue(upcoming, null, Today, 3);
        Assert.Equal([("KO", "2026-12-02"), ("MSFT", "2026-12-05")], any.Select(i => (i.Symbol, i.ExDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))));
        var ko = any[0];
        Assert.Equal(("ex_dividend:KO:2026-12", 0.485m, 20m, 9.70m, true), (ko.Key, ko.AmountPerShare!.Value, ko.Shares!.Value, ko.Amount!.Value, ko.Estimated!.Value));
        Assert.Equal("KO goes ex-dividend on 2026-12-02 (in 0 day(s)): 0.485 a share expected, 9.70 on your 20 shares (estimated from last year's dividend)", ko.Description);
    }

    [Fact]
    public void An_estimate_and_the_reported_date_of_the_same_month_are_one_event_with_the_reported_date()
    {
        var due = AlertEventRules.ExDividendsDue([Dividend("MSFT", "2026-12-09"), Dividend("MSFT", "2026-12-11", estimated: false)], null, Today, 30);
        var one = Assert.Single(due);
        Assert.Equal((new DateOnly(2026, 12, 11), false), (one.ExDate, one.Estimated!.Value));
    }
}

/// <summary>
/// Ex-dividend and pending-corporate-action rules through the API on the simulated market (MSFT and KO
/// pay quarterly there): once per event, with the values, to the bell, the email and the webhook.
/// </summary>
public abstract class AlertEventRulesApiTests(AlertFixture fixture)
{
    private AlertApp App => fixture.App;

    private static async Task BuyAsync(UserClient user, string symbol, decimal quantity, string date) =>
        await (await user.Http.PostAsJsonAsync("/api/transactions", new { type = "buy", symbol, quantity, price = 100, date })).AssertJsonAsync(HttpStatusCode.Created);

    private static async Task<JsonElement[]> EventsAsync(UserClient user) =>
        [.. (await (await user.Http.GetAsync("/api/alerts/events")).AssertJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray()];

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Month(DateOnly date) => date.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Event_rules_are_validated()
    {
        var user = await App.CreateUserAsync();
        foreach (var (body, field) in new (object, string)[]
        {
            (new { kind = "ex_dividend", symbol = "MSFT" }, "threshold"),
            (new { kind = "ex_dividend", symbol = "MSFT", threshold = 0 }, "threshold"),
            (new { kind = "ex_dividend", symbol = "MSFT", threshold = 1.5 }, "threshold"),
            (new { kind = "ex_dividend", symbol = "MSFT", threshold = 367 }, "threshold"),
            (new { kind = "ex_dividend", symbol = "MSFT", threshold = 7, rearm_margin = 1 }, "rearm_margin"),
            (new { kind = "ex_dividend", symbol = "not a ticker!", threshold = 7 }, "symbol"),
            (new { kind = "pending_corporate_action", symbol = "MSFT", threshold = 5 }, "threshold"),
        })
        {
            var problem = await (await user.Http.PostAsJsonAsync("/api/alerts/rules", body)).AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{JsonSerializer.Serialize(body)} should be refused on {field}: {problem}");
        }
        await (await user.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "ex_dividend", threshold = 7, portfolio_id = Guid.NewGuid() }))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, (await (await user.Http.GetAsync("/api/alerts/rules")).AssertJsonAsync(HttpStatusCode.OK)).GetArrayLength());

        var any = await (await user.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "ex_dividend", threshold = 7 })).AssertJsonAsync(HttpStatusCode.Created);
        Assert.Equal(JsonValueKind.Null, any.GetProperty("symbol").ValueKind);
        Assert.Equal(JsonValueKind.String, any.GetProperty("portfolio_id").ValueKind);
        Assert.Equal("A holding goes ex-dividend within 7 day(s)", any.GetProperty("description").GetString());
        var pending = await (await user.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "pending_corporate_action", symbol = "msft" })).AssertJsonAsync(HttpStatusCode.Created);
        Assert.Equal(("MSFT", 0m), (pending.GetProperty("symbol").GetString(), pending.GetProperty("threshold").GetDecimal()));
    }

    [Fact]
    public async Task A_held_stocks_page_makes_the_ex_dividend_rule_in_one_click()
    {
        var user = await App.CreateUserAsync();
        var page = await PageSession.SignInAsync(App, user);
        Assert.DoesNotContain("data-testid=\"ex-dividend-alert\"", await page.GetStringAsync("/stock/MSFT")); // not held: no button
        await BuyAsync(user, "MSFT", 10m, "2025-06-02");
        var stock = await page.GetStringAsync("/stock/MSFT");
        Assert.Contains("data-testid=\"ex-dividend-alert\"", stock);
        Assert.Contains("action=\"/alerts?handler=CreateRule\"", stock);
        // What the button posts: its hidden fields, as the form on the page carries them.
        foreach (var field in new[] { "name=\"Rule.Kind\" value=\"ExDividend\"", "name=\"Rule.Symbol\" value=\"MSFT\"", "name=\"Rule.Threshold\" value=\"7\"" })
        {
            Assert.Contains(field, stock);
        }
        var posted = await PageSession.PostFormAsync(page, "/alerts?handler=CreateRule", new() { ["Rule.Kind"] = "ExDividend", ["Rule.Symbol"] = "MSFT", ["Rule.Threshold"] = "7" });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var rule = Assert.Single((await (await user.Http.GetAsync("/api/alerts/rules")).AssertJsonAsync(HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal(("ex_dividend", "MSFT", 7m), (rule.GetProperty("kind").GetString(), rule.GetProperty("symbol").GetString(), rule.GetProperty("threshold").GetDecimal()));
    }

    [Fact]
    public async Task An_ex_dividend_rule_fires_once_per_dividend_when_it_comes_within_N_days_with_the_values()
    {
        var user = await App.CreateUserAsync();
        var secret = (await (await user.Http.PutAsJsonAsync("/api/alerts/settings", new { webhook_url = fixture.Webhooks.Url(user.Username) }))
            .AssertJsonAsync(HttpStatusCode.OK)).GetProperty("webhook_secret").GetString()!;
        await BuyAsync(user, "MSFT", 10m, "2025-06-02");
        await BuyAsync(user, "KO", 20m, "2025-06-02");
        var today = MarketCalendar.ExchangeDate(App.Clock.GetUtcNow());

        // The income calendar's soonest MSFT dividend: the values the alert must carry.
        var upcoming = (await (await user.Http.GetAsync("/api/income")).AssertJsonAsync(HttpStatusCode.OK)).GetProperty("upcoming").EnumerateArray().ToArray();
        var msft = upcoming.First(u => u.GetProperty("symbol").GetString() == "MSFT");
        var exDate = DateOnly.Parse(msft.GetProperty("ex_date").GetString()!, CultureInfo.InvariantCulture);
        var days = exDate.DayNumber - today.DayNumber;
        Assert.InRange(days, 1, 366);

        var rule = await (await user.Http.PostAsJsonAsync("/api/alerts/rules",
            new { kind = "ex_dividend", symbol = "MSFT", threshold = Math.Max(1, days - 1), notify_email = true, notify_webhook = true })).AssertJsonAsync(HttpStatusCode.Created);
        var ruleId = rule.GetProperty("id").GetGuid();
        async Task SetDaysAsync(int n) =>
            (await user.Http.PutAsJsonAsync($"/api/alerts/rules/{ruleId}", new { kind = "ex_dividend", symbol = "MSFT", threshold = n, notify_email = true, notify_webhook = true }))
                .EnsureSuccessStatusCode();
        if (days > 1)
        {
            await App.Evaluator.EvaluateAsync(CancellationToken.None);
            Assert.Empty(await EventsAsync(user)); // N = days − 1: one day too far
        }
        await SetDaysAsync(days);
        await App.Evaluator.EvaluateAsync(CancellationToken.None);
        await App.Evaluator.EvaluateAsync(CancellationToken.None);
        await SetDaysAsync(days + 1); // still the same dividend: no second alert
        await App.Evaluator.EvaluateAsync(CancellationToken.None);

        var fired = Assert.Single(await EventsAsync(user));
        Assert.Equal("ex_dividend", fired.GetProperty("kind").GetString());
        Assert.Equal(days, fired.GetProperty("value").GetDecimal());
        Assert.True(fired.GetProperty("simulated").GetBoolean());
        var item = Assert.Single(fired.GetProperty("items").EnumerateArray());
        Assert.Equal(("MSFT", Day(exDate), $"ex_dividend:MSFT:{Month(exDate)}"),
            (item.GetProperty("symbol").GetString(), item.GetProperty("ex_date").GetString(), item.GetProperty("key").GetString()));
        Assert.Equal((msft.GetProperty("amount_per_share").GetDecimal(), 10m, msft.GetProperty("amount").GetDecimal()),
            (item.GetProperty("amount_per_share").GetDecimal(), item.GetProperty("shares").GetDecimal(), item.GetProperty("amount").GetDecimal()));
        Assert.Equal(0.83m, item.GetProperty("amount_per_share").GetDecimal()); // the simulated MSFT quarterly dividend
        Assert.Equal(8.30m, item.GetProperty("amount").GetDecimal());
        var message = fired.GetProperty("message").GetString()!;
        Assert.Contains($"MSFT goes ex-dividend on {Day(exDate)} (in {days} day(s)): 0.83 a share expected, 8.30 on your 10 shares", message);
        Assert.Contains("(simulated market data)", message);

        await App.DeliverAllAsync();
        var mail = Assert.Single(fixture.Smtp.To(user.Email));
        Assert.Equal($"FinSight alert: MSFT ex-dividend on {Day(exDate)}", mail.Subject);
        Assert.Contains($"ex_dividend:MSFT:{Month(exDate)}", mail.TextBody);
        var call = Assert.Single(fixture.Webhooks.For(user.Username));
        Assert.Equal(AlertSenders.Sign(secret, call.Timestamp!, call.Body), call.Signature);
        var hooked = JsonDocument.Parse(call.Body).RootElement;
        Assert.Equal("ex_dividend", hooked.GetProperty("kind").GetString());
        Assert.Equal(8.30m, hooked.GetProperty("items")[0].GetProperty("amount").GetDecimal());
        Assert.Equal(Day(exDate), hooked.GetProperty("items")[0].GetProperty("ex_date").GetString());

        // "Any holding": every dividend of the calendar within N days, once each, KO's and MSFT's alike.
        var n = days + 1;
        var expected = upcoming
            .Select(u => (Symbol: u.GetProperty("symbol").GetString()!, ExDate: DateOnly.Parse(u.GetProperty("ex_date").GetString()!, CultureInfo.InvariantCulture)))
            .Where(u => u.ExDate.DayNumber - today.DayNumber <= n).Select(u => $"ex_dividend:{u.Symbol}:{Month(u.ExDate)}").Distinct().Order().ToArray();
        Assert.Contains(expected, k => k.StartsWith("ex_dividend:KO:", StringComparison.Ordinal));
        var anyRule = (await (await user.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "ex_dividend", threshold = n })).AssertJsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        await App.Evaluator.EvaluateAsync(CancellationToken.None);
        await App.Evaluator.EvaluateAsync(CancellationToken.None);
        var anyEvents = (await EventsAsync(user)).Where(e => e.GetProperty("rule_id").GetGuid() == anyRule).ToArray();
        Assert.Equal(expected, anyEvents.Select(e => e.GetProperty("items")[0].GetProperty("key").GetString()!).Order().ToArray());

        // Another user holding nothing gets nothing.
        var other = await App.CreateUserAsync();
        (await other.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "ex_dividend", threshold = 366 })).EnsureSuccessStatusCode();
        await App.Evaluator.EvaluateAsync(CancellationToken.None);
        Assert.Empty(await EventsAsync(other));
    }

    [Fact]
    public async Task A_pending_corporate_action_rule_fires_once_per_new_action_and_never_for_dismissed_or_recorded_ones()
    {
        var user = await App.CreateUserAsync();
        await (await user.Http.PutAsJsonAsync("/api/alerts/settings", new { webhook_url = fixture.Webhooks.Url(user.Username) })).AssertJsonAsync(HttpStatusCode.OK);
        var today = MarketCalendar.ExchangeDate(App.Clock.GetUtcNow());
        await BuyAsync(user, "MSFT", 10m, Day(today.AddDays(-400)));
        var keys = (await (await user.Http.GetAsync("/api/corporate-actions")).AssertJsonAsync(HttpStatusCode.OK)).GetProperty("pending").EnumerateArray()
            .Select(p => p.GetProperty("key").GetString()!).ToArray();
        Assert.True(keys.Length >= 4, string.Join(", ", keys)); // MSFT pays quarterly in the simulated market
        var (dismissed, recorded) = (keys[0], keys[1]);
        Assert.Equal(HttpStatusCode.NoContent, (await user.Http.PostAsJsonAsync("/api/corporate-actions/dismiss", new { keys = new[] { dismissed } })).StatusCode);
        (await user.Http.PostAsJsonAsync("/api/corporate-actions/apply", new { keys = new[] { recorded } })).EnsureSuccessStatusCode();

        (await user.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "pending_corporate_action", notify_webhook = true })).EnsureSuccessStatusCode();
        await App.Evaluator.EvaluateAsync(CancellationToken.None);
        await App.Evaluator.EvaluateAsync(CancellationToken.None);
        var first = Assert.Single(await EventsAsync(user));
        Assert.Equal("pending_corporate_action", first.GetProperty("kind").GetString());
        Assert.Equal(keys[2..], first.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("key").GetString()!));
        Assert.Equal(keys.Length - 2, first.GetProperty("value").GetDecimal());
        var item = first.GetProperty("items")[0];
        Assert.Equal(("dividend", "MSFT", 0.83m, 10m, 8.30m),
            (item.GetProperty("kind").GetString(), item.GetProperty("symbol").GetString(), item.GetProperty("amount_per_share").GetDecimal(),
             item.GetProperty("shares").GetDecimal(), item.GetProperty("amount").GetDecimal()));
        Assert.Contains(item.GetProperty("description").GetString()!, first.GetProperty("message").GetString());
        Assert.StartsWith($"{keys.Length - 2} split(s) or dividend(s) from market data missing from your history", first.GetProperty("message").GetString());

        // Dismissed, then proposed again: new to the rule, so it fires for it alone.
        Assert.Equal(HttpStatusCode.NoContent, (await user.Http.DeleteAsync($"/api/corporate-actions/dismissed?key={Uri.EscapeDataString(dismissed)}")).StatusCode);
        await App.Evaluator.EvaluateAsync(CancellationToken.None);
        var events = await EventsAsync(user);
        Assert.Equal(2, events.Length);
        Assert.Equal([dismissed], events[0].GetProperty("items").EnumerateArray().Select(i => i.GetProperty("key").GetString()));

        // A new holding's dividends are new actions; MSFT's are not repeated.
        await BuyAsync(user, "KO", 20m, Day(today.AddDays(-200)));
        await App.Evaluator.EvaluateAsync(CancellationToken.None);
        events = await EventsAsync(user);
        Assert.Equal(3, events.Length);
        var ko = events[0].GetProperty("items").EnumerateArray().Select(i => i.GetProperty("key").GetString()!).ToArray();
        Assert.NotEmpty(ko);
        Assert.All(ko, k => Assert.StartsWith("dividend:KO:", k));
        Assert.DoesNotContain(events.SelectMany(e => e.GetProperty("items").EnumerateArray()), i => i.GetProperty("key").GetString() == recorded);

        await App.DeliverAllAsync();
        Assert.Equal(3, fixture.Webhooks.For(user.Username).Count);
        Assert.Equal(ko, JsonDocument.Parse(fixture.Webhooks.For(user.Username).Last().Body).RootElement.GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("key").GetString()!));
    }
}

public sealed class AlertEventRulesSqliteTests(SqliteAlertFixture fixture) : AlertEventRulesApiTests(fixture), IClassFixture<SqliteAlertFixture>;

public sealed class AlertEventRulesPostgresTests(PostgresAlertFixture fixture) : AlertEventRulesApiTests(fixture), IClassFixture<PostgresAlertFixture>;
