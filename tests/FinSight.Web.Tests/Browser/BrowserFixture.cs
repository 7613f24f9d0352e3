using FinSight.MarketData;
using FinSight.Web.Data;
using FinSight.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace FinSight.Web.Tests.Browser;

/// <summary>The app on a real loopback port with pinned simulated prices, and Debian's Chromium driven by Playwright.</summary>
public sealed class UiApp() : FinSightApp(DatabaseProvider.Sqlite)
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["MarketData:Simulated:FixedPrices:AAPL"] = "200",
        ["MarketData:Simulated:FixedPrices:MSFT"] = "400",
        ["MarketData:Simulated:FixedPrices:NVDA"] = "100",
        ["MarketData:Simulated:FixedPrices:SPY"] = "500",
        // Only the polling fallback test holds AMD.
        ["MarketData:Simulated:FixedPrices:AMD"] = "150",
        ["Ui:RefreshSeconds"] = "1",
    };

    /// <summary>Moves a pinned price, as a market move would; the next poll after the quote cache expires shows it.</summary>
    public void SetPrice(string symbol, decimal price) =>
        Services.GetRequiredService<IOptions<MarketDataOptions>>().Value.Simulated.FixedPrices[symbol] = price;
}

/// <summary>The <c>--demo</c> setup: the simulated market and the demo account with the spec's holdings.</summary>
public sealed class DemoUiApp() : FinSightApp(DatabaseProvider.Sqlite)
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["FinSight:Demo"] = "true", ["FinSight:ForceDemo"] = "true" };
}

public sealed class DemoBrowserFixture : BrowserFixture
{
    protected override FinSightApp CreateApp() => new DemoUiApp();
}

public class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Chromium's switches for a headless run here (also for a test's own persistent profile).</summary>
    public static readonly string[] LaunchArgs = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private IPlaywright? _playwright;

    private FinSightApp? _app;

    public FinSightApp App => _app ??= CreateApp();

    public UiApp PinnedApp => (UiApp)App;

    protected virtual FinSightApp CreateApp() => new UiApp();
    public IBrowser Browser { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";

    /// <summary>Where the screenshots of the main pages go (kept as test artifacts).</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts", "screenshots");

    public async Task InitializeAsync()
    {
        // Never skip: a machine without the browser must say how to get it.
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium is not installed at {ChromiumPath}. Install it with `apt-get install -y chromium` (./test.sh does this on Debian); "
                + "the browser tests use Debian's Chromium and never download a browser (do not run `playwright install`).");
        }
        // Assertions wait as long as actions do (Playwright's default is 5 s, short on a busy machine).
        Assertions.SetDefaultExpectTimeout(30_000);
        await App.InitializeAsync();
        BaseUrl = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = LaunchArgs,
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
        await ((IAsyncLifetime)App).DisposeAsync();
    }

    /// <summary>A fresh browser profile (no cookies) at a phone or desktop size.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            TimezoneId = "UTC",
            Locale = "en-US",
        });
        // Generous for a shared 2-core machine: a wait that runs out there says nothing about the app.
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
}
