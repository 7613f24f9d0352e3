using System.Text.RegularExpressions;
using FinSight.Web.Data;
using FinSight.Web.Tests.Browser;
using FinSight.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FinSight.Web.Tests.Alerts;

/// <summary>The app with the alert jobs running every 200 ms and pinned prices (no email: nothing listens on its SMTP port).</summary>
public sealed class AlertBrowserFixture : BrowserFixture
{
    public AlertApp AlertApp => (AlertApp)App;

    protected override FinSightApp CreateApp() => new AlertApp(DatabaseProvider.Sqlite, SmtpSink.FreePort(), jobs: true);
}

/// <summary>An alert made in the browser from a holding's page, seen firing when the simulated price crosses.</summary>
public sealed class AlertBrowserTests(AlertBrowserFixture fixture) : IClassFixture<AlertBrowserFixture>
{
    [Fact]
    public async Task An_alert_created_from_a_holdings_page_fires_when_the_price_crosses_and_shows_in_the_bell()
    {
        fixture.AlertApp.SetPrice("TSLA", 250m);
        var page = await fixture.NewPageAsync();
        var username = "u" + Guid.NewGuid().ToString("N")[..10];
        await page.GotoAsync("/account/signup");
        await page.GetByLabel("Your name").FillAsync("Test " + username);
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Email").FillAsync(username + "@example.com");
        await page.GetByLabel("Password (10 or more characters)").FillAsync("correct horse battery");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/$"));

        await page.GotoAsync("/transactions");
        await page.Locator("#Form_Type").SelectOptionAsync("buy");
        await page.Locator("#Form_Symbol").FillAsync("TSLA");
        await page.GetByLabel("Quantity").FillAsync("10");
        await page.GetByLabel("Price per share").FillAsync("200");
        await page.GetByLabel("Date").FillAsync("2025-06-02");
        await page.GetByTestId("save-transaction").ClickAsync();
        await Expect(page.GetByTestId("flash")).ToContainTextAsync("Recorded");

        // One click from the holding's page to a rule form with the symbol filled in.
        await page.GotoAsync("/stock/TSLA");
        await page.GetByTestId("create-alert").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/alerts"));
        await Expect(page.Locator("#Rule_Symbol")).ToHaveValueAsync("TSLA");
        await page.Locator("#Rule_Kind").SelectOptionAsync("PriceBelow");
        await page.Locator("#Rule_Threshold").FillAsync("240");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create alert" }).ClickAsync();
        await Expect(page.GetByTestId("flash")).ToHaveTextAsync("Alert rule created.");
        await Expect(page.GetByTestId("alert-rule")).ToContainTextAsync("TSLA at or below $240.00");
        await Expect(page.GetByTestId("alert-rule")).ToContainTextAsync("armed");

        // A bad threshold is refused next to its field, and nothing is added.
        await page.Locator("#Rule_Threshold").FillAsync("-3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create alert" }).ClickAsync();
        await Expect(page.Locator("[data-valmsg-for='Rule.Threshold']")).ToContainTextAsync("greater than 0");
        await Expect(page.GetByTestId("alert-rule")).ToHaveCountAsync(1);

        // Several evaluations at 250: nothing fires.
        await page.GotoAsync("/");
        await Task.Delay(1000);
        await Expect(page.GetByTestId("alert-unread")).ToHaveCountAsync(0);

        // The simulated price crosses: the bell (polled by htmx, no reload) shows one unread alert.
        fixture.AlertApp.SetPrice("TSLA", 239.5m);
        await Expect(page.GetByTestId("alert-unread")).ToHaveTextAsync("1", new() { Timeout = 40_000 });
        await BrowserFixture.ScreenshotAsync(page, "alert-bell");

        await page.GetByTestId("alert-bell").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/alerts$"));
        var item = page.GetByTestId("alert-item");
        await Expect(item).ToHaveCountAsync(1);
        await Expect(item.GetByTestId("alert-message")).ToContainTextAsync("TSLA is at $239.50, at or below your $240.00 (simulated market data)");
        await BrowserFixture.ScreenshotAsync(page, "alerts");
        await item.GetByRole(AriaRole.Button, new() { Name = "Mark read" }).ClickAsync();
        await Expect(page.GetByTestId("alert-item")).ToHaveAttributeAsync("data-unread", "false");
        await Expect(page.GetByTestId("unread-count")).ToHaveTextAsync("0");

        // Edit the rule: a new level re-arms it.
        await Expect(page.GetByTestId("alert-rule")).ToContainTextAsync("fired");
        await page.GetByTestId("alert-rule").GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        await Expect(page.Locator("#Rule_Threshold")).ToHaveValueAsync("240");
        await page.Locator("#Rule_Threshold").FillAsync("230");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save rule" }).ClickAsync();
        await Expect(page.GetByTestId("flash")).ToHaveTextAsync("Alert rule saved.");
        await Expect(page.GetByTestId("alert-rule")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("alert-rule")).ToContainTextAsync("TSLA at or below $230.00");
        await Expect(page.GetByTestId("alert-rule")).ToContainTextAsync("armed");
        fixture.AlertApp.SetPrice("TSLA", 250m);
    }
}
