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
}

public class ThrottledApp(DatabaseProvider provider) : FinSightApp(provider)
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Auth:MaxFailedLogins"] = "3",
        ["Auth:LockoutSeconds"] = "60",
    };
}

public sealed class ThrottledSqliteApp() : ThrottledApp(DatabaseProvider.Sqlite);

public sealed class ThrottledPostgresApp() : ThrottledApp(DatabaseProvider.Postgres);

public sealed class LoginThrottleSqliteTests(ThrottledSqliteApp app) : LoginThrottleTests(app), IClassFixture<ThrottledSqliteApp>;

public sealed class LoginThrottlePostgresTests(ThrottledPostgresApp app) : LoginThrottleTests(app), IClassFixture<ThrottledPostgresApp>;
