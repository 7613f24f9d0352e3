using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FinSight.Web.Data;
using FinSight.Web.Tests.Deploy;
using FinSight.Web.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace FinSight.Web.Tests.Faults;

/// <summary>PostgreSQL going away under a running app, and the app itself dying mid-write.</summary>
public sealed class DatabaseFaultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task PostgreSQL_stopped_mid_run_makes_readiness_and_requests_503_and_the_app_recovers_when_it_returns()
    {
        // A cluster of its own: stopping the shared one would fail every other test running meanwhile.
        await using var postgres = await PostgresServer.StartDedicatedAsync();
        var connectionString = new NpgsqlConnectionStringBuilder(await postgres.Server.CreateDatabaseAsync()) { Timeout = 5 }.ConnectionString;
        await using var lease = new Lease<FinSightApp>(new OutageApp(connectionString));
        var app = lease.App;
        await app.InitializeAsync();
        var user = await app.CreateUserAsync();
        var anonymous = app.CreateClient();
        var buy = await user.Http.PostAsJsonAsync("/api/transactions", new { type = "buy", symbol = "AAPL", quantity = 3m, price = 100m, date = "2025-01-02" });
        Assert.True(buy.StatusCode == HttpStatusCode.Created, await buy.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready")).StatusCode);

        await postgres.StopAsync();

        var ready = await anonymous.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", (await ready.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var requests = new (string Name, Func<Task<HttpResponseMessage>> Send)[]
        {
            ("list transactions", () => user.Http.GetAsync("/api/transactions")),
            ("add a transaction", () => user.Http.PostAsJsonAsync("/api/transactions", new { type = "buy", symbol = "AAPL", quantity = 1m, price = 100m, date = "2025-01-03" })),
            ("profit/loss", () => user.Http.GetAsync("/holdings/profit-loss")),
            ("dashboard", () => user.Http.GetAsync("/api/dashboard/overview")),
            ("me", () => user.Http.GetAsync("/users/me")),
            ("login", () => anonymous.PostAsJsonAsync("/users/login", new { email = user.Email, password = user.Password })),
            ("signup", () => anonymous.PostAsJsonAsync("/users/signup", new { name = "N", username = "outage_user", email = "outage@example.com", password = "correct horse battery" })),
        };
        foreach (var (name, send) in requests)
        {
            var response = await send();
            var problem = await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.True(problem.GetProperty("title").GetString() == "The database is unavailable", $"{name}: {problem}");
            Assert.NotNull(response.Headers.RetryAfter);
        }
        // A browser (no JSON in Accept) gets the same 503 and Retry-After, as one line of text, not an error page.
        using (var page = new HttpRequestMessage(HttpMethod.Get, "/api/transactions"))
        {
            page.Headers.Accept.ParseAdd("text/html");
            var response = await user.Http.SendAsync(page);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            Assert.StartsWith("The database is unavailable.", await response.Content.ReadAsStringAsync());
        }
        // No crash: the process still answers.
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);

        await postgres.StartAsync();

        await PollAsync(async () => (await anonymous.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, "readiness");
        // Pooled connections that died with the server are dropped as they are found; then every request works.
        await PollAsync(async () => (await user.Http.GetAsync("/api/transactions")).StatusCode == HttpStatusCode.OK, "the API");
        for (var i = 0; i < 5; i++)
        {
            var list = await (await user.Http.GetAsync("/api/transactions")).AssertJsonAsync(HttpStatusCode.OK);
            Assert.Equal(1, list.GetProperty("total").GetInt32()); // the write refused during the outage left nothing behind
        }
        var after = await user.Http.PostAsJsonAsync("/api/transactions", new { type = "buy", symbol = "AAPL", quantity = 1m, price = 100m, date = "2025-01-03" });
        Assert.Equal(HttpStatusCode.Created, after.StatusCode);
        var pnl = await (await user.Http.GetAsync("/holdings/profit-loss")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(4m, pnl.GetProperty("positions")[0].GetProperty("quantity").GetDecimal());
    }

    [Fact]
    public async Task Killing_the_app_during_a_burst_of_writes_loses_no_committed_transaction_and_leaves_no_half_written_one()
    {
        const int Portfolios = 4;
        const int KillAfter = 60;
        var database = await (await PostgresServer.GetAsync()).CreateDatabaseAsync();
        var environment = PublishedAppTests.Environment(database);
        var username = "burst_" + Guid.NewGuid().ToString("N")[..8];
        var portfolioIds = new List<Guid>();
        var acknowledged = new ConcurrentDictionary<Guid, Guid>(); // transaction id -> portfolio id, for every 201 seen
        var unanswered = 0;

        await using (var app = await PublishedApp.StartAsync(environment))
        {
            await app.WaitUntilReadyAsync();
            using var user = await app.SignUpAsync(username);
            for (var p = 0; p < Portfolios; p++)
            {
                var created = await (await user.PostAsJsonAsync("/api/portfolios", new { name = $"burst {p}" })).AssertJsonAsync(HttpStatusCode.Created);
                portfolioIds.Add(created.GetProperty("id").GetGuid());
            }

            // One writer per portfolio, each a buy then a sell-half pattern so every write depends on the history before it.
            using var killed = new CancellationTokenSource();
            var writers = portfolioIds.Select(portfolioId => Task.Run(async () =>
            {
                for (var i = 0; !killed.IsCancellationRequested; i++)
                {
                    object body = i % 3 == 2
                        ? new { type = "sell", symbol = "MSFT", quantity = 1m, price = 410m, date = "2025-02-03", portfolio_id = portfolioId, notes = $"w{i}" }
                        : new { type = "buy", symbol = "MSFT", quantity = 1m, price = 400m + i, date = "2025-02-03", portfolio_id = portfolioId, notes = $"w{i}" };
                    HttpResponseMessage response;
                    try
                    {
                        response = await user.PostAsJsonAsync("/api/transactions", body);
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        // The process died under this request: it may or may not have committed.
                        Interlocked.Increment(ref unanswered);
                        return;
                    }
                    if (response.StatusCode != HttpStatusCode.Created)
                    {
                        throw new InvalidOperationException($"write refused while the app was up: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }
                    var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
                    acknowledged[id] = portfolioId;
                }
            })).ToArray();

            await PollAsync(() => Task.FromResult(acknowledged.Count >= KillAfter || writers.Any(w => w.IsFaulted)), "the write burst");
            app.Kill();
            await killed.CancelAsync();
            await Task.WhenAll(writers);
        }

        // Straight from the database: every acknowledged write is there, and each portfolio's version
        // (bumped in the same transaction as every write) matches its rows, so no write half-happened.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        var stored = new Dictionary<Guid, List<Guid>>();
        await using (var command = new NpgsqlCommand("SELECT portfolio_id, id FROM transactions", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                (stored.TryGetValue(reader.GetGuid(0), out var ids) ? ids : stored[reader.GetGuid(0)] = []).Add(reader.GetGuid(1));
            }
        }
        var all = stored.Values.SelectMany(ids => ids).ToHashSet();
        output.WriteLine($"killed after {acknowledged.Count} acknowledged writes; {all.Count} in the database; {unanswered} requests cut off by the kill");
        Assert.All(acknowledged.Keys, id => Assert.Contains(id, all));
        Assert.InRange(all.Count - acknowledged.Count, 0, unanswered);
        foreach (var portfolioId in portfolioIds)
        {
            await using var version = new NpgsqlCommand("SELECT version FROM portfolios WHERE id = @id", connection);
            version.Parameters.AddWithValue("id", portfolioId);
            Assert.Equal(stored.GetValueOrDefault(portfolioId)?.Count ?? 0, Convert.ToInt32(await version.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        }

        // And the app starts again on that database (in this process: it need not be killed again),
        // where every history still replays.
        await using var restarted = new Lease<FinSightApp>(new OutageApp(database));
        await restarted.App.InitializeAsync();
        var login = await (await restarted.App.CreateClient().PostAsJsonAsync("/users/login", new { email = $"{username}@example.com", password = "correct horse battery" })).AssertJsonAsync(HttpStatusCode.OK);
        using var again = restarted.App.CreateClient();
        again.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", login.GetProperty("access_token").GetString());
        foreach (var portfolioId in portfolioIds)
        {
            var count = stored.GetValueOrDefault(portfolioId)?.Count ?? 0;
            var list = await (await again.GetAsync($"/api/transactions?portfolio_id={portfolioId}&limit=1")).AssertJsonAsync(HttpStatusCode.OK);
            Assert.Equal(count, list.GetProperty("total").GetInt32());
            var positions = await (await again.GetAsync($"/api/dashboard/positions?portfolio_id={portfolioId}")).AssertSuccessAsync();
            var sells = Enumerable.Range(0, count).Count(i => i % 3 == 2);
            var held = positions.GetProperty("positions").EnumerateArray().Sum(p => p.GetProperty("quantity").GetDecimal());
            Assert.Equal(count - (2 * sells), held);
        }
    }

    private static async Task PollAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(100);
        }
    }

    /// <summary>The app on a PostgreSQL database the test controls (a dedicated cluster, or one the test filled).</summary>
    private sealed class OutageApp(string connectionString) : FinSightApp(DatabaseProvider.Sqlite)
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Postgres"] = connectionString,
        };
    }
}
