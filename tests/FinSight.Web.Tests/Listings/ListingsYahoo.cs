using System.Globalization;
using System.Text;
using FinSight.Web.Data;
using FinSight.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FinSight.Web.Tests.Listings;

/// <summary>
/// Yahoo Finance on 127.0.0.1 for listings outside the US. Its answers are HAND-BUILT in Yahoo's exact
/// formats (chart <c>meta</c>/<c>timestamp</c>/<c>indicators</c>, quoteSummary <c>price</c>, search
/// <c>quotes</c>), modelled on the recordings in tests/FinSight.MarketData.Tests/Recordings, not recorded:
/// <list type="bullet">
/// <item><c>SHEL.L</c> quoted in pence (<c>GBp</c>) at 2,450, the London listing of a share;</item>
/// <item><c>CSPX.L</c>, an ETF listed in London that trades in US dollars (<c>USD</c>) at 600.00;</item>
/// <item><c>AAPL</c> in USD at 200.00; <c>USDGBP=X</c> at 0.80 and <c>GBPUSD=X</c> at 1.25 on every weekday;</item>
/// <item><c>VOD.L</c> unknown (Yahoo's "Not Found"), so no provider states its currency.</item>
/// </list>
/// Daily bars exist on every weekday from <see cref="BarsFrom"/> except the venue's holidays as Yahoo leaves
/// them out: London's bank holidays of 2025–2026 and the NYSE's (listed below, by hand).
/// </summary>
public sealed class ListingsYahoo : IAsyncDisposable
{
    public static readonly DateOnly BarsFrom = new(2025, 8, 1);

    /// <summary>The days the London Stock Exchange was or will be closed on weekdays in 2025–2026.</summary>
    public static readonly DateOnly[] LondonHolidays =
    [
        new(2025, 8, 25), new(2025, 12, 25), new(2025, 12, 26), new(2026, 1, 1), new(2026, 4, 3), new(2026, 4, 6),
        new(2026, 5, 4), new(2026, 5, 25), new(2026, 8, 31), new(2026, 12, 25), new(2026, 12, 28),
    ];

    /// <summary>The NYSE's weekday closures in 2025–2026.</summary>
    public static readonly DateOnly[] NewYorkHolidays =
    [
        new(2025, 9, 1), new(2025, 11, 27), new(2025, 12, 25), new(2026, 1, 1), new(2026, 1, 19), new(2026, 2, 16), new(2026, 4, 3),
        new(2026, 5, 25), new(2026, 6, 19), new(2026, 7, 3), new(2026, 9, 7), new(2026, 11, 26), new(2026, 12, 25),
    ];

    private sealed record Listing(string Currency, decimal Price, string Name, string Exchange, string QuoteType, DateOnly[] Holidays, int OpenUtcHour, int GmtOffset);

    private static readonly Dictionary<string, Listing> Listings = new(StringComparer.Ordinal)
    {
        ["SHEL.L"] = new("GBp", 2450.0m, "Shell plc", "LSE", "EQUITY", LondonHolidays, 7, 3600),
        ["CSPX.L"] = new("USD", 600.00m, "iShares Core S&P 500 UCITS ETF USD (Acc)", "LSE", "ETF", LondonHolidays, 7, 3600),
        ["AAPL"] = new("USD", 200.00m, "Apple Inc.", "NasdaqGS", "EQUITY", NewYorkHolidays, 13, -14400),
        ["USDGBP=X"] = new("GBP", 0.80m, "USD/GBP", "CCY", "CURRENCY", [], 0, 0),
        ["GBPUSD=X"] = new("USD", 1.25m, "GBP/USD", "CCY", "CURRENCY", [], 0, 0),
    };

    /// <summary>How many searches for <paramref name="q"/> reached this server (the app caches and coalesces them).</summary>
    public int SearchRequests(string q) => _searches.GetValueOrDefault(q);

    /// <summary>While true, search answers 503 (the vendor is down).</summary>
    public bool SearchDown { get; set; }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _searches = new(StringComparer.Ordinal);
    private readonly WebApplication _app;

    private ListingsYahoo(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<ListingsYahoo> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        ListingsYahoo? server = null;
        app.Run(context => server!.HandleAsync(context));
        await app.StartAsync();
        server = new ListingsYahoo(app) { BaseUrl = new Uri(app.Urls.First().TrimEnd('/') + "/") };
        return server;
    }

    public Dictionary<string, string?> Settings() => new()
    {
        ["MarketData:Providers:0"] = "Yahoo",
        ["MarketData:Yahoo:BaseUrl"] = BaseUrl.ToString(),
        ["MarketData:Yahoo:CookieUrl"] = new Uri(BaseUrl, "fc").ToString(),
        ["MarketData:Yahoo:RequestsPerSecond"] = "0",
        ["MarketData:Yahoo:RequestsPerMinute"] = "0",
    };

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var response = context.Response;
        response.ContentType = "application/json";
        switch (path)
        {
            case "/fc":
                response.Headers.Append("Set-Cookie", "A3=d=AQABBListings; Max-Age=31557600; Domain=.yahoo.com; Path=/; Secure");
                response.StatusCode = 404;
                return;
            case "/v1/test/getcrumb":
                response.ContentType = "text/plain";
                await response.WriteAsync("crumb-1");
                return;
            case "/v1/finance/search":
                await SearchAsync(context);
                return;
        }
        var symbol = Uri.UnescapeDataString(path[(path.LastIndexOf('/') + 1)..]);
        if (!Listings.TryGetValue(symbol, out var listing))
        {
            response.StatusCode = 404;
            await response.WriteAsync("""{"chart":{"result":null,"error":{"code":"Not Found","description":"No data found, symbol may be delisted"}}}""");
            return;
        }
        if (path.StartsWith("/v10/finance/quoteSummary/", StringComparison.Ordinal))
        {
            await response.WriteAsync($$$"""
                {"quoteSummary":{"result":[{"price":{"symbol":"{{{symbol}}}","longName":"{{{listing.Name}}}","currency":"{{{listing.Currency}}}","exchangeName":"{{{listing.Exchange}}}"},
                "summaryProfile":{"sector":"Energy","industry":"Oil & Gas Integrated"}}],"error":null}}
                """);
            return;
        }
        var query = context.Request.Query;
        var meta = string.Create(CultureInfo.InvariantCulture, $$$"""
            "meta":{"currency":"{{{listing.Currency}}}","symbol":"{{{symbol}}}","exchangeName":"{{{listing.Exchange}}}","instrumentType":"{{{listing.QuoteType}}}",
            "regularMarketTime":{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}},"gmtoffset":{{{listing.GmtOffset}}},"regularMarketPrice":{{{listing.Price}}},
            "chartPreviousClose":{{{listing.Price}}},"previousClose":{{{listing.Price}}},"regularMarketDayHigh":{{{listing.Price}}},"regularMarketDayLow":{{{listing.Price}}},"regularMarketVolume":1000}
            """);
        if (query.ContainsKey("range"))
        {
            await response.WriteAsync("""{"chart":{"result":[{""" + meta + ""","timestamp":[],"indicators":{"quote":[{}]}}],"error":null}}""");
            return;
        }
        var from = DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeSeconds(long.Parse(query["period1"]!, CultureInfo.InvariantCulture)).UtcDateTime);
        var to = DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeSeconds(long.Parse(query["period2"]!, CultureInfo.InvariantCulture)).UtcDateTime);
        var stamps = new List<long>();
        for (var day = from > BarsFrom ? from : BarsFrom; day < to && day < DateOnly.FromDateTime(DateTime.UtcNow); day = day.AddDays(1))
        {
            if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !listing.Holidays.Contains(day))
            {
                stamps.Add(new DateTimeOffset(day.ToDateTime(new TimeOnly(listing.OpenUtcHour, 0)), TimeSpan.Zero).ToUnixTimeSeconds());
            }
        }
        var prices = string.Join(',', stamps.Select(_ => listing.Price.ToString(CultureInfo.InvariantCulture)));
        var volumes = string.Join(',', stamps.Select(_ => "1000"));
        await response.WriteAsync("""{"chart":{"result":[{""" + meta + $$$"""
            ,"timestamp":[{{{string.Join(',', stamps)}}}],
            "indicators":{"quote":[{"open":[{{{prices}}}],"high":[{{{prices}}}],"low":[{{{prices}}}],"close":[{{{prices}}}],"volume":[{{{volumes}}}]}],
            "adjclose":[{"adjclose":[{{{prices}}}]}]}}],"error":null}}
            """);
    }

    private async Task SearchAsync(HttpContext context)
    {
        var q = context.Request.Query["q"].ToString();
        _searches.AddOrUpdate(q, 1, (_, n) => n + 1);
        if (SearchDown)
        {
            context.Response.StatusCode = 503;
            await context.Response.WriteAsync("""{"finance":{"result":null,"error":{"code":"Service Unavailable","description":"Try again later"}}}""");
            return;
        }
        var quotes = new StringBuilder();
        foreach (var (symbol, listing) in Listings.Where(l => l.Value.QuoteType != "CURRENCY"
                     && (l.Key.StartsWith(q, StringComparison.OrdinalIgnoreCase) || l.Value.Name.Contains(q, StringComparison.OrdinalIgnoreCase))))
        {
            var london = listing.Exchange == "LSE";
            quotes.Append(quotes.Length > 0 ? "," : "").Append($$$"""
                {"exchange":"{{{(london ? "LSE" : "NMS")}}}","shortname":"{{{listing.Name}}}","quoteType":"{{{listing.QuoteType}}}","symbol":"{{{symbol}}}",
                "index":"quotes","score":20000.0,"typeDisp":"{{{(listing.QuoteType == "ETF" ? "ETF" : "Equity")}}}","longname":"{{{listing.Name}}}",
                "exchDisp":"{{{(london ? "London" : "NASDAQ")}}}","isYahooFinance":true}
                """);
        }
        await context.Response.WriteAsync("""{"explains":[],"count":1,"quotes":[""" + quotes + """],"news":[],"nav":[],"lists":[],"researchReports":[],"totalTime":12,"timeTakes":{}}""");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>The app on <see cref="ListingsYahoo"/> (one server per app, so its counters are the app's own).</summary>
public class ListingsApp(DatabaseProvider provider) : FinSightApp(provider)
{
    private readonly Lazy<ListingsYahoo> _yahoo = new(() => ListingsYahoo.StartAsync().GetAwaiter().GetResult());

    public ListingsYahoo Yahoo => _yahoo.Value;

    protected override IDictionary<string, string?> ExtraSettings => Yahoo.Settings();
}

public sealed class ListingsSqliteApp() : ListingsApp(DatabaseProvider.Sqlite);

public sealed class ListingsPostgresApp() : ListingsApp(DatabaseProvider.Postgres);
