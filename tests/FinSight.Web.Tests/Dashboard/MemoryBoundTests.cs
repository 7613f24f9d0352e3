using System.Net;
using System.Net.Http.Json;
using FinSight.Web.Tests.Hardening;
using FinSight.Web.Tests.Infrastructure;

namespace FinSight.Web.Tests.Dashboard;

/// <summary>
/// Whatever benchmarks one user asks for, the performance reports kept in memory stay bounded:
/// one report for the instance's benchmark and one for the user's latest own choice per portfolio.
/// </summary>
public sealed class MemoryBoundTests(LogCaptureApp app) : IClassFixture<LogCaptureApp>
{
    [Fact]
    public async Task A_users_own_benchmark_is_kept_once_per_portfolio_not_once_per_benchmark()
    {
        var user = await app.CreateUserAsync();
        await (await user.Http.PostAsJsonAsync("/api/transactions", new { type = "buy", symbol = "AAPL", quantity = 1m, price = 100m, date = "2025-01-02" }))
            .AssertJsonAsync(HttpStatusCode.Created);
        var portfolio = (await (await user.Http.GetAsync("/api/dashboard/overview")).AssertSuccessAsync()).GetProperty("portfolio_id").GetString();

        foreach (var benchmark in new[] { "QQQ", "QQQ", "DIA", "QQQ" })
        {
            await (await user.Http.GetAsync($"/api/dashboard/performance?benchmark={benchmark}")).AssertSuccessAsync();
        }

        var computed = app.Logs.Entries
            .Where(e => e.Message.StartsWith("Computing the performance", StringComparison.Ordinal) && e.Values.GetValueOrDefault("PortfolioId") == portfolio)
            .Select(e => e.Values["Benchmark"] ?? "").ToArray();
        // QQQ once, reused; DIA replaces it; QQQ again is computed again rather than kept alongside.
        Assert.Equal(["SPY", "QQQ", "DIA", "QQQ"], computed);
    }
}
