using FinSight.Sentiment.Tests.Transformers;
using FinSight.Sentiment.Transformers;
using FinSight.Web.Data;
using FinSight.Web.Tests.Browser;
using FinSight.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FinSight.Web.Tests.Models;

/// <summary>The app with Sentiment:HubUrl pointing at a local Hub stand-in that serves a tiny finbert-tone slowly.</summary>
public sealed class ModelsBrowserFixture : BrowserFixture, IAsyncLifetime
{
    private FakeHub? _hub;

    protected override FinSightApp CreateApp() => new HubApp(_hub!.Url);

    public new async Task InitializeAsync()
    {
        _hub = await FakeHub.StartAsync();
        var tone = ModelCatalog.Find("finbert-tone")!;
        _hub.Add(tone.Source.Id, tone.Source.Revision, HubFixtures.TinyClassifier(seed: 41, labels: ["neutral", "positive", "negative"]));
        _hub.Trickle = TimeSpan.FromMilliseconds(300); // about 4 s of download: the bar is seen moving, with speed and time left
        await base.InitializeAsync();
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _hub!.DisposeAsync();
    }

    private sealed class HubApp(Uri hub) : FinSightApp(DatabaseProvider.Sqlite)
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Sentiment:HubUrl"] = hub.ToString() };
    }
}

/// <summary>The Models section in Chromium: Install, the htmx-polled progress bar, the engine switching to the new model.</summary>
public sealed class ModelsBrowserTests(ModelsBrowserFixture fixture) : IClassFixture<ModelsBrowserFixture>
{
    [Fact]
    public async Task The_admin_installs_finbert_tone_and_watches_the_progress_bar_until_it_is_in_use()
    {
        var page = await fixture.NewPageAsync();
        var username = "u" + Guid.NewGuid().ToString("N")[..10];
        await page.GotoAsync("/account/signup");
        await page.GetByLabel("Your name").FillAsync("Admin " + username);
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Email").FillAsync(username + "@example.com");
        await page.GetByLabel("Password (8 or more characters)").FillAsync("correct horse battery");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/$"));

        await page.GotoAsync("/settings");
        var row = page.Locator("tr[data-model='finbert-tone']");
        await Expect(row).ToHaveAttributeAsync("data-status", "not installed");
        await Expect(page.GetByTestId("engine-in-use")).Not.ToContainTextAsync("finbert");
        await row.GetByRole(AriaRole.Button, new() { Name = "Install" }).ClickAsync();

        await Expect(page.GetByTestId("settings-saved")).ToContainTextAsync("downloading in the background");
        await Expect(row.GetByRole(AriaRole.Progressbar)).ToBeVisibleAsync();
        await Expect(row.GetByTestId("model-progress-text")).ToContainTextAsync(" of ");
        await Expect(row.GetByTestId("model-progress-text")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"\d+ % · [0-9.]+ [KM]?B/s · \d+ s left"));
        await BrowserFixture.ScreenshotAsync(page, "settings-model-download");
        // No reload from here on: htmx replaces the section every second until the pull is done.
        await Expect(row).ToHaveAttributeAsync("data-status", "ready");
        await Expect(row.GetByTestId("model-progress-text")).ToContainTextAsync("100 %");
        await Expect(page.GetByTestId("engine-in-use")).ToContainTextAsync("finbert-tone");
        await Expect(row).ToContainTextAsync("in use");
        await BrowserFixture.ScreenshotAsync(page, "settings-model-installed");
        await page.Context.CloseAsync();
    }
}
