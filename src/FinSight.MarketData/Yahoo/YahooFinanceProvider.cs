using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FinSight.Domain;

namespace FinSight.MarketData.Yahoo;

/// <summary>
/// Yahoo Finance's unofficial JSON API: chart for quotes and history, search for symbols and news,
/// quoteSummary (with cookie + crumb) for profiles and the next dividend's pay date. Quotes are one chart call per symbol; the
/// batch endpoint (/v7/finance/quote) also needs the crumb and breaks more often, and the facade's
/// cache already makes it one call per symbol per minute.
/// </summary>
public sealed class YahooFinanceProvider(IHttpClientFactory httpClientFactory, YahooSession session, TimeProvider time)
    : IQuoteProvider, IPriceHistoryProvider, IProfileProvider, INewsProvider, ISymbolSearchProvider, ICorporateActionProvider
{
    public const string ProviderName = "Yahoo";
    public const string HttpClientName = "FinSight.MarketData.Yahoo";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Name => ProviderName;

    public async Task<Quote?> GetQuoteAsync(string symbol, CancellationToken cancellationToken = default)
    {
        var result = await GetChartAsync(symbol, "range=1d&interval=1d", cancellationToken);
        if (result?.Meta is not { RegularMarketPrice: > 0 } meta)
        {
            return null;
        }
        var (currency, divisor) = CurrencyOf(symbol, meta.Currency);
        return new Quote
        {
            Symbol = symbol,
            Price = meta.RegularMarketPrice.Value / divisor,
            PreviousClose = PositiveOrNull(meta.PreviousClose ?? meta.ChartPreviousClose) / divisor,
            DayHigh = PositiveOrNull(meta.RegularMarketDayHigh) / divisor,
            DayLow = PositiveOrNull(meta.RegularMarketDayLow) / divisor,
            Volume = meta.RegularMarketVolume,
            Currency = currency,
            MarketTime = meta.RegularMarketTime is { } t ? DateTimeOffset.FromUnixTimeSeconds(t) : time.GetUtcNow(),
            Source = Name,
            AsOf = time.GetUtcNow(),
        };
    }

    public async Task<PriceHistory?> GetDailyHistoryAsync(string symbol, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        var period1 = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeSeconds();
        var period2 = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeSeconds();
        var result = await GetChartAsync(symbol,
            $"period1={period1}&period2={period2}&interval=1d&events=div%2Csplits&includeAdjustedClose=true", cancellationToken);
        if (result is null)
        {
            return null;
        }

        // Timestamps are the session open in UTC; shifting by the exchange offset gives the trading date.
        var offset = result.Meta?.Gmtoffset ?? 0;
        DateOnly DateOf(long unix) => DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeSeconds(unix + offset).UtcDateTime);

        var (currency, divisor) = CurrencyOf(symbol, result.Meta?.Currency);
        var quote = result.Indicators?.Quote?.FirstOrDefault();
        var adjusted = result.Indicators?.Adjclose?.FirstOrDefault()?.Adjclose;
        var stamps = result.Timestamp ?? [];
        var bars = new List<DailyBar>(stamps.Length);
        for (var i = 0; i < stamps.Length; i++)
        {
            // Yahoo pads holidays and half-published days with nulls: skip them, never turn them into 0.
            var (open, high, low, close) = (At(quote?.Open, i), At(quote?.High, i), At(quote?.Low, i), At(quote?.Close, i));
            var date = DateOf(stamps[i]);
            if (open is not > 0 || high is not > 0 || low is not > 0 || close is not > 0 || date < from || date > to)
            {
                continue;
            }
            bars.Add(new DailyBar
            {
                Date = date,
                Open = open.Value / divisor,
                High = high.Value / divisor,
                Low = low.Value / divisor,
                Close = close.Value / divisor,
                AdjustedClose = (At(adjusted, i) is { } adj and > 0 ? adj : close.Value) / divisor,
                Volume = At(quote?.Volume, i) ?? 0,
            });
        }

        return new PriceHistory
        {
            Symbol = symbol,
            Bars = bars,
            Splits = ((IEnumerable<ChartSplit>?)result.Events?.Splits?.Values ?? [])
                .Where(s => s is { Date: not null, Numerator: > 0, Denominator: > 0 })
                .Select(s => new StockSplit
                {
                    Date = DateOf(s.Date!.Value),
                    Numerator = (int)Math.Round(s.Numerator!.Value),
                    Denominator = (int)Math.Round(s.Denominator!.Value),
                })
                .Where(s => s.Date >= from && s.Date <= to)
                .ToArray(),
            Dividends = ((IEnumerable<ChartDividend>?)result.Events?.Dividends?.Values ?? [])
                .Where(d => d is { Date: not null, Amount: > 0 })
                .Select(d => new Dividend { ExDate = DateOf(d.Date!.Value), Amount = d.Amount!.Value / divisor })
                .Where(d => d.ExDate >= from && d.ExDate <= to)
                .ToArray(),
            Currency = currency,
            Source = Name,
        };
    }

    public async Task<CompanyProfile?> GetProfileAsync(string symbol, CancellationToken cancellationToken = default)
    {
        if (await QuoteSummaryAsync(symbol, "price%2CsummaryProfile", cancellationToken) is not { Price: { } price } result)
        {
            return null;
        }
        var name = price.LongName ?? price.ShortName;
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }
        return new CompanyProfile
        {
            Symbol = symbol,
            Name = name,
            Sector = result.SummaryProfile?.Sector,
            Industry = result.SummaryProfile?.Industry,
            MarketCap = PositiveOrNull(price.MarketCap),
            Exchange = price.ExchangeName,
            Currency = CurrencyOf(symbol, price.Currency).Currency,
            Website = result.SummaryProfile?.Website,
            Source = Name,
            AsOf = time.GetUtcNow(),
        };
    }

    /// <summary>
    /// quoteSummary's <c>calendarEvents</c>: the latest or next dividend's ex-date and pay date (<c>dividendDate</c>).
    /// It states no amount and no splits (those come with the chart), so the report holds that pay date only.
    /// </summary>
    public async Task<CorporateActionReport?> GetCorporateActionsAsync(string symbol, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        if (await QuoteSummaryAsync(symbol, "calendarEvents", cancellationToken) is not { } result)
        {
            return null;
        }
        DateOnly? DateOf(long? unix) => unix is > 0 ? DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeSeconds(unix.Value).UtcDateTime) : null;
        var (ex, pay) = (DateOf(result.CalendarEvents?.ExDividendDate), DateOf(result.CalendarEvents?.DividendDate));
        return new CorporateActionReport
        {
            Symbol = symbol,
            // The next dividend may go ex after the range: it is the one whose pay date a calendar wants.
            PayDates = ex is { } e && pay is { } p && p >= e && e >= from ? [new DividendPayDate { ExDate = e, PayDate = p }] : [],
            Source = Name,
        };
    }

    /// <summary>One quoteSummary result with the given modules (URL-encoded, comma-separated); null when Yahoo does not know the symbol.</summary>
    private async Task<SummaryResult?> QuoteSummaryAsync(string symbol, string modules, CancellationToken cancellationToken)
    {
        var http = CreateClient();
        YahooSession.Credentials? rejected = null;
        for (var attempt = 0; ; attempt++)
        {
            var credentials = await session.GetAsync(http, rejected, cancellationToken);
            using var request = new HttpRequestMessage(HttpMethod.Get,
                $"v10/finance/quoteSummary/{Uri.EscapeDataString(ToYahoo(symbol))}?modules={modules}&formatted=false&crumb={Uri.EscapeDataString(credentials.Crumb)}");
            request.Headers.Add("Cookie", credentials.Cookie);
            using var response = await SendAsync(http, request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0)
            {
                rejected = credentials; // crumb expired or cookie rotated: one fresh handshake
                continue;
            }
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
            EnsureSuccess(response);
            var envelope = await ReadAsync<SummaryEnvelope>(response, cancellationToken);
            var body = envelope.QuoteSummary ?? envelope.Finance;
            if (body?.Error is { } error)
            {
                return IsNotFound(error) ? null : throw Fail($"quoteSummary error {error.Code}: {error.Description}");
            }
            return body?.Result?.FirstOrDefault();
        }
    }

    public async Task<NewsFeed?> GetNewsAsync(string symbol, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        var envelope = await SearchRawAsync($"q={Uri.EscapeDataString(ToYahoo(symbol))}&quotesCount=0&newsCount=20&listsCount=0", cancellationToken);
        var headlines = (envelope.News ?? [])
            .Where(n => !string.IsNullOrWhiteSpace(n.Uuid) && !string.IsNullOrWhiteSpace(n.Title)
                        && NewsHeadline.TryParseLink(n.Link, out _) && n.ProviderPublishTime is not null)
            .Select(n => new NewsHeadline
            {
                Id = n.Uuid!,
                Title = n.Title!,
                Publisher = string.IsNullOrWhiteSpace(n.Publisher) ? "Yahoo Finance" : n.Publisher,
                Url = new Uri(n.Link!),
                PublishedAt = DateTimeOffset.FromUnixTimeSeconds(n.ProviderPublishTime!.Value),
                RelatedSymbols = (n.RelatedTickers ?? []).Select(t => Ticker.TryParse(FromYahoo(t), out var ticker) ? ticker.Value : null).OfType<string>().ToArray(),
            })
            .Where(h => DateOnly.FromDateTime(h.PublishedAt.UtcDateTime) is var d && d >= from && d <= to)
            .ToArray();
        return new NewsFeed { Symbol = symbol, Headlines = headlines, Source = Name, AsOf = time.GetUtcNow() };
    }

    public async Task<IReadOnlyList<SymbolMatch>> SearchAsync(string query, int limit, CancellationToken cancellationToken = default)
    {
        var envelope = await SearchRawAsync($"q={Uri.EscapeDataString(query)}&quotesCount={limit}&newsCount=0&listsCount=0&enableFuzzyQuery=false", cancellationToken);
        return (envelope.Quotes ?? [])
            .Where(q => q.QuoteType is "EQUITY" or "ETF" && q.Symbol is not null && Ticker.TryParse(FromYahoo(q.Symbol), out _))
            .Where(q => !string.IsNullOrWhiteSpace(q.Longname ?? q.Shortname))
            .Select(q => new SymbolMatch
            {
                Symbol = FromYahoo(q.Symbol!),
                Name = (q.Longname ?? q.Shortname)!,
                Exchange = q.ExchDisp,
                Type = q.QuoteType == "ETF" ? SecurityType.Etf : SecurityType.Stock,
                Source = Name,
            })
            .Take(limit)
            .ToArray();
    }

    private async Task<ChartResult?> GetChartAsync(string symbol, string query, CancellationToken cancellationToken)
    {
        var http = CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v8/finance/chart/{Uri.EscapeDataString(ToYahoo(symbol))}?{query}");
        using var response = await SendAsync(http, request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            EnsureSuccess(response);
        }
        var envelope = await ReadAsync<ChartEnvelope>(response, cancellationToken);
        // Yahoo reports many errors inside an HTTP 200: result null, error set.
        if (envelope.Chart?.Error is { } error)
        {
            return IsNotFound(error) ? null : throw Fail($"chart error {error.Code}: {error.Description}");
        }
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        return envelope.Chart?.Result?.FirstOrDefault() ?? throw Fail("chart response has neither result nor error");
    }

    private async Task<SearchEnvelope> SearchRawAsync(string query, CancellationToken cancellationToken)
    {
        var http = CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/finance/search?" + query);
        using var response = await SendAsync(http, request, cancellationToken);
        EnsureSuccess(response);
        return await ReadAsync<SearchEnvelope>(response, cancellationToken);
    }

    private HttpClient CreateClient() => httpClientFactory.CreateClient(HttpClientName);

    private async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException)
        {
            throw Fail(ex.Message, ex);
        }
    }

    private void EnsureSuccess(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw Fail($"HTTP {(int)response.StatusCode} for {response.RequestMessage?.RequestUri?.AbsolutePath}");
        }
    }

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken) ?? throw Fail("empty JSON body");
        }
        catch (JsonException ex)
        {
            throw Fail("malformed JSON: " + ex.Message, ex);
        }
    }

    private MarketDataException Fail(string message, Exception? inner = null) => new(Name, message, inner);

    private static bool IsNotFound(YahooError error) =>
        string.Equals(error.Code, "Not Found", StringComparison.OrdinalIgnoreCase);

    private static T? At<T>(T?[]? values, int index) where T : struct =>
        values is not null && index < values.Length ? values[index] : null;

    private static decimal? PositiveOrNull(decimal? value) => value > 0 ? value : null;

    /// <summary>
    /// The currency Yahoo states (chart <c>meta.currency</c>, quoteSummary <c>price.currency</c>) in major
    /// units, and what to divide its prices by: London's <c>GBp</c> is pence (÷ 100), Johannesburg's
    /// <c>ZAc</c> cents, Tel Aviv's <c>ILA</c> agorot. Without one, the listing's exchange says.
    /// </summary>
    internal static (string Currency, int Divisor) CurrencyOf(string symbol, string? stated) =>
        Domain.Currency.FromQuote(stated, out var currency, out var divisor)
            ? (currency.Code, divisor)
            : (Currencies.Exchanges.CurrencyOf(symbol), 1);

    // Yahoo writes share classes with a dash (BRK-B); NASDAQ Trader and FinSight use a dot. An
    // exchange suffix (VOD.L, SAP.DE, 7203.T) is Yahoo's own form and stays as it is.
    internal static string ToYahoo(string symbol) =>
        symbol.Length > 2 && symbol[^2] == '.' && Currencies.Exchanges.Of(symbol) is null ? symbol[..^2] + "-" + symbol[^1] : symbol;

    internal static string FromYahoo(string symbol) =>
        symbol.Length > 2 && symbol[^2] == '-' ? symbol[..^2] + "." + symbol[^1] : symbol;
}
