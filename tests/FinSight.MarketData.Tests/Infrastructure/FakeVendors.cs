using FinSight.MarketData.Finnhub;
using FinSight.MarketData.Yahoo;
using Microsoft.AspNetCore.Http;

namespace FinSight.MarketData.Tests.Infrastructure;

/// <summary>Routes Yahoo's endpoints to recordings. Tests can intercept a request first via <see cref="Intercept"/>.</summary>
public sealed class FakeYahoo : IAsyncDisposable
{
    public const string Cookie = "A3=d=AQABBFakeSession&S=AQAAAFake";
    private int _crumbRequests;

    public LoopbackServer Server { get; private set; } = null!;
    public string Crumb { get; set; } = "crumb-1";
    public int CrumbRequests => Volatile.Read(ref _crumbRequests);
    /// <summary>Return true when the request was answered.</summary>
    public Func<HttpContext, Task<bool>>? Intercept { get; set; }
    public TestHttpClientFactory Http { get; private set; } = null!;
    public YahooOptions Options { get; private set; } = null!;

    public static async Task<FakeYahoo> StartAsync(TimeProvider time, Action<YahooOptions>? configure = null)
    {
        var fake = new FakeYahoo();
        fake.Server = await LoopbackServer.StartAsync(fake.HandleAsync);
        fake.Options = TestHttpClientFactory.Fast(new YahooOptions(), fake.Server.BaseUrl);
        fake.Options.CookieUrl = new Uri(fake.Server.BaseUrl, "fc");
        configure?.Invoke(fake.Options);
        fake.Http = new TestHttpClientFactory(YahooFinanceProvider.ProviderName, fake.Options, time,
            http => http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", fake.Options.UserAgent));
        return fake;
    }

    public YahooFinanceProvider CreateProvider(TimeProvider time) => new(Http, new YahooSession(Options), time);

    private async Task HandleAsync(HttpContext context)
    {
        if (Intercept is not null && await Intercept(context))
        {
            return;
        }
        var request = context.Request;
        var response = context.Response;
        var path = request.Path.Value!;
        switch (path)
        {
            case "/fc":
                response.Headers.Append("Set-Cookie", Cookie + "; Expires=Sun, 21 Nov 2027 00:00:00 GMT; Max-Age=31557600; Domain=.yahoo.com; Path=/; Secure; SameSite=None");
                response.StatusCode = 404;
                return;
            case "/v1/test/getcrumb":
                Interlocked.Increment(ref _crumbRequests);
                if (request.Headers.Cookie.ToString() != Cookie)
                {
                    response.StatusCode = 403;
                    return;
                }
                response.ContentType = "text/plain";
                await response.WriteAsync(Crumb);
                return;
            case "/v8/finance/chart/AAPL" when request.Query.ContainsKey("range"):
                await response.Json("yahoo-chart-AAPL-quote.json");
                return;
            case "/v8/finance/chart/SHEL.L" when request.Query.ContainsKey("range"):
                await response.Json("yahoo-chart-SHEL.L-quote.json");
                return;
            case "/v8/finance/chart/EURUSD=X":
                await response.Json("yahoo-chart-EURUSD=X-history.json");
                return;
            case "/v8/finance/chart/NVDA" when request.Query.ContainsKey("period1"):
                await response.Json("yahoo-chart-NVDA-history.json");
                return;
            case "/v1/finance/search":
                var q = request.Query["q"].ToString();
                await response.Json(q == "AAPL" && request.Query["newsCount"] != "0" ? "yahoo-search-AAPL-news.json"
                    : q.Equals("apple", StringComparison.OrdinalIgnoreCase) ? "yahoo-search-apple.json" : "yahoo-search-empty.json");
                return;
            case "/v10/finance/quoteSummary/AAPL" or "/v10/finance/quoteSummary/NOSUCHTICKER":
                if (request.Query["crumb"] != Crumb || request.Headers.Cookie.ToString() != Cookie)
                {
                    await response.Json("yahoo-quotesummary-invalid-crumb.json", 401);
                    return;
                }
                // calendarEvents: hand-built in quoteSummary's format (formatted=false) with AAPL's 2024-08-12 ex-date and 2024-08-15 pay date.
                await (path.EndsWith("AAPL", StringComparison.Ordinal)
                    ? response.Json(request.Query["modules"] == "calendarEvents" ? "yahoo-quotesummary-AAPL-calendar.json" : "yahoo-quotesummary-AAPL.json")
                    : response.Json("yahoo-quotesummary-not-found.json", 404));
                return;
            default:
                await response.Json("yahoo-chart-not-found.json", 404);
                return;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}

public sealed class FakeFinnhub : IAsyncDisposable
{
    public const string ApiKey = "test-key";

    public LoopbackServer Server { get; private set; } = null!;
    public Func<HttpContext, Task<bool>>? Intercept { get; set; }
    public TestHttpClientFactory Http { get; private set; } = null!;

    /// <summary>When true, <c>/forex/rates</c> answers 403 as for a key whose plan lacks it.</summary>
    public bool ForexForbidden { get; set; }

    public static async Task<FakeFinnhub> StartAsync(TimeProvider time, Action<FinnhubOptions>? configure = null)
    {
        var fake = new FakeFinnhub();
        fake.Server = await LoopbackServer.StartAsync(fake.HandleAsync);
        var options = TestHttpClientFactory.Fast(new FinnhubOptions { ApiKey = ApiKey }, fake.Server.BaseUrl);
        configure?.Invoke(options);
        fake.Http = new TestHttpClientFactory(FinnhubProvider.ProviderName, options, time,
            http => http.DefaultRequestHeaders.Add(FinnhubProvider.TokenHeader, options.ApiKey));
        return fake;
    }

    public FinnhubProvider CreateProvider(TimeProvider time) => new(Http, time);

    private async Task HandleAsync(HttpContext context)
    {
        if (Intercept is not null && await Intercept(context))
        {
            return;
        }
        var request = context.Request;
        var response = context.Response;
        if (request.Headers[FinnhubProvider.TokenHeader] != ApiKey)
        {
            response.StatusCode = 401;
            await response.WriteAsync("""{"error":"Invalid API key"}""");
            return;
        }
        var known = request.Query["symbol"] == "AAPL";
        switch (request.Path.Value)
        {
            case "/quote":
                await response.Json(known ? "finnhub-quote-AAPL.json" : "finnhub-quote-unknown.json");
                return;
            case "/stock/profile2":
                await response.Json(known ? "finnhub-profile2-AAPL.json" : "finnhub-profile2-unknown.json");
                return;
            case "/company-news":
                if (!DateOnly.TryParse(request.Query["from"], out _) || !DateOnly.TryParse(request.Query["to"], out _))
                {
                    response.StatusCode = 422;
                    await response.WriteAsync("""{"error":"Wrong date format."}""");
                    return;
                }
                await (known ? response.Json("finnhub-company-news-AAPL.json") : response.WriteAsync("[]"));
                return;
            case "/search":
                await response.Json(request.Query["q"] == "apple" ? "finnhub-search-apple.json" : "finnhub-search-empty.json");
                return;
            case "/stock/candle":
                await response.Json("finnhub-candle-forbidden.json", 403);
                return;
            // Splits and dividends: hand-built in Finnhub's documented format (no free key returns them to record).
            case "/stock/split":
                await (known ? response.Json("finnhub-split-AAPL.json") : response.WriteAsync("[]"));
                return;
            case "/stock/dividend":
                await (known ? response.Json("finnhub-dividend-AAPL.json") : response.WriteAsync("[]"));
                return;
            case "/forex/rates":
                // Free keys are refused as candles are; the rates body is hand-built in Finnhub's format.
                await (ForexForbidden ? response.Json("finnhub-candle-forbidden.json", 403)
                    : request.Query["base"] == "EUR" ? response.Json("finnhub-forex-rates-EUR.json") : response.WriteAsync("""{"base":"","quote":{}}"""));
                return;
            default:
                response.StatusCode = 404;
                return;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
