using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using FinSight.Web.Tests.Infrastructure;

namespace FinSight.Web.Tests.Hardening;

/// <summary>Passwords, tokens, keys and query strings never reach the logs; every request line has a request id.</summary>
public sealed class LogSecretsTests(LogCaptureApp app) : IClassFixture<LogCaptureApp>
{
    private const string Marker = "Zq7MarkerSecret9x";

    [Fact]
    public async Task Secrets_sent_to_the_api_appear_in_no_log_line()
    {
        var anonymous = app.CreateClient();
        var username = "log" + Guid.NewGuid().ToString("N")[..10];
        var password = "pw-" + Marker;
        (await anonymous.PostAsJsonAsync("/users/signup", new { name = "Log Test", username, email = $"{username}@example.com", password })).EnsureSuccessStatusCode();
        var login = await anonymous.PostAsJsonAsync("/users/login", new { email = $"{username}@example.com", password });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<Dictionary<string, object>>())!["access_token"].ToString()!;
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/users/login", new { email = $"{username}@example.com", password = "wrong-" + Marker })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/auth/login", new { username, password = Marker })).StatusCode);
        // A second signup with the same name fails (409) with the password in its body.
        Assert.Equal(HttpStatusCode.Conflict, (await anonymous.PostAsJsonAsync("/users/signup", new { name = "Log Test", username, email = $"{username}@example.com", password })).StatusCode);

        // Bad tokens: one carrying the marker, one with a tampered signature.
        var bad = new HttpRequestMessage(HttpMethod.Get, "/users/me");
        bad.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "eyJ" + Marker + ".eyJ" + Marker + "." + Marker);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(bad)).StatusCode);
        var tampered = new HttpRequestMessage(HttpMethod.Get, "/users/me");
        tampered.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token[..^4] + "AAAA");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(tampered)).StatusCode);

        // The good token, with secrets in the query string and a CSV import (good and bad) carrying the marker.
        var user = app.CreateClient();
        user.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        (await user.GetAsync($"/users/me?api_key={Marker}&token={Marker}")).EnsureSuccessStatusCode();
        var csv = $"date,type,symbol,quantity,price,fees,amount,split_numerator,split_denominator,notes\r\n2025-01-02,deposit,,,,,1000,,,{Marker}\r\n";
        (await user.PostAsync($"/api/transactions/import?dry_run=false&password={Marker}", new StringContent(csv, Encoding.UTF8, "text/csv"))).EnsureSuccessStatusCode();
        var broken = $"date,type,{Marker}\r\n2025-01-02,{Marker},x\r\n";
        Assert.True((int)(await user.PostAsync("/api/transactions/import", new StringContent(broken, Encoding.UTF8, "text/csv"))).StatusCode is >= 400 and < 500);
        Assert.Equal(HttpStatusCode.NotFound, (await user.GetAsync($"/no/such/route?secret={Marker}")).StatusCode);

        var lines = app.Logs.Entries.ToArray();
        Assert.NotEmpty(lines);
        foreach (var secret in new[] { Marker, token, token.Split('.')[2], FinSightApp.SigningKey })
        {
            var leaks = lines.Where(l => l.Text.Contains(secret, StringComparison.Ordinal)).Select(l => $"{l.Category}: {l.Text}").ToList();
            Assert.True(leaks.Count == 0, "Secret found in logs:\n" + string.Join("\n", leaks.Take(5)));
        }
    }

    [Fact]
    public async Task Every_request_gets_a_request_id_in_its_response_its_log_lines_and_its_problem_details()
    {
        var client = app.CreateClient();
        var response = await client.GetAsync("/users/me?q=1");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var requestId = Assert.Single(response.Headers.GetValues("X-Request-Id"));
        Assert.False(string.IsNullOrWhiteSpace(requestId));
        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(requestId, problem.GetProperty("request_id").GetString());

        var health = await client.GetAsync("/health");
        Assert.NotEqual(requestId, Assert.Single(health.Headers.GetValues("X-Request-Id")));

        // The summary line: method, path without the query, status and duration, tagged with the request id.
        CapturingLoggerProvider.CapturedLog? line = null;
        await Poll.UntilAsync(() => (line = app.Logs.Entries.FirstOrDefault(l => l.Category == "FinSight.Requests" && l.Values.GetValueOrDefault("RequestId") == requestId)) is not null);
        Assert.Equal("GET", line!.Values["Method"]);
        Assert.Equal("/users/me", line.Values["Path"]);
        Assert.Equal("401", line.Values["StatusCode"]);
        Assert.True(line.Values.ContainsKey("ElapsedMs"));
        Assert.DoesNotContain("q=1", line.Text);
    }
}

internal static class Poll
{
    public static async Task UntilAsync(Func<bool> condition, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for a condition.");
            await Task.Delay(25);
        }
    }

    public static async Task UntilAsync(Func<Task<bool>> condition, int timeoutMs = 15_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for a condition.");
            await Task.Delay(50);
        }
    }
}
