using System.Text.RegularExpressions;
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

    /// <summary>
    /// On a EUR portfolio no page shows "$" except on a figure that is in dollars and says "USD" beside it
    /// (a US stock's price, a US dividend); every money figure on every page is marked with its currency;
    /// and privacy mode hides every one of them (quantities too).
    /// </summary>
    [Fact]
    public async Task Every_amount_on_every_page_of_a_EUR_portfolio_is_in_euros_or_labelled_and_privacy_mode_hides_them_all()
    {
        fixture.PinnedApp.SetPrice("SHEL.L", 24.50m);
        fixture.PinnedApp.SetPrice("GBPEUR=X", 1.20m);
        fixture.PinnedApp.SetPrice("USDEUR=X", 0.90m);
        // The income and day-move figures look the pair up the other way round.
        fixture.PinnedApp.SetPrice("EURUSD=X", 1.11m);
        var page = await fixture.NewPageAsync(390, 844);
        await SignUpAsync(page);
        await page.GotoAsync("/settings");
        await page.GetByLabel("Base currency").FillAsync("EUR");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Expect(page.GetByLabel("Base currency")).ToHaveValueAsync("EUR");
        // A US holding only: the income and day-move figures of a pound holding need a GBP/USD rate the pinned market lacks.
        await AddTransactionAsync(page, "buy", "AAPL", "10", "150", "2025-06-02");
        await page.GotoAsync("/alerts");
        await page.Locator("#Rule_Kind").SelectOptionAsync("PriceAbove");
        await page.GetByLabel("Symbol").FillAsync("AAPL");
        await page.GetByLabel("Threshold").FillAsync("100");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create alert" }).ClickAsync();
        await Expect(page.GetByTestId("alert-rule")).ToContainTextAsync("AAPL at or above $100.00 USD");

        // A deposit (no currency: the base currency's) and a US dividend (its listing's, USD), previewed then imported.
        const string csv = "date,type,symbol,quantity,price,fees,amount,split_numerator,split_denominator,notes\n"
            + "2025-06-03,deposit,,,,,5000,,,\n"
            + "2025-07-01,dividend,AAPL,,,,2.50,,,\n";
        await page.GotoAsync("/transactions/import");
        await UploadAsync(page, csv);
        await Expect(page.GetByTestId("import-preview")).ToContainTextAsync("€5,000.00");
        var failures = new List<string>();
        await CheckAmountsAsync(page, "import preview", failures);
        Assert.Equal(1, await page.Locator("[data-testid='import-preview'] .amount[data-currency='USD'] + .currency-code").CountAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Import 2 rows" }).ClickAsync();
        await Expect(page.GetByTestId("flash")).ToContainTextAsync("Imported 2");

        string[] pages = ["/", "/income", "/actions", "/stock/AAPL", "/stock/SHEL.L", "/transactions", "/alerts"];
        foreach (var url in pages)
        {
            await page.GotoAsync(url);
            await SettleAsync(page);
            await CheckAmountsAsync(page, url, failures);
        }
        // Not vacuous: the dashboard's figures are in euros, and a US stock's own price is in dollars, labelled.
        await page.GotoAsync("/");
        await SettleAsync(page);
        await Expect(page.GetByTestId("total-value")).ToHaveAttributeAsync("data-currency", "EUR");
        // (The day-move panel of this portfolio answers 503 "No EUR/USD exchange rate" today, a computation
        // matter; the panel says so in place, and its figures are written by the same helper.)
        await page.GotoAsync("/stock/AAPL");
        await Expect(page.GetByTestId("stock-price")).ToHaveAttributeAsync("data-currency", "USD");
        await Expect(page.Locator("[data-testid='stock-price'] + .currency-code")).ToHaveTextAsync(new Regex("USD"));

        // Privacy mode: nothing with a currency sign is visible, and every marked figure (quantities too) is hidden.
        await page.RunAndWaitForResponseAsync(() => page.Keyboard.PressAsync("Alt+Shift+P"), r => r.Url.Contains("handler=Display", StringComparison.Ordinal));
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-privacy", "on");
        foreach (var url in pages)
        {
            await page.GotoAsync(url);
            await SettleAsync(page);
            await CheckHiddenAsync(page, url, failures);
        }
        await page.GotoAsync("/transactions/import");
        await UploadAsync(page, csv.Replace("5000", "100", StringComparison.Ordinal));
        await Expect(page.GetByTestId("import-preview")).ToBeVisibleAsync();
        await CheckHiddenAsync(page, "import preview", failures);
        await page.Context.CloseAsync();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Every visible money figure sits in a marked amount; one not in EUR says its code; "$" only on USD.</summary>
    private static async Task CheckAmountsAsync(IPage page, string where, List<string> failures)
    {
        var found = await page.EvaluateAsync<string[]>("""
            () => {
              const bad = [];
              const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
              while (walker.nextNode()) {
                const n = walker.currentNode;
                if (!/[$€£¥]\s?\d/.test(n.textContent)) continue;
                const el = n.parentElement;
                if (!el || el.closest('script, template') || !el.checkVisibility()) continue;
                if (!el.closest('.amount[data-currency]')) bad.push('not marked: ' + n.textContent.trim().slice(0, 80));
              }
              for (const a of document.querySelectorAll('.amount[data-currency]')) {
                const c = a.dataset.currency;
                if (a.textContent.includes('$') && c !== 'USD') bad.push(`"$" on a ${c} figure: ${a.textContent}`);
                if (c === 'EUR') continue;
                const code = a.nextElementSibling;
                if (!code || !code.classList.contains('currency-code') || code.textContent.trim() !== c) bad.push(`a ${c} figure without its code: ${a.textContent}`);
              }
              return bad;
            }
            """);
        failures.AddRange(found.Select(f => $"{where}: {f}"));
    }

    private static async Task CheckHiddenAsync(IPage page, string where, List<string> failures)
    {
        var text = await page.EvaluateAsync<string>("() => document.body.innerText");
        foreach (Match m in Regex.Matches(text, @"[$€£¥]\s?\d"))
        {
            failures.Add($"{where}: an amount is visible in privacy mode: …{text.Substring(Math.Max(0, m.Index - 30), Math.Min(60, text.Length - Math.Max(0, m.Index - 30)))}…");
        }
        var shown = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('.amount')].filter(a => a.getClientRects().length > 0 && getComputedStyle(a).visibility !== 'hidden').map(a => a.textContent.trim())");
        failures.AddRange(shown.Select(s => $"{where}: a marked figure is visible in privacy mode: {s}"));
        Assert.True(await page.Locator(".amount").CountAsync() > 0 || where == "/actions", $"{where}: no marked figure at all");
    }

    private static async Task SettleAsync(IPage page)
    {
        await page.WaitForLoadStateAsync(LoadState.Load);
        await page.WaitForFunctionAsync("() => !document.querySelector('[aria-busy=\"true\"], .htmx-request')", null, new() { Timeout = 30_000 });
    }
}
