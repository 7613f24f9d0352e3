using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FinSight.Web.Tests.Faults;

public enum VendorMode
{
    Healthy,
    /// <summary>Answers only after far longer than the client's timeout.</summary>
    Slow,
    ServerError,
    /// <summary>429 with Retry-After.</summary>
    RateLimited,
    /// <summary>200 with a body that is not the JSON the client expects.</summary>
    Garbage,
}

/// <summary>
/// Yahoo Finance's endpoints as FinSight uses them (cookie, crumb, chart, quoteSummary, search) on
/// 127.0.0.1, with a switchable failure mode. Counts every request that reaches it.
/// </summary>
public sealed class FakeYahooServer : IAsyncDisposable
{
    public const string Cookie = "A3=d=AQABBFakeSession";
    public const string Crumb = "crumb-1";

    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private int _requests;
    private int _quoteRequests;
    private volatile VendorMode _mode = VendorMode.Healthy;

    private FakeYahooServer(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;
    public Uri CookieUrl => new(BaseUrl, "fc");

    public VendorMode Mode
    {
        get => _mode;
        set => _mode = value;
    }

    /// <summary>Seconds sent in Retry-After when <see cref="VendorMode.RateLimited"/>.</summary>
    public int RetryAfterSeconds { get; set; } = 60;

    /// <summary>Healthy prices by symbol; a symbol not listed is answered with 500 (it has never been priced).</summary>
    public Dictionary<string, decimal> Prices { get; } = new(StringComparer.OrdinalIgnoreCase);

    public int Requests => Volatile.Read(ref _requests);
    public int QuoteRequests => Volatile.Read(ref _quoteRequests);

    public static async Task<FakeYahooServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeYahooServer(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        fake.BaseUrl = new Uri(app.Urls.First().TrimEnd('/') + "/");
        return fake;
    }

    /// <summary>The app settings that point FinSight's Yahoo provider here.</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["MarketData:Providers:0"] = "Yahoo",
        ["MarketData:Yahoo:BaseUrl"] = BaseUrl.ToString(),
        ["MarketData:Yahoo:CookieUrl"] = CookieUrl.ToString(),
        // Our own rate limit would only queue requests; the tests are about the vendor's behaviour.
        ["MarketData:Yahoo:RequestsPerSecond"] = "0",
        ["MarketData:Yahoo:RequestsPerMinute"] = "0",
    };

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var request = context.Request;
        var response = context.Response;
        var path = request.Path.Value ?? "";
        var isQuote = path.StartsWith("/v8/finance/chart/", StringComparison.Ordinal) && request.Query.ContainsKey("range");
        if (isQuote)
        {
            Interlocked.Increment(ref _quoteRequests);
        }

        switch (_mode)
        {
            case VendorMode.Slow:
                using (var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token))
                {
                    await Task.Delay(TimeSpan.FromSeconds(60), linked.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
                response.StatusCode = 504;
                return;
            case VendorMode.ServerError:
                response.StatusCode = 500;
                await response.WriteAsync("Internal Server Error");
                return;
            case VendorMode.RateLimited:
                response.StatusCode = 429;
                response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await response.WriteAsync("Too Many Requests");
                return;
            case VendorMode.Garbage:
                response.StatusCode = 200;
                response.ContentType = "application/json";
                await response.WriteAsync(path == "/v1/test/getcrumb" ? "<html><body>Oops</body></html>" : "{\"chart\":{\"result\":[{\"meta\":{\"regularMarketPrice\":<html>");
                return;
        }

        switch (path)
        {
            case "/fc":
                response.Headers.Append("Set-Cookie", Cookie + "; Max-Age=31557600; Domain=.yahoo.com; Path=/; Secure");
                response.StatusCode = 404;
                return;
            case "/v1/test/getcrumb":
                response.ContentType = "text/plain";
                await response.WriteAsync(Crumb);
                return;
            case "/v1/finance/search":
                await JsonAsync(response, """{"quotes":[],"news":[]}""");
                return;
        }
        var symbol = path[(path.LastIndexOf('/') + 1)..];
        if (!Prices.TryGetValue(symbol, out var price))
        {
            response.StatusCode = 500;
            await response.WriteAsync("no data for " + symbol);
            return;
        }
        if (path.StartsWith("/v10/finance/quoteSummary/", StringComparison.Ordinal))
        {
            await JsonAsync(response, $$$"""
                {"quoteSummary":{"result":[{"price":{"symbol":"{{{symbol}}}","longName":"{{{symbol}}} Fake Corp","currency":"USD","exchangeName":"NasdaqGS"},
                "summaryProfile":{"sector":"Technology","industry":"Software"}}],"error":null}}
                """);
            return;
        }
        if (isQuote)
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            await JsonAsync(response, string.Create(CultureInfo.InvariantCulture, $$$"""
                {"chart":{"result":[{"meta":{"currency":"USD","symbol":"{{{symbol}}}","regularMarketTime":{{{now}}},"gmtoffset":-14400,
                "regularMarketPrice":{{{price}}},"chartPreviousClose":{{{price - 1}}},"previousClose":{{{price - 1}}},
                "regularMarketDayHigh":{{{price + 1}}},"regularMarketDayLow":{{{price - 2}}},"regularMarketVolume":1000},
                "timestamp":[],"indicators":{"quote":[{}]}}],"error":null}}
                """));
            return;
        }
        // Daily history: none (an authoritative "not found"), so positions are valued at quotes only.
        response.StatusCode = 404;
        await JsonAsync(response, """{"chart":{"result":null,"error":{"code":"Not Found","description":"No data found"}}}""");
    }

    private static Task JsonAsync(HttpResponse response, string body)
    {
        response.ContentType = "application/json";
        return response.WriteAsync(body);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}
