using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FinSight.Web.Data;
using FinSight.Web.Features.Alerts;
using FinSight.Web.Features.News;
using FinSight.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FinSight.Web.Tests.Alerts;

/// <summary>Alert rules through the API, their evaluation on simulated prices and news, and delivery to a real SMTP server and webhook receiver on loopback.</summary>
public abstract class AlertsApiTests(AlertFixture fixture)
{
    private AlertApp App => fixture.App;

    [Fact]
    public async Task Rules_are_created_listed_updated_and_deleted_and_bad_input_is_a_4xx_that_writes_nothing()
    {
        var user = await App.CreateUserAsync();
        var created = await (await user.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "price_below", symbol = "tsla", threshold = 240 }))
            .AssertJsonAsync(HttpStatusCode.Created);
        Assert.Equal("TSLA", created.GetProperty("symbol").GetString());
        Assert.Equal("price_below", created.GetProperty("kind").GetString());
        Assert.True(created.GetProperty("armed").GetBoolean());
        Assert.Equal("TSLA at or below $240.00", created.GetProperty("description").GetString());
        var id = created.GetProperty("id").GetString();

        var updated = await (await user.Http.PutAsJsonAsync($"/api/alerts/rules/{id}", new { kind = "price_above", symbol = "TSLA", threshold = 300, rearm_margin = 5 }))
            .AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(300m, updated.GetProperty("threshold").GetDecimal());
        Assert.Equal(5m, updated.GetProperty("rearm_margin").GetDecimal());

        foreach (var (body, field) in new (object, string)[]
        {
            (new { kind = "price_below", symbol = "TSLA" }, "threshold"),
            (new { kind = "price_below", symbol = "TSLA", threshold = 0 }, "threshold"),
            (new { kind = "price_below", symbol = "TSLA", threshold = -5 }, "threshold"),
            (new { kind = "price_below", symbol = "not a ticker!", threshold = 5 }, "symbol"),
            (new { kind = "price_below", threshold = 5 }, "symbol"),
            (new { kind = "daily_move", symbol = "TSLA", threshold = 101 }, "threshold"),
            (new { kind = "position_drawdown", symbol = "TSLA", threshold = 100 }, "threshold"),
            (new { kind = "news_negative", symbol = "TSLA", threshold = -1.5 }, "threshold"),
            (new { kind = "price_above", symbol = "TSLA", threshold = 10, rearm_margin = 10 }, "rearm_margin"),
            (new { kind = "price_above", symbol = "TSLA", threshold = 10, rearm_margin = -1 }, "rearm_margin"),
            (new { kind = "portfolio_drawdown", symbol = "TSLA", threshold = 10 }, "symbol"),
            (new { kind = "price_above", symbol = "TSLA", threshold = 10, notify_webhook = true }, "notify_webhook"),
        })
        {
            var problem = await (await user.Http.PostAsJsonAsync("/api/alerts/rules", body)).AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{JsonSerializer.Serialize(body)} should be refused on {field}: {problem}");
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await user.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "sideways", symbol = "TSLA", threshold = 1 })).StatusCode);
        await (await user.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "portfolio_drawdown", threshold = 10, portfolio_id = Guid.NewGuid() }))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        var rules = await (await user.Http.GetAsync("/api/alerts/rules")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, rules.GetArrayLength());

        // Another user sees none of it and cannot touch it.
        var other = await App.CreateUserAsync();
        Assert.Equal(0, (await (await other.Http.GetAsync("/api/alerts/rules")).AssertJsonAsync(HttpStatusCode.OK)).GetArrayLength());
        await (await other.Http.GetAsync($"/api/alerts/rules/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await other.Http.DeleteAsync($"/api/alerts/rules/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(HttpStatusCode.NoContent, (await user.Http.DeleteAsync($"/api/alerts/rules/{id}")).StatusCode);
        await (await user.Http.GetAsync($"/api/alerts/rules/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_user_has_at_most_the_configured_number_of_rules()
    {
        var user = await App.CreateUserAsync();
        for (var i = 0; i < 5; i++)
        {
            (await user.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "price_above", symbol = "AAPL", threshold = 1000 + i })).EnsureSuccessStatusCode();
        }
        var problem = await (await user.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "price_above", symbol = "AAPL", threshold = 2000 }))
            .AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("rule_limit", problem.GetProperty("code").GetString());
        Assert.Equal(5, (await (await user.Http.GetAsync("/api/alerts/rules")).AssertJsonAsync(HttpStatusCode.OK)).GetArrayLength());
    }

    [Fact]
    public async Task Settings_are_validated_and_a_webhook_gets_a_signing_secret()
    {
        var user = await App.CreateUserAsync();
        var problem = await (await user.Http.PutAsJsonAsync("/api/alerts/settings",
            new { email = "not-an-address", webhook_url = "ftp://example.com/x", quiet_start = "25:00", time_zone = "Mars/Olympus" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        foreach (var field in new[] { "email", "webhook_url", "quiet_start", "time_zone" })
        {
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), field);
        }
        var settings = await (await user.Http.GetAsync("/api/alerts/settings")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, settings.GetProperty("webhook_url").ValueKind);
        Assert.Equal(user.Email, settings.GetProperty("effective_email").GetString());

        var saved = await (await user.Http.PutAsJsonAsync("/api/alerts/settings",
            new { webhook_url = fixture.Webhooks.Url(user.Username), quiet_start = "22:00", quiet_end = "07:00", time_zone = "Europe/Berlin" })).AssertJsonAsync(HttpStatusCode.OK);
        var secret = saved.GetProperty("webhook_secret").GetString();
        Assert.StartsWith("whsec_", secret);
        Assert.Equal("22:00", saved.GetProperty("quiet_start").GetString());
        var rotated = await (await user.Http.PostAsync("/api/alerts/settings/webhook-secret", null)).AssertJsonAsync(HttpStatusCode.OK);
        Assert.NotEqual(secret, rotated.GetProperty("webhook_secret").GetString());
    }

    [Fact]
    public async Task A_price_alert_fires_once_when_the_price_crosses_rearms_past_the_margin_and_reaches_bell_email_and_webhook()
    {
        var user = await App.CreateUserAsync();
        var secret = (await (await user.Http.PutAsJsonAsync("/api/alerts/settings", new { webhook_url = fixture.Webhooks.Url(user.Username) }))
            .AssertJsonAsync(HttpStatusCode.OK)).GetProperty("webhook_secret").GetString()!;
        App.SetPrice("TSLA", 250m);
        var rule = await (await user.Http.PostAsJsonAsync("/api/alerts/rules",
            new { kind = "price_below", symbol = "TSLA", threshold = 240, rearm_margin = 5, notify_email = true, notify_webhook = true })).AssertJsonAsync(HttpStatusCode.Created);
        var ruleId = rule.GetProperty("id").GetGuid();

        await App.Evaluator.EvaluateAsync(CancellationToken.None);
        Assert.Equal(0, await UnreadAsync(user));

        // The first webhook call gets a 500: the delivery is retried and the log shows both answers.
        lock (fixture.Webhooks.FailFirst)
        {
            fixture.Webhooks.FailFirst[user.Username] = 1;
        }
        App.SetPrice("TSLA", 240m); // exactly at the threshold: "at or below" fires
        await App.Evaluator.EvaluateAsync(CancellationToken.None);
        App.SetPrice("TSLA", 238.5m); // still below: no second firing
        await App.Evaluator.EvaluateAsync(CancellationToken.None);
        App.SetPrice("TSLA", 244m); // back above, but within the 5 margin: stays disarmed
        await App.Evaluator.EvaluateAsync(CancellationToken.None);
        App.SetPrice("TSLA", 239m);
        await App.Evaluator.EvaluateAsync(CancellationToken.None);

        var events = await (await user.Http.GetAsync("/api/alerts/events")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, events.GetProperty("unread_count").GetInt32());
        var fired = Assert.Single(events.GetProperty("items").EnumerateArray());
        Assert.Equal(240m, fired.GetProperty("value").GetDecimal());
        Assert.Equal(240m, fired.GetProperty("threshold").GetDecimal());
        Assert.Equal(ruleId, fired.GetProperty("rule_id").GetGuid());
        Assert.True(fired.GetProperty("simulated").GetBoolean());
        Assert.Contains("TSLA is at $240.00, at or below your $240.00", fired.GetProperty("message").GetString());

        await App.DeliverAllAsync();
        var mail = Assert.Single(fixture.Smtp.To(user.Email));
        Assert.Contains("TSLA", mail.Subject);
        Assert.Contains("TSLA is at $240.00, at or below your $240.00", mail.TextBody);
        Assert.Contains("Value: 240", mail.TextBody);
        Assert.Equal("alerts@finsight.test", mail.From.Mailboxes.Single().Address);

        var calls = fixture.Webhooks.For(user.Username);
        Assert.Equal([500, 200], calls.Select(c => c.AnsweredWith));
        Assert.Single(calls.Select(c => c.DeliveryId).Distinct());
        foreach (var call in calls)
        {
            Assert.Equal(AlertSenders.Sign(secret, call.Timestamp!, call.Body), call.Signature);
            Assert.NotEqual(AlertSenders.Sign("whsec_wrong", call.Timestamp!, call.Body), call.Signature);
        }
        var body = JsonDocument.Parse(calls[^1].Body).RootElement;
        Assert.Equal("alert.fired", body.GetProperty("type").GetString());
        Assert.Equal("price_below", body.GetProperty("kind").GetString());
        Assert.Equal("TSLA", body.GetProperty("symbol").GetString());
        Assert.Equal(240m, body.GetProperty("value").GetDecimal());
        Assert.Equal(fired.GetProperty("id").GetGuid(), body.GetProperty("event_id").GetGuid());

        var log = await (await user.Http.GetAsync("/api/alerts/deliveries")).AssertJsonAsync(HttpStatusCode.OK);
        var webhook = log.EnumerateArray().Single(d => d.GetProperty("channel").GetString() == "webhook");
        Assert.Equal("delivered", webhook.GetProperty("status").GetString());
        Assert.Equal([500, 200], webhook.GetProperty("attempt_log").EnumerateArray().Select(a => a.GetProperty("status_code").GetInt32()));
        Assert.Equal("delivered", log.EnumerateArray().Single(d => d.GetProperty("channel").GetString() == "email").GetProperty("status").GetString());

        // Cleared by more than the margin: armed again, and the next crossing fires again.
        App.SetPrice("TSLA", 245.01m);
        await App.Evaluator.EvaluateAsync(CancellationToken.None);
        Assert.True((await (await user.Http.GetAsync($"/api/alerts/rules/{ruleId}")).AssertJsonAsync(HttpStatusCode.OK)).GetProperty("armed").GetBoolean());
        App.SetPrice("TSLA", 239.99m);
        await App.Evaluator.EvaluateAsync(CancellationToken.None);
        Assert.Equal(2, await UnreadAsync(user));

        // Mark read: one, then all. Another user sees none of this user's alerts.
        var other = await App.CreateUserAsync();
        var otherEvents = await (await other.Http.GetAsync("/api/alerts/events")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, otherEvents.GetProperty("items").GetArrayLength());
        await (await other.Http.PostAsync($"/api/alerts/events/{fired.GetProperty("id").GetGuid()}/read", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await (await other.Http.GetAsync("/api/alerts/deliveries")).AssertJsonAsync(HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal(HttpStatusCode.NoContent, (await user.Http.PostAsync($"/api/alerts/events/{fired.GetProperty("id").GetGuid()}/read", null)).StatusCode);
        Assert.Equal(1, await UnreadAsync(user));
        Assert.Equal(HttpStatusCode.NoContent, (await user.Http.PostAsync("/api/alerts/events/read", null)).StatusCode);
        Assert.Equal(0, await UnreadAsync(user));
        App.SetPrice("TSLA", 250m);
    }

    [Fact]
    public async Task A_webhook_that_keeps_failing_is_marked_failed_visibly_and_a_retry_delivers_it()
    {
        var user = await App.CreateUserAsync();
        await (await user.Http.PutAsJsonAsync("/api/alerts/settings", new { webhook_url = fixture.Webhooks.Url(user.Username) })).AssertJsonAsync(HttpStatusCode.OK);
        lock (fixture.Webhooks.FailFirst)
        {
            fixture.Webhooks.FailFirst[user.Username] = 3; // = Alerts:MaxAttempts
        }
        (await user.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "price_above", symbol = "AAPL", threshold = 150, notify_webhook = true })).EnsureSuccessStatusCode();
        await App.Evaluator.EvaluateAsync(CancellationToken.None);
        await App.DeliverAllAsync();
        var delivery = Assert.Single((await (await user.Http.GetAsync("/api/alerts/deliveries")).AssertJsonAsync(HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal("failed", delivery.GetProperty("status").GetString());
        Assert.Equal(3, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal(500, delivery.GetProperty("last_status_code").GetInt32());

        Assert.Equal(HttpStatusCode.Accepted, (await user.Http.PostAsync($"/api/alerts/deliveries/{delivery.GetProperty("id").GetGuid()}/retry", null)).StatusCode);
        await App.DeliverAllAsync();
        delivery = Assert.Single((await (await user.Http.GetAsync("/api/alerts/deliveries")).AssertJsonAsync(HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal("delivered", delivery.GetProperty("status").GetString());
        Assert.Equal([500, 500, 500, 200], fixture.Webhooks.For(user.Username).Select(c => c.AnsweredWith));
    }

    [Fact]
    public async Task A_news_alert_fires_strictly_below_its_threshold_and_lists_the_headlines()
    {
        var user = await App.CreateUserAsync();
        decimal mean = 0;
        int count = 0;
        var moved = TimeSpan.Zero;
        try
        {
            // The same figure the evaluator computes: the mean net sentiment of NVDA's headlines of the last 24 h.
            for (var day = 0; day < 5 && count == 0; day++)
            {
                await using var scope = App.Services.CreateAsyncScope();
                var news = (await scope.ServiceProvider.GetRequiredService<NewsSentimentService>().ForSymbolsAsync(["NVDA"], 30, CancellationToken.None)).Single();
                var now = App.Clock.GetUtcNow();
                var recent = news.Latest.Where(h => h.Headline.PublishedAt > now - AlertEvaluator.NewsWindow && h.Headline.PublishedAt <= now).ToArray();
                count = recent.Length;
                mean = count == 0 ? 0 : decimal.Round((decimal)recent.Average(h => h.Sentiment.Result.Probabilities.Net), 4);
                if (count == 0)
                {
                    App.Clock.Advance(TimeSpan.FromHours(7));
                    moved += TimeSpan.FromHours(7);
                }
            }
            Assert.True(count > 0, "The simulated market should publish NVDA headlines within a day or two.");

            var atMean = await (await user.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "news_negative", symbol = "NVDA", threshold = mean })).AssertJsonAsync(HttpStatusCode.Created);
            await App.Evaluator.EvaluateAsync(CancellationToken.None);
            Assert.Equal(0, await UnreadAsync(user)); // "below" is strict: at the threshold nothing fires

            (await user.Http.PutAsJsonAsync($"/api/alerts/rules/{atMean.GetProperty("id").GetGuid()}", new { kind = "news_negative", symbol = "NVDA", threshold = mean + 0.0001m })).EnsureSuccessStatusCode();
            await App.Evaluator.EvaluateAsync(CancellationToken.None);
            var fired = Assert.Single((await (await user.Http.GetAsync("/api/alerts/events")).AssertJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
            Assert.Equal(mean, fired.GetProperty("value").GetDecimal());
            Assert.Equal(Math.Min(count, 10), fired.GetProperty("headlines").GetArrayLength());
            Assert.Contains($"over {count} headline(s)", fired.GetProperty("message").GetString());
        }
        finally
        {
            // Moved only when the last day had no headlines; the user's token (issued before) keeps working meanwhile.
            App.Clock.Advance(-moved);
        }
    }

    [Fact]
    public async Task The_test_email_reaches_the_smtp_server_and_the_log()
    {
        var user = await App.CreateUserAsync();
        var address = user.Username + "@alerts.example.com";
        await (await user.Http.PutAsJsonAsync("/api/alerts/settings", new { email = address })).AssertJsonAsync(HttpStatusCode.OK);
        var sent = await (await user.Http.PostAsync("/api/alerts/test-email", null)).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(address, sent.GetProperty("sent_to").GetString());
        var mail = Assert.Single(fixture.Smtp.To(address));
        Assert.Equal("FinSight test email", mail.Subject);
        var log = Assert.Single((await (await user.Http.GetAsync("/api/alerts/deliveries")).AssertJsonAsync(HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal("delivered", log.GetProperty("status").GetString());
        Assert.Equal(250, log.GetProperty("last_status_code").GetInt32());
    }

    [Fact]
    public async Task Deliveries_wait_for_the_end_of_quiet_hours()
    {
        var user = await App.CreateUserAsync();
        var now = App.Clock.GetUtcNow();
        var start = now.AddHours(-1).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var end = now.AddHours(2).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        await (await user.Http.PutAsJsonAsync("/api/alerts/settings", new { webhook_url = fixture.Webhooks.Url(user.Username), quiet_start = start, quiet_end = end }))
            .AssertJsonAsync(HttpStatusCode.OK);
        (await user.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "price_above", symbol = "AAPL", threshold = 100, notify_webhook = true })).EnsureSuccessStatusCode();
        await App.Evaluator.EvaluateAsync(CancellationToken.None);
        Assert.Equal(1, await UnreadAsync(user)); // the bell has it at once
        await App.Dispatcher.DeliverDueAsync(CancellationToken.None);
        Assert.Empty(fixture.Webhooks.For(user.Username));
        var pending = Assert.Single((await (await user.Http.GetAsync("/api/alerts/deliveries")).AssertJsonAsync(HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal("pending", pending.GetProperty("status").GetString());
        var next = pending.GetProperty("next_attempt_at").GetDateTimeOffset();
        Assert.InRange(next, now.AddHours(1.9), now.AddHours(2.1));

        // Past the quiet hours (and back afterwards: the API's tokens are checked against real time).
        App.Clock.Advance(TimeSpan.FromHours(2.1));
        try
        {
            await App.DeliverAllAsync();
        }
        finally
        {
            App.Clock.Advance(-TimeSpan.FromHours(2.1));
        }
        Assert.Single(fixture.Webhooks.For(user.Username));
    }

    [Fact]
    public async Task Daily_move_and_drawdown_rules_fire_at_their_threshold_and_not_just_short_of_it()
    {
        var user = await App.CreateUserAsync();
        (await user.Http.PostAsJsonAsync("/api/transactions", new { type = "buy", symbol = "MSFT", quantity = 10, price = 300, date = "2025-06-02" })).EnsureSuccessStatusCode();
        var ids = new Dictionary<AlertKind, Guid>();
        foreach (var (kind, symbol) in new[] { ("daily_move", "MSFT"), ("position_drawdown", "MSFT"), ("portfolio_drawdown", (string?)null) })
        {
            var rule = await (await user.Http.PostAsJsonAsync("/api/alerts/rules", new { kind, symbol, threshold = 99 })).AssertJsonAsync(HttpStatusCode.Created);
            ids[Enum.Parse<AlertKind>(kind.Replace("_", ""), ignoreCase: true)] = rule.GetProperty("id").GetGuid();
        }

        // A Saturday noon, so the walked (unpinned) MSFT price stands still between the expected figures and the evaluation.
        var now = App.Clock.GetUtcNow();
        var saturday = now.Date.AddDays(((int)DayOfWeek.Saturday - (int)now.DayOfWeek + 7) % 7 + 7).AddHours(12);
        var shift = new DateTimeOffset(saturday, TimeSpan.Zero) - now;
        App.Clock.Advance(shift);
        try
        {
            await using var scope = App.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<FinSightDbContext>();
            var market = scope.ServiceProvider.GetRequiredService<FinSight.MarketData.MarketDataService>();
            var analytics = scope.ServiceProvider.GetRequiredService<FinSight.Web.Features.Dashboard.PortfolioAnalytics>();
            var userId = await db.Users.Where(u => u.Username == user.Username).Select(u => u.Id).SingleAsync();
            var portfolio = await db.Portfolios.AsNoTracking().SingleAsync(p => p.UserId == userId);

            // The expected figures, computed here from the same market data.
            var quote = (await market.GetQuoteAsync("MSFT")).Value!;
            var lastClose = FinSight.MarketData.MarketCalendar.LastClosedSession(App.Clock.GetUtcNow());
            var bars = (await market.GetDailyHistoryAsync("MSFT", new DateOnly(2025, 6, 2), lastClose)).Value!.Bars;
            var peak = Math.Max(quote.Price, bars.Max(b => b.Close));
            var expected = new Dictionary<AlertKind, decimal>
            {
                [AlertKind.DailyMove] = decimal.Round(quote.ChangePercent!.Value, 2),
                [AlertKind.PositionDrawdown] = decimal.Round((peak - quote.Price) / peak * 100m, 2),
                [AlertKind.PortfolioDrawdown] = decimal.Round(Math.Max(0m, -(decimal)(await analytics.PerformanceAsync(portfolio, null, CancellationToken.None))!.History.Points[^1].Drawdown * 100m), 2),
            };

            foreach (var (kind, value) in expected)
            {
                var id = ids[kind];
                var edge = Math.Abs(value);
                // Just short of the value: nothing. At it: "at or beyond" fires, with the value observed.
                await db.AlertRules.Where(r => r.Id == id).ExecuteUpdateAsync(x => x.SetProperty(r => r.Threshold, edge + 0.01m).SetProperty(r => r.Armed, true));
                await App.Evaluator.EvaluateAsync(CancellationToken.None);
                Assert.False(await db.AlertEvents.AnyAsync(e => e.RuleId == id), $"{kind} fired at {edge + 0.01m} with the value {value}");
                if (edge == 0)
                {
                    continue; // at its peak (or a flat day): a threshold must be above 0, so only "not yet" can be checked
                }
                await db.AlertRules.Where(r => r.Id == id).ExecuteUpdateAsync(x => x.SetProperty(r => r.Threshold, edge));
                await App.Evaluator.EvaluateAsync(CancellationToken.None);
                var fired = await db.AlertEvents.AsNoTracking().SingleAsync(e => e.RuleId == id);
                Assert.Equal(value, fired.Value);
                Assert.True(fired.IsSimulated);
            }
            Assert.Contains(expected.Values, v => v != 0);
        }
        finally
        {
            App.Clock.Advance(-shift);
        }
    }

    [Fact]
    public async Task Beyond_the_hourly_delivery_limit_emails_wait_instead_of_being_sent_or_dropped()
    {
        var user = await App.CreateUserAsync();
        for (var i = 0; i < 4; i++) // Alerts:MaxDeliveriesPerUserPerHour in these tests
        {
            await (await user.Http.PostAsync("/api/alerts/test-email", null)).AssertJsonAsync(HttpStatusCode.OK);
        }
        await (await user.Http.PostAsync("/api/alerts/test-email", null)).AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(4, fixture.Smtp.To(user.Email).Count);

        (await user.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "price_above", symbol = "AAPL", threshold = 100, notify_email = true })).EnsureSuccessStatusCode();
        await App.Evaluator.EvaluateAsync(CancellationToken.None);
        Assert.Equal(1, await UnreadAsync(user)); // the bell is not limited
        await App.Dispatcher.DeliverDueAsync(CancellationToken.None);
        Assert.Equal(4, fixture.Smtp.To(user.Email).Count);
        var waiting = (await (await user.Http.GetAsync("/api/alerts/deliveries")).AssertJsonAsync(HttpStatusCode.OK)).EnumerateArray()
            .Single(d => d.GetProperty("event_id").ValueKind != JsonValueKind.Null);
        Assert.Equal("pending", waiting.GetProperty("status").GetString());
        Assert.Contains("hourly delivery limit", waiting.GetProperty("last_error").GetString());
        Assert.True(waiting.GetProperty("next_attempt_at").GetDateTimeOffset() > App.Clock.GetUtcNow().AddMinutes(55));
        Assert.Equal(0, waiting.GetProperty("attempts").GetInt32());

        // Another user is not held back by this one's limit.
        var other = await App.CreateUserAsync();
        await (await other.Http.PostAsync("/api/alerts/test-email", null)).AssertJsonAsync(HttpStatusCode.OK);
    }

    private static async Task<int> UnreadAsync(UserClient user) =>
        (await (await user.Http.GetAsync("/api/alerts/events?unread=true")).AssertJsonAsync(HttpStatusCode.OK)).GetProperty("unread_count").GetInt32();
}

public sealed class AlertsApiSqliteTests(SqliteAlertFixture fixture) : AlertsApiTests(fixture), IClassFixture<SqliteAlertFixture>;

public sealed class AlertsApiPostgresTests(PostgresAlertFixture fixture) : AlertsApiTests(fixture), IClassFixture<PostgresAlertFixture>;
