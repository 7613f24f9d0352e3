using System.Net;
using System.Net.Http.Json;
using System.Text;
using FinSight.Web.Data;
using FinSight.Web.Tests.Infrastructure;

namespace FinSight.Web.Tests.Portfolios;

/// <summary>The app with a storage quota of 5 transactions per user.</summary>
public sealed class SmallQuotaApp() : FinSightApp(DatabaseProvider.Sqlite)
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Storage:MaxTransactionsPerUser"] = "5" };
}

/// <summary>One account cannot fill the database: past its quota of transactions, writes that add rows are 422 and nothing is written.</summary>
public sealed class StorageQuotaTests(SmallQuotaApp app) : IClassFixture<SmallQuotaApp>
{
    [Fact]
    public async Task Writes_beyond_the_quota_are_422_across_portfolios_and_imports_while_edits_and_deletes_still_work()
    {
        var user = await app.CreateUserAsync();
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var created = await (await user.Http.PostAsJsonAsync("/api/transactions", new { type = "deposit", amount = 10m, date = "2025-01-02" }))
                .AssertJsonAsync(HttpStatusCode.Created);
            ids.Add(created.GetProperty("id").GetString()!);
        }
        var second = await (await user.Http.PostAsJsonAsync("/api/portfolios", new { name = "Second" })).AssertJsonAsync(HttpStatusCode.Created);
        var secondId = second.GetProperty("id").GetString();
        await (await user.Http.PostAsJsonAsync("/api/transactions", new { type = "deposit", amount = 10m, date = "2025-01-02", portfolio_id = secondId }))
            .AssertJsonAsync(HttpStatusCode.Created);

        var refused = await (await user.Http.PostAsJsonAsync("/api/transactions", new { type = "deposit", amount = 10m, date = "2025-01-03" }))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        using var csv = new StringContent("date,type,amount\r\n2025-01-05,deposit,1\r\n", Encoding.UTF8, "text/csv");
        var import = await user.Http.PostAsync("/api/transactions/import", csv);

        Assert.Equal("storage_quota", refused.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, import.StatusCode);
        var main = (await (await user.Http.GetAsync($"/api/transactions/{ids[0]}")).AssertJsonAsync(HttpStatusCode.OK)).GetProperty("portfolio_id").GetString();
        Assert.Equal(4, (await (await user.Http.GetAsync($"/api/transactions?portfolio_id={main}")).AssertJsonAsync(HttpStatusCode.OK)).GetProperty("total").GetInt32());
        // Changing or removing what is stored is always allowed, and makes room again.
        await (await user.Http.PutAsJsonAsync($"/api/transactions/{ids[0]}", new { type = "deposit", amount = 20m, date = "2025-01-02" }))
            .AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NoContent, (await user.Http.DeleteAsync($"/api/transactions/{ids[1]}")).StatusCode);
        await (await user.Http.PostAsJsonAsync("/api/transactions", new { type = "deposit", amount = 10m, date = "2025-01-03" }))
            .AssertJsonAsync(HttpStatusCode.Created);
        // Another user has a quota of their own.
        var other = await app.CreateUserAsync();
        await (await other.Http.PostAsJsonAsync("/api/transactions", new { type = "deposit", amount = 10m, date = "2025-01-02" }))
            .AssertJsonAsync(HttpStatusCode.Created);
    }
}
