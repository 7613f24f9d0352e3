using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FinSight.Domain;

namespace FinSight.MarketData.Finnhub;

/// <summary>
/// Finnhub's REST API. The key travels in the X-Finnhub-Token header, so it never appears in
/// logged URLs. It comes from <paramref name="keys"/> per request (a key may be set while the
/// process runs); without a key source the named client is expected to carry the header.
/// Candles are a paid feature: a 403 there means "not for us". Splits and dividends are asked "where the key
/// allows": a 401 or 403 on either leaves that part out. Latest exchange rates come from
/// <c>forex/rates</c> where the key's plan allows it (a 403 sends them to the next source).
/// </summary>
public sealed class FinnhubProvider(IHttpClientFactory httpClientFactory, TimeProvider time, IFinnhubKeySource? keys = null)
    : IQuoteProvider, IPriceHistoryProvider, IProfileProvider, INewsProvider, ISymbolSearchProvider, ICorporateActionProvider
{
    public const string ProviderName = "Finnhub";
    public const string HttpClientName = "FinSight.MarketData.Finnhub";
    public const string TokenHeader = "X-Finnhub-Token";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Name => ProviderName;

    public async Task<Quote?> GetQuoteAsync(string symbol, CancellationToken cancellationToken = default)
    {
        if (Currencies.FxPair.TryParse(symbol, out var from, out var to))
        {
            return await GetForexQuoteAsync(symbol, from, to, cancellationToken);
        }
        if (Currencies.Exchanges.Of(symbol) is not null)
        {
            // /quote does not say its currency (nor whether London is in pence): the next provider answers.
            throw new MarketDataException(Name, $"Finnhub quotes carry no currency; {symbol} is asked of the next provider.");
        }
        var quote = await GetAsync<FinnhubQuote>($"quote?symbol={Uri.EscapeDataString(symbol)}", cancellationToken);
        // Unknown symbols come back as {"c":0,...,"t":0}: that is "not found", never a price of 0.
        if (quote is not { C: > 0 } || quote.T is null or 0)
        {
            return null;
        }
        return new Quote
        {
            Symbol = symbol,
            Price = quote.C.Value,
            PreviousClose = quote.Pc > 0 ? quote.Pc : null,
            DayHigh = quote.H > 0 ? quote.H : null,
            DayLow = quote.L > 0 ? quote.L : null,
            // /quote carries neither volume nor currency; Finnhub's free tier is US listings, quoted in USD.
            Currency = "USD",
            MarketTime = DateTimeOffset.FromUnixTimeSeconds(quote.T.Value),
            Source = Name,
            AsOf = time.GetUtcNow(),
        };
    }

    /// <summary>How long a key whose plan refused <c>forex/rates</c> (403) is not asked again for rates.</summary>
    public static readonly TimeSpan ForexRefusalBackoff = TimeSpan.FromHours(1);

    // Per provider instance (a singleton): the refusal is the key's plan, not this pair's.
    private DateTimeOffset _forexRefusedUntil = DateTimeOffset.MinValue;

    /// <summary>
    /// The latest rate of a pair from <c>forex/rates?base=</c> (<c>{"base":"EUR","quote":{"USD":1.0712,...}}</c>),
    /// where the key's plan includes it. A 403 is not a failure of quotes as a whole (stock quotes still
    /// work): it is remembered for <see cref="ForexRefusalBackoff"/> and the next source answers meanwhile.
    /// </summary>
    private async Task<Quote?> GetForexQuoteAsync(string symbol, string from, string to, CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() < _forexRefusedUntil)
        {
            throw new MarketDataException(Name, $"forex/rates is not in this API key's plan; {symbol} is asked of the next source.");
        }
        FinnhubForexRates? rates;
        try
        {
            rates = await GetAsync<FinnhubForexRates>($"forex/rates?base={Uri.EscapeDataString(from)}", cancellationToken);
        }
        catch (CapabilityUnavailableException refused)
        {
            _forexRefusedUntil = time.GetUtcNow() + ForexRefusalBackoff;
            throw new MarketDataException(Name, refused.Message + $"; {symbol} is asked of the next source.", refused);
        }
        // A currency Finnhub does not list is for the next source, not "no such pair".
        if (rates?.Quote is null || !rates.Quote.TryGetValue(to, out var rate) || rate is not > 0m
            || !string.Equals(rates.Base, from, StringComparison.OrdinalIgnoreCase))
        {
            throw new MarketDataException(Name, $"forex/rates has no {from}/{to} rate.");
        }
        var now = time.GetUtcNow();
        return new Quote
        {
            Symbol = symbol,
            Price = Math.Round(rate.Value, 6),
            Currency = to,
            // The endpoint gives no time: the rate is as of the request.
            MarketTime = now,
            Source = Name,
            AsOf = now,
        };
    }

    public async Task<PriceHistory?> GetDailyHistoryAsync(string symbol, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        var fromUnix = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeSeconds();
        var toUnix = new DateTimeOffset(to.ToDateTime(TimeOnly.MaxValue), TimeSpan.Zero).ToUnixTimeSeconds();
        var candles = await GetAsync<FinnhubCandles>(
            $"stock/candle?symbol={Uri.EscapeDataString(symbol)}&resolution=D&from={fromUnix}&to={toUnix}", cancellationToken);
        if (candles is null || candles.S == "no_data")
        {
            return null;
        }
        if (candles.S != "ok")
        {
            throw new MarketDataException(Name, $"candle status '{candles.S}'");
        }
        var stamps = candles.T ?? [];
        var bars = new List<DailyBar>(stamps.Length);
        for (var i = 0; i < stamps.Length; i++)
        {
            var (open, high, low, close) = (At(candles.O, i), At(candles.H, i), At(candles.L, i), At(candles.C, i));
            if (open is not > 0 || high is not > 0 || low is not > 0 || close is not > 0)
            {
                continue;
            }
            bars.Add(new DailyBar
            {
                Date = DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeSeconds(stamps[i]).UtcDateTime),
                Open = open.Value,
                High = high.Value,
                Low = low.Value,
                Close = close.Value,
                // Finnhub candles are split-adjusted only; no dividend series on this endpoint.
                AdjustedClose = close.Value,
                Volume = At(candles.V, i) ?? 0,
            });
        }
        return new PriceHistory { Symbol = symbol, Bars = bars, Source = Name };
    }

    /// <summary>
    /// <c>/stock/split</c> and <c>/stock/dividend</c> (date = ex-date; payDate when stated; adjustedAmount, in today's
    /// shares, as history dividends are). Either may be outside the key's plan (401/403): that part is left out; both: unavailable.
    /// </summary>
    public async Task<CorporateActionReport?> GetCorporateActionsAsync(string symbol, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        if (Currencies.Exchanges.Of(symbol) is not null || Currencies.FxPair.TryParse(symbol, out _, out _))
        {
            return null; // the free plan covers US listings only
        }
        var range = string.Create(CultureInfo.InvariantCulture, $"symbol={Uri.EscapeDataString(symbol)}&from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}");
        var (splitsAllowed, splits) = await GetIfAllowedAsync<List<FinnhubSplit>>($"stock/split?{range}", cancellationToken);
        var (dividendsAllowed, dividends) = await GetIfAllowedAsync<List<FinnhubDividend>>($"stock/dividend?{range}", cancellationToken);
        if (!splitsAllowed && !dividendsAllowed)
        {
            throw new CapabilityUnavailableException(Name, "stock/split and stock/dividend are not included in this API key's plan");
        }
        return new CorporateActionReport
        {
            Symbol = symbol,
            Splits = (splits ?? [])
                .Where(s => s is { ToFactor: > 0, FromFactor: > 0 } && Date(s.Date) is not null && decimal.IsInteger(s.ToFactor!.Value) && decimal.IsInteger(s.FromFactor!.Value))
                .Select(s => new StockSplit { Date = Date(s.Date)!.Value, Numerator = (int)s.ToFactor!.Value, Denominator = (int)s.FromFactor!.Value })
                .Where(s => s.Date >= from && s.Date <= to).DistinctBy(s => s.Date).ToArray(),
            Dividends = (dividends ?? [])
                .Where(d => Date(d.Date) is not null && (d.AdjustedAmount ?? d.Amount) > 0 && d.Currency is null or "USD")
                .Select(d => new Dividend
                {
                    ExDate = Date(d.Date)!.Value,
                    Amount = (d.AdjustedAmount ?? d.Amount)!.Value,
                    // A pay date before the ex-date is a vendor slip: unknown rather than wrong.
                    PayDate = Date(d.PayDate) is { } pay && pay >= Date(d.Date)!.Value ? pay : null,
                })
                .Where(d => d.ExDate >= from && d.ExDate <= to).DistinctBy(d => d.ExDate).ToArray(),
            Source = Name,
        };
    }

    private static DateOnly? Date(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    /// <summary>As <see cref="GetAsync{T}"/>, but an endpoint the key may not use (401 or 403) is (false, null) instead of an error.</summary>
    private async Task<(bool Allowed, T? Value)> GetIfAllowedAsync<T>(string path, CancellationToken cancellationToken) where T : class
    {
        try
        {
            return (true, await GetAsync<T>(path, cancellationToken, unauthorizedIsUnavailable: true));
        }
        catch (CapabilityUnavailableException)
        {
            return (false, null);
        }
    }

    public async Task<CompanyProfile?> GetProfileAsync(string symbol, CancellationToken cancellationToken = default)
    {
        var profile = await GetAsync<FinnhubProfile>($"stock/profile2?symbol={Uri.EscapeDataString(symbol)}", cancellationToken);
        // Unknown symbols return {}.
        if (profile is null || string.IsNullOrWhiteSpace(profile.Name))
        {
            return null;
        }
        return new CompanyProfile
        {
            Symbol = symbol,
            Name = profile.Name,
            LogoUrl = string.IsNullOrWhiteSpace(profile.Logo) ? null : profile.Logo,
            // finnhubIndustry is a coarse one-level classification ("Technology"), closer to a sector than an industry.
            Sector = string.IsNullOrWhiteSpace(profile.FinnhubIndustry) ? null : profile.FinnhubIndustry,
            // Finnhub reports market capitalisation in millions.
            MarketCap = profile.MarketCapitalization > 0 ? profile.MarketCapitalization * 1_000_000m : null,
            Exchange = profile.Exchange,
            // profile2 states the listing's currency; a minor unit is named by its major currency.
            Currency = Domain.Currency.FromQuote(profile.Currency, out var currency, out _) ? currency.Code : Currencies.Exchanges.CurrencyOf(symbol),
            Website = string.IsNullOrWhiteSpace(profile.Weburl) ? null : profile.Weburl,
            Source = Name,
            AsOf = time.GetUtcNow(),
        };
    }

    public async Task<NewsFeed?> GetNewsAsync(string symbol, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        var news = await GetAsync<List<FinnhubNews>>(
            $"company-news?symbol={Uri.EscapeDataString(symbol)}&from={from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}&to={to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}",
            cancellationToken) ?? [];
        var headlines = news
            .Where(n => n.Id is not null && n.Datetime is > 0 && !string.IsNullOrWhiteSpace(n.Headline) && NewsHeadline.TryParseLink(n.Url, out _))
            .Select(n => new NewsHeadline
            {
                Id = n.Id!.Value.ToString(CultureInfo.InvariantCulture),
                Title = n.Headline!,
                Publisher = string.IsNullOrWhiteSpace(n.Source) ? "Finnhub" : n.Source,
                Url = new Uri(n.Url!),
                PublishedAt = DateTimeOffset.FromUnixTimeSeconds(n.Datetime!.Value),
                Summary = string.IsNullOrWhiteSpace(n.Summary) ? null : n.Summary,
                RelatedSymbols = (n.Related ?? symbol).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(s => s.ToUpperInvariant()).Where(s => Ticker.TryParse(s, out _)).ToArray(),
            })
            .ToArray();
        return new NewsFeed { Symbol = symbol, Headlines = headlines, Source = Name, AsOf = time.GetUtcNow() };
    }

    public async Task<IReadOnlyList<SymbolMatch>> SearchAsync(string query, int limit, CancellationToken cancellationToken = default)
    {
        var search = await GetAsync<FinnhubSearch>($"search?q={Uri.EscapeDataString(query)}", cancellationToken);
        return (search?.Result ?? [])
            .Where(r => r.Symbol is not null && Ticker.TryParse(r.Symbol, out _) && !string.IsNullOrWhiteSpace(r.Description))
            .Select(r => new SymbolMatch
            {
                Symbol = r.Symbol!,
                Name = r.Description!,
                Type = r.Type switch { "Common Stock" => SecurityType.Stock, "ETP" => SecurityType.Etf, _ => SecurityType.Other },
                Source = Name,
            })
            .Take(limit)
            .ToArray();
    }

    private async Task<T?> GetAsync<T>(string path, CancellationToken cancellationToken, bool unauthorizedIsUnavailable = false) where T : class
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (keys is not null)
        {
            var key = await keys.GetApiKeyAsync(cancellationToken);
            if (string.IsNullOrWhiteSpace(key))
            {
                throw new ProviderNotConfiguredException(Name, "no API key is configured");
            }
            request.Headers.Add(TokenHeader, key);
        }
        var http = httpClientFactory.CreateClient(HttpClientName);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException)
        {
            throw new MarketDataException(Name, ex.Message, ex);
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.Forbidden || (unauthorizedIsUnavailable && response.StatusCode == HttpStatusCode.Unauthorized))
            {
                throw new CapabilityUnavailableException(Name, $"{path.Split('?')[0]} is not included in this API key's plan (HTTP {(int)response.StatusCode})");
            }
            if (!response.IsSuccessStatusCode)
            {
                throw new MarketDataException(Name, $"HTTP {(int)response.StatusCode} for {path.Split('?')[0]}");
            }
            try
            {
                return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken);
            }
            catch (JsonException ex)
            {
                throw new MarketDataException(Name, "malformed JSON: " + ex.Message, ex);
            }
        }
    }

    private static T? At<T>(T?[]? values, int index) where T : struct =>
        values is not null && index < values.Length ? values[index] : null;
}
