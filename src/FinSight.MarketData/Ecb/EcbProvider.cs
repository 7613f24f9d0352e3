using System.Globalization;
using System.Net;
using System.Xml.Linq;
using FinSight.MarketData.Currencies;

namespace FinSight.MarketData.Ecb;

/// <summary>Settings under <c>MarketData:Ecb</c>: the ECB's public reference-rate files (no key).</summary>
public sealed class EcbOptions : VendorHttpOptions
{
    public EcbOptions()
    {
        BaseUrl = new Uri("https://www.ecb.europa.eu/stats/eurofxref/");
        // The files change once a working day; a few requests a minute are plenty.
        RequestsPerSecond = 1;
        RequestsPerMinute = 10;
    }
}

/// <summary>
/// The European Central Bank's euro foreign exchange reference rates: one rate per currency per
/// TARGET working day (about 16:00 CET), keyless, as XML (<c>eurofxref-hist-90d.xml</c> for the last
/// 90 days, <c>eurofxref-hist.xml</c> since 1999). Answers currency pairs only (<c>EURUSD=X</c>,
/// <c>GBPUSD=X</c> crossed through the euro): any other symbol is left to the next provider.
/// </summary>
public sealed class EcbProvider(IHttpClientFactory httpClientFactory, TimeProvider time) : IQuoteProvider, IPriceHistoryProvider
{
    public const string ProviderName = "Ecb";
    public const string HttpClientName = "FinSight.MarketData.Ecb";

    private static readonly XNamespace Ns = "http://www.ecb.int/vocabulary/2002-08-01/eurofxref";

    public string Name => ProviderName;

    public async Task<Quote?> GetQuoteAsync(string symbol, CancellationToken cancellationToken = default)
    {
        var (from, to) = Pair(symbol);
        var days = await ReadAsync("eurofxref-hist-90d.xml", cancellationToken);
        var rated = days.Where(d => Rate(d.Rates, from, to) is not null).ToArray();
        if (rated.Length == 0)
        {
            return null;
        }
        var last = rated[^1];
        return new Quote
        {
            Symbol = symbol,
            Price = Rate(last.Rates, from, to)!.Value,
            PreviousClose = rated.Length > 1 ? Rate(rated[^2].Rates, from, to) : null,
            Currency = to,
            // Published at about 16:00 CET on the day.
            MarketTime = new DateTimeOffset(last.Date.ToDateTime(new TimeOnly(15, 0)), TimeSpan.Zero),
            Source = Name,
            AsOf = time.GetUtcNow(),
        };
    }

    public async Task<PriceHistory?> GetDailyHistoryAsync(string symbol, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        var (base1, quote) = Pair(symbol);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var file = today.DayNumber - from.DayNumber <= 85 ? "eurofxref-hist-90d.xml" : "eurofxref-hist.xml";
        var days = await ReadAsync(file, cancellationToken);
        var bars = days.Where(d => d.Date >= from && d.Date <= to)
            .Select(d => (d.Date, Rate: Rate(d.Rates, base1, quote)))
            .Where(x => x.Rate is not null)
            .Select(x => new DailyBar { Date = x.Date, Open = x.Rate!.Value, High = x.Rate.Value, Low = x.Rate.Value, Close = x.Rate.Value, AdjustedClose = x.Rate.Value })
            .ToArray();
        if (bars.Length == 0 && !days.Any(d => Rate(d.Rates, base1, quote) is not null))
        {
            return null; // the ECB does not publish one of the two currencies
        }
        return new PriceHistory { Symbol = symbol, Bars = bars, Currency = quote, Source = Name };
    }

    /// <summary>The pair's currencies; a symbol that is not a pair is for another provider.</summary>
    private (string From, string To) Pair(string symbol) =>
        FxPair.TryParse(symbol, out var from, out var to)
            ? (from, to)
            : throw new MarketDataException(Name, $"the ECB publishes exchange rates only; {symbol} is asked of the next provider.");

    /// <summary>Units of <paramref name="to"/> per <paramref name="from"/>: the ECB's rates are units per euro.</summary>
    internal static decimal? Rate(IReadOnlyDictionary<string, decimal> perEuro, string from, string to)
    {
        decimal? PerEuro(string currency) => currency == "EUR" ? 1m : perEuro.TryGetValue(currency, out var r) ? r : null;
        return PerEuro(from) is { } f && PerEuro(to) is { } t ? Math.Round(t / f, 10) : null;
    }

    private async Task<IReadOnlyList<(DateOnly Date, IReadOnlyDictionary<string, decimal> Rates)>> ReadAsync(string file, CancellationToken cancellationToken)
    {
        var http = httpClientFactory.CreateClient(HttpClientName);
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(file, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException)
        {
            throw new MarketDataException(Name, ex.Message, ex);
        }
        using (response)
        {
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new MarketDataException(Name, $"HTTP {(int)response.StatusCode} for {file}");
            }
            try
            {
                var xml = XDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                return xml.Descendants(Ns + "Cube")
                    .Where(c => c.Attribute("time") is not null)
                    .Select(c => (
                        DateOnly.ParseExact(c.Attribute("time")!.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                        (IReadOnlyDictionary<string, decimal>)c.Elements(Ns + "Cube")
                            .Where(r => r.Attribute("currency") is not null && r.Attribute("rate") is not null)
                            .ToDictionary(r => r.Attribute("currency")!.Value, r => decimal.Parse(r.Attribute("rate")!.Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture))))
                    .Where(d => d.Item2.Values.All(v => v > 0m))
                    .OrderBy(d => d.Item1)
                    .ToArray();
            }
            catch (Exception ex) when (ex is System.Xml.XmlException or FormatException)
            {
                throw new MarketDataException(Name, "malformed reference-rate file: " + ex.Message, ex);
            }
        }
    }
}
