using System.Text;
using System.Text.RegularExpressions;
using FinSight.Web.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FinSight.Web.Tests.Browser;

/// <summary>The web UI in a real browser: what an investor does, click by click.</summary>
public sealed partial class UiFlowTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task Sign_up_add_holdings_see_totals_and_live_prices_then_edit_delete_and_sign_out()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(SignInUrl());

        var username = await SignUpAsync(page);
        await Expect(page.GetByTestId("empty-dashboard")).ToBeVisibleAsync();

        await AddTransactionAsync(page, "buy", "AAPL", "10", "150", "2025-06-02");
        await AddTransactionAsync(page, "buy", "MSFT", "5", "300", "2025-06-03");
        await AddTransactionAsync(page, "buy", "NVDA", "20", "50", "2025-06-04");
        await Expect(page.GetByTestId("holdings").Locator("tbody tr")).ToHaveCountAsync(3);
        await BrowserFixture.ScreenshotAsync(page, "transactions");

        // Pinned prices: AAPL 10 × 200 + MSFT 5 × 400 + NVDA 20 × 100 = 6,000 for a cost of 4,000.
        await page.GotoAsync("/");
        await Expect(page.GetByTestId("total-value")).ToHaveTextAsync("$6,000.00");
        await Expect(page.GetByTestId("unrealized")).ToHaveTextAsync("+$2,000.00");
        await Expect(page.GetByTestId("positions").Locator("tbody tr")).ToHaveCountAsync(3);
        await Expect(page.GetByTestId("simulated-badge")).ToBeVisibleAsync();
        await Expect(page.Locator("#sector-chart")).ToBeVisibleAsync();
        await Expect(page.Locator("#performance-chart canvas").First).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "dashboard");

        // A market move seen by the quote refresh job is pushed to the open page (SignalR, no polling):
        // no reload, within 2 s, a new price and an up mark.
        await Expect(page.Locator("#live-poller")).ToHaveAttributeAsync("data-live", "push");
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");
        fixture.PinnedApp.SetPrice("AAPL", 210m);
        fixture.App.Clock.Advance(TimeSpan.FromMinutes(2));
        await fixture.App.Services.GetRequiredService<QuoteRefreshJob>().RefreshAsync(CancellationToken.None);
        await Expect(page.GetByTestId("price-AAPL")).ToHaveTextAsync("$210.00", new() { Timeout = 2_000 });
        await Expect(page.Locator("tr[data-symbol='AAPL']")).ToHaveAttributeAsync("data-last-change", "up");
        await Expect(page.GetByTestId("total-value")).ToHaveTextAsync("$6,100.00");
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"));

        // The stock page: the price chart with the user's buy marked, the profile, the lot and the news.
        await page.GetByRole(AriaRole.Link, new() { Name = "AAPL", Exact = true }).First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/stock/AAPL$"));
        await Expect(page.Locator("#price-chart canvas").First).ToBeVisibleAsync();
        await Expect(page.Locator("#price-chart")).ToHaveAttributeAsync("data-markers", "1");
        await Expect(page.GetByTestId("held")).ToHaveTextAsync("10");
        await Expect(page.GetByTestId("stock-news").GetByTestId("headline").First).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "stock");

        // The news page: a card per holding with headlines and their labels, filterable by label.
        await page.GotoAsync("/news");
        await Expect(page.GetByTestId("news-card")).ToHaveCountAsync(3);
        await Expect(page.GetByTestId("headline").First).ToBeVisibleAsync();

        // Each card's digest quotes what the articles say (the simulated market writes a summary per article), not their titles.
        var card = page.GetByTestId("news-card").First;
        await Expect(card.GetByTestId("digest")).ToContainTextAsync("from article summaries");
        var digestLines = await card.GetByTestId("digest").Locator("li").AllInnerTextsAsync();
        var titles = await card.GetByTestId("headline").Locator("a").AllInnerTextsAsync();
        Assert.InRange(digestLines.Count, 2, 3);
        Assert.All(digestLines, line => Assert.DoesNotContain(line.Trim(), titles.Select(t => t.Trim())));
        await BrowserFixture.ScreenshotAsync(page, "news");
        await page.GetByLabel("Show headlines").SelectOptionAsync("negative");
        await Expect(page).ToHaveURLAsync(new Regex("label=negative"));
        Assert.All(await page.GetByTestId("headline").AllAsync(), h => Assert.Equal("negative", h.GetAttributeAsync("data-label").Result));

        // Edit MSFT's lot from 5 to 6 shares, then delete NVDA after confirming.
        await page.GotoAsync("/transactions");
        await page.Locator("tr[data-symbol='MSFT']").GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Edit") }).ClickAsync();
        await page.GetByLabel("Quantity").FillAsync("6");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.GetByTestId("flash")).ToHaveTextAsync("Transaction updated.");
        await Expect(page.GetByTestId("holdings").Locator("tr[data-symbol='MSFT'] td").Nth(1)).ToHaveTextAsync("6");

        string? asked = null;
        page.Dialog += async (_, dialog) =>
        {
            asked = dialog.Message;
            await dialog.AcceptAsync();
        };
        await page.GetByTestId("transactions").Locator("tr[data-symbol='NVDA']").GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Delete") }).ClickAsync();
        await Expect(page.GetByTestId("flash")).ToHaveTextAsync("Transaction deleted.");
        Assert.Contains("cannot be undone", asked, StringComparison.Ordinal);
        await Expect(page.GetByTestId("holdings").Locator("tr[data-symbol='NVDA']")).ToHaveCountAsync(0);

        await page.GotoAsync("/");
        await Expect(page.GetByTestId("total-value")).ToHaveTextAsync("$4,500.00"); // 10 × 210 + 6 × 400
        Assert.Equal(username, await page.GetByTestId("signed-in-as").InnerTextAsync());

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByTestId("signed-out")).ToBeVisibleAsync();
        await page.GotoAsync("/transactions");
        await Expect(page).ToHaveURLAsync(SignInUrl());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Forms_show_the_apis_validation_messages_next_to_the_fields()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/account/signup");
        await page.GetByLabel("Your name").FillAsync("Short Password");
        await page.GetByLabel("Username").FillAsync("u" + Guid.NewGuid().ToString("N")[..10]);
        await page.GetByLabel("Email").FillAsync("not-an-email");
        await page.GetByLabel("Password (10 or more characters)").FillAsync("short");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(page.Locator("#Email-error, [data-valmsg-for='Email']")).ToContainTextAsync("not a valid email");
        await Expect(page.Locator("[data-valmsg-for='Password']")).ToContainTextAsync("10");

        await SignUpAsync(page);
        await page.GotoAsync("/transactions");
        await FillTransactionAsync(page, "buy", "APPL", "10", "100", "2025-06-02");
        await Expect(page.Locator("#Form_Symbol-error")).ToContainTextAsync("Did you mean");
        await Expect(page.Locator("#Form_Symbol")).ToHaveValueAsync("APPL");

        await FillTransactionAsync(page, "sell", "AAPL", "5", "100", "2025-06-02");
        await Expect(page.Locator("#Form_Quantity-error")).Not.ToBeEmptyAsync();

        await FillTransactionAsync(page, "buy", "AAPL", "", "100", "2025-06-02");
        await Expect(page.Locator("#Form_Quantity-error")).ToContainTextAsync("required");
        await Expect(page.GetByTestId("no-holdings")).ToBeVisibleAsync();

        // The symbol box suggests from the directory as you type.
        await page.Locator("#Form_Symbol").FillAsync("");
        await page.Locator("#Form_Symbol").PressSequentiallyAsync("micros");
        await Expect(page.Locator("#symbol-options option[value='MSFT']")).ToHaveCountAsync(1);

        await page.GotoAsync("/nowhere");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Page not found" })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_csv_with_a_bad_row_is_previewed_with_its_error_and_nothing_is_imported_until_fixed()
    {
        var page = await fixture.NewPageAsync();
        await SignUpAsync(page);
        await page.GotoAsync("/transactions/import");
        const string bad = "date,type,symbol,quantity,price,fees,amount,split_numerator,split_denominator,notes\n"
            + "2025-06-02,buy,AAPL,10,150,1,,,,first lot\n"
            + "2025-06-03,buy,MSFT,-5,300,,,,,\n";
        await UploadAsync(page, bad);
        await Expect(page.GetByTestId("import-errors")).ToBeVisibleAsync();
        await Expect(page.Locator("tr[data-line='3']")).ToHaveClassAsync(new Regex("table-danger"));
        await Expect(page.Locator("tr[data-line='3']")).ToContainTextAsync("quantity");
        await Expect(page.Locator("tr[data-line='2']")).ToContainTextAsync("ok");
        await BrowserFixture.ScreenshotAsync(page, "import-errors");
        await page.GotoAsync("/transactions");
        await Expect(page.GetByTestId("no-holdings")).ToBeVisibleAsync();

        await page.GotoAsync("/transactions/import");
        await UploadAsync(page, bad.Replace(",-5,", ",5,", StringComparison.Ordinal));
        await Expect(page.GetByTestId("import-preview")).ToContainTextAsync("2 rows ready to import");
        await page.GetByRole(AriaRole.Button, new() { Name = "Import 2 rows" }).ClickAsync();
        await Expect(page.GetByTestId("flash")).ToHaveTextAsync("Imported 2 transactions.");
        await Expect(page.GetByTestId("holdings").Locator("tbody tr")).ToHaveCountAsync(2);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task One_user_cannot_open_another_users_transactions()
    {
        var alice = await fixture.NewPageAsync();
        await SignUpAsync(alice);
        await AddTransactionAsync(alice, "buy", "AAPL", "3", "100", "2025-06-02", notes: "<b>alice's</b> note");
        // Stored text is shown as text, never as markup.
        await Expect(alice.GetByTestId("transactions")).ToContainTextAsync("<b>alice's</b> note");
        var editUrl = await alice.GetByTestId("transactions").GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Edit") }).First.GetAttributeAsync("href");

        var bob = await fixture.NewPageAsync(390, 844); // a phone
        await SignUpAsync(bob);
        var response = await bob.GotoAsync(editUrl!);
        Assert.Equal(404, response!.Status);
        await Expect(bob.GetByRole(AriaRole.Heading, new() { Name = "Page not found" })).ToBeVisibleAsync();
        await bob.GotoAsync("/transactions");
        await Expect(bob.GetByTestId("no-holdings")).ToBeVisibleAsync();
        await bob.GotoAsync("/");
        await Expect(bob.GetByTestId("empty-dashboard")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(bob, "dashboard-empty-phone");
        await alice.Context.CloseAsync();
        await bob.Context.CloseAsync();
    }

    [Fact]
    public async Task Sign_in_uses_the_same_accounts_and_throttle_as_the_api()
    {
        var user = await fixture.App.CreateUserAsync(); // created through the JSON API
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/transactions");
        await page.GetByLabel("Email or username").FillAsync(user.Email);
        await page.GetByLabel("Password").FillAsync("wrong password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByTestId("form-error")).ToContainTextAsync("incorrect");

        await page.GetByLabel("Email or username").FillAsync(user.Username);
        await page.GetByLabel("Password").FillAsync(user.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/transactions$"));

        // The API still wants a bearer token: the UI's cookie is not accepted there.
        var api = await page.APIRequest.GetAsync("/api/dashboard/overview");
        Assert.Equal(401, api.Status);
        Assert.StartsWith("application/problem+json", api.Headers["content-type"], StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Settings_change_the_dashboards_benchmark_and_the_theme_and_explain_bad_values()
    {
        var page = await fixture.NewPageAsync();
        await SignUpAsync(page);
        await AddTransactionAsync(page, "buy", "AAPL", "1", "150", "2025-06-02");

        await page.GotoAsync("/settings");
        await page.GetByLabel("Benchmark symbol").FillAsync("SPYY");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        // The field's own message says what is wrong and suggests the listed symbol.
        await Expect(page.Locator("[data-valmsg-for='Benchmark']")).ToContainTextAsync("SPY");
        await Expect(page.GetByTestId("settings-saved")).ToHaveCountAsync(0);

        await page.GetByLabel("Benchmark symbol").FillAsync("qqq");
        await page.GetByRole(AriaRole.Radio, new() { Name = "Dark" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Expect(page.GetByTestId("settings-saved")).ToBeVisibleAsync();

        await page.GotoAsync("/");
        await Expect(page.GetByTestId("benchmark")).ToHaveTextAsync("QQQ");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-bs-theme", "dark");
        await BrowserFixture.ScreenshotAsync(page, "dashboard-dark");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Two_factor_sign_in_is_set_up_on_the_account_page_and_then_asked_for_at_sign_in()
    {
        var page = await fixture.NewPageAsync();
        var username = await SignUpAsync(page);
        await page.GetByTestId("signed-in-as").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/account$"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Set up two-factor sign-in" }).ClickAsync();
        await Expect(page.GetByTestId("qr").Locator("svg")).ToBeVisibleAsync();
        var secret = (await page.GetByTestId("totp-secret").TextContentAsync())!.Trim();
        await BrowserFixture.ScreenshotAsync(page, "account-two-factor-setup");
        var totp = new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(secret));
        await page.GetByLabel("Code", new() { Exact = true }).FillAsync(totp.ComputeTotp(DateTime.UtcNow));
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on" }).ClickAsync();
        await Expect(page.GetByTestId("recovery-codes").Locator("li")).ToHaveCountAsync(10);
        await BrowserFixture.ScreenshotAsync(page, "account-recovery-codes");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await page.GetByLabel("Email or username").FillAsync(username);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByLabel("Authentication code")).ToBeVisibleAsync();
        // The next time step: the code that turned it on cannot be used again.
        await page.GetByLabel("Authentication code").FillAsync(totp.ComputeTotp(DateTime.UtcNow.AddSeconds(30)));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        await Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync(username);
    }

    private static Regex SignInUrl() => new("/account/signin");

    [Fact]
    public async Task Without_the_price_push_the_dashboard_falls_back_to_polling()
    {
        var page = await fixture.NewPageAsync();
        // The push endpoint is unreachable (a proxy without WebSockets, say): the page polls as before.
        await page.RouteAsync("**/hubs/prices**", route => route.AbortAsync());
        await SignUpAsync(page);
        await AddTransactionAsync(page, "buy", "AMD", "3", "90", "2025-06-02");
        await page.GotoAsync("/");
        await Expect(page.Locator("#live-poller")).ToHaveAttributeAsync("data-live", "poll");
        await Expect(page.GetByTestId("price-AMD")).ToHaveTextAsync("$150.00");
        fixture.PinnedApp.SetPrice("AMD", 155m);
        fixture.App.Clock.Advance(TimeSpan.FromMinutes(2));
        await Expect(page.GetByTestId("price-AMD")).ToHaveTextAsync("$155.00", new() { Timeout = 20_000 });
        await page.Context.CloseAsync();
    }

    private static async Task<string> SignUpAsync(IPage page)
    {
        var username = "u" + Guid.NewGuid().ToString("N")[..10];
        await page.GotoAsync("/account/signup");
        await page.GetByLabel("Your name").FillAsync("Test " + username);
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Email").FillAsync(username + "@example.com");
        await page.GetByLabel("Password (10 or more characters)").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        return username;
    }

    private static async Task FillTransactionAsync(IPage page, string type, string symbol, string quantity, string price, string date, string? notes = null)
    {
        await page.Locator("#Form_Type").SelectOptionAsync(type);
        await page.Locator("#Form_Symbol").FillAsync(symbol);
        await page.GetByLabel("Quantity").FillAsync(quantity);
        await page.GetByLabel("Price per share").FillAsync(price);
        await page.GetByLabel("Date").FillAsync(date);
        if (notes is not null)
        {
            await page.GetByLabel("Notes").FillAsync(notes);
        }
        await page.GetByTestId("save-transaction").ClickAsync();
    }

    private static async Task AddTransactionAsync(IPage page, string type, string symbol, string quantity, string price, string date, string? notes = null)
    {
        await page.GotoAsync("/transactions");
        await FillTransactionAsync(page, type, symbol, quantity, price, date, notes);
        await Expect(page.GetByTestId("flash")).ToContainTextAsync("Recorded");
    }

    private static async Task UploadAsync(IPage page, string csv)
    {
        await page.GetByLabel("CSV file").SetInputFilesAsync(new FilePayload { Name = "trades.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Check file" }).ClickAsync();
    }
}

/// <summary>The demo account as README shows it; also proves sign-in by username works for a seeded account.</summary>
public sealed class DemoUiTests(DemoBrowserFixture fixture) : IClassFixture<DemoBrowserFixture>
{
    [Fact]
    public async Task The_demo_account_signs_in_and_shows_its_dashboard_and_news()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/account/signin");
        await page.GetByLabel("Email or username").FillAsync("demo");
        await page.GetByLabel("Password").FillAsync("demo123");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByTestId("positions").Locator("tbody tr")).ToHaveCountAsync(5);
        await Expect(page.GetByTestId("realized")).ToHaveTextAsync("+$200.00");
        await Expect(page.Locator("#performance-chart")).Not.ToHaveAttributeAsync("data-points", "0");
        // The chart's summary shows the server's time-weighted return for the range, first day included.
        // It opens on the range the risk panel uses, so the line's end is the panel's time-weighted return.
        await Expect(page.Locator("#range-ALL")).ToBeCheckedAsync();
        await Expect(page.GetByTestId("risk-range")).ToHaveAttributeAsync("data-range", "ALL");
        var twr = await page.EvaluateAsync<double>("async () => (await (await fetch('/?handler=Performance&range=ALL')).json()).data.twr");
        await Expect(page.Locator("#performance-summary")).ToContainTextAsync(
            "portfolio " + (twr > 0 ? "+" : "") + twr.ToString("F2", System.Globalization.CultureInfo.InvariantCulture) + " %");
        await BrowserFixture.ScreenshotAsync(page, "demo-dashboard");
        await page.GotoAsync("/news");
        await Expect(page.GetByTestId("news-card")).ToHaveCountAsync(5);
        await BrowserFixture.ScreenshotAsync(page, "demo-news");
        await page.Context.CloseAsync();
    }
}
