using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using FinSight.MarketData;
using FinSight.Sentiment.Tests.Transformers;
using FinSight.Sentiment.Transformers;
using FinSight.Web.Data;
using FinSight.Web.Features.News;
using FinSight.Web.Jobs;
using FinSight.Web.Tests.Faults;
using FinSight.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static FinSight.Web.Tests.Infrastructure.PageSession;

namespace FinSight.Web.Tests.Models;

/// <summary>
/// The Models section of the settings page end to end: the real app on a loopback port downloads
/// a generated tiny BERT classifier, published as the catalog's finbert-tone (or finbert) commit,
/// from a local Kestrel stand-in of the Hub, verifies and prepares it, and switches the engine.
/// </summary>
public sealed partial class ModelsPageTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private static readonly string[] ToneLabels = ["neutral", "positive", "negative"];

    [Fact]
    public async Task Installing_from_the_settings_page_shows_progress_to_100_percent_and_auto_switches_the_engine()
    {
        await using var hub = await FakeHub.StartAsync();
        var tone = ModelCatalog.Find("finbert-tone")!;
        hub.Add(tone.Source.Id, tone.Source.Revision, HubFixtures.TinyClassifier(seed: 11, labels: ToneLabels));
        hub.Trickle = TimeSpan.FromMilliseconds(60); // 1 KB every 60 ms: the poll sees the bar move
        await using var lease = await ModelsApp.StartAsync(new() { ["Sentiment:HubUrl"] = hub.Url.ToString() });
        var app = lease.App;
        var admin = await app.CreateUserAsync();
        var before = await AnalyzeAsync(admin, "Operating profit rose to EUR 13.1 mn");
        Assert.DoesNotContain("finbert", before);
        var page = await SignInAsync(app, admin);
        Assert.Contains("data-model=\"finbert-tone\" data-status=\"not installed\"", await page.GetStringAsync("/settings"));

        var started = await PostFormAsync(page, "/settings?handler=InstallModel", new() { ["model"] = "finbert-tone" });

        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var (html, percents) = await PollModelsAsync(page, h => h.Contains("data-model=\"finbert-tone\" data-status=\"ready\"", StringComparison.Ordinal));
        Assert.Contains(percents, p => p is > 0 and < 100);
        Assert.True(percents.SequenceEqual(percents.Order()), "the bar never goes back: " + string.Join(", ", percents));
        Assert.Matches(@"Downloaded \d+(\.\d)? KB · 100 %", html);
        var version = "finbert-tone+" + tone.Source.Revision[..12];
        Assert.Equal(version, await EventuallyAsync(() => AnalyzeAsync(admin, "Operating profit rose to EUR 13.1 mn"), v => v == version));
        Assert.Contains("data-engine=\"finbert-tone\"", await ModelsFragmentAsync(page));
        // The news shows which model labelled each headline.
        var stock = WebUtility.HtmlDecode(await page.GetStringAsync("/stock/AAPL"));
        Assert.Contains($"data-model-version=\"{version}\"", stock);
        Assert.Contains("labelled by finbert-tone", stock);
        // The weights came through the CDN redirect, as LFS files do (and were checked against the SHA-256 the Hub sent).
        Assert.Contains(hub.Requests, r => r.Path.StartsWith("/cdn/", StringComparison.Ordinal));

        var removed = await PostFormAsync(page, "/settings?handler=RemoveModel", new() { ["model"] = "finbert-tone" });

        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Equal(before, await AnalyzeAsync(admin, "Operating profit rose to EUR 13.1 mn"));
        Assert.Contains("data-model=\"finbert-tone\" data-status=\"not installed\"", await ModelsFragmentAsync(page));
        Assert.Equal(HttpStatusCode.NotFound, (await PostFormAsync(page, "/settings?handler=RemoveModel", new() { ["model"] = "finbert-tone" })).StatusCode);
    }

    [Fact]
    public async Task A_named_engine_wins_over_auto_and_the_analyze_endpoint_uses_it_once_installed()
    {
        await using var hub = await FakeHub.StartAsync();
        foreach (var (model, seed) in new[] { ("finbert-tone", 21), ("finbert", 22) })
        {
            var entry = ModelCatalog.Find(model)!;
            hub.Add(entry.Source.Id, entry.Source.Revision, HubFixtures.TinyClassifier(seed));
        }
        await using var lease = await ModelsApp.StartAsync(new() { ["Sentiment:HubUrl"] = hub.Url.ToString(), ["Sentiment:Engine"] = "finbert" });
        var app = lease.App;
        var admin = await app.CreateUserAsync();
        var page = await SignInAsync(app, admin);
        var embedded = await AnalyzeAsync(admin, "Net sales increased 12 %");
        Assert.DoesNotContain("finbert", embedded);
        var problem = WebUtility.HtmlDecode(await ModelsFragmentAsync(page));
        Assert.Contains("Unknown sentiment engine \"finbert\"", problem);
        Assert.Contains("The embedded engine labels texts meanwhile.", problem);

        await InstallAsync(page, "finbert-tone");
        // finbert-tone ranks first for auto, but the setting names finbert: still the embedded engine.
        Assert.Equal(embedded, await AnalyzeAsync(admin, "Net sales increased 12 %"));
        // The API route starts the same background pull; GET /api/models shows it to the end.
        var accepted = await admin.Http.PostAsync("/api/models/finbert/install", null);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var listed = await EventuallyAsync(() => ModelJsonAsync(admin, "finbert"), m => m.GetProperty("status").GetString() == "ready");
        Assert.Equal("ready", listed.GetProperty("status").GetString());
        Assert.Equal(100, listed.GetProperty("pull").GetProperty("percent").GetDouble());
        Assert.True(listed.GetProperty("size_bytes").GetInt64() > 0);

        var finbert = "finbert+" + ModelCatalog.Find("finbert")!.Source.Revision[..12];
        Assert.Equal(finbert, await EventuallyAsync(() => AnalyzeAsync(admin, "Net sales increased 12 %"), v => v == finbert));
        var response = await admin.Http.PostAsJsonAsync("/api/sentiment/analyze", new { texts = new[] { "Won an order worth EUR 4 mn", "Shares fell 3 %" } });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, body.GetProperty("results").GetArrayLength());
        foreach (var result in body.GetProperty("results").EnumerateArray())
        {
            var p = result.GetProperty("probabilities");
            Assert.Equal(1.0, p.GetProperty("positive").GetDouble() + p.GetProperty("negative").GetDouble() + p.GetProperty("neutral").GetDouble(), 5);
            // A transformer gives no term-level evidence.
            Assert.Equal(0, result.GetProperty("evidence").GetArrayLength());
        }
    }

    [Fact]
    public async Task A_new_engine_relabels_stored_headlines_in_the_background_and_keeps_the_old_labels()
    {
        await using var hub = await FakeHub.StartAsync();
        var tone = ModelCatalog.Find("finbert-tone")!;
        hub.Add(tone.Source.Id, tone.Source.Revision, HubFixtures.TinyClassifier(seed: 31, labels: ToneLabels));
        await using var lease = await ModelsApp.StartAsync(new() { ["Sentiment:HubUrl"] = hub.Url.ToString() });
        var app = lease.App;
        var admin = await app.CreateUserAsync();
        var page = await SignInAsync(app, admin);
        // Headlines a real vendor delivered, as the market data facade stores them.
        var feed = new NewsFeed
        {
            Symbol = "MSFT", Source = "Yahoo", AsOf = app.Clock.GetUtcNow(),
            Headlines = [.. Enumerable.Range(1, 40).Select(i => new NewsHeadline
            {
                Id = "h" + i, Title = $"Headline number {i}: profit rose {i} %", Publisher = "Wire",
                Url = new Uri($"https://news.example.com/{i}"), PublishedAt = app.Clock.GetUtcNow().AddHours(-i),
            })],
        };
        await app.Services.GetRequiredService<IMarketDataStore>().SaveNewsAsync(feed);
        var keys = feed.Headlines.Select(HeadlineSentimentStore.KeyOf).ToHashSet();
        var job = app.Services.GetRequiredService<SentimentRelabelJob>();
        var embedded = (await AnalyzeAsync(admin, "x"));
        Assert.Equal(40, await job.RelabelAsync(embedded, CancellationToken.None));
        Assert.Equal(40, (await StoredAsync(app, keys)).Count(r => r.ModelVersion == embedded));

        await InstallAsync(page, "finbert-tone");

        var version = "finbert-tone+" + tone.Source.Revision[..12];
        var rows = await EventuallyAsync(() => StoredAsync(app, keys), r => r.Count(x => x.ModelVersion == version) == 40);
        Assert.Equal(40, rows.Count(r => r.ModelVersion == embedded)); // every label keeps the model that made it
        Assert.Equal(keys.Order(), rows.Where(r => r.ModelVersion == version).Select(r => r.HeadlineKey).Order());
        var status = await EventuallyAsync(() => Task.FromResult(job.Status), s => !s.Running && s.ModelVersion == version);
        Assert.Equal((40, 40, null), (status.Done, status.Total, status.Error));
    }

    [Fact]
    public async Task Offline_the_install_fails_with_a_clear_message_and_the_embedded_engine_keeps_working()
    {
        await using var lease = await ModelsApp.StartAsync(new() { ["Sentiment:HubUrl"] = $"http://127.0.0.1:{ClosedPort()}" });
        var app = lease.App;
        var admin = await app.CreateUserAsync();
        var page = await SignInAsync(app, admin);

        var started = await PostFormAsync(page, "/settings?handler=InstallModel", new() { ["model"] = "finbert-tone" });

        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var (html, _) = await PollModelsAsync(page, h => h.Contains("data-model=\"finbert-tone\" data-status=\"failed\"", StringComparison.Ordinal));
        var error = WebUtility.HtmlDecode(ErrorPattern().Match(html).Groups[1].Value);
        Assert.Contains($"Cannot reach {app.Services.GetRequiredService<FinSight.Sentiment.Transformers.Hub.HubClient>().BaseUrl.GetLeftPart(UriPartial.Authority)}", error);
        Assert.Contains("Check the network or Sentiment:HubUrl; the embedded engine keeps working meanwhile.", error);
        Assert.Contains(">Retry</button>", html);
        Assert.DoesNotContain("finbert", await AnalyzeAsync(admin, "Shares fell 3 %"));
        // Bad input and other users are refused.
        var unknown = await PostFormAsync(page, "/settings?handler=InstallModel", new() { ["model"] = "../etc" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("Choose a catalog model", await unknown.Content.ReadAsStringAsync());
        var other = await SignInAsync(app, await app.CreateUserAsync());
        Assert.DoesNotContain("data-testid=\"models\"", await other.GetStringAsync("/settings"));
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/settings?handler=Models")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostFormAsync(other, "/settings?handler=InstallModel", new() { ["model"] = "finbert" })).StatusCode);
        var stranger = await app.CreateUserAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.Http.GetAsync("/api/models")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.Http.PostAsync("/api/models/finbert/install", null)).StatusCode);
        var failed = await ModelJsonAsync(admin, "finbert-tone");
        Assert.Equal(("failed", "failed"), (failed.GetProperty("status").GetString(), failed.GetProperty("pull").GetProperty("phase").GetString()));
        Assert.Contains("Cannot reach", failed.GetProperty("pull").GetProperty("message").GetString());
        var bad = await admin.Http.PostAsync("/api/models/nope/install", null);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.DeleteAsync("/api/models/finbert")).StatusCode);
    }

    private static async Task InstallAsync(HttpClient page, string model)
    {
        var started = await PostFormAsync(page, "/settings?handler=InstallModel", new() { ["model"] = model });
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        await PollModelsAsync(page, h => h.Contains($"data-model=\"{model}\" data-status=\"ready\"", StringComparison.Ordinal));
    }

    /// <summary>Polls the Models fragment as htmx does until <paramref name="done"/>; returns it and every progress percentage seen.</summary>
    private static async Task<(string Html, List<double> Percents)> PollModelsAsync(HttpClient page, Func<string, bool> done)
    {
        var percents = new List<double>();
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var html = await ModelsFragmentAsync(page);
            percents.AddRange(PercentPattern().Matches(html).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)));
            if (done(html))
            {
                return (html, percents);
            }
            Assert.True(DateTime.UtcNow < deadline, "The models section did not reach the expected state:\n" + html);
            await Task.Delay(50);
        }
    }

    private static async Task<string> ModelsFragmentAsync(HttpClient page)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/settings?handler=Models");
        request.Headers.Add("HX-Request", "true");
        var response = await page.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>One model as GET /api/models lists it.</summary>
    private static async Task<JsonElement> ModelJsonAsync(UserClient admin, string name)
    {
        var body = await admin.Http.GetFromJsonAsync<JsonElement>("/api/models");
        return body.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("name").GetString() == name);
    }

    /// <summary>The model version POST /api/sentiment/analyze reports.</summary>
    private static async Task<string> AnalyzeAsync(UserClient user, string text)
    {
        var response = await user.Http.PostAsJsonAsync("/api/sentiment/analyze", new { texts = new[] { text } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("model_version").GetString()!;
    }

    private static async Task<List<HeadlineSentiment>> StoredAsync(FinSightApp app, HashSet<string> keys)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FinSightDbContext>();
        return await db.HeadlineSentiments.AsNoTracking().Where(r => keys.Contains(r.HeadlineKey)).ToListAsync();
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }
            await Task.Delay(100);
        }
    }

    /// <summary>A loopback port nothing listens on: connecting is refused at once, as with no network.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("data-percent=\"([0-9.]+)\"")]
    private static partial Regex PercentPattern();

    [GeneratedRegex("data-testid=\"model-error\">([^<]*)<")]
    private static partial Regex ErrorPattern();
}

/// <summary>The app on SQLite with extra settings, started and disposed by one test (each test changes the engine).</summary>
public sealed class ModelsApp : FinSightApp
{
    private readonly Dictionary<string, string?> _settings;

    private ModelsApp(Dictionary<string, string?> settings) : base(DatabaseProvider.Sqlite) => _settings = settings;

    protected override IDictionary<string, string?> ExtraSettings => _settings;

    public static async Task<Lease<ModelsApp>> StartAsync(Dictionary<string, string?> settings)
    {
        var app = new ModelsApp(settings);
        await app.InitializeAsync();
        return new Lease<ModelsApp>(app);
    }
}
