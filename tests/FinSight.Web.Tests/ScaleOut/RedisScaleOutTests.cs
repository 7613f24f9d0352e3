using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FinSight.Web.Data;
using FinSight.Web.Tests.Faults;
using FinSight.Web.Tests.Infrastructure;

namespace FinSight.Web.Tests.ScaleOut;

/// <summary>An instance on the shared PostgreSQL database and the shared Redis server.</summary>
public sealed class RedisInstanceApp(string postgres, string redis, IDictionary<string, string?>? extra = null) : FinSightApp(DatabaseProvider.Postgres)
{
    protected override IDictionary<string, string?> ExtraSettings
    {
        get
        {
            var settings = new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = postgres,
                ["ConnectionStrings:Redis"] = redis,
                ["Auth:MaxFailedLogins"] = "3",
                ["Auth:LockoutSeconds"] = "60",
                // Every anonymous request of a fixture (sign-ups, logins) comes from 127.0.0.1 and so shares one bucket
                // across its instances: roomy enough for a test class's sign-ups, small enough to exceed on purpose.
                ["RateLimiting:BurstLimit"] = "60",
                ["RateLimiting:PermitsPerSecond"] = "1",
            };
            foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
            {
                settings[key] = value;
            }
            return settings;
        }
    }
}

/// <summary>Three instances on one PostgreSQL database and one Redis server, quoting from one fake Yahoo that counts its calls.</summary>
public sealed class ThreeInstancesOnRedis : IAsyncLifetime
{
    public RedisInstanceApp[] Instances { get; private set; } = [];
    public FakeYahooServer Vendor { get; private set; } = null!;
    public RedisServer Redis { get; private set; } = null!;

    /// <summary>This fixture's deployment on the run's Redis server: nothing it writes may meet another fixture's keys.</summary>
    public string KeyPrefix { get; } = $"fixture-{Guid.NewGuid():N}:";

    public async Task InitializeAsync()
    {
        var redis = Redis = await RedisServer.GetAsync();
        var postgres = await (await PostgresServer.GetAsync()).CreateDatabaseAsync();
        Vendor = await FakeYahooServer.StartAsync();
        // Every symbol the tests hold or ask for has a price before any instance asks (a failure is cached, and shared).
        foreach (var symbol in new[] { "AAPL", "MSFT", "NVDA", "TSLA", "SPY", "AMZN", "GOOGL", "META", "NFLX", "AMD" })
        {
            Vendor.Prices[symbol] = 123.45m;
        }
        var instances = new List<RedisInstanceApp>();
        for (var i = 0; i < 3; i++)
        {
            var app = new RedisInstanceApp(postgres, redis.ConnectionString,
                new Dictionary<string, string?>(Vendor.Settings()) { ["Redis:KeyPrefix"] = KeyPrefix });
            await ((IAsyncLifetime)app).InitializeAsync();
            instances.Add(app);
        }
        Instances = [.. instances];
    }

    public async Task DisposeAsync()
    {
        foreach (var app in Instances.Reverse())
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
        await Vendor.DisposeAsync();
    }
}

public sealed class RedisScaleOutTests(ThreeInstancesOnRedis fixture) : IClassFixture<ThreeInstancesOnRedis>
{
    private RedisInstanceApp A => fixture.Instances[0];
    private RedisInstanceApp B => fixture.Instances[1];
    private RedisInstanceApp C => fixture.Instances[2];

    [Fact]
    public async Task Failed_logins_on_different_instances_add_up_to_one_lockout()
    {
        var user = await A.CreateUserAsync();
        foreach (var instance in fixture.Instances)
        {
            var failed = await instance.CreateClient().PostAsJsonAsync("/users/login", new { email = user.Email, password = "wrong guess" });
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }
        // Three failures in total, one per instance: the account is locked on every instance, even for the right password.
        foreach (var instance in fixture.Instances)
        {
            var locked = await instance.CreateClient().PostAsJsonAsync("/users/login", new { email = user.Email, password = user.Password });
            Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
            Assert.NotNull(locked.Headers.RetryAfter?.Delta);
        }
    }

    [Fact]
    public async Task The_per_user_rate_limit_is_one_bucket_across_instances()
    {
        var user = await A.CreateUserAsync();
        var statuses = new List<HttpStatusCode>();
        // 40 requests on each of two instances: under the burst of 60 on either alone, over it together.
        foreach (var instance in new[] { A, B })
        {
            var client = OnInstance(instance, user);
            for (var i = 0; i < 40; i++)
            {
                statuses.Add((await client.GetAsync("/api/transactions")).StatusCode);
            }
        }
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.True(statuses.Take(40).All(s => s == HttpStatusCode.OK), "the first instance's requests were under the burst");
    }

    [Fact]
    public async Task Concurrent_quotes_on_three_instances_make_one_upstream_call_per_symbol()
    {
        // One user per instance: the per-user rate limit (a burst of 20 here) stays out of the way.
        var users = new[] { await A.CreateUserAsync(), await B.CreateUserAsync(), await C.CreateUserAsync() };
        // Symbols no other test here holds, so none is cached yet.
        string[] symbols = ["AMZN", "GOOGL", "META", "NFLX", "AMD"];
        var before = fixture.Vendor.QuoteRequests;
        var requests = fixture.Instances.SelectMany((instance, i) => symbols.SelectMany(symbol => Enumerable.Range(0, 3).Select(async _ =>
        {
            var response = await OnInstance(instance, users[i]).GetAsync($"/api/dashboard/quote/{symbol}");
            var body = await response.AssertSuccessAsync();
            Assert.Equal(123.45m, body.GetProperty("price").GetDecimal());
        })));
        await Task.WhenAll(requests);
        Assert.Equal(symbols.Length, fixture.Vendor.QuoteRequests - before);
    }

    [Fact]
    public async Task A_write_on_one_instance_retires_the_warm_dashboards_of_every_instance()
    {
        var user = await A.CreateUserAsync();
        (await user.Http.PostAsJsonAsync("/api/transactions", new { type = "buy", symbol = "AAPL", quantity = 10, price = 150, date = "2025-01-02" })).EnsureSuccessStatusCode();
        foreach (var instance in new[] { B, C })
        {
            // Warm: asked twice, the second from memory.
            for (var i = 0; i < 2; i++)
            {
                var positions = await (await OnInstance(instance, user).GetAsync("/api/dashboard/positions")).AssertSuccessAsync();
                Assert.DoesNotContain("NVDA", positions.GetRawText());
                var overview = await (await OnInstance(instance, user).GetAsync("/api/dashboard/overview")).AssertSuccessAsync();
                Assert.Equal(1, overview.GetProperty("position_count").GetInt32());
            }
        }
        (await user.Http.PostAsJsonAsync("/api/transactions", new { type = "buy", symbol = "NVDA", quantity = 2, price = 400, date = "2025-01-03" })).EnsureSuccessStatusCode();
        foreach (var instance in new[] { B, C })
        {
            var overview = await (await OnInstance(instance, user).GetAsync("/api/dashboard/overview")).AssertSuccessAsync();
            Assert.Equal(2, overview.GetProperty("position_count").GetInt32());
            Assert.Contains("NVDA", (await (await OnInstance(instance, user).GetAsync("/api/dashboard/positions")).AssertSuccessAsync()).GetRawText());
            Assert.Contains("NVDA", (await (await OnInstance(instance, user).GetAsync("/holdings/profit-loss")).AssertJsonAsync(HttpStatusCode.OK)).GetRawText());
        }
    }

    [Fact]
    public async Task Signing_out_everywhere_on_one_instance_stops_the_token_on_every_instance_at_once()
    {
        var user = await A.CreateUserAsync();
        foreach (var instance in fixture.Instances)
        {
            // Each instance now holds "this token is current" in memory.
            Assert.Equal(HttpStatusCode.OK, (await OnInstance(instance, user).GetAsync("/api/dashboard/overview")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NoContent, (await OnInstance(B, user).PostAsync("/users/me/sign-out-everywhere", null)).StatusCode);
        foreach (var instance in fixture.Instances)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await OnInstance(instance, user).GetAsync("/api/dashboard/overview")).StatusCode);
        }
    }

    [Fact]
    public async Task One_users_warm_dashboard_never_answers_another_user()
    {
        var alice = await A.CreateUserAsync();
        var bob = await A.CreateUserAsync();
        (await alice.Http.PostAsJsonAsync("/api/transactions", new { type = "buy", symbol = "MSFT", quantity = 3, price = 300, date = "2025-01-02" })).EnsureSuccessStatusCode();
        (await bob.Http.PostAsJsonAsync("/api/transactions", new { type = "buy", symbol = "TSLA", quantity = 4, price = 200, date = "2025-01-02" })).EnsureSuccessStatusCode();
        for (var i = 0; i < 2; i++)
        {
            var hers = (await (await OnInstance(B, alice).GetAsync("/api/dashboard/positions")).AssertSuccessAsync()).GetRawText();
            var his = (await (await OnInstance(B, bob).GetAsync("/api/dashboard/positions")).AssertSuccessAsync()).GetRawText();
            Assert.Contains("MSFT", hers);
            Assert.DoesNotContain("TSLA", hers);
            Assert.Contains("TSLA", his);
            Assert.DoesNotContain("MSFT", his);
        }
    }

    [Fact]
    public async Task Readiness_reports_redis_healthy()
    {
        var ready = await (await A.CreateClient().GetAsync("/health/ready")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Healthy", ready.GetProperty("checks").GetProperty("redis").GetString());
    }

    [Fact]
    public async Task Every_key_the_deployment_writes_starts_with_its_prefix()
    {
        var user = await A.CreateUserAsync();
        await B.CreateClient().PostAsJsonAsync("/users/login", new { email = user.Email, password = "wrong guess" });
        (await user.Http.PostAsJsonAsync("/api/transactions", new { type = "buy", symbol = "AMD", quantity = 1, price = 100, date = "2025-01-02" })).EnsureSuccessStatusCode();
        (await OnInstance(C, user).GetAsync("/api/dashboard/overview")).EnsureSuccessStatusCode();

        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(fixture.Redis.ConnectionString);
        var keys = redis.GetServers().Single().Keys(pattern: "*").Select(k => k.ToString()).ToList();
        // A login count, a rate bucket (the limiter library wraps its partition key: rl:tb:{...}), a user's epoch and a
        // cached quote at least; every key of this run's Redis belongs to this fixture, and none has the default prefix.
        foreach (var kind in new[] { "login:", "rate:", "epoch:", "md:" })
        {
            Assert.Contains(keys, k => k.Contains(fixture.KeyPrefix + kind, StringComparison.Ordinal));
        }
        Assert.All(keys, k => Assert.Contains(fixture.KeyPrefix, k, StringComparison.Ordinal));
    }

    internal static HttpClient OnInstance(FinSightApp instance, UserClient user)
    {
        var client = instance.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        return client;
    }
}

/// <summary>Two instances on a Redis server of their own, which a test stops and starts.</summary>
public sealed class TwoInstancesOnOwnRedis : IAsyncLifetime
{
    public RedisServer Redis { get; private set; } = null!;
    public RedisInstanceApp A { get; private set; } = null!;
    public RedisInstanceApp B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartDedicatedAsync();
        var postgres = await (await PostgresServer.GetAsync()).CreateDatabaseAsync();
        A = new RedisInstanceApp(postgres, Redis.ConnectionString);
        await ((IAsyncLifetime)A).InitializeAsync();
        B = new RedisInstanceApp(postgres, Redis.ConnectionString);
        await ((IAsyncLifetime)B).InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)B).DisposeAsync();
        await ((IAsyncLifetime)A).DisposeAsync();
        await Redis.DisposeAsync();
    }
}

public sealed class RedisOutageTests(TwoInstancesOnOwnRedis fixture) : IClassFixture<TwoInstancesOnOwnRedis>
{
    [Fact]
    public async Task Without_redis_the_instances_keep_serving_report_degraded_and_recover_by_themselves()
    {
        var (a, b) = (fixture.A, fixture.B);
        var user = await a.CreateUserAsync();
        (await user.Http.PostAsJsonAsync("/api/transactions", new { type = "buy", symbol = "AAPL", quantity = 10, price = 150, date = "2025-01-02" })).EnsureSuccessStatusCode();
        Assert.Equal(1, (await (await RedisScaleOutTests.OnInstance(b, user).GetAsync("/api/dashboard/overview")).AssertSuccessAsync()).GetProperty("position_count").GetInt32());

        await fixture.Redis.StopAsync();
        await WaitForAsync(a, "Degraded");
        await WaitForAsync(b, "Degraded");

        // Still serving: the dashboard, a write on A seen on B (read from the database meanwhile), a sign-in.
        (await user.Http.PostAsJsonAsync("/api/transactions", new { type = "buy", symbol = "NVDA", quantity = 2, price = 400, date = "2025-01-03" })).EnsureSuccessStatusCode();
        Assert.Equal(2, (await (await RedisScaleOutTests.OnInstance(b, user).GetAsync("/api/dashboard/overview")).AssertSuccessAsync()).GetProperty("position_count").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await b.CreateClient().PostAsJsonAsync("/users/login", new { email = user.Email, password = user.Password })).StatusCode);
        // A failure counted by A alone while Redis is away still counts on A.
        for (var i = 0; i < 3; i++)
        {
            await a.CreateClient().PostAsJsonAsync("/users/login", new { email = user.Email, password = "wrong" });
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await a.CreateClient().PostAsJsonAsync("/users/login", new { email = user.Email, password = user.Password })).StatusCode);

        await fixture.Redis.StartAsync();
        await WaitForAsync(a, "Healthy");
        await WaitForAsync(b, "Healthy");

        // Shared again: warm on B, a write on A, B sees it at once.
        Assert.Equal(2, (await (await RedisScaleOutTests.OnInstance(b, user).GetAsync("/api/dashboard/overview")).AssertSuccessAsync()).GetProperty("position_count").GetInt32());
        (await user.Http.PostAsJsonAsync("/api/transactions", new { type = "buy", symbol = "MSFT", quantity = 1, price = 300, date = "2025-01-06" })).EnsureSuccessStatusCode();
        Assert.Equal(3, (await (await RedisScaleOutTests.OnInstance(b, user).GetAsync("/api/dashboard/overview")).AssertSuccessAsync()).GetProperty("position_count").GetInt32());
    }

    private static async Task WaitForAsync(FinSightApp app, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var response = await app.CreateClient().GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            if (body.GetProperty("checks").GetProperty("redis").GetString() == status)
            {
                Assert.Equal(status, body.GetProperty("status").GetString());
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"/health/ready did not report redis {status} within 30 s: {body}");
            await Task.Delay(200);
        }
    }
}
