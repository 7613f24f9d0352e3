using FinSight.Web.Tests.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FinSight.Web.Tests.Hardening;

/// <summary>The Content-Security-Policy in a real browser: every page of the UI (and Swagger UI and ReDoc) runs without a violation or a script error.</summary>
public sealed class CspBrowserTests(DemoBrowserFixture fixture) : IClassFixture<DemoBrowserFixture>
{
    [Fact]
    public async Task The_ui_and_the_api_docs_run_under_the_content_security_policy()
    {
        var page = await fixture.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        page.SetDefaultNavigationTimeout(60_000);
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            // Failed loads are checked by URL below (the browser asks for a favicon the app does not have).
            if ((message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
                || message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"{page.Url}: {message.Text}");
            }
        };
        page.PageError += (_, error) => problems.Add($"{page.Url}: {error}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400 && !response.Url.EndsWith("/favicon.ico", StringComparison.Ordinal))
            {
                problems.Add($"{response.Url}: {response.Status}");
            }
        };

        await page.GotoAsync("/account/signin");
        await page.GetByLabel("Email or username").FillAsync("demo");
        await page.GetByLabel("Password").FillAsync("demo123");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // Scripts ran: htmx-driven positions, the allocation and performance charts.
        await Expect(page.GetByTestId("positions").Locator("tbody tr")).ToHaveCountAsync(5, new() { Timeout = 30_000 });
        await Expect(page.Locator("#performance-chart")).Not.ToHaveAttributeAsync("data-points", "0");
        await page.GotoAsync("/transactions");
        await page.GotoAsync("/stock/AAPL");
        await page.GotoAsync("/news");
        await Expect(page.GetByTestId("news-card")).ToHaveCountAsync(5, new() { Timeout = 30_000 });
        // The label filter submits on change through site.js (it was an inline handler).
        await page.Locator("select#label").SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("label="), new() { Timeout = 60_000 });
        await page.GotoAsync("/docs");
        await Expect(page.Locator(".swagger-ui .info")).ToBeVisibleAsync();
        await page.GotoAsync("/redoc");
        await Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new System.Text.RegularExpressions.Regex("^FinSight"), Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByText("/api/dashboard/overview").First).ToBeAttachedAsync();
        await page.Context.CloseAsync();

        Assert.True(problems.Count == 0, "Browser errors:\n" + string.Join("\n", problems));
    }
}
