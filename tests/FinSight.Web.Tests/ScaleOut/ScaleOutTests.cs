using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using FinSight.Web.Data;
using FinSight.Web.Jobs;
using FinSight.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace FinSight.Web.Tests.ScaleOut;

/// <summary>Two instances of the app on loopback sharing one PostgreSQL database, as behind a load balancer.</summary>
public sealed class TwoInstances : IAsyncLifetime
{
    public SharedDatabaseApp A { get; private set; } = null!;
    public SharedDatabaseApp B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.GetAsync();
        var connectionString = await server.CreateDatabaseAsync();
        A = new SharedDatabaseApp(connectionString);
        await ((IAsyncLifetime)A).InitializeAsync();
        B = new SharedDatabaseApp(connectionString);
        await ((IAsyncLifetime)B).InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)B).DisposeAsync();
        await ((IAsyncLifetime)A).DisposeAsync();
    }
}

public sealed class SharedDatabaseApp(string connectionString) : FinSightApp(DatabaseProvider.Postgres)
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = connectionString };
}

public sealed class ScaleOutTests(TwoInstances instances) : IClassFixture<TwoInstances>
{
    private SharedDatabaseApp A => instances.A;
    private SharedDatabaseApp B => instances.B;

    [Fact]
    public async Task A_token_from_one_instance_works_on_the_other()
    {
        var user = await A.CreateUserAsync();
        var onB = B.CreateClient();
        onB.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        var me = await (await onB.GetAsync("/users/me")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(user.Username, me.GetProperty("username").GetString());
    }

    [Fact]
    public async Task A_ui_session_and_an_antiforgery_form_from_one_instance_work_on_the_other()
    {
        var user = await A.CreateUserAsync();
        var browser = new Browser();

        // Sign in on A.
        var signInPage = await browser.GetAsync(A, "/account/signin");
        var signIn = await browser.PostFormAsync(A, "/account/signin", new()
        {
            ["Account"] = user.Username,
            ["Password"] = user.Password,
            ["__RequestVerificationToken"] = Browser.Token(signInPage),
        });
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.True(browser.Has("finsight.session"), "no session cookie after signing in on A");

        // The session cookie A issued opens the dashboard on B.
        var dashboardOnB = await browser.GetAsync(B, "/");
        Assert.Contains(user.Username, dashboardOnB);

        // A form rendered by A (antiforgery token and cookie from A) is accepted by B.
        var formOnA = await browser.GetAsync(A, "/transactions");
        var added = await browser.PostFormAsync(B, "/transactions?handler=Add", new()
        {
            ["Form.Type"] = "buy",
            ["Form.Symbol"] = "MSFT",
            ["Form.Quantity"] = "3",
            ["Form.Price"] = "100",
            ["Form.Date"] = "2025-01-02",
            ["__RequestVerificationToken"] = Browser.Token(formOnA),
        });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Equal("/transactions", added.Headers.Location!.ToString());

        // And the write is visible through A's API at once.
        var transactions = await (await user.Http.GetAsync("/api/transactions")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Contains("MSFT", transactions.GetRawText());
    }

    [Fact]
    public async Task A_write_on_one_instance_is_visible_on_the_other_at_once_including_cached_dashboards()
    {
        var user = await A.CreateUserAsync();
        var onB = B.CreateClient();
        onB.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);

        (await user.Http.PostAsJsonAsync("/api/transactions", new { type = "buy", symbol = "AAPL", quantity = 10, price = 150, date = "2025-01-02" })).EnsureSuccessStatusCode();
        // B computes (and caches) the dashboard for this portfolio version...
        var first = await (await onB.GetAsync("/api/dashboard/positions")).AssertSuccessAsync();
        Assert.Contains("AAPL", first.GetRawText());
        Assert.DoesNotContain("NVDA", first.GetRawText());
        // ...then a write lands on A, and B's next answer includes it.
        (await user.Http.PostAsJsonAsync("/api/transactions", new { type = "buy", symbol = "NVDA", quantity = 2, price = 400, date = "2025-01-03" })).EnsureSuccessStatusCode();
        var second = await (await onB.GetAsync("/api/dashboard/positions")).AssertSuccessAsync();
        Assert.Contains("NVDA", second.GetRawText());
        var overview = await (await onB.GetAsync("/api/dashboard/overview")).AssertSuccessAsync();
        Assert.Equal(2, overview.GetProperty("position_count").GetInt32());
        var profitLoss = await (await onB.GetAsync("/holdings/profit-loss")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Contains("NVDA", profitLoss.GetRawText());

        // A sell on B is checked against the history A wrote: more than is held is refused.
        var oversell = await onB.PostAsJsonAsync("/api/transactions", new { type = "sell", symbol = "NVDA", quantity = 5, price = 500, date = "2025-02-03" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, oversell.StatusCode);
        // A delete on B is gone on A.
        var list = await (await onB.GetAsync("/api/transactions?symbol=NVDA")).AssertJsonAsync(HttpStatusCode.OK);
        var id = FindIds(list).Single();
        Assert.Equal(HttpStatusCode.NoContent, (await onB.DeleteAsync($"/api/transactions/{id}")).StatusCode);
        Assert.DoesNotContain("NVDA", (await (await user.Http.GetAsync("/api/dashboard/positions")).AssertSuccessAsync()).GetRawText());
    }

    [Fact]
    public async Task Background_jobs_are_led_by_one_instance_at_a_time_and_another_takes_over()
    {
        const long jobKey = 0x5CA1E0;
        var onA = A.Services.GetRequiredService<JobLeadership>();
        var onB = B.Services.GetRequiredService<JobLeadership>();
        var leaders = new[] { await onA.IsLeaderAsync(jobKey, default), await onB.IsLeaderAsync(jobKey, default) };
        Assert.Equal(1, leaders.Count(l => l));
        Assert.True(leaders[0]); // A asked first
        Assert.True(await onA.IsLeaderAsync(jobKey, default));
        Assert.False(await onB.IsLeaderAsync(jobKey, default));

        // An instance that goes away (its leadership session closes) hands the job over.
        await using var third = new JobLeadership(A.Services.GetRequiredService<ResolvedDatabase>(), NullLogger<JobLeadership>.Instance);
        await using (var fourth = new JobLeadership(B.Services.GetRequiredService<ResolvedDatabase>(), NullLogger<JobLeadership>.Instance))
        {
            Assert.True(await fourth.IsLeaderAsync(jobKey + 1, default));
            Assert.False(await third.IsLeaderAsync(jobKey + 1, default));
        }
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await third.IsLeaderAsync(jobKey + 1, default))
        {
            Assert.True(DateTime.UtcNow < deadline, "no instance took over the job");
            await Task.Delay(50);
        }
    }

    private static IEnumerable<string> FindIds(JsonElement list)
    {
        var items = list.ValueKind == JsonValueKind.Array ? list : list.EnumerateObject().First(p => p.Value.ValueKind == JsonValueKind.Array).Value;
        return items.EnumerateArray().Select(t => t.GetProperty("id").ToString());
    }

    /// <summary>A cookie jar shared by both instances, as a browser would see one site behind a load balancer.</summary>
    private sealed class Browser
    {
        private readonly Dictionary<string, string> _cookies = [];

        public bool Has(string name) => _cookies.ContainsKey(name);

        public static string Token(string html) =>
            Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value is { Length: > 0 } token
                ? token
                : Regex.Match(html, "value=\"([^\"]+)\"[^>]*name=\"__RequestVerificationToken\"").Groups[1].Value;

        public async Task<string> GetAsync(FinSightApp app, string path)
        {
            var response = await SendAsync(app, new HttpRequestMessage(HttpMethod.Get, path));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode} {response.Headers.Location}");
            return await response.Content.ReadAsStringAsync();
        }

        public Task<HttpResponseMessage> PostFormAsync(FinSightApp app, string path, Dictionary<string, string> form) =>
            SendAsync(app, new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) });

        private async Task<HttpResponseMessage> SendAsync(FinSightApp app, HttpRequestMessage request)
        {
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app.CreateClient().BaseAddress };
            request.Headers.Accept.ParseAdd("text/html");
            if (_cookies.Count > 0)
            {
                request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
            }
            var response = await http.SendAsync(request);
            if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
            {
                foreach (var cookie in setCookies)
                {
                    var pair = cookie.Split(';')[0];
                    var eq = pair.IndexOf('=');
                    _cookies[pair[..eq]] = pair[(eq + 1)..];
                }
            }
            return response;
        }
    }
}
