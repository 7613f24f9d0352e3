using System.Net;
using System.Net.Http.Json;
using FinSight.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FinSight.Web.Tests.Accounts;

/// <summary>
/// Password spraying: one address tries a few passwords on each of many accounts, staying under the
/// per-account limit. The per-address limit (4 × Auth:MaxFailedLogins = 20 by default) must stop it.
/// </summary>
public abstract class LoginSprayTests(FinSightApp app, ITestOutputHelper output)
{
    [Fact]
    public async Task One_address_spraying_across_accounts_is_refused_with_429_from_the_21st_failure()
    {
        const int accounts = 45;
        const int guesses = 180;
        var targets = new List<UserClient>();
        for (var i = 0; i < accounts; i++)
        {
            targets.Add(await app.CreateUserAsync());
        }
        // The victim's real password is guess number 100: before the fix it was found.
        var victim = targets[99 % accounts];
        var attacker = Client("203.0.113.50");
        var statuses = new List<HttpStatusCode>();
        TimeSpan? firstRetryAfter = null;
        for (var i = 0; i < guesses; i++)
        {
            var target = targets[i % accounts];
            var password = i == 99 ? victim.Password : "guess-" + i;
            var response = await attacker.PostAsJsonAsync("/api/auth/login", new { username = target.Username, password });
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                firstRetryAfter ??= response.Headers.RetryAfter?.Delta;
            }
        }

        var refused = statuses.Count(s => s == HttpStatusCode.TooManyRequests);
        var first429 = statuses.IndexOf(HttpStatusCode.TooManyRequests) + 1;
        output.WriteLine($"{guesses} guesses over {accounts} accounts from one address: {statuses.Count(s => s == HttpStatusCode.Unauthorized)} × 401, "
            + $"{refused} × 429 (first at guess {first429}), {statuses.Count(s => s == HttpStatusCode.OK)} × 200 (cracked); Retry-After {firstRetryAfter}");

        Assert.All(statuses.Take(20), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.All(statuses.Skip(20), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        Assert.NotNull(firstRetryAfter);
        Assert.InRange(firstRetryAfter.Value.TotalSeconds, 1, 300);

        // Nobody else is punished: the victim, from their own address, signs in.
        var own = await Client("198.51.100.60").PostAsJsonAsync("/api/auth/login", new { username = victim.Username, password = victim.Password });
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    private HttpClient Client(string address)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }
}

public sealed class LoginSpraySqliteTests(SqliteApp app, ITestOutputHelper output) : LoginSprayTests(app, output), IClassFixture<SqliteApp>;

public sealed class LoginSprayPostgresTests(PostgresApp app, ITestOutputHelper output) : LoginSprayTests(app, output), IClassFixture<PostgresApp>;
