using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FinSight.Web.Tests.Browser;

/// <summary>
/// Every page of the UI, found from the app's own endpoints (a new Razor page is visited without being
/// listed here), on a phone (390 × 844) and a desktop (1440 × 900), in the light and the dark theme:
/// a screenshot of each into <see cref="BrowserFixture.ScreenshotDirectory"/>/pages, nothing wider than
/// the screen, and axe-core with no serious or critical violation. Signed in as the demo account.
/// </summary>
public sealed class PageTourTests(DemoBrowserFixture fixture) : IClassFixture<DemoBrowserFixture>
{
    /// <summary>Sample values for route parameters; a page with a parameter missing here fails the tour, so it gets one.</summary>
    private static readonly Dictionary<string, Func<IPage, Task<string>>> Samples = new(StringComparer.OrdinalIgnoreCase)
    {
        ["symbol"] = _ => Task.FromResult("AAPL"),
        // The demo's first transaction, read from the transactions page.
        ["id"] = async page =>
        {
            await page.GotoAsync("/transactions");
            return (await page.Locator("[data-testid='transactions'] tr[data-id]").First.GetAttributeAsync("data-id"))!;
        },
        ["code"] = _ => Task.FromResult("404"),
    };

    /// <summary>Pages that are not places to look at: signing out is a POST and its GET says goodbye only after one.</summary>
    private static readonly HashSet<string> NotVisited = new(StringComparer.OrdinalIgnoreCase) { "/account/signout" };

    private static string PagesDirectory => Path.Combine(BrowserFixture.ScreenshotDirectory, "pages");

    /// <summary>The Razor pages' routes, from the running app; whether each needs a signed-in user.</summary>
    private List<(string Route, bool SignedIn)> PageRoutes()
    {
        var source = fixture.App.Services.GetRequiredService<EndpointDataSource>();
        return [.. source.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null)
            .Select(e => (Route: "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'), SignedIn: e.Metadata.GetMetadata<IAuthorizeData>() is not null))
            .Where(r => !NotVisited.Contains(r.Route))
            .Distinct()
            .OrderBy(r => r.Route, StringComparer.Ordinal)];
    }

    [Fact]
    public Task Every_page_fits_a_phone_and_passes_axe_in_both_themes() => TourAsync(390, 844);

    [Fact]
    public Task Every_page_fits_a_desktop_and_passes_axe_in_both_themes() => TourAsync(1440, 900);

    private async Task TourAsync(int width, int height)
    {
        Directory.CreateDirectory(PagesDirectory);
        var routes = PageRoutes();
        // The list is discovered, so it must at least hold the pages known today.
        Assert.Contains(routes, r => r.Route == "/");
        Assert.Contains(routes, r => r.Route == "/transactions");
        Assert.Contains(routes, r => r.Route.StartsWith("/stock/", StringComparison.Ordinal));

        var signedIn = await fixture.NewPageAsync(width, height);
        await SignInAsDemoAsync(signedIn);
        var anonymous = await fixture.NewPageAsync(width, height);
        var failures = new List<string>();
        var report = new StringBuilder();
        foreach (var (route, needsUser) in routes)
        {
            var page = needsUser ? signedIn : anonymous;
            var url = await ResolveAsync(page, route, failures);
            if (url is null)
            {
                continue;
            }
            var name = Regex.Replace(route.Trim('/'), "[^A-Za-z0-9]+", "-") is { Length: > 0 } n ? n : "dashboard";
            foreach (var theme in new[] { ColorScheme.Light, ColorScheme.Dark })
            {
                // The demo account keeps the theme on "follow the system", so the OS preference decides.
                await page.EmulateMediaAsync(new() { ColorScheme = theme });
                var response = await page.GotoAsync(url);
                // The error page answers with the status it explains.
                if (response is null || (response.Status >= 400 && !route.StartsWith("/error", StringComparison.Ordinal)))
                {
                    failures.Add($"{url}: HTTP {response?.Status}");
                    continue;
                }
                await SettleAsync(page);
                var themeName = theme == ColorScheme.Dark ? "dark" : "light";
                await Expect(page.Locator("html")).ToHaveAttributeAsync("data-bs-theme", themeName);
                await page.ScreenshotAsync(new() { Path = Path.Combine(PagesDirectory, $"{name}-{width}x{height}-{themeName}.png"), FullPage = true });

                var overflow = await OverflowAsync(page);
                if (overflow.Count > 0)
                {
                    failures.Add($"{url} at {width}×{height} ({themeName}): wider than the screen: {string.Join("; ", overflow)}");
                }

                var axe = await page.RunAxe();
                var bad = axe.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
                report.AppendLine($"{url}\t{width}x{height}\t{themeName}\tserious+critical={bad.Count}\tall={axe.Violations.Count()}");
                foreach (var v in bad)
                {
                    failures.Add($"{url} at {width}×{height} ({themeName}): axe {v.Impact} {v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(x => x.Target?.ToString()))}");
                }
            }
        }
        await File.WriteAllTextAsync(Path.Combine(PagesDirectory, $"axe-{width}x{height}.tsv"), report.ToString());
        await CloseAllAsync(signedIn, anonymous);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Privacy_mode_hides_every_amount_on_every_page_keeps_percentages_and_is_remembered()
    {
        var page = await fixture.NewPageAsync(390, 844);
        await SignInAsDemoAsync(page);
        await Expect(page.GetByTestId("total-value")).ToContainTextAsync("$");

        // The keyboard shortcut, then a reload: the choice is stored with the user's settings.
        var saved = await page.RunAndWaitForResponseAsync(() => page.Keyboard.PressAsync("Alt+Shift+P"), r => r.Url.Contains("handler=Display", StringComparison.Ordinal));
        Assert.Equal(204, saved.Status);
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-privacy", "on");
        await Expect(page.Locator("#privacy-toggle")).ToHaveAttributeAsync("aria-pressed", "true");
        await page.ReloadAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-privacy", "on");

        var money = new Regex(@"[$€£¥]\s?\d");
        var failures = new List<string>();
        foreach (var (route, _) in PageRoutes().Where(r => r.SignedIn))
        {
            var url = await ResolveAsync(page, route, failures);
            if (url is null)
            {
                continue;
            }
            await page.GotoAsync(url);
            await SettleAsync(page);
            var text = await page.EvaluateAsync<string>("() => document.body.innerText");
            foreach (Match m in money.Matches(text))
            {
                failures.Add($"{url}: an amount is visible: …{text.Substring(Math.Max(0, m.Index - 30), Math.Min(60, text.Length - Math.Max(0, m.Index - 30)))}…");
            }
        }
        // The dashboard still shows its percentages, and a live refresh stays hidden (the mark is on the element).
        await page.GotoAsync("/");
        await Expect(page.GetByTestId("headline")).ToContainTextAsync("%");
        Assert.True(await page.GetByTestId("total-value").EvaluateAsync<bool>("e => getComputedStyle(e).visibility === 'hidden'"));
        await BrowserFixture.ScreenshotAsync(page, "phone-privacy");

        // The header's button turns it off again, for good.
        await page.RunAndWaitForResponseAsync(() => page.Locator("#privacy-toggle").ClickAsync(), r => r.Url.Contains("handler=Display", StringComparison.Ordinal));
        await Expect(page.Locator("html")).Not.ToHaveAttributeAsync("data-privacy", "on");
        await page.ReloadAsync();
        await Expect(page.Locator("html")).Not.ToHaveAttributeAsync("data-privacy", "on");
        Assert.Matches(money, await page.GetByTestId("total-value").InnerTextAsync());
        await page.Context.CloseAsync();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task The_theme_follows_the_system_until_chosen_and_the_choice_is_rendered_by_the_server()
    {
        var page = await fixture.NewPageAsync(390, 844);
        await SignInAsDemoAsync(page);
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await page.ReloadAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-bs-theme", "dark");

        // Chosen in the header: light, while the system stays dark; stored, so the server renders it.
        await page.RunAndWaitForResponseAsync(() => page.Locator("#theme-toggle").ClickAsync(), r => r.Url.Contains("handler=Display", StringComparison.Ordinal));
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-bs-theme", "light");
        var html = await (await page.APIRequest.GetAsync("/")).TextAsync();
        Assert.Contains("data-bs-theme=\"light\"", html, StringComparison.Ordinal);
        await page.ReloadAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-bs-theme", "light");

        // Another device (a new browser profile) gets the same theme.
        var other = await fixture.NewPageAsync(1440, 900);
        await other.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await SignInAsDemoAsync(other);
        await Expect(other.Locator("html")).ToHaveAttributeAsync("data-bs-theme", "light");

        // Back to following the system on the Settings page.
        await page.GotoAsync("/settings");
        await page.GetByRole(AriaRole.Radio, new() { Name = "Follow the system" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Expect(page.GetByTestId("settings-saved")).ToBeVisibleAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-bs-theme", "dark");
        await page.Context.CloseAsync();
        await other.Context.CloseAsync();
    }

    [Fact]
    public async Task The_app_is_installable_and_shows_the_last_dashboard_offline_with_its_time()
    {
        // A real profile: Playwright's usual contexts are incognito, where Chromium never offers to install.
        using var playwright = await Playwright.CreateAsync();
        var profile = Directory.CreateTempSubdirectory("finsight-profile-");
        await using var context = await LaunchProfileAsync(playwright, profile, 390, 844);
        var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
        await SignInAsDemoAsync(page);
        await page.EvaluateAsync("() => navigator.serviceWorker.ready.then(() => true)");
        // Loaded again under the worker's control, so it keeps this dashboard.
        await page.ReloadAsync();
        await Expect(page.GetByTestId("positions").Locator("tbody tr")).ToHaveCountAsync(5);
        var key = await page.Locator("meta[name='finsight-user']").GetAttributeAsync("content");
        await page.WaitForFunctionAsync($"async () => !!(await (await caches.open('finsight-pages-{key}')).match('/'))", null, new() { PollingInterval = 200 });

        var cdp = await page.Context.NewCDPSessionAsync(page);
        var installability = await cdp.SendAsync("Page.getInstallabilityErrors");
        var errors = installability!.Value.GetProperty("installabilityErrors");
        Assert.True(errors.GetArrayLength() == 0, "Chromium's installability errors: " + errors.GetRawText());
        var manifest = await cdp.SendAsync("Page.getAppManifest");
        Assert.True(manifest!.Value.GetProperty("errors").GetArrayLength() == 0, "Manifest errors: " + manifest.Value.GetProperty("errors").GetRawText());

        await page.Context.SetOfflineAsync(true);
        await page.ReloadAsync();
        await Expect(page.GetByTestId("offline-banner")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("offline-banner")).ToContainTextAsync("Offline");
        await Expect(page.GetByTestId("offline-banner")).ToContainTextAsync("(local)");
        await Expect(page.GetByTestId("positions").Locator("tbody tr")).ToHaveCountAsync(5);
        await BrowserFixture.ScreenshotAsync(page, "phone-offline");
        // The live refresh fails while offline, and the page says so where the refresh line is.
        await Expect(page.Locator("#live-status")).ToContainTextAsync("Live update failed", new() { Timeout = 60_000 });
        await page.Context.SetOfflineAsync(false);
        await context.CloseAsync();
        profile.Delete(recursive: true);
    }

    [Fact]
    public async Task The_offline_dashboard_belongs_to_the_signed_in_user_and_goes_at_sign_out_or_when_another_user_signs_in()
    {
        using var playwright = await Playwright.CreateAsync();
        var profile = Directory.CreateTempSubdirectory("finsight-profile-");
        await using var context = await LaunchProfileAsync(playwright, profile, 1440, 900);
        var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
        const string savedPages = "async () => (await caches.keys()).filter(k => k.startsWith('finsight-pages')).sort()";

        // The demo user's dashboard is saved under the demo user's key.
        await SignInAsDemoAsync(page);
        var demoKey = await page.Locator("meta[name='finsight-user']").GetAttributeAsync("content");
        Assert.Matches("^[0-9a-f]{32}$", demoKey);
        await page.EvaluateAsync("() => navigator.serviceWorker.ready.then(() => true)");
        await page.ReloadAsync();
        await page.WaitForFunctionAsync($"async () => !!(await (await caches.open('finsight-pages-{demoKey}')).match('/'))", null, new() { PollingInterval = 200 });
        Assert.Equal(["finsight-pages-" + demoKey], await page.EvaluateAsync<string[]>(savedPages));

        // Signing out deletes it: offline, the device has no dashboard to show.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).Or(page.GetByRole(AriaRole.Link, new() { Name = "Sign in" })).First).ToBeVisibleAsync();
        await page.WaitForFunctionAsync(savedPages.Replace(".sort()", ".length === 0", StringComparison.Ordinal), null, new() { PollingInterval = 200 });
        await page.Context.SetOfflineAsync(true);
        await page.GotoAsync("/");
        await Expect(page.Locator("body")).ToContainTextAsync("no dashboard has been saved on this device");
        await page.Context.SetOfflineAsync(false);

        // Saved again, then another user signs in on this device without the first signing out (the cookie just goes):
        // the first user's dashboard is deleted as soon as the second user's page loads, and offline shows the second's.
        await SignInAsDemoAsync(page);
        await page.ReloadAsync();
        await page.WaitForFunctionAsync($"async () => !!(await (await caches.open('finsight-pages-{demoKey}')).match('/'))", null, new() { PollingInterval = 200 });
        await context.ClearCookiesAsync();
        var other = "u" + Guid.NewGuid().ToString("N")[..10];
        await page.GotoAsync("/account/signup");
        await page.GetByLabel("Your name").FillAsync("Other " + other);
        await page.GetByLabel("Username").FillAsync(other);
        await page.GetByLabel("Email").FillAsync(other + "@example.com");
        await page.GetByLabel("Password (10 or more characters)").FillAsync("correct horse battery");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        // A new account's dashboard is the welcome card, not the figures.
        await Expect(page.GetByTestId("empty-dashboard")).ToBeVisibleAsync();
        var otherKey = await page.Locator("meta[name='finsight-user']").GetAttributeAsync("content");
        Assert.NotEqual(demoKey, otherKey);
        await page.WaitForFunctionAsync($"async () => (await caches.keys()).includes('finsight-pages-{otherKey}') && !(await caches.keys()).includes('finsight-pages-{demoKey}')", null, new() { PollingInterval = 200 });
        await page.Context.SetOfflineAsync(true);
        await page.ReloadAsync();
        await Expect(page.GetByTestId("offline-banner")).ToBeVisibleAsync();
        await Expect(page.Locator("meta[name='finsight-user']")).ToHaveAttributeAsync("content", otherKey!);
        await page.Context.SetOfflineAsync(false);
        await context.CloseAsync();
        profile.Delete(recursive: true);
    }

    [Fact]
    public async Task An_allocation_slice_filters_the_positions_and_1D_and_MTD_are_chart_ranges()
    {
        var page = await fixture.NewPageAsync(390, 844);
        await SignInAsDemoAsync(page);
        var rows = page.GetByTestId("positions").Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(5);

        var legend = page.Locator("#position-legend button").First;
        var symbol = await legend.GetAttributeAsync("data-filter");
        await legend.ClickAsync();
        await Expect(legend).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(page.GetByTestId("positions-filter")).ToContainTextAsync(symbol!);
        await Expect(page.Locator("#positions tbody tr:not([hidden])")).ToHaveCountAsync(1);
        await Expect(page.Locator($"#positions tbody tr[data-symbol='{symbol}']")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "phone-dashboard-filtered");

        var sector = page.Locator("#sector-legend button").First;
        var sectorName = await sector.GetAttributeAsync("data-filter");
        await sector.ClickAsync();
        var shown = await page.Locator("#positions tbody tr:not([hidden])").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.sector)");
        Assert.NotEmpty(shown);
        Assert.All(shown, s => Assert.Equal(sectorName, s));
        await page.GetByRole(AriaRole.Button, new() { Name = "Show all" }).ClickAsync();
        await Expect(page.Locator("#positions tbody tr:not([hidden])")).ToHaveCountAsync(5);

        foreach (var range in new[] { "1D", "MTD" })
        {
            await page.Locator($"label[for='range-{range}']").ClickAsync();
            await Expect(page.Locator("#performance-summary")).ToContainTextAsync(range + ": portfolio");
            await Expect(page.Locator("#performance-chart")).ToHaveAttributeAsync("aria-busy", "false");
        }
        await page.Context.CloseAsync();
    }

    private static async Task<string?> ResolveAsync(IPage page, string route, List<string> failures)
    {
        var url = route;
        foreach (Match m in Regex.Matches(route, @"\{(?<name>[A-Za-z]+)(:[^}]*)?\}"))
        {
            if (!Samples.TryGetValue(m.Groups["name"].Value, out var sample))
            {
                failures.Add($"{route}: no sample value for {{{m.Groups["name"].Value}}}: add one to {nameof(PageTourTests)}.{nameof(Samples)}");
                return null;
            }
            url = url.Replace(m.Value, Uri.EscapeDataString(await sample(page)), StringComparison.Ordinal);
        }
        return url;
    }

    /// <summary>Loaded, scripts run, no htmx request in flight (panels that load themselves) and nothing says it is still loading (aria-busy).</summary>
    private static async Task SettleAsync(IPage page)
    {
        await page.WaitForLoadStateAsync(LoadState.Load);
        await page.WaitForFunctionAsync("() => !document.querySelector('[aria-busy=\"true\"], .htmx-request')", null, new() { Timeout = 30_000 });
    }

    /// <summary>
    /// Visible elements reaching past either edge of the viewport. An element inside an ancestor that clips
    /// it (overflow hidden, as a truncated name is) is fine; one inside a horizontal scroller is not: on a
    /// phone that hides it just the same.
    /// </summary>
    private static async Task<List<string>> OverflowAsync(IPage page)
    {
        var found = await page.EvaluateAsync<string[]>("""
            () => {
              const vw = document.documentElement.clientWidth;
              const out = [];
              if (document.documentElement.scrollWidth > vw + 1) out.push(`the page scrolls sideways (${document.documentElement.scrollWidth} > ${vw} px)`);
              const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '')
                + ' "' + (el.textContent || '').trim().slice(0, 40) + '"';
              for (const el of document.body.querySelectorAll('*')) {
                const r = el.getBoundingClientRect();
                if (r.width === 0 || r.height === 0) continue;
                const style = getComputedStyle(el);
                if (style.visibility === 'hidden' || style.position === 'fixed') continue;
                let clipped = false;
                for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
                  const o = getComputedStyle(a).overflowX;
                  if (o === 'hidden' || o === 'clip') { clipped = true; break; }
                }
                if (clipped) continue;
                let scroller = null;
                for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
                  const o = getComputedStyle(a).overflowX;
                  if ((o === 'auto' || o === 'scroll') && a.scrollWidth > a.clientWidth + 1) { scroller = a; break; }
                }
                if (scroller && !out.some(x => x.startsWith('scrolls sideways: ' + describe(scroller)))) {
                  out.push('scrolls sideways: ' + describe(scroller));
                  continue;
                }
                if (r.right > vw + 1 || r.left < -1) out.push(describe(el) + ` (${Math.round(r.left)}..${Math.round(r.right)} px)`);
                if (out.length > 8) break;
              }
              return out;
            }
            """);
        return [.. found];
    }

    /// <summary>Chromium with a real profile in <paramref name="profile"/>: Playwright's usual contexts are incognito, where it never offers to install nor keeps caches.</summary>
    private async Task<IBrowserContext> LaunchProfileAsync(IPlaywright playwright, DirectoryInfo profile, int width, int height)
    {
        var context = await playwright.Chromium.LaunchPersistentContextAsync(profile.FullName, new()
        {
            ExecutablePath = BrowserFixture.ChromiumPath,
            Headless = true,
            Args = BrowserFixture.LaunchArgs,
            BaseURL = fixture.BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            TimezoneId = "UTC",
            Locale = "en-US",
        });
        context.SetDefaultTimeout(30_000);
        return context;
    }

    private static async Task SignInAsDemoAsync(IPage page)
    {
        await page.GotoAsync("/account/signin");
        await page.GetByLabel("Email or username").FillAsync("demo");
        await page.GetByLabel("Password").FillAsync("demo123");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByTestId("headline")).ToBeVisibleAsync();
    }

    private static async Task CloseAllAsync(params IPage[] pages)
    {
        foreach (var page in pages)
        {
            await page.Context.CloseAsync();
        }
    }
}
