using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using FinSight.Web.Tests.Infrastructure;

namespace FinSight.Web.Tests.Hardening;

/// <summary>Security headers, CORS closed by default, and the UI's markup staying inside the CSP.</summary>
public sealed class SecurityHeadersTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Theory]
    [InlineData("/health", "application/json")]
    [InlineData("/users/me", "application/json")]
    [InlineData("/account/signin", "text/html")]
    [InlineData("/js/site.js", "*/*")]
    [InlineData("/no/such/page", "text/html")]
    [InlineData("/api/no/such/route", "application/json")]
    [InlineData("/docs/index.html", "text/html")]
    public async Task Every_response_carries_the_security_headers(string path, string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(accept);
        var response = await new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.CreateClient().BaseAddress }.SendAsync(request);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("strict-origin-when-cross-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("camera=()", response.Headers.GetValues("Permissions-Policy").Single());
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.True(response.Headers.Contains("X-Request-Id"));
        // HSTS only over HTTPS, and never for localhost.
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Hsts_is_sent_for_requests_a_trusted_proxy_received_over_https()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Host = "finsight.example.com";
        request.Headers.Add("X-Forwarded-Proto", "https");
        var response = await app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("max-age=31536000", response.Headers.GetValues("Strict-Transport-Security").Single());
    }

    [Fact]
    public async Task Cors_is_closed_by_default()
    {
        var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/portfolios");
        preflight.Headers.Add("Origin", "https://evil.example");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization");
        var response = await app.CreateClient().SendAsync(preflight);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        var get = new HttpRequestMessage(HttpMethod.Get, "/health");
        get.Headers.Add("Origin", "https://evil.example");
        Assert.False((await app.CreateClient().SendAsync(get)).Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Swagger_ui_runs_without_inline_script()
    {
        var html = await app.CreateClient().GetStringAsync("/docs/index.html");
        Assert.DoesNotMatch(new Regex(@"<script(?![^>]*\bsrc=)[^>]*>\s*\S", RegexOptions.IgnoreCase), html);
    }

    /// <summary>The CSP allows scripts from files only: no page may carry an inline script or event handler.</summary>
    [Fact]
    public void Pages_have_no_inline_scripts_or_event_handlers()
    {
        var pages = Path.Combine(SharedPaths.RepositoryRoot, "src", "FinSight.Web", "Pages");
        var inlineScript = new Regex(@"<script(?![^>]*(\bsrc=|type=""application/json""))[^>]*>", RegexOptions.IgnoreCase);
        var handler = new Regex(@"\son[a-z]+\s*=\s*[""']|\bhx-on|javascript:", RegexOptions.IgnoreCase);
        var offenders = Directory.EnumerateFiles(pages, "*.cshtml", SearchOption.AllDirectories)
            .SelectMany(file => File.ReadLines(file).Select((line, i) => (file, line, i)))
            .Where(x => inlineScript.IsMatch(x.line) || handler.IsMatch(x.line))
            .Select(x => $"{Path.GetRelativePath(pages, x.file)}:{x.i + 1}: {x.line.Trim()}")
            .ToList();
        Assert.True(offenders.Count == 0, "Inline script breaks the CSP:\n" + string.Join("\n", offenders));
    }
}

/// <summary>Forwarded headers, HTTPS redirection, the CORS allow-list and the rate limit, switched on.</summary>
public sealed class ProxyCorsRateLimitTests(HardenedApp app) : IClassFixture<HardenedApp>
{
    private HttpClient Client(string? forwardedFor = null, bool https = true)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.CreateClient().BaseAddress };
        if (https)
        {
            client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        }
        if (forwardedFor is not null)
        {
            client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        }
        return client;
    }

    private static string NewAddress() => $"203.0.113.{Random.Shared.Next(1, 254)}";

    private async Task<HttpClient> SignedInAsync()
    {
        var address = $"198.51.100.{Random.Shared.Next(1, 254)}";
        var client = Client(address);
        var username = "h" + Guid.NewGuid().ToString("N")[..10];
        (await client.PostAsJsonAsync("/users/signup", new { name = "Hardened", username, email = $"{username}@example.com", password = "correct horse battery" })).EnsureSuccessStatusCode();
        var login = await client.PostAsJsonAsync("/api/auth/login", new { username, password = "correct horse battery" });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<Dictionary<string, object>>())!["access_token"].ToString();
        var user = Client(NewAddress());
        user.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return user;
    }

    [Fact]
    public async Task Plain_http_is_redirected_to_https_but_forwarded_https_and_health_probes_are_not()
    {
        var plain = Client(https: false);
        var request = new HttpRequestMessage(HttpMethod.Get, "/account/signin");
        request.Headers.Host = "finsight.example.com";
        var redirected = await plain.SendAsync(request);
        Assert.Equal(HttpStatusCode.PermanentRedirect, redirected.StatusCode);
        Assert.Equal("https://finsight.example.com/account/signin", redirected.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.OK, (await plain.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client().GetAsync("/account/signin")).StatusCode);
    }

    [Fact]
    public async Task Cors_allows_the_configured_front_end_on_api_routes_only()
    {
        var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/portfolios");
        preflight.Headers.Add("Origin", HardenedApp.FrontEnd);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        var response = await Client(NewAddress()).SendAsync(preflight);
        Assert.True(response.IsSuccessStatusCode, $"preflight answered {(int)response.StatusCode}");
        Assert.Equal(HardenedApp.FrontEnd, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));

        var other = new HttpRequestMessage(HttpMethod.Options, "/api/portfolios");
        other.Headers.Add("Origin", "https://evil.example");
        other.Headers.Add("Access-Control-Request-Method", "POST");
        Assert.False((await Client(NewAddress()).SendAsync(other)).Headers.Contains("Access-Control-Allow-Origin"));

        var page = new HttpRequestMessage(HttpMethod.Get, "/account/signin");
        page.Headers.Add("Origin", HardenedApp.FrontEnd);
        Assert.False((await Client().SendAsync(page)).Headers.Contains("Access-Control-Allow-Origin"));

        var api = new HttpRequestMessage(HttpMethod.Get, "/users/me");
        api.Headers.Add("Origin", HardenedApp.FrontEnd);
        var apiResponse = await Client(NewAddress()).SendAsync(api);
        Assert.Equal(HardenedApp.FrontEnd, apiResponse.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task A_user_beyond_the_rate_limit_gets_429_problem_details_with_retry_after_and_others_are_unaffected()
    {
        var user = await SignedInAsync();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 50 && limited is null; i++)
        {
            var response = await user.GetAsync("/users/me");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
        }
        Assert.NotNull(limited);
        var problem = await limited!.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("Too many requests", problem.GetProperty("title").GetString());
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single()) >= 1);
        // Another user, and the health probe from the same address, still get through.
        var other = await SignedInAsync();
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/users/me")).StatusCode);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/health")).StatusCode);
        }
        // The bucket refills.
        await Poll.UntilAsync(async () => (await user.GetAsync("/users/me")).StatusCode == HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("text/plain")]
    [InlineData("image/png")]
    [InlineData("*/*")]
    public async Task Over_the_rate_limit_every_accept_header_gets_429_with_retry_after_never_a_500(string accept)
    {
        var client = Client(NewAddress());
        client.DefaultRequestHeaders.Accept.ParseAdd(accept);
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 20; i++)
        {
            var response = await client.GetAsync("/users/me");
            statuses.Add(response.StatusCode);
            limited ??= response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        Assert.DoesNotContain(HttpStatusCode.InternalServerError, statuses);
        Assert.NotNull(limited);
        Assert.True(int.Parse(limited!.Headers.GetValues("Retry-After").Single()) >= 1);
        Assert.Contains("Too many requests", await limited.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Signed_out_clients_are_limited_per_forwarded_client_address()
    {
        var first = Client("192.0.2.10");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            statuses.Add((await first.GetAsync("/users/me")).StatusCode);
        }
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        // A different client address behind the same (trusted loopback) proxy has its own bucket.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client("192.0.2.11").GetAsync("/users/me")).StatusCode);
    }
}
