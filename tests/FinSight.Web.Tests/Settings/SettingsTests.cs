using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FinSight.MarketData.Finnhub;
using FinSight.Web.Data;
using FinSight.Web.Features.Settings;
using FinSight.Web.Tests.Dashboard;
using FinSight.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static FinSight.Web.Tests.Infrastructure.PageSession;

namespace FinSight.Web.Tests.Settings;

/// <summary>
/// The Settings page, driven over HTTP with a cookie session and antiforgery token like a browser,
/// and its effect on the JSON API. Prices are pinned (AAPL 200, MSFT 400, SPY 500) and the
/// instance's risk-free rate is 0.
/// </summary>
public abstract class SettingsTests(PinnedPricesApp app)
{
    [Fact]
    public async Task Settings_change_the_overviews_benchmark_and_risk_figures_without_storing_them_as_snapshots()
    {
        var user = await app.CreateUserAsync();
        (await user.Http.PostAsJsonAsync("/holdings/add", new { symbol = "AAPL", purchase_cost = 175.50m, quantity = 50m, date = "2025-06-02" })).EnsureSuccessStatusCode();
        var before = await Get(user, "/api/dashboard/overview");
        var page = await SignInAsync(user);

        var saved = await PostFormAsync(page, "/settings", new()
        {
            ["Benchmark"] = "msft", ["RiskFreeRatePercent"] = "5", ["RefreshSeconds"] = "30", ["Theme"] = "dark", ["CostBasisMethod"] = "AverageCost",
        });

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var after = await Get(user, "/api/dashboard/overview");
        var performance = await Get(user, "/api/dashboard/performance?range=ALL");
        Assert.Equal(("SPY", "MSFT"), (before.GetProperty("benchmark").GetString(), after.GetProperty("benchmark").GetString()));
        Assert.Equal("MSFT", performance.GetProperty("benchmark").GetString());
        // A higher risk-free rate leaves less excess return per unit of risk.
        Assert.True(after.GetProperty("sharpe_ratio").GetDouble() < before.GetProperty("sharpe_ratio").GetDouble());
        var html = await page.GetStringAsync("/");
        Assert.Contains("data-theme-setting=\"dark\"", html);
        Assert.Contains("hx-trigger=\"every 30s\"", html);
        var portfolios = await Get(user, "/api/portfolios");
        Assert.Equal("average_cost", portfolios[0].GetProperty("cost_basis_method").GetString());
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FinSightDbContext>();
        Assert.DoesNotContain(await db.PortfolioSnapshots.AsNoTracking().ToListAsync(), s => s.Benchmark == "MSFT");
    }

    [Fact]
    public async Task Invalid_settings_are_refused_with_a_message_per_field()
    {
        var page = await SignInAsync(await app.CreateUserAsync());

        var response = await PostFormAsync(page, "/settings", new()
        {
            ["Benchmark"] = "ZZZZQ", ["RiskFreeRatePercent"] = "30", ["RefreshSeconds"] = "2", ["Theme"] = "auto", ["CostBasisMethod"] = "Fifo",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("'ZZZZQ' is not a listed symbol", html);
        Assert.Contains("Enter a percentage between -5 and 25", html);
        Assert.Contains("between 5 and 3600", html);
    }

    [Fact]
    public async Task Only_the_admin_sets_the_finnhub_key_which_is_stored_encrypted_never_shown_and_used_at_once()
    {
        const string key = "d1abcdefghijklmnop9876";
        var admin = await AdminAsync();
        var other = await app.CreateUserAsync();
        var keys = app.Services.GetRequiredService<IFinnhubKeySource>();
        var otherPage = await SignInAsync(other);
        var adminPage = await SignInAsync(admin);

        var refused = await PostFormAsync(otherPage, "/settings?handler=Finnhub", new() { ["FinnhubApiKey"] = key });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Null(await keys.GetApiKeyAsync(CancellationToken.None));
        Assert.DoesNotContain("name=\"FinnhubApiKey\"", await otherPage.GetStringAsync("/settings"));

        var accepted = await PostFormAsync(adminPage, "/settings?handler=Finnhub", new() { ["FinnhubApiKey"] = key });

        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal(key, await keys.GetApiKeyAsync(CancellationToken.None));
        // The provider the market data chain uses asks this source on every request.
        Assert.Same(keys, app.Services.GetRequiredService<FinnhubKeyStore>());
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var raw = await scope.ServiceProvider.GetRequiredService<FinSightDbContext>().AppSettings.AsNoTracking()
                .SingleAsync(s => s.Key == AppSetting.FinnhubApiKey);
            Assert.DoesNotContain(key, raw.Value);
            Assert.DoesNotContain("9876", raw.Value);
        }
        var adminHtml = await adminPage.GetStringAsync("/settings");
        var otherHtml = await otherPage.GetStringAsync("/settings");
        Assert.DoesNotContain(key, adminHtml);
        Assert.Contains("••••9876", WebUtility.HtmlDecode(adminHtml));
        Assert.Contains("A key is stored", otherHtml);

        var cleared = await PostFormAsync(adminPage, "/settings?handler=Finnhub", new() { ["clear"] = "1" });
        Assert.Equal(HttpStatusCode.Redirect, cleared.StatusCode);
        Assert.Null(await keys.GetApiKeyAsync(CancellationToken.None));
    }

    /// <summary>The first account created on this instance, signing in with the test password.</summary>
    private async Task<UserClient> AdminAsync()
    {
        await app.CreateUserAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var first = await scope.ServiceProvider.GetRequiredService<FinSightDbContext>().Users.AsNoTracking()
            .OrderBy(u => u.CreatedAt).ThenBy(u => u.Id).FirstAsync();
        return new UserClient(app.CreateClient(), first.Username, first.Email, "correct horse battery", "");
    }

    private Task<HttpClient> SignInAsync(UserClient user) => PageSession.SignInAsync(app, user);

    /// <summary>The body of a 200; for a dashboard route, the <c>data</c> of its success envelope.</summary>
    private static async Task<JsonElement> Get(UserClient user, string route)
    {
        var response = await user.Http.GetAsync(route);
        return route.StartsWith("/api/dashboard/", StringComparison.Ordinal)
            ? await response.AssertSuccessAsync()
            : await response.AssertJsonAsync(HttpStatusCode.OK);
    }
}

public sealed class SettingsSqliteTests(PinnedPricesSqliteApp app) : SettingsTests(app), IClassFixture<PinnedPricesSqliteApp>;

public sealed class SettingsPostgresTests(PinnedPricesPostgresApp app) : SettingsTests(app), IClassFixture<PinnedPricesPostgresApp>;
