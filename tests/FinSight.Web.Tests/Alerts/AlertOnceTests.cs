using System.Net;
using System.Net.Http.Json;
using FinSight.Web.Data;
using FinSight.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FinSight.Web.Tests.Alerts;

/// <summary>Once and only once: across two instances on one PostgreSQL database, and across a restart between firing and delivery.</summary>
public sealed class AlertOnceTests : IAsyncLifetime
{
    private readonly SmtpSink _smtp = new();
    private WebhookSink _webhooks = null!;

    public async Task InitializeAsync() => _webhooks = await WebhookSink.StartAsync();

    public async Task DisposeAsync()
    {
        await _webhooks.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    [Fact]
    public async Task Two_instances_on_one_postgres_database_fire_and_deliver_each_alert_once()
    {
        var database = await (await PostgresServer.GetAsync()).CreateDatabaseAsync();
        // Both run the real jobs (evaluation and delivery every 200 ms); only the lock holder leads,
        // and the evaluators are also run by hand on both at once, so the conditional disarm is what is tested.
        await using var a = new AlertApp(DatabaseProvider.Postgres, _smtp.Port, sharedPostgres: database, jobs: true);
        await a.InitializeAsync();
        await using var b = new AlertApp(DatabaseProvider.Postgres, _smtp.Port, sharedPostgres: database, jobs: true);
        await b.InitializeAsync();

        var user = await a.CreateUserAsync();
        await (await user.Http.PutAsJsonAsync("/api/alerts/settings", new { webhook_url = _webhooks.Url(user.Username) })).AssertJsonAsync(HttpStatusCode.OK);
        (await user.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "price_above", symbol = "AAPL", threshold = 150, notify_email = true, notify_webhook = true }))
            .EnsureSuccessStatusCode();
        await Task.WhenAll(Enumerable.Range(0, 5).SelectMany(_ => new[]
        {
            a.Evaluator.EvaluateAsync(CancellationToken.None), b.Evaluator.EvaluateAsync(CancellationToken.None),
        }));
        await Task.WhenAll(a.Dispatcher.DeliverDueAsync(CancellationToken.None), b.Dispatcher.DeliverDueAsync(CancellationToken.None));
        await WaitUntilAsync(() => _webhooks.For(user.Username).Count >= 1 && _smtp.To(user.Email).Count >= 1);
        await Task.Delay(1500); // several more job cycles on both instances

        await using var scope = a.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FinSightDbContext>();
        var userId = await db.Users.Where(u => u.Username == user.Username).Select(u => u.Id).SingleAsync();
        Assert.Equal(1, await db.AlertEvents.CountAsync(e => e.UserId == userId));
        Assert.Equal(2, await db.AlertDeliveries.CountAsync(d => d.UserId == userId && d.Status == AlertDeliveryStatus.Delivered));
        Assert.Single(_webhooks.For(user.Username));
        Assert.Single(_smtp.To(user.Email));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_restart_between_firing_and_delivery_delivers_exactly_once(DatabaseProvider provider)
    {
        var postgres = provider == DatabaseProvider.Postgres ? await (await PostgresServer.GetAsync()).CreateDatabaseAsync() : null;
        var folder = Directory.CreateTempSubdirectory("finsight-alert-restart-");
        var sqlite = provider == DatabaseProvider.Sqlite ? Path.Combine(folder.FullName, "shared.db") : null;
        string username, email;
        await using (var first = new AlertApp(provider, _smtp.Port, postgres, sqlite))
        {
            await first.InitializeAsync();
            var user = await first.CreateUserAsync();
            (username, email) = (user.Username, user.Email);
            await (await user.Http.PutAsJsonAsync("/api/alerts/settings", new { webhook_url = _webhooks.Url(username) })).AssertJsonAsync(HttpStatusCode.OK);
            (await user.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "price_above", symbol = "AAPL", threshold = 150, notify_email = true, notify_webhook = true }))
                .EnsureSuccessStatusCode();
            Assert.Equal(1, await first.Evaluator.EvaluateAsync(CancellationToken.None));
            // Stopped here: fired and queued, nothing sent.
        }
        Assert.Empty(_webhooks.For(username));
        Assert.Empty(_smtp.To(email));

        await using (var second = new AlertApp(provider, _smtp.Port, postgres, sqlite))
        {
            await second.InitializeAsync();
            Assert.Equal(0, await second.Evaluator.EvaluateAsync(CancellationToken.None)); // still disarmed: no second firing
            await second.DeliverAllAsync();
            await second.DeliverAllAsync();
            Assert.Single(_webhooks.For(username));
            Assert.Single(_smtp.To(email));
        }
        folder.Delete(recursive: true);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "Timed out waiting for the alert to be delivered.");
            await Task.Delay(100);
        }
    }
}
