using System.Net;
using System.Net.Http.Json;
using FinSight.Web.Data;
using FinSight.Web.Tests.Infrastructure;

namespace FinSight.Web.Tests.Accounts;

/// <summary>Repeated failed logins are refused with 429 and Retry-After until the lockout ends.</summary>
public abstract class LoginThrottleTests(ThrottledApp app)
{
    [Fact]
    public async Task Failures_lock_the_account_even_for_the_right_password_until_the_lockout_ends()
    {
        var user = await app.CreateUserAsync();
        var client = app.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            var failed = await client.PostAsJsonAsync("/users/login", new { email = user.Email, password = "guess" + i });
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        var locked = await client.PostAsJsonAsync("/users/login", new { email = user.Email, password = user.Password });
        await locked.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        var retryAfter = locked.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);

        // The lockout is per account, whichever login route is used.
        var viaUsername = await client.PostAsJsonAsync("/api/auth/login", new { username = user.Username, password = user.Password });
        Assert.Equal(HttpStatusCode.TooManyRequests, viaUsername.StatusCode);

        app.Clock.Advance(TimeSpan.FromSeconds(61));
        var afterLockout = await client.PostAsJsonAsync("/users/login", new { email = user.Email, password = user.Password });
        Assert.Equal(HttpStatusCode.OK, afterLockout.StatusCode);
    }

    [Fact]
    public async Task Other_accounts_are_not_locked_by_one_accounts_failures()
    {
        var victim = await app.CreateUserAsync();
        var bystander = await app.CreateUserAsync();
        var client = app.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            await client.PostAsJsonAsync("/users/login", new { email = victim.Email, password = "guess" + i });
        }

        var response = await client.PostAsJsonAsync("/users/login", new { email = bystander.Email, password = bystander.Password });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Locking_an_account_from_one_address_does_not_lock_out_its_owner_at_another()
    {
        var victim = await app.CreateUserAsync();
        var attacker = Client("203.0.113.10");
        for (var i = 0; i < 3; i++)
        {
            var failed = await attacker.PostAsJsonAsync("/users/login", new { email = victim.Email, password = "guess" + i });
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }
        var locked = await attacker.PostAsJsonAsync("/users/login", new { email = victim.Email, password = victim.Password });
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);

        var owner = await Client("198.51.100.10").PostAsJsonAsync("/users/login", new { email = victim.Email, password = victim.Password });

        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
    }

    [Fact]
    public async Task Failures_from_many_addresses_back_the_account_off_for_seconds_never_locking_its_owner_out()
    {
        // ThrottledApp: back-off after 4 failures on one account, doubling from 2 s to at most 30 s.
        var victim = await app.CreateUserAsync();
        var address = 0;
        HttpClient Fresh() => Client($"203.0.113.{100 + ++address}");
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await Fresh().PostAsJsonAsync("/users/login", new { email = victim.Email, password = "spray" + i })).StatusCode);
        }

        var waits = new List<double>();
        for (var i = 0; i < 6; i++)
        {
            var refused = await Fresh().PostAsJsonAsync("/users/login", new { email = victim.Email, password = "spray-more" + i });
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            var wait = refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds;
            waits.Add(wait);
            app.Clock.Advance(TimeSpan.FromSeconds(wait + 0.5));
            Assert.Equal(HttpStatusCode.Unauthorized, (await Fresh().PostAsJsonAsync("/users/login", new { email = victim.Email, password = "after-wait" + i })).StatusCode);
        }
        Assert.InRange(waits[0], 1, 2);
        Assert.True(waits[3] > waits[0], $"The back-off grows: {string.Join(", ", waits)}");
        Assert.All(waits, w => Assert.InRange(w, 1, 30));

        // The owner, at their own address, waits at most the cap and then signs in.
        var owner = Client("198.51.100.20");
        var during = await owner.PostAsJsonAsync("/users/login", new { email = victim.Email, password = victim.Password });
        Assert.Equal(HttpStatusCode.TooManyRequests, during.StatusCode);
        Assert.InRange(during.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 30);
        app.Clock.Advance(during.Headers.RetryAfter.Delta.Value + TimeSpan.FromSeconds(0.5));
        Assert.Equal(HttpStatusCode.OK, (await owner.PostAsJsonAsync("/users/login", new { email = victim.Email, password = victim.Password })).StatusCode);
    }

    private HttpClient Client(string address)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }
}

public class ThrottledApp(DatabaseProvider provider) : FinSightApp(provider)
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Auth:MaxFailedLogins"] = "3",
        ["Auth:LockoutSeconds"] = "60",
        ["Auth:AccountBackoffAfter"] = "4",
        ["Auth:MaxAccountBackoffSeconds"] = "30",
    };
}

public sealed class ThrottledSqliteApp() : ThrottledApp(DatabaseProvider.Sqlite);

public sealed class ThrottledPostgresApp() : ThrottledApp(DatabaseProvider.Postgres);

public sealed class LoginThrottleSqliteTests(ThrottledSqliteApp app) : LoginThrottleTests(app), IClassFixture<ThrottledSqliteApp>;

public sealed class LoginThrottlePostgresTests(ThrottledPostgresApp app) : LoginThrottleTests(app), IClassFixture<ThrottledPostgresApp>;
