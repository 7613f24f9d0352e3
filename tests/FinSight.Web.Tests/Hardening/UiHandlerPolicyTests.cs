using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using FinSight.Web.Data;
using FinSight.Web.Tests.Infrastructure;

namespace FinSight.Web.Tests.Hardening;

/// <summary>A tight per-user rate limit (burst 10, then 1 a second) and nothing else changed.</summary>
public sealed class TightRateLimitApp() : FinSightApp(DatabaseProvider.Sqlite)
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["RateLimiting:BurstLimit"] = "10",
        ["RateLimiting:PermitsPerSecond"] = "1",
    };
}

/// <summary>
/// The UI's data handlers answer the session cookie only (a bearer token is the API's) and are under
/// the same per-user rate limit as the API.
/// </summary>
public sealed class UiHandlerPolicyTests(TightRateLimitApp app) : IClassFixture<TightRateLimitApp>
{
    private static readonly string[] DataHandlers = ["/?handler=Live", "/?handler=Performance&range=1M", "/stock/AAPL"];

    [Fact]
    public async Task A_bearer_token_does_not_open_a_ui_data_handler()
    {
        var user = await app.CreateUserAsync();
        using var bearerOnly = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app.CreateClient().BaseAddress };
        bearerOnly.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);

        foreach (var url in DataHandlers)
        {
            var response = await bearerOnly.GetAsync(url);

            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{url}: {response.StatusCode}");
            Assert.Contains("/account/signin", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_signed_in_browser_hammering_a_ui_data_handler_gets_429_with_retry_after()
    {
        var user = await app.CreateUserAsync();
        (await user.Http.PostAsJsonAsync("/api/transactions", new { type = "buy", symbol = "AAPL", quantity = 1m, price = 100m, date = "2025-01-02" }))
            .EnsureSuccessStatusCode();
        var page = await PageSession.SignInAsync(app, user);
        page.DefaultRequestHeaders.Accept.ParseAdd("text/html");

        // Each handler in turn until it answers 429 (the user's bucket is shared, so later ones are refused sooner).
        foreach (var url in DataHandlers)
        {
            var statuses = new List<HttpStatusCode>();
            HttpResponseMessage? limited = null;
            for (var i = 0; i < 40 && limited is null; i++)
            {
                var response = await page.GetAsync(url);
                statuses.Add(response.StatusCode);
                limited = response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
            }

            Assert.True(limited is not null, $"{url}: {string.Join(", ", statuses)}");
            Assert.All(statuses.SkipLast(1), s => Assert.Equal(HttpStatusCode.OK, s));
            Assert.True(int.Parse(limited!.Headers.GetValues("Retry-After").Single()) >= 1);
        }
    }
}
