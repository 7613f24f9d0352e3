using FinSight.Web.Tests.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FinSight.Web.Tests.CorporateActions;

/// <summary>The demo in Chromium: the dashboard's "why it moved" panel with headlines and monthly returns, and the income page with a forecast.</summary>
public sealed class DemoInsightsBrowserTests(DemoBrowserFixture fixture) : IClassFixture<DemoBrowserFixture>
{
    [Fact]
    public async Task The_demo_shows_why_it_moved_with_headlines_monthly_returns_and_income_with_a_forecast()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/account/signin");
        await page.GetByLabel("Email or username").FillAsync("demo");
        await page.GetByLabel("Password").FillAsync("demo123");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.GetByTestId("day-move-holdings").Locator("tbody tr")).ToHaveCountAsync(5);
        await Expect(page.GetByTestId("day-move-holdings").Locator("a[target=_blank]").First).ToBeVisibleAsync();
        await Expect(page.GetByTestId("news-score")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("monthly-returns").Locator("tbody tr").First).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "demo-day-move");

        await page.GotoAsync("/income");
        await Expect(page.GetByTestId("ttm-income")).Not.ToHaveTextAsync("$0.00");
        await Expect(page.GetByTestId("forecast-income")).Not.ToHaveTextAsync("$0.00");
        await Expect(page.GetByTestId("dividend-calendar").Locator("tbody tr").First).ToContainTextAsync("(est.)");
        await BrowserFixture.ScreenshotAsync(page, "demo-income");

        await page.GotoAsync("/actions");
        await Expect(page.GetByTestId("auto-apply")).ToContainTextAsync("on");
        await Expect(page.GetByTestId("no-pending")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }
}
