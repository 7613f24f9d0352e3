using System.Globalization;
using System.Text.Json;
using FinSight.Web.Data;
using FinSight.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FinSight.Web.Tests.CorporateActions;

/// <summary>
/// Yahoo Finance on 127.0.0.1 answering with chart responses in the vendor's format (trimmed to the days
/// the tests need) that carry splits and dividends: AAPL's 4-for-1 split of 2020-08-31 with the dividends
/// around it, GE's 1-for-8 reverse split of 2021-08-02. Quotes are the recording's last close; quoteSummary's
/// calendar gives AAPL's last pay date (hand-built); any other symbol is "not found".
/// </summary>
public sealed class RecordedYahoo : IAsyncDisposable
{
    private static readonly Lazy<Task<RecordedYahoo>> Shared = new(StartAsync);
    private readonly WebApplication _app;

    private RecordedYahoo(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>One server for the whole run (it only reads files).</summary>
    public static Task<RecordedYahoo> GetAsync() => Shared.Value;

    private static async Task<RecordedYahoo> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync();
        return new RecordedYahoo(app) { BaseUrl = new Uri(app.Urls.First().TrimEnd('/') + "/") };
    }

    public Dictionary<string, string?> Settings() => new()
    {
        ["MarketData:Providers:0"] = "Yahoo",
        ["MarketData:Yahoo:BaseUrl"] = BaseUrl.ToString(),
        ["MarketData:Yahoo:CookieUrl"] = new Uri(BaseUrl, "fc").ToString(),
        ["MarketData:Yahoo:RequestsPerSecond"] = "0",
        ["MarketData:Yahoo:RequestsPerMinute"] = "0",
    };

    private static string? Recording(string symbol)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "CorporateActions", "Recordings", $"yahoo-chart-{symbol}-events.json");
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    private static async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var response = context.Response;
        response.ContentType = "application/json";
        switch (path)
        {
            case "/fc":
                response.Headers.Append("Set-Cookie", "A3=d=AQABBRecorded; Max-Age=31557600; Domain=.yahoo.com; Path=/; Secure");
                response.StatusCode = 404;
                return;
            case "/v1/test/getcrumb":
                response.ContentType = "text/plain";
                await response.WriteAsync("crumb-1");
                return;
            case "/v1/finance/search":
                await response.WriteAsync("""{"quotes":[],"news":[]}""");
                return;
        }
        var symbol = Uri.UnescapeDataString(path[(path.LastIndexOf('/') + 1)..]);
        if (Recording(symbol) is not { } chart)
        {
            response.StatusCode = 404;
            await response.WriteAsync("""{"chart":{"result":null,"error":{"code":"Not Found","description":"No data found, symbol may be delisted"}}}""");
            return;
        }
        using var recorded = JsonDocument.Parse(chart);
        var meta = recorded.RootElement.GetProperty("chart").GetProperty("result")[0].GetProperty("meta");
        if (path.StartsWith("/v10/finance/quoteSummary/", StringComparison.Ordinal) && context.Request.Query["modules"] == "calendarEvents")
        {
            // Hand-built in quoteSummary's format (formatted=false), as Yahoo answered on the recording's last day:
            // AAPL's latest dividend went ex on 2020-11-06 and was paid on 2020-11-12. GE's calendar names none.
            await response.WriteAsync(symbol == "AAPL"
                ? """{"quoteSummary":{"result":[{"calendarEvents":{"maxAge":1,"exDividendDate":1604620800,"dividendDate":1605139200}}],"error":null}}"""
                : """{"quoteSummary":{"result":[{"calendarEvents":{"maxAge":1}}],"error":null}}""");
            return;
        }
        if (path.StartsWith("/v10/finance/quoteSummary/", StringComparison.Ordinal))
        {
            await response.WriteAsync($$$"""
                {"quoteSummary":{"result":[{"price":{"symbol":"{{{symbol}}}","longName":"{{{meta.GetProperty("longName").GetString()}}}","currency":"USD","exchangeName":"NYSE"},
                "summaryProfile":{"sector":"Industrials","industry":"Conglomerates"}}],"error":null}}
                """);
            return;
        }
        if (context.Request.Query.ContainsKey("range"))
        {
            // A quote: the recording's last close, as of now (the tests' valuations need a price, not a live market).
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var price = meta.GetProperty("regularMarketPrice").GetDecimal();
            var previous = meta.GetProperty("previousClose").GetDecimal();
            await response.WriteAsync(string.Create(CultureInfo.InvariantCulture, $$$"""
                {"chart":{"result":[{"meta":{"currency":"USD","symbol":"{{{symbol}}}","regularMarketTime":{{{now}}},"gmtoffset":-18000,
                "regularMarketPrice":{{{price}}},"chartPreviousClose":{{{previous}}},"previousClose":{{{previous}}},
                "regularMarketDayHigh":{{{price}}},"regularMarketDayLow":{{{previous}}},"regularMarketVolume":1000},
                "timestamp":[],"indicators":{"quote":[{}]}}],"error":null}}
                """));
            return;
        }
        await response.WriteAsync(chart);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>The app on <see cref="RecordedYahoo"/> instead of the simulated market.</summary>
public class RecordedMarketApp(DatabaseProvider provider) : FinSightApp(provider)
{
    protected override IDictionary<string, string?> ExtraSettings => RecordedYahoo.GetAsync().GetAwaiter().GetResult().Settings();
}

public sealed class RecordedMarketSqliteApp() : RecordedMarketApp(DatabaseProvider.Sqlite);

public sealed class RecordedMarketPostgresApp() : RecordedMarketApp(DatabaseProvider.Postgres);
