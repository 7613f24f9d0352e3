using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FinSight.Web.Tests.Browser;

public sealed partial class UiFlowTests
{
    [Fact]
    public async Task A_EUR_portfolio_with_a_London_and_a_US_holding_shows_euro_totals_and_the_currency_split()
    {
        // Pinned: SHEL.L 24.50 GBP (2,450p), AAPL 200 USD; 1 GBP = 1.20 EUR, 1 USD = 0.90 EUR on every day.
        fixture.PinnedApp.SetPrice("SHEL.L", 24.50m);
        fixture.PinnedApp.SetPrice("GBPEUR=X", 1.20m);
        fixture.PinnedApp.SetPrice("USDEUR=X", 0.90m);
        var page = await fixture.NewPageAsync();
        await SignUpAsync(page);

        await page.GotoAsync("/settings");
        await page.GetByLabel("Base currency").FillAsync("eur");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Expect(page.GetByLabel("Base currency")).ToHaveValueAsync("EUR");

        // No currency typed: SHEL.L trades in pounds, AAPL in dollars.
        await AddTransactionAsync(page, "buy", "SHEL.L", "100", "24", "2025-06-02");
        await AddTransactionAsync(page, "buy", "AAPL", "10", "150", "2025-06-02");

        await page.GotoAsync("/");
        // 100 × 24.50 × 1.20 = 2,940.00 + 10 × 200 × 0.90 = 1,800.00
        await Expect(page.GetByTestId("base-currency")).ToHaveTextAsync("EUR");
        await Expect(page.GetByTestId("total-value")).ToHaveTextAsync("€4,740.00");
        // Cost 2,400 GBP × 1.20 = 2,880.00 + 1,500 USD × 0.90 = 1,350.00
        await Expect(page.GetByTestId("unrealized")).ToHaveTextAsync("+€510.00");
        await Expect(page.GetByTestId("price-SHEL.L")).ToHaveTextAsync("£24.50");
        await Expect(page.GetByTestId("value-SHEL.L")).ToHaveTextAsync("€2,940.00");
        await Expect(page.GetByTestId("currency-split").Locator("[data-currency='GBP']")).ToContainTextAsync("€2,940.00 (62.03 %)");
        await Expect(page.GetByTestId("currency-split").Locator("[data-currency='USD']")).ToContainTextAsync("€1,800.00 (37.97 %)");
        await BrowserFixture.ScreenshotAsync(page, "dashboard-eur");
    }
}
