namespace FinSight.MarketData;

/// <summary>Bound from the "MarketData" configuration section.</summary>
public sealed class MarketDataOptions
{
    public const string SectionName = "MarketData";

    /// <summary>The order used when <see cref="Providers"/> is not configured.</summary>
    public static readonly IReadOnlyList<string> DefaultProviders = ["Yahoo", "Finnhub", "Ecb"];

    /// <summary>
    /// Provider order for every capability. A provider that lacks a capability or is not
    /// configured (Finnhub without an API key) is skipped. Offline: ["Simulated"]. Empty means
    /// <see cref="DefaultProviders"/>: the configuration binder appends to a pre-filled list, so
    /// the default is applied after binding instead of here.
    /// </summary>
    public List<string> Providers { get; set; } = [];

    public TimeSpan QuoteCacheDuration { get; set; } = TimeSpan.FromSeconds(60);
    public TimeSpan ProfileCacheDuration { get; set; } = TimeSpan.FromHours(24);
    public TimeSpan NewsCacheDuration { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>How long a history answer (stored bars + fetched tail) is reused in memory.</summary>
    public TimeSpan HistoryCacheDuration { get; set; } = TimeSpan.FromMinutes(15);
    public TimeSpan SearchCacheDuration { get; set; } = TimeSpan.FromHours(1);
    /// <summary>
    /// How long a stale or unavailable answer is reused before asking the providers again, so an
    /// outage is not hammered by every dashboard refresh.
    /// </summary>
    public TimeSpan FailureCacheDuration { get; set; } = TimeSpan.FromSeconds(15);
    /// <summary>How long to skip a provider after it said a capability is unavailable (HTTP 403).</summary>
    public TimeSpan CapabilityUnavailableBackoff { get; set; } = TimeSpan.FromHours(6);
    public int NewsLookbackDays { get; set; } = 7;

    /// <summary>How much of the vendors' shared quota one caller may spend (<see cref="FairUse.FairUseOptions"/>).</summary>
    public FairUse.FairUseOptions FairUse { get; set; } = new();

    public YahooOptions Yahoo { get; set; } = new();
    public FinnhubOptions Finnhub { get; set; } = new();
    /// <summary>The ECB's daily euro reference rates: exchange rates only, keyless.</summary>
    public Ecb.EcbOptions Ecb { get; set; } = new();
    public SimulatedMarketOptions Simulated { get; set; } = new();
}

/// <summary>Settings shared by the HTTP vendors: timeouts, retries, breaker and rate limits.</summary>
public class VendorHttpOptions
{
    public Uri BaseUrl { get; set; } = new("http://localhost/");
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>Retries for transient failures (network, 5xx, 408, 429, timeout); 0 disables.</summary>
    public int MaxRetries { get; set; } = 2;
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);
    /// <summary>A 429 asking us to wait longer than this fails the call so the chain can fall through.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>0 = unlimited. Requests above the limit queue; they do not fail.</summary>
    public int RequestsPerSecond { get; set; }
    public int RequestsPerMinute { get; set; }
    public int RateLimitQueueLimit { get; set; } = 10_000;
    /// <summary>
    /// How long an interactive call waits for a rate-limit permit before it fails like an
    /// unreachable vendor (and the caller gets the stored value marked stale, or "unavailable").
    /// </summary>
    public TimeSpan PermitWait { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>How long a background refresh waits for a permit that no interactive call wants.</summary>
    public TimeSpan BackgroundPermitWait { get; set; } = TimeSpan.FromSeconds(30);
    public double BreakerFailureRatio { get; set; } = 0.5;
    public int BreakerMinimumThroughput { get; set; } = 5;
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}

public sealed class YahooOptions : VendorHttpOptions
{
    public YahooOptions()
    {
        BaseUrl = new Uri("https://query2.finance.yahoo.com/");
        // Yahoo publishes no limits; this stays well under the ~2,000 calls/hour it tolerates per IP.
        RequestsPerSecond = 4;
        RequestsPerMinute = 30;
    }

    /// <summary>Visited once to obtain the session cookie that the crumb is tied to.</summary>
    public Uri CookieUrl { get; set; } = new("https://fc.yahoo.com/");
    /// <summary>Yahoo rejects obvious bots; a browser-like agent keeps quoteSummary working.</summary>
    public string UserAgent { get; set; } =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
}

public sealed class FinnhubOptions : VendorHttpOptions
{
    public FinnhubOptions()
    {
        BaseUrl = new Uri("https://finnhub.io/api/v1/");
        // Free tier: 30 calls/second and 60 calls/minute.
        RequestsPerSecond = 30;
        RequestsPerMinute = 60;
    }

    /// <summary>Finnhub is only used when a key is set.</summary>
    public string? ApiKey { get; set; }
}

public sealed class SimulatedMarketOptions
{
    /// <summary>Changes every simulated series at once; the same seed always gives the same market.</summary>
    public int Seed { get; set; }
    /// <summary>
    /// Symbols pinned to an exact price (quote, previous close and every bar), so API tests can
    /// assert exact figures.
    /// </summary>
    public Dictionary<string, decimal> FixedPrices { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>A price the simulated market must close at on a date (see <see cref="Simulated.SimulatedMarketProvider.Anchor"/>).</summary>
/// <param name="Date">A US trading day.</param>
/// <param name="Price">The close, &gt; 0.</param>
public readonly record struct PriceAnchor(DateOnly Date, decimal Price);
