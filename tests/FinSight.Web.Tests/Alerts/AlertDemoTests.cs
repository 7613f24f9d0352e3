using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FinSight.Web.Data;
using FinSight.Web.Features.Alerts;
using FinSight.Web.Features.News;
using FinSight.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FinSight.Web.Tests.Alerts;

/// <summary>The demo (its own SQLite, the moving simulated market) with the alert sinks; no pinned prices, alert jobs run by the test.</summary>
public sealed class DemoAlertApp(int smtpPort) : AlertApp(DatabaseProvider.Sqlite, smtpPort)
{
    protected override IDictionary<string, string?> ExtraSettings
    {
        get
        {
            var settings = base.ExtraSettings;
            foreach (var key in settings.Keys.Where(k => k.StartsWith("MarketData:Simulated:FixedPrices:", StringComparison.Ordinal)).ToArray())
            {
                settings.Remove(key);
            }
            settings["FinSight:Demo"] = "true";
            settings["FinSight:ForceDemo"] = "true";
            return settings;
        }
    }
}

public sealed class DemoAlertFixture : IAsyncLifetime
{
    public SmtpSink Smtp { get; } = new();
    public WebhookSink Webhooks { get; private set; } = null!;
    public DemoAlertApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Webhooks = await WebhookSink.StartAsync();
        App = new DemoAlertApp(Smtp.Port);
        await App.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)App).DisposeAsync();
        await Webhooks.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

/// <summary>
/// The "done when", in the demo: "TSLA below X" and "a holding's news turns negative", the market
/// crosses (moved with the demo's market control, as at any hour), and the bell, the email and the webhook
/// each get one alert per rule with the right values.
/// </summary>
public sealed class AlertDemoTests(DemoAlertFixture fixture) : IClassFixture<DemoAlertFixture>
{
    private DemoAlertApp App => fixture.App;

    [Fact]
    public async Task In_the_demo_a_tsla_crossing_and_negative_news_reach_the_bell_the_email_and_the_webhook_once_each()
    {
        var login = await App.CreateClient().PostAsJsonAsync("/api/auth/login", new { username = "demo", password = "demo123" });
        var demo = App.CreateClient();
        demo.DefaultRequestHeaders.Authorization = new("Bearer", (await login.AssertJsonAsync(HttpStatusCode.OK)).GetProperty("access_token").GetString());
        var settings = await (await demo.PutAsJsonAsync("/api/alerts/settings", new { webhook_url = fixture.Webhooks.Url("demo") })).AssertJsonAsync(HttpStatusCode.OK);
        var secret = settings.GetProperty("webhook_secret").GetString()!;
        var email = settings.GetProperty("effective_email").GetString()!;

        // The demo holding whose last-24-hour news is the most negative, and its figure as the evaluator computes it.
        var moved = TimeSpan.Zero;
        (string Symbol, decimal Mean, int Count) worst = default;
        for (var day = 0; day < 5 && worst.Count == 0; day++)
        {
            await using var scope = App.Services.CreateAsyncScope();
            var now = App.Clock.GetUtcNow();
            var news = await scope.ServiceProvider.GetRequiredService<NewsSentimentService>().ForSymbolsAsync(["AAPL", "MSFT", "GOOGL", "TSLA", "NVDA"], 30, CancellationToken.None);
            worst = news.Select(n => n.Latest.Where(h => h.Headline.PublishedAt > now - AlertEvaluator.NewsWindow && h.Headline.PublishedAt <= now).ToArray())
                .Zip(news, (recent, n) => (n.Symbol, Mean: recent.Length == 0 ? 2m : decimal.Round((decimal)recent.Average(h => h.Sentiment.Result.Probabilities.Net), 4), recent.Length))
                .Where(x => x.Length > 0).OrderBy(x => x.Mean).FirstOrDefault();
            if (worst.Count == 0)
            {
                App.Clock.Advance(TimeSpan.FromHours(7));
                moved += TimeSpan.FromHours(7);
            }
        }
        try
        {
            Assert.True(worst.Count > 0, "The simulated market should publish headlines for the demo holdings within a day or two.");
            (await demo.PostAsJsonAsync("/api/alerts/rules",
                new { kind = "news_negative", symbol = worst.Symbol, threshold = worst.Mean + 0.0001m, notify_email = true, notify_webhook = true })).EnsureSuccessStatusCode();
            await App.Evaluator.EvaluateAsync(CancellationToken.None);
        }
        finally
        {
            App.Clock.Advance(-moved);
        }

        // A Saturday: the market is closed and the simulated TSLA stands at Friday's close until moved.
        var real = App.Clock.GetUtcNow();
        var shift = new DateTimeOffset(real.Date.AddDays(((int)DayOfWeek.Saturday - (int)real.DayOfWeek + 7) % 7 + 7).AddHours(12), TimeSpan.Zero) - real;
        App.Clock.Advance(shift);
        try
        {
            var price = (await (await demo.GetAsync("/api/dashboard/quote/TSLA")).AssertSuccessAsync()).GetProperty("price").GetDecimal();
            var level = decimal.Round(price - 5m, 2);
            (await demo.PostAsJsonAsync("/api/alerts/rules", new { kind = "price_below", symbol = "TSLA", threshold = level, notify_email = true, notify_webhook = true }))
                .EnsureSuccessStatusCode();
            await App.Evaluator.EvaluateAsync(CancellationToken.None);
            var before = await (await demo.GetAsync("/api/alerts/events")).AssertJsonAsync(HttpStatusCode.OK);
            Assert.DoesNotContain(before.GetProperty("items").EnumerateArray(), e => e.GetProperty("symbol").GetString() == "TSLA" && e.GetProperty("kind").GetString() == "price_below");

            var crossed = level - 1.25m;
            var move = await (await demo.PostAsJsonAsync("/api/demo/market/TSLA", new { price = crossed })).AssertJsonAsync(HttpStatusCode.OK);
            Assert.Equal(FinSight.MarketData.MarketCalendar.LastClosedSession(App.Clock.GetUtcNow()).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                move.GetProperty("session").GetString());
            await Task.Delay(5); // past the 1 ms quote cache
            Assert.Equal(crossed, (await (await demo.GetAsync("/api/dashboard/quote/TSLA")).AssertSuccessAsync()).GetProperty("price").GetDecimal());
            await App.Evaluator.EvaluateAsync(CancellationToken.None);
            await App.Evaluator.EvaluateAsync(CancellationToken.None);
            await App.DeliverAllAsync();

            var events = await (await demo.GetAsync("/api/alerts/events")).AssertJsonAsync(HttpStatusCode.OK);
            Assert.Equal(2, events.GetProperty("unread_count").GetInt32());
            var items = events.GetProperty("items").EnumerateArray().ToArray();
            var tsla = Assert.Single(items, e => e.GetProperty("kind").GetString() == "price_below");
            Assert.Equal((crossed, level), (tsla.GetProperty("value").GetDecimal(), tsla.GetProperty("threshold").GetDecimal()));
            var news = Assert.Single(items, e => e.GetProperty("kind").GetString() == "news_negative");
            Assert.Equal((worst.Symbol, worst.Mean), (news.GetProperty("symbol").GetString(), news.GetProperty("value").GetDecimal()));
            Assert.Equal(Math.Min(worst.Count, 10), news.GetProperty("headlines").GetArrayLength());

            var mails = fixture.Smtp.To(email);
            Assert.Equal(2, mails.Count);
            Assert.Single(mails, m => (m.TextBody ?? "").Contains($"TSLA is at ${crossed:0.00}, at or below your ${level:0.00}", StringComparison.Ordinal));
            Assert.Single(mails, m => (m.TextBody ?? "").Contains($"{worst.Symbol} news turned negative", StringComparison.Ordinal) && (m.TextBody ?? "").Contains("Headlines:", StringComparison.Ordinal));
            var calls = fixture.Webhooks.For("demo");
            Assert.Equal(2, calls.Count);
            Assert.All(calls, c => Assert.Equal(AlertSenders.Sign(secret, c.Timestamp!, c.Body), c.Signature));
            var bodies = calls.Select(c => JsonDocument.Parse(c.Body).RootElement).ToArray();
            Assert.Single(bodies, b => b.GetProperty("kind").GetString() == "price_below" && b.GetProperty("value").GetDecimal() == crossed);
            Assert.Single(bodies, b => b.GetProperty("kind").GetString() == "news_negative" && b.GetProperty("value").GetDecimal() == worst.Mean);
        }
        finally
        {
            App.Clock.Advance(-shift);
        }
    }

    [Fact]
    public async Task The_market_control_takes_a_positive_price_and_exists_only_in_demo_mode()
    {
        var login = await App.CreateClient().PostAsJsonAsync("/api/auth/login", new { username = "demo", password = "demo123" });
        var demo = App.CreateClient();
        demo.DefaultRequestHeaders.Authorization = new("Bearer", (await login.AssertJsonAsync(HttpStatusCode.OK)).GetProperty("access_token").GetString());
        foreach (var body in new object[] { new { price = 0 }, new { price = -3 }, new { } })
        {
            var problem = await (await demo.PostAsJsonAsync("/api/demo/market/TSLA", body)).AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("price", out _));
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.CreateClient().PostAsJsonAsync("/api/demo/market/TSLA", new { price = 100 })).StatusCode);

        var normal = new AlertApp(DatabaseProvider.Sqlite, fixture.Smtp.Port);
        await normal.InitializeAsync();
        try
        {
            var user = await normal.CreateUserAsync();
            Assert.Equal(HttpStatusCode.NotFound, (await user.Http.PostAsJsonAsync("/api/demo/market/TSLA", new { price = 100 })).StatusCode);
        }
        finally
        {
            await ((IAsyncLifetime)normal).DisposeAsync();
        }
    }
}
