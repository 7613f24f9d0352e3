using System.Net;
using System.Net.Http.Json;
using FinSight.Web.Data;
using FinSight.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FinSight.Web.Tests.Portfolios;

/// <summary>The app with the API rate limit off, so that many concurrent writes of one user reach the portfolio.</summary>
public class ContentionApp(DatabaseProvider provider) : FinSightApp(provider)
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["RateLimiting:Enabled"] = "false" };
}

public sealed class ContentionSqliteApp() : ContentionApp(DatabaseProvider.Sqlite);

public sealed class ContentionPostgresApp() : ContentionApp(DatabaseProvider.Postgres);

/// <summary>
/// Writes that keep colliding on one portfolio are retried with jitter and, if they still lose,
/// answered 503 with Retry-After (nothing written), never 500; nothing is lost or doubled.
/// </summary>
public abstract class ContentionTests(ContentionApp app, ITestOutputHelper output)
{
    [Fact]
    public async Task Sixteen_writers_of_forty_deposits_each_get_201_or_503_with_retry_after_never_500_and_nothing_is_lost()
    {
        var user = await app.CreateUserAsync();
        (await user.Http.PostAsJsonAsync("/api/transactions", new { type = "deposit", amount = 1m, date = "2025-01-02" })).EnsureSuccessStatusCode();

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            var mine = new List<HttpResponseMessage>();
            for (var i = 0; i < 40; i++)
            {
                mine.Add(await user.Http.PostAsJsonAsync("/api/transactions", new { type = "deposit", amount = 10m, date = "2025-01-03" }));
            }
            return mine;
        }));
        var all = answers.SelectMany(a => a).ToArray();
        var created = all.Count(r => r.StatusCode == HttpStatusCode.Created);
        var busy = all.Where(r => r.StatusCode == HttpStatusCode.ServiceUnavailable).ToArray();
        output.WriteLine($"{app.Provider}: {created} created, {busy.Length} busy (503) of {all.Length}");

        Assert.Equal(all.Length, created + busy.Length);
        Assert.All(busy, r => Assert.True(int.Parse(r.Headers.GetValues("Retry-After").Single()) >= 1));
        Assert.Equal(1 + created, (await (await user.Http.GetAsync("/api/transactions?type=deposit")).AssertJsonAsync(HttpStatusCode.OK)).GetProperty("total").GetInt32());
        Assert.True(created >= all.Length / 2, $"only {created} of {all.Length} writes got through");
    }
}

public sealed class ContentionSqliteTests(ContentionSqliteApp app, ITestOutputHelper output) : ContentionTests(app, output), IClassFixture<ContentionSqliteApp>;

public sealed class ContentionPostgresTests(ContentionPostgresApp app, ITestOutputHelper output) : ContentionTests(app, output), IClassFixture<ContentionPostgresApp>;
