using System.Net;
using System.Net.Http.Json;
using FinSight.Web.Tests.Infrastructure;

namespace FinSight.Web.Tests.Dashboard;

/// <summary>
/// Cash in a currency no source has a rate for (the simulated market knows no Thai baht) cannot be
/// valued in the base currency: the dashboard is a 503 outage with Retry-After and its own code, never
/// a figure computed with a guessed rate and never a 500.
/// </summary>
public abstract class MissingRateTests(FinSightApp app)
{
    [Fact]
    public async Task The_dashboard_API_answers_503_exchange_rate_unavailable_with_Retry_After()
    {
        var user = await SeedAsync();

        foreach (var route in new[] { "/api/dashboard/overview", "/api/dashboard/positions", "/api/dashboard/performance?range=ALL" })
        {
            var response = await user.Http.GetAsync(route);
            var problem = await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal(TimeSpan.FromSeconds(60), response.Headers.RetryAfter?.Delta);
            Assert.Equal("exchange_rate_unavailable", problem.GetProperty("code").GetString());
            Assert.Equal("Exchange rates unavailable", problem.GetProperty("title").GetString());
            Assert.Contains("THB", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Contains("USD", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        // Nothing was lost: the deposit is still there, and the transactions list does not need a rate.
        var transactions = await (await user.Http.GetAsync("/api/transactions")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(("THB", 1000m), (transactions.GetProperty("items")[0].GetProperty("currency").GetString(),
            transactions.GetProperty("items")[0].GetProperty("amount").GetDecimal()));
    }

    [Fact]
    public async Task The_dashboard_page_answers_503_with_the_reason_and_Retry_After()
    {
        var user = await SeedAsync();
        using var page = await PageSession.SignInAsync(app, user);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");

        var response = await page.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode}: {body}");
        Assert.Equal(TimeSpan.FromSeconds(60), response.Headers.RetryAfter?.Delta);
        Assert.Contains("Exchange rates unavailable", body, StringComparison.Ordinal);
        Assert.Contains("THB", body, StringComparison.Ordinal);
    }

    private async Task<UserClient> SeedAsync()
    {
        var user = await app.CreateUserAsync();
        await (await user.Http.PostAsJsonAsync("/api/transactions", new { type = "deposit", amount = 5000m, date = "2025-06-02" }))
            .AssertJsonAsync(HttpStatusCode.Created);
        await (await user.Http.PostAsJsonAsync("/api/transactions", new { type = "deposit", amount = 1000m, currency = "THB", date = "2025-06-03" }))
            .AssertJsonAsync(HttpStatusCode.Created);
        return user;
    }
}

public sealed class MissingRateSqliteTests(SqliteApp app) : MissingRateTests(app), IClassFixture<SqliteApp>;

public sealed class MissingRatePostgresTests(PostgresApp app) : MissingRateTests(app), IClassFixture<PostgresApp>;
