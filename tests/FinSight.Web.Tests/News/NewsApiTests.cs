using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FinSight.Web.Data;
using FinSight.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FinSight.Web.Tests.News;

/// <summary>News with sentiment on the simulated market, whose headlines lean with each day's price move.</summary>
public abstract class NewsApiTests(NewsApp app)
{
    private static readonly string[] Labels = ["positive", "negative", "neutral"];

    [Fact]
    public async Task Holdings_news_sentiment_lists_each_held_stock_with_labelled_headlines_and_a_digest()
    {
        var user = await app.CreateUserAsync();
        await Buy(user, "AAPL");
        await Buy(user, "MSFT");
        await Buy(user, "NVDA");

        var body = await Get(user, "/holdings/news-sentiment");

        var version = body.GetProperty("model_version").GetString();
        Assert.False(string.IsNullOrEmpty(version));
        Assert.True(body.GetProperty("data").GetProperty("is_simulated").GetBoolean());
        var holdings = body.GetProperty("holdings").EnumerateArray().ToArray();
        Assert.Equal(["AAPL", "MSFT", "NVDA"], holdings.Select(h => h.GetProperty("symbol").GetString()!).Order());
        foreach (var holding in holdings)
        {
            var news = holding.GetProperty("news");
            Assert.Equal(("simulated", true), (news.GetProperty("status").GetString(), news.GetProperty("is_simulated").GetBoolean()));
            Assert.False(string.IsNullOrEmpty(news.GetProperty("reason").GetString()));
            var headlines = holding.GetProperty("headlines").EnumerateArray().ToArray();
            // Five at most: the simulated market repeats some titles, and a repeated title is one story.
            Assert.InRange(headlines.Length, 1, 5);
            var published = headlines.Select(h => h.GetProperty("published_at").GetDateTimeOffset()).ToArray();
            Assert.Equal(published.OrderDescending(), published);
            Assert.All(headlines, h => AssertHeadline(h, version!));

            var digest = holding.GetProperty("digest");
            var counts = digest.GetProperty("counts");
            var total = counts.GetProperty("total").GetInt32();
            Assert.Equal(total, Labels.Sum(l => counts.GetProperty(l).GetInt32()));
            Assert.True(total >= headlines.Length, "the digest covers the whole window, which holds the latest headlines");
            Assert.Equal(7, digest.GetProperty("trend").GetProperty("days").GetArrayLength());
            Assert.InRange(digest.GetProperty("net_score").GetDouble(), -1, 1);
            Assert.InRange(digest.GetProperty("summary").GetArrayLength(), 2, 3);

            // The simulated market's articles have summaries, so the digest quotes them rather than the titles.
            Assert.Equal("summaries", digest.GetProperty("summary_source").GetString());
            var titles = headlines.Select(h => h.GetProperty("title").GetString()).ToHashSet();
            Assert.All(digest.GetProperty("summary").EnumerateArray(), line => Assert.DoesNotContain(line.GetString(), titles));
        }
    }

    [Fact]
    public async Task A_symbols_news_honours_limit_and_its_digest_counts_the_labels_of_the_window()
    {
        var user = await app.CreateUserAsync();

        var three = await Get(user, "/api/news/msft?limit=3");
        var all = await Get(user, "/api/news/MSFT?limit=50");

        Assert.Equal(("MSFT", 3), (three.GetProperty("symbol").GetString(), three.GetProperty("headlines").GetArrayLength()));
        Assert.Equal(Math.Min(5, all.GetProperty("headlines").GetArrayLength()), (await Get(user, "/api/news/MSFT")).GetProperty("headlines").GetArrayLength());
        var digest = all.GetProperty("digest");
        var windowStart = digest.GetProperty("as_of").GetDateTimeOffset().AddDays(-digest.GetProperty("window_days").GetInt32());
        var inWindow = all.GetProperty("headlines").EnumerateArray()
            .Where(h => h.GetProperty("published_at").GetDateTimeOffset() >= windowStart).ToArray();
        Assert.True(inWindow.Length > 5);
        foreach (var label in Labels)
        {
            Assert.Equal(inWindow.Count(h => h.GetProperty("sentiment").GetProperty("label").GetString() == label),
                digest.GetProperty("counts").GetProperty(label).GetInt32());
        }
        var net = inWindow.Average(h => h.GetProperty("sentiment").GetProperty("net").GetDouble());
        Assert.Equal(net, digest.GetProperty("net_score").GetDouble(), 5);
        Assert.Equal(inWindow.Select(h => h.GetProperty("url").GetString()).Distinct().Count(), inWindow.Length);
    }

    [Fact]
    public async Task A_symbols_news_validates_its_input()
    {
        var user = await app.CreateUserAsync();

        await (await user.Http.GetAsync("/api/news/MSFT?limit=0")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await user.Http.GetAsync("/api/news/MSFT?limit=51")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await user.Http.GetAsync("/api/news/A%20B")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await user.Http.GetAsync("/api/news/AB-CDEFG")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await user.Http.GetAsync("/api/news/NOTREAL1")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await app.CreateClient().GetAsync("/api/news/MSFT")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Sentiment_is_computed_once_per_headline_and_stored()
    {
        var user = await app.CreateUserAsync();
        var symbol = await UnusedListedSymbolAsync();
        var before = app.Analyzer.Analyzed;

        var first = await Get(user, $"/api/news/{symbol}?limit=50");
        var analyzed = app.Analyzer.Analyzed - before;
        var rows = await CountRowsAsync();
        var second = await Get(user, $"/api/news/{symbol}?limit=50");

        var headlines = first.GetProperty("headlines").GetArrayLength();
        Assert.True(headlines > 5);
        Assert.Equal(headlines, analyzed);
        Assert.Equal(analyzed, app.Analyzer.Analyzed - before);
        Assert.Equal(rows, await CountRowsAsync());
        Assert.Equal(AnalyzedAt(first), AnalyzedAt(second));
    }

    [Fact]
    public async Task Sentiment_is_recomputed_when_the_model_version_changes()
    {
        var user = await app.CreateUserAsync();
        var symbol = await UnusedListedSymbolAsync();
        var first = await Get(user, $"/api/news/{symbol}?limit=50");
        var count = first.GetProperty("headlines").GetArrayLength();
        try
        {
            app.Analyzer.VersionOverride = "test-model-v2";
            var before = app.Analyzer.Analyzed;

            var second = await Get(user, $"/api/news/{symbol}?limit=50");

            Assert.Equal(count, app.Analyzer.Analyzed - before);
            Assert.All(second.GetProperty("headlines").EnumerateArray(), h => AssertHeadline(h, "test-model-v2"));
            Assert.Equal(count, await CountRowsAsync("test-model-v2"));
            Assert.All(AnalyzedAt(second).Zip(AnalyzedAt(first)), p => Assert.True(p.First > p.Second));
        }
        finally
        {
            app.Analyzer.VersionOverride = null;
        }
        // The rows of the original version were kept, so switching back costs nothing.
        var again = app.Analyzer.Analyzed;
        Assert.Equal(AnalyzedAt(first), AnalyzedAt(await Get(user, $"/api/news/{symbol}?limit=50")));
        Assert.Equal(again, app.Analyzer.Analyzed);
    }

    [Fact]
    public async Task An_edited_title_is_analysed_again()
    {
        var user = await app.CreateUserAsync();
        var symbol = await UnusedListedSymbolAsync();
        await Get(user, $"/api/news/{symbol}?limit=50");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            // As if the stored row were for an earlier wording of one headline.
            var db = scope.ServiceProvider.GetRequiredService<FinSightDbContext>();
            var row = await db.HeadlineSentiments.OrderByDescending(r => r.AnalyzedAt).FirstAsync();
            row.TextHash = new string('0', 64);
            await db.SaveChangesAsync();
        }
        var before = app.Analyzer.Analyzed;

        await Get(user, $"/api/news/{symbol}?limit=50");

        Assert.Equal(1, app.Analyzer.Analyzed - before);
    }

    [Fact]
    public async Task Each_user_sees_only_the_news_of_their_own_open_positions()
    {
        var owner = await app.CreateUserAsync();
        var other = await app.CreateUserAsync();
        await Buy(owner, "AAPL");
        await Buy(other, "TSLA");
        await Buy(other, "AMZN");
        (await other.Http.PostAsJsonAsync("/api/transactions", new { type = "sell", symbol = "AMZN", quantity = 10m, price = 150m, date = "2025-07-01" }))
            .EnsureSuccessStatusCode();

        var mine = await Get(owner, "/holdings/news-sentiment");
        var theirs = await Get(other, "/holdings/news-sentiment");

        Assert.Equal(["AAPL"], Symbols(mine));
        Assert.Equal(["TSLA"], Symbols(theirs));
        var portfolioId = mine.GetProperty("portfolio_id").GetString();
        Assert.Equal(["AAPL"], Symbols(await Get(owner, $"/holdings/news-sentiment?portfolio_id={portfolioId}")));
        await (await other.Http.GetAsync($"/holdings/news-sentiment?portfolio_id={portfolioId}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await app.CreateClient().GetAsync("/holdings/news-sentiment")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_empty_portfolio_has_an_empty_list()
    {
        var user = await app.CreateUserAsync();

        var body = await Get(user, "/holdings/news-sentiment");

        Assert.Equal(0, body.GetProperty("holdings").GetArrayLength());
        Assert.False(body.GetProperty("data").GetProperty("is_simulated").GetBoolean());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("model_version").GetString()));
    }

    [Fact]
    public async Task Analyze_labels_texts_in_order_and_says_why()
    {
        var user = await app.CreateUserAsync();
        string[] texts =
        [
            "Quarterly revenue climbed 12% to $4.2 billion, ahead of estimates",
            "Shares slid after the retailer lowered its full-year guidance",
            "The board will meet on 15 March to approve the annual accounts",
            "",
        ];

        var batch = await Analyze(user, texts);
        var one = await Analyze(user, [texts[1]]);

        var results = batch.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal([0, 1, 2, 3], results.Select(r => r.GetProperty("index").GetInt32()));
        Assert.Equal(["positive", "negative", "neutral", "neutral"], results.Select(r => r.GetProperty("label").GetString()!));
        Assert.All(results, r => AssertProbabilities(r));
        Assert.NotEqual(0, results[0].GetProperty("evidence").GetArrayLength());
        var evidence = results[1].GetProperty("evidence")[0];
        Assert.False(string.IsNullOrEmpty(evidence.GetProperty("term").GetString()));
        Assert.Equal("negative", evidence.GetProperty("supports").GetString());
        var alone = one.GetProperty("results")[0];
        Assert.Equal(results[1].GetProperty("probabilities").GetRawText(), alone.GetProperty("probabilities").GetRawText());
        Assert.Equal(results[1].GetProperty("evidence").GetRawText(), alone.GetProperty("evidence").GetRawText());
        Assert.Equal(app.Analyzer.ModelVersion, batch.GetProperty("model_version").GetString());
    }

    [Fact]
    public async Task Analyze_accepts_a_full_batch_of_the_longest_texts()
    {
        var user = await app.CreateUserAsync();
        var sentence = "Profit rose 8% as costs fell and the company raised its outlook. ";
        var longest = string.Concat(Enumerable.Repeat(sentence, 4000 / sentence.Length + 1))[..4000];

        var body = await Analyze(user, [.. Enumerable.Repeat(longest, 256)]);

        Assert.Equal(256, body.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public async Task Analyze_refuses_what_it_cannot_label_with_400()
    {
        var user = await app.CreateUserAsync();

        var tooMany = await (await Post(user, new { texts = Enumerable.Repeat("Shares rose", 257) })).AssertProblemAsync(HttpStatusCode.BadRequest);
        var tooLong = await (await Post(user, new { texts = new[] { "ok", "fine", new string('a', 4001) } })).AssertProblemAsync(HttpStatusCode.BadRequest);
        var nulls = await (await Post(user, new { texts = new[] { "ok", null } })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await Post(user, new { texts = Array.Empty<string>() })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await Post(user, new { })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await Post(user, new { texts = "one text" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await Raw(user, "{\"texts\": [\"unclosed")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await Raw(user, "null")).AssertProblemAsync(HttpStatusCode.BadRequest);
        var anonymous = await app.CreateClient().PostAsJsonAsync("/api/sentiment/analyze", new { texts = new[] { "Shares rose" } });
        await anonymous.AssertProblemAsync(HttpStatusCode.Unauthorized);

        Assert.True(tooMany.GetProperty("errors").TryGetProperty("texts", out _));
        Assert.Contains("4001", tooLong.GetProperty("errors").GetProperty("texts[2]")[0].GetString());
        Assert.Equal(["texts[1]"], nulls.GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }

    private static void AssertHeadline(JsonElement headline, string version)
    {
        Assert.False(string.IsNullOrWhiteSpace(headline.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(headline.GetProperty("publisher").GetString()));
        Assert.StartsWith("https://", headline.GetProperty("url").GetString());
        Assert.False(string.IsNullOrWhiteSpace(headline.GetProperty("summary").GetString()));
        var sentiment = headline.GetProperty("sentiment");
        AssertProbabilities(sentiment);
        Assert.Equal(version, sentiment.GetProperty("model_version").GetString());
        Assert.Equal(JsonValueKind.Array, sentiment.GetProperty("evidence").ValueKind);
    }

    private static void AssertProbabilities(JsonElement sentiment)
    {
        var p = sentiment.GetProperty("probabilities");
        var values = Labels.ToDictionary(l => l, l => p.GetProperty(l).GetDouble());
        Assert.Equal(1.0, values.Values.Sum(), 6);
        Assert.Equal(values.MaxBy(v => v.Value).Key, sentiment.GetProperty("label").GetString());
        Assert.Equal(values["positive"] - values["negative"], sentiment.GetProperty("net").GetDouble(), 9);
    }

    private static DateTimeOffset[] AnalyzedAt(JsonElement news) =>
        [.. news.GetProperty("headlines").EnumerateArray().Select(h => h.GetProperty("sentiment").GetProperty("analyzed_at").GetDateTimeOffset())];

    private static string[] Symbols(JsonElement body) => [.. body.GetProperty("holdings").EnumerateArray().Select(h => h.GetProperty("symbol").GetString()!)];

    /// <summary>A ticker no other test asks about; the simulated market has news for any.</summary>
    /// <summary>A symbol no other test uses, listed in the directory (the news route fetches listed symbols only).</summary>
    private async Task<string> UnusedListedSymbolAsync()
    {
        var symbol = "Q" + string.Concat(Guid.NewGuid().ToByteArray()[..4].Select(b => (char)('A' + (b % 26))));
        await app.Services.GetRequiredService<FinSight.Web.Features.Stocks.SymbolDirectory>().UpsertAsync(
            [new FinSight.MarketData.Directory.SymbolDirectoryEntry { Symbol = symbol, Name = $"{symbol} listing", Exchange = "Test" }], CancellationToken.None);
        return symbol;
    }

    private async Task<int> CountRowsAsync(string? version = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var rows = scope.ServiceProvider.GetRequiredService<FinSightDbContext>().HeadlineSentiments;
        return version is null ? await rows.CountAsync() : await rows.CountAsync(r => r.ModelVersion == version);
    }

    private static async Task Buy(UserClient user, string symbol) =>
        (await user.Http.PostAsJsonAsync("/holdings/add", new { symbol, purchase_cost = 100m, quantity = 10m, date = "2025-06-02" })).EnsureSuccessStatusCode();

    private static async Task<JsonElement> Get(UserClient user, string route) =>
        await (await user.Http.GetAsync(route)).AssertJsonAsync(HttpStatusCode.OK);

    private static async Task<JsonElement> Analyze(UserClient user, string[] texts) =>
        await (await Post(user, new { texts })).AssertJsonAsync(HttpStatusCode.OK);

    private static Task<HttpResponseMessage> Post(UserClient user, object body) => user.Http.PostAsJsonAsync("/api/sentiment/analyze", body);

    private static Task<HttpResponseMessage> Raw(UserClient user, string json) =>
        user.Http.PostAsync("/api/sentiment/analyze", new StringContent(json, Encoding.UTF8, "application/json"));
}

public sealed class NewsApiSqliteTests(NewsSqliteApp app) : NewsApiTests(app), IClassFixture<NewsSqliteApp>;

public sealed class NewsApiPostgresTests(NewsPostgresApp app) : NewsApiTests(app), IClassFixture<NewsPostgresApp>;
