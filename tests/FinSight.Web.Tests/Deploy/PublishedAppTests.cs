using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using FinSight.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FinSight.Web.Tests.Deploy;

/// <summary>
/// What the Dockerfile and docker-compose.yml run: the publish output (see <see cref="Publish"/>), started with
/// environment variables only, against PostgreSQL.
/// </summary>
public sealed class PublishedAppTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_published_app_starts_from_environment_variables_alone_and_serves_the_api()
    {
        var database = await (await PostgresServer.GetAsync()).CreateDatabaseAsync();
        var clock = Stopwatch.StartNew();
        await using var app = await PublishedApp.StartAsync(Environment(database));
        output.WriteLine($"dotnet publish took {Publish.Duration.TotalSeconds:F1} s (shared by every test of the run).");

        await app.WaitUntilReadyAsync();
        output.WriteLine($"publish (if first) + start until ready: {clock.Elapsed.TotalSeconds:F1} s");

        var health = await app.Http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var user = await app.SignUpAsync("published_" + Guid.NewGuid().ToString("N")[..8]);
        var me = await (await user.GetAsync("/users/me")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.StartsWith("published_", me.GetProperty("username").GetString(), StringComparison.Ordinal);
        var buy = await user.PostAsJsonAsync("/holdings/add", new { symbol = "AAPL", purchase_cost = 150m, quantity = 2m, date = "2025-01-02" });
        Assert.Equal(HttpStatusCode.Created, buy.StatusCode);
        var pnl = await (await user.GetAsync("/holdings/profit-loss")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("simulated", pnl.GetProperty("positions")[0].GetProperty("price_status").GetProperty("status").GetString());
        // The host logs its environment at start-up (plain or JSON console logs alike).
        Assert.Contains("Hosting environment: Production", app.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(FinSightApp.SigningKey, app.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Started_from_another_directory_the_published_app_serves_its_styles_scripts_and_api_docs()
    {
        var database = await (await PostgresServer.GetAsync()).CreateDatabaseAsync();
        var elsewhere = Directory.CreateTempSubdirectory("finsight-elsewhere-");
        try
        {
            // Production serves the API docs only when asked to (Docs:Enabled); this test wants them among the static files.
            var settings = Environment(database);
            settings["Docs__Enabled"] = "true";
            await using var app = await PublishedApp.StartAsync(settings, elsewhere.FullName);
            await app.WaitUntilReadyAsync();

            foreach (var (path, type) in new[]
            {
                ("/css/site.css", "text/css"), ("/lib/bootstrap/bootstrap.min.css", "text/css"), ("/js/site.js", "text/javascript"),
                ("/lib/htmx/htmx.min.js", "text/javascript"), ("/redoc/index.html", "text/html"), ("/redoc/redoc.standalone.js", "text/javascript"),
                ("/docs/index.html", "text/html"),
            })
            {
                var response = await app.Http.GetAsync(path);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
                Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
                Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 100, $"{path} is empty");
            }
            Assert.Contains("redoc.standalone.js", await app.Http.GetStringAsync("/redoc/index.html"), StringComparison.Ordinal);
            // Nothing was written to the directory it was started from.
            Assert.Empty(elsewhere.EnumerateFileSystemInfos());
        }
        finally
        {
            elsewhere.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_published_app_refuses_to_start_without_a_signing_key()
    {
        var database = await (await PostgresServer.GetAsync()).CreateDatabaseAsync();
        var settings = Environment(database);
        settings.Remove("Auth__SigningKey");
        await using var app = await PublishedApp.StartAsync(settings);

        var exitCode = await app.WaitForExitAsync(TimeSpan.FromSeconds(90));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("SigningKey", app.Output, StringComparison.Ordinal);
        // A clear message and a plain exit code, not an unhandled exception (134) with a stack trace.
        Assert.Equal(FinSight.Web.Infrastructure.StartupRefusedException.ExitCode, exitCode);
        Assert.DoesNotContain("Unhandled exception", app.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", app.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Auth__SigningKey", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "Auth:SigningKey is guessable")]
    [InlineData("FinSight__Demo", "true", "--force-demo")]
    public async Task The_published_app_refuses_a_weak_key_and_an_unforced_demo_with_a_clear_message(string setting, string value, string message)
    {
        var database = await (await PostgresServer.GetAsync()).CreateDatabaseAsync();
        var settings = Environment(database);
        settings[setting] = value;
        await using var app = await PublishedApp.StartAsync(settings);

        var exitCode = await app.WaitForExitAsync(TimeSpan.FromSeconds(90));

        Assert.Equal(FinSight.Web.Infrastructure.StartupRefusedException.ExitCode, exitCode);
        Assert.Contains(message, app.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", app.Output, StringComparison.Ordinal);
    }

    /// <summary>What an operator sets (docker-compose.yml), nothing more.</summary>
    internal static Dictionary<string, string?> Environment(string postgresConnectionString) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["ConnectionStrings__Postgres"] = postgresConnectionString,
        ["Auth__SigningKey"] = FinSightApp.SigningKey,
        ["MarketData__Providers__0"] = "Simulated",
        ["SymbolDirectory__LiveRefreshInterval"] = "00:00:00",
    };
}
