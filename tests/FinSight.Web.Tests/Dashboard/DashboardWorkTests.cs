using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using FinSight.MarketData;
using FinSight.Web.Data;
using FinSight.Web.Tests.Hardening;
using FinSight.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace FinSight.Web.Tests.Dashboard;

/// <summary>
/// How much work a dashboard costs: the portfolio is valued once per render, and its history is
/// computed once per version and day however many requests ask at the same moment.
/// </summary>
public sealed partial class DashboardWorkTests(WorkCountingApp app) : IClassFixture<WorkCountingApp>
{
    [Fact]
    public async Task A_dashboard_render_and_each_live_poll_value_the_portfolio_once()
    {
        var user = await app.CreateUserAsync();
        (await user.Http.PostAsJsonAsync("/api/transactions", new { type = "buy", symbol = "AAPL", quantity = 5m, price = 150m, date = "2025-06-02" })).EnsureSuccessStatusCode();
        (await user.Http.PostAsJsonAsync("/api/transactions", new { type = "buy", symbol = "MSFT", quantity = 2m, price = 300m, date = "2025-06-02" })).EnsureSuccessStatusCode();
        var browser = await SignInAsync(user);

        // Quotes are cached for a microsecond here, so every valuation asks the store for each held symbol.
        var render = await CountQuoteReadsAsync(() => browser.GetAsync("/"));
        var poll = await CountQuoteReadsAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/?handler=Live");
            request.Headers.Add("HX-Request", "true");
            return browser.SendAsync(request);
        });

        Assert.Equal((1, 1), (render["AAPL"], render["MSFT"]));
        Assert.Equal((1, 1), (poll["AAPL"], poll["MSFT"]));
    }

    [Fact]
    public async Task Concurrent_first_dashboards_compute_the_history_once_per_version_and_day()
    {
        var user = await app.CreateUserAsync();
        (await user.Http.PostAsJsonAsync("/api/transactions", new { type = "buy", symbol = "AAPL", quantity = 5m, price = 150m, date = "2025-06-02" })).EnsureSuccessStatusCode();
        var portfolioId = (await (await user.Http.GetAsync("/api/portfolios")).AssertJsonAsync(HttpStatusCode.OK))[0].GetProperty("id").GetString();

        var requests = Enumerable.Range(0, 12)
            .Select(i => user.Http.GetAsync(i % 2 == 0 ? "/api/dashboard/overview" : "/api/dashboard/performance?range=ALL"))
            .ToArray();
        var responses = await Task.WhenAll(requests);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var computations = app.Logs.Entries.Count(e =>
            e.Message.StartsWith("Computing the performance", StringComparison.Ordinal) && e.Values.GetValueOrDefault("PortfolioId") == portfolioId);
        Assert.Equal(1, computations);
    }

    private async Task<IReadOnlyDictionary<string, int>> CountQuoteReadsAsync(Func<Task<HttpResponseMessage>> send)
    {
        app.Store.QuoteReads.Clear();
        var response = await send();
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {html}");
        Assert.Contains("data-symbol=\"MSFT\"", html);
        return new Dictionary<string, int>(app.Store.QuoteReads);
    }

    private async Task<HttpClient> SignInAsync(UserClient user)
    {
        var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = app.CreateClient().BaseAddress };
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        var form = await browser.GetStringAsync("/account/signin");
        var signedIn = await browser.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Account"] = user.Username, ["Password"] = user.Password, ["__RequestVerificationToken"] = TokenPattern().Match(form).Groups[1].Value,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return browser;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}

/// <summary>Pinned prices, quote reads from the store counted, and the analytics' debug log captured.</summary>
public sealed class WorkCountingApp() : PinnedPricesApp(DatabaseProvider.Sqlite)
{
    public CapturingLoggerProvider Logs { get; } = new();

    public CountingMarketDataStore Store { get; private set; } = null!;

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(base.ExtraSettings)
    {
        ["MarketData:QuoteCacheDuration"] = "00:00:00.000001",
        ["Logging:LogLevel:FinSight.Web.Features.Dashboard"] = "Debug",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<IMarketDataStore>(sp =>
            Store = new CountingMarketDataStore(ActivatorUtilities.CreateInstance<EfMarketDataStore>(sp)))));
    }
}

/// <summary>The app's store, counting quote reads per symbol.</summary>
public sealed class CountingMarketDataStore(IMarketDataStore inner) : IMarketDataStore
{
    public ConcurrentDictionary<string, int> QuoteReads { get; } = new(StringComparer.Ordinal);

    public Task<Quote?> GetQuoteAsync(string symbol, CancellationToken cancellationToken = default)
    {
        QuoteReads.AddOrUpdate(symbol, 1, (_, n) => n + 1);
        return inner.GetQuoteAsync(symbol, cancellationToken);
    }

    public Task SaveQuoteAsync(Quote quote, CancellationToken cancellationToken = default) => inner.SaveQuoteAsync(quote, cancellationToken);
    public Task<CompanyProfile?> GetProfileAsync(string symbol, CancellationToken cancellationToken = default) => inner.GetProfileAsync(symbol, cancellationToken);
    public Task SaveProfileAsync(CompanyProfile profile, CancellationToken cancellationToken = default) => inner.SaveProfileAsync(profile, cancellationToken);
    public Task<NewsFeed?> GetNewsAsync(string symbol, CancellationToken cancellationToken = default) => inner.GetNewsAsync(symbol, cancellationToken);
    public Task SaveNewsAsync(NewsFeed feed, CancellationToken cancellationToken = default) => inner.SaveNewsAsync(feed, cancellationToken);
    public Task<PriceHistory?> GetDailyHistoryAsync(string symbol, DateOnly from, DateOnly to, CancellationToken cancellationToken = default) =>
        inner.GetDailyHistoryAsync(symbol, from, to, cancellationToken);
    public Task SaveDailyHistoryAsync(PriceHistory history, CancellationToken cancellationToken = default) => inner.SaveDailyHistoryAsync(history, cancellationToken);
}
