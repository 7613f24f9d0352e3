using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using FinSight.Web.Auth;
using FinSight.Web.Infrastructure;
using FinSight.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FinSight.Web.Tests.Platform;

/// <summary>What Production refuses or hides: demo mode unless forced, guessable keys, public API docs, token-failure details.</summary>
public sealed class ProductionRulesTests
{
    [Fact]
    public void Demo_mode_is_refused_in_Production_unless_forced()
    {
        using var data = new TempFolder();
        using var factory = Configure("Production", data.Path, new() { ["FinSight:Demo"] = "true" });

        var error = Assert.Throws<StartupRefusedException>(() => factory.CreateClient());

        Assert.Contains("--force-demo", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(data.Path, "finsight.db")), "nothing was written to the real data folder");
    }

    [Fact]
    public async Task A_forced_demo_uses_its_own_sqlite_file_even_when_postgres_is_configured()
    {
        using var data = new TempFolder();
        using var factory = Configure("Production", data.Path, new()
        {
            ["FinSight:Demo"] = "true",
            ["FinSight:ForceDemo"] = "true",
            // Unreachable on purpose: demo mode must not even try it.
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=9;Database=real;Username=real;Timeout=1",
        });
        var client = factory.CreateClient();

        var login = await client.PostAsJsonAsync("/api/auth/login", new { username = "demo", password = "demo123" });

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.True(File.Exists(Path.Combine(data.Path, "demo", "finsight-demo.db")), "the demo's own database");
        Assert.False(File.Exists(Path.Combine(data.Path, "finsight.db")), "the configured data folder's database is untouched");
    }

    [Theory]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("passwordpasswordpasswordpassword")]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("abababababababababababababababababababab")]
    public void Guessable_signing_keys_are_refused_with_a_clear_message(string key)
    {
        using var data = new TempFolder();
        using var factory = Configure("Production", data.Path, new() { ["Auth:SigningKey"] = key });

        var error = Assert.Throws<StartupRefusedException>(() => factory.CreateClient());

        Assert.Contains("Auth:SigningKey is guessable", error.Message, StringComparison.Ordinal);
        Assert.Contains("openssl rand", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_keys_in_base64_or_hex_are_accepted()
    {
        Assert.Null(SigningKey.WeaknessOf(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48))));
        Assert.Null(SigningKey.WeaknessOf(Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))));
        Assert.Null(SigningKey.WeaknessOf(FinSightApp.SigningKey));
    }

    [Fact]
    public async Task Production_hides_the_api_docs_unless_enabled()
    {
        using var data = new TempFolder();
        using var hidden = Configure("Production", data.Path, new());
        using var shown = Configure("Production", data.Path, new() { ["Docs:Enabled"] = "true" });

        Assert.Equal(HttpStatusCode.NotFound, (await hidden.CreateClient().GetAsync("/docs/index.html")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hidden.CreateClient().GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await shown.CreateClient().GetAsync("/docs/index.html")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await shown.CreateClient().GetAsync("/openapi/v1.json")).StatusCode);
        // The pages' footer links to the docs only where they are served.
        Assert.DoesNotContain("href=\"/docs\"", await hidden.CreateClient().GetStringAsync("/account/signin"), StringComparison.Ordinal);
        Assert.Contains("href=\"/docs\"", await shown.CreateClient().GetStringAsync("/account/signin"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Production", false)]
    [InlineData("Staging", true)]
    public async Task Production_does_not_explain_why_a_token_failed(string environment, bool explains)
    {
        using var data = new TempFolder();
        using var factory = Configure(environment, data.Path, new());
        var expired = Tokens.Mint(Guid.NewGuid().ToString(), FinSightApp.SigningKey, DateTime.UtcNow.AddHours(-3), TimeSpan.FromHours(1));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/users/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", expired);

        var response = await factory.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        Assert.Equal(explains, (challenge.Parameter ?? "").Contains("error_description", StringComparison.Ordinal));
    }

    private static WebApplicationFactory<Program> Configure(string environment, string dataDir, Dictionary<string, string?> settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment(environment);
            b.UseSetting("FinSight:DataDirectory", dataDir);
            b.UseSetting("Auth:SigningKey", FinSightApp.SigningKey);
            b.UseSetting("Https:Redirect", "false");
            b.UseSetting("MarketData:Providers:0", "Simulated");
            b.UseSetting("SymbolDirectory:LiveRefreshInterval", "00:00:00");
            b.UseSetting("QuoteRefresh:Enabled", "false");
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }
        });

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("finsight-production-").FullName;

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}

/// <summary>The antiforgery cookie is Secure when the request came over HTTPS (here: through the trusted proxy).</summary>
public sealed class AntiforgeryCookieTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Theory]
    [InlineData("https", true)]
    [InlineData(null, false)]
    public async Task The_antiforgery_cookie_is_secure_over_https(string? forwardedProto, bool secure)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = app.CreateClient().BaseAddress };
        if (forwardedProto is not null)
        {
            client.DefaultRequestHeaders.Add("X-Forwarded-Proto", forwardedProto);
        }

        var response = await client.GetAsync("/account/signin");

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("finsight.antiforgery=", StringComparison.Ordinal));
        Assert.Equal(secure, cookie.Contains("secure", StringComparison.OrdinalIgnoreCase));
    }
}
