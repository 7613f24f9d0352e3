using System.Net.Http.Headers;
using System.Net.Http.Json;
using FinSight.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FinSight.Web.Tests.Infrastructure;

/// <summary>
/// The real app on a real loopback port (Kestrel, not the in-memory test server), on SQLite or
/// PostgreSQL, with a fresh database and data folder per instance.
/// </summary>
public class FinSightApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string SigningKey = "test-signing-key-that-is-long-enough-0123456789";
    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("finsight-test-");
    private string? _postgresConnectionString;

    public FinSightApp(DatabaseProvider provider) => Provider = provider;

    public DatabaseProvider Provider { get; }

    /// <summary>Settings a test class wants on top of the defaults (e.g. tighter lockout).</summary>
    protected virtual IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>();

    /// <summary>The app's clock: real time that a test may push forward (lockouts, expiries).</summary>
    public TestClock Clock { get; } = new();

    public async Task InitializeAsync()
    {
        if (Provider == DatabaseProvider.Postgres)
        {
            var server = await PostgresServer.GetAsync();
            _postgresConnectionString = await server.CreateDatabaseAsync();
        }
        UseKestrel(0);
        StartServer();
    }

    Task IAsyncLifetime.DisposeAsync()
    {
        Dispose();
        try
        {
            _dataDirectory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; the OS cleans temp folders.
        }
        return Task.CompletedTask;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        var settings = new Dictionary<string, string?>
        {
            ["FinSight:DataDirectory"] = _dataDirectory.FullName,
            ["Database:Provider"] = Provider.ToString(),
            ["ConnectionStrings:Postgres"] = _postgresConnectionString,
            ["Auth:SigningKey"] = SigningKey,
            // Offline and deterministic: the simulated market, no live directory download, and
            // background polling only where a test starts it.
            ["MarketData:Providers:0"] = "Simulated",
            ["SymbolDirectory:LiveRefreshInterval"] = "00:00:00",
            ["QuoteRefresh:Enabled"] = "false",
            // Bounded, so the memory cache refuses any entry that does not state its size.
            ["Cache:SizeLimit"] = "10000000",
        };
        foreach (var (key, value) in ExtraSettings)
        {
            settings[key] = value;
        }
        // UseSetting (unlike ConfigureAppConfiguration) is visible to Program.cs before Build().
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services =>
        {
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
            // The production cost (100,000 PBKDF2 rounds) made hashing the suite's largest CPU cost:
            // every test signs users up and in. The same hasher and hash format, just cheaper here;
            // the published app (Deploy tests) keeps the default.
            services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1_000);
        });
    }

    /// <summary>Signs up a fresh user and returns a client that sends their token.</summary>
    public async Task<UserClient> CreateUserAsync(string? username = null, string password = "correct horse battery")
    {
        username ??= "u" + Guid.NewGuid().ToString("N")[..12];
        var anonymous = CreateClient();
        var signup = await anonymous.PostAsJsonAsync("/users/signup", new { name = "Test " + username, username, email = $"{username}@example.com", password });
        signup.EnsureSuccessStatusCode();
        var login = await anonymous.PostAsJsonAsync("/api/auth/login", new { username, password });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<TokenBody>())!.access_token;
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new UserClient(client, username, $"{username}@example.com", password, token);
    }

#pragma warning disable IDE1006 // mirrors the API's snake_case body
    private sealed record TokenBody(string access_token);
#pragma warning restore IDE1006
}

public sealed record UserClient(HttpClient Http, string Username, string Email, string Password, string Token);

public sealed class SqliteApp() : FinSightApp(DatabaseProvider.Sqlite);

public sealed class PostgresApp() : FinSightApp(DatabaseProvider.Postgres);
