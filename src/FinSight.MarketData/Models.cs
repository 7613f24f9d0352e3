using FinSight.Domain;

namespace FinSight.MarketData;

// FinSight's own market-data types. Vendor JSON never leaves the vendor folders.
// Every record validates on construction so a bad vendor payload fails loudly at the edge
// instead of becoming a 0 price on a dashboard.

/// <summary>A last-trade quote. <see cref="AsOf"/> is when FinSight obtained it; <see cref="MarketTime"/> is the exchange time of the price.</summary>
public sealed record Quote
{
    public required string Symbol { get; init => field = Guard.Symbol(value); }
    public required decimal Price { get; init => field = Guard.Positive(value, nameof(Price)); }
    public decimal? PreviousClose { get; init => field = Guard.PositiveOrNull(value, nameof(PreviousClose)); }
    public decimal? DayHigh { get; init => field = Guard.PositiveOrNull(value, nameof(DayHigh)); }
    public decimal? DayLow { get; init => field = Guard.PositiveOrNull(value, nameof(DayLow)); }
    public long? Volume { get; init => field = value is < 0 ? throw new ArgumentOutOfRangeException(nameof(Volume)) : value; }
    public required string Currency { get; init => field = Guard.Currency(value); }
    public required DateTimeOffset MarketTime { get; init => field = value.ToUniversalTime(); }
    public required string Source { get; init => field = Guard.NotBlank(value, nameof(Source)); }
    public bool IsSimulated { get; init; }
    /// <summary>True when served from the store because no provider could answer.</summary>
    public bool IsStale { get; init; }
    public required DateTimeOffset AsOf { get; init => field = value.ToUniversalTime(); }

    public decimal? Change => PreviousClose is { } previous ? Price - previous : null;
    public decimal? ChangePercent => PreviousClose is { } previous ? Math.Round((Price - previous) / previous * 100m, 4) : null;
}

/// <summary>
/// One trading day. Open/High/Low/Close are split-adjusted (as Yahoo reports them);
/// <see cref="AdjustedClose"/> is also adjusted for dividends, for total-return maths.
/// </summary>
public sealed record DailyBar
{
    public required DateOnly Date { get; init; }
    public required decimal Open { get; init => field = Guard.Positive(value, nameof(Open)); }
    public required decimal High { get; init => field = Guard.Positive(value, nameof(High)); }
    public required decimal Low { get; init => field = Guard.Positive(value, nameof(Low)); }
    public required decimal Close { get; init => field = Guard.Positive(value, nameof(Close)); }
    public required decimal AdjustedClose { get; init => field = Guard.Positive(value, nameof(AdjustedClose)); }
    public long Volume { get; init => field = value < 0 ? throw new ArgumentOutOfRangeException(nameof(Volume)) : value; }
}

/// <summary>A split of <see cref="Numerator"/> new shares for every <see cref="Denominator"/> old ones (NVDA 2024: 10 for 1).</summary>
public sealed record StockSplit
{
    public required DateOnly Date { get; init; }
    public required int Numerator { get; init => field = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(Numerator)); }
    public required int Denominator { get; init => field = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(Denominator)); }
    public decimal Ratio => (decimal)Numerator / Denominator;
}

/// <summary>A cash dividend per share, keyed by its ex-date.</summary>
public sealed record Dividend
{
    public required DateOnly ExDate { get; init; }
    public required decimal Amount { get; init => field = Guard.Positive(value, nameof(Amount)); }

    /// <summary>When it is paid, where the provider states it: on or after <see cref="ExDate"/>; null when unknown.</summary>
    public DateOnly? PayDate
    {
        get;
        init => field = value is { } pay && pay < ExDate ? throw new ArgumentOutOfRangeException(nameof(PayDate), pay, "A dividend is paid on or after its ex-date.") : value;
    }
}

/// <summary>The pay date of the dividend that goes ex on <see cref="ExDate"/>, where a provider states it without the amount (Yahoo's calendar names the next one).</summary>
public sealed record DividendPayDate
{
    public required DateOnly ExDate { get; init; }
    public required DateOnly PayDate { get; init => field = value >= ExDate ? value : throw new ArgumentOutOfRangeException(nameof(PayDate), value, "A dividend is paid on or after its ex-date."); }
}

/// <summary>
/// Splits and cash dividends a provider reports apart from its price history (Finnhub's /stock/split and
/// /stock/dividend, Yahoo's calendar events), with the pay dates the history lacks. Dividends are per share in
/// today's shares (divided by every later split), as history dividends are.
/// </summary>
public sealed record CorporateActionReport
{
    public required string Symbol { get; init => field = Guard.Symbol(value); }
    public IReadOnlyList<StockSplit> Splits { get; init => field = value.OrderBy(s => s.Date).ToArray(); } = [];
    public IReadOnlyList<Dividend> Dividends { get; init => field = value.OrderBy(d => d.ExDate).ToArray(); } = [];
    public IReadOnlyList<DividendPayDate> PayDates { get; init => field = value.OrderBy(d => d.ExDate).ToArray(); } = [];
    /// <summary>The providers that answered, comma-separated.</summary>
    public required string Source { get; init => field = Guard.NotBlank(value, nameof(Source)); }

    /// <summary>The pay date stated for the dividend that goes ex on <paramref name="exDate"/>, if any.</summary>
    public DateOnly? PayDateOf(DateOnly exDate) =>
        Dividends.FirstOrDefault(d => d.ExDate == exDate)?.PayDate ?? PayDates.FirstOrDefault(p => p.ExDate == exDate)?.PayDate;
}

/// <summary>Daily bars (ascending, one per date) with the corporate actions inside the same range.</summary>
public sealed record PriceHistory
{
    public required string Symbol { get; init => field = Guard.Symbol(value); }
    public required IReadOnlyList<DailyBar> Bars
    {
        get;
        init => field = value.OrderBy(b => b.Date).DistinctBy(b => b.Date).ToArray();
    }
    public IReadOnlyList<StockSplit> Splits { get; init => field = value.OrderBy(s => s.Date).ToArray(); } = [];
    public IReadOnlyList<Dividend> Dividends { get; init => field = value.OrderBy(d => d.ExDate).ToArray(); } = [];

    /// <summary>
    /// This history with what <paramref name="report"/> adds: pay dates for its dividends, and the splits and dividends
    /// the report has that it lacks (one within 3 days of one it has is the same action, dated differently by another vendor).
    /// </summary>
    public PriceHistory With(CorporateActionReport? report)
    {
        if (report is null)
        {
            return this;
        }
        static bool Near(DateOnly a, DateOnly b) => Math.Abs(a.DayNumber - b.DayNumber) <= 3;
        var first = Bars.Count > 0 ? Bars[0].Date : DateOnly.MinValue;
        return this with
        {
            Splits = [.. Splits, .. report.Splits.Where(r => r.Date >= first && !Splits.Any(s => Near(s.Date, r.Date)))],
            Dividends =
            [
                .. Dividends.Select(d => d.PayDate is null && report.PayDateOf(d.ExDate) is { } pay ? d with { PayDate = pay } : d),
                .. report.Dividends.Where(r => r.ExDate >= first && !Dividends.Any(d => Near(d.ExDate, r.ExDate))),
            ],
        };
    }

    /// <summary>The ISO 4217 currency of the prices and dividends (major units: pence already divided into pounds); null when the source did not say (the store keeps none).</summary>
    public string? Currency { get; init => field = value is null ? null : Guard.Currency(value); }
    public required string Source { get; init => field = Guard.NotBlank(value, nameof(Source)); }
    public bool IsSimulated { get; init; }
}

public sealed record CompanyProfile
{
    public required string Symbol { get; init => field = Guard.Symbol(value); }
    public required string Name { get; init => field = Guard.NotBlank(value, nameof(Name)); }
    public string? LogoUrl { get; init; }
    public string? Sector { get; init; }
    public string? Industry { get; init; }
    /// <summary>In whole currency units (dollars), not millions.</summary>
    public decimal? MarketCap { get; init => field = Guard.PositiveOrNull(value, nameof(MarketCap)); }
    public string? Exchange { get; init; }
    public required string Currency { get; init => field = Guard.Currency(value); }
    public string? Website { get; init; }
    public required string Source { get; init => field = Guard.NotBlank(value, nameof(Source)); }
    public bool IsSimulated { get; init; }
    public required DateTimeOffset AsOf { get; init => field = value.ToUniversalTime(); }
}

public sealed record NewsHeadline
{
    /// <summary>Stable per source, so the store can upsert.</summary>
    public required string Id { get; init => field = Guard.NotBlank(value, nameof(Id)); }
    public required string Title { get; init => field = Guard.NotBlank(value, nameof(Title)); }
    public required string Publisher { get; init => field = Guard.NotBlank(value, nameof(Publisher)); }
    /// <summary>An absolute http or https link: anything else (<c>javascript:</c>, <c>data:</c>, <c>file:</c>) would run or open something other than a web page when clicked.</summary>
    public required Uri Url { get; init => field = IsWebLink(value) ? value : throw new ArgumentException("News URL must be an absolute http(s) link.", nameof(Url)); }
    public required DateTimeOffset PublishedAt { get; init => field = value.ToUniversalTime(); }
    public string? Summary { get; init; }
    public IReadOnlyList<string> RelatedSymbols { get; init; } = [];

    /// <summary>Parses a vendor's link; false unless it is an absolute http or https URL (the only kind a headline may carry).</summary>
    public static bool TryParseLink(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Uri? link)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var parsed) && IsWebLink(parsed))
        {
            link = parsed;
            return true;
        }
        link = null;
        return false;
    }

    private static bool IsWebLink(Uri link) => link.IsAbsoluteUri && (link.Scheme == Uri.UriSchemeHttps || link.Scheme == Uri.UriSchemeHttp);
}

/// <summary>The headlines for one symbol as fetched together; <see cref="AsOf"/> drives cache freshness.</summary>
public sealed record NewsFeed
{
    public required string Symbol { get; init => field = Guard.Symbol(value); }
    public required IReadOnlyList<NewsHeadline> Headlines
    {
        get;
        init => field = value.DistinctBy(h => h.Id).OrderByDescending(h => h.PublishedAt).ToArray();
    }
    public required string Source { get; init => field = Guard.NotBlank(value, nameof(Source)); }
    public bool IsSimulated { get; init; }
    public required DateTimeOffset AsOf { get; init => field = value.ToUniversalTime(); }
}

public enum SecurityType { Stock, Etf, Other }

public sealed record SymbolMatch
{
    public required string Symbol { get; init => field = Guard.Symbol(value); }
    public required string Name { get; init => field = Guard.NotBlank(value, nameof(Name)); }
    public string? Exchange { get; init; }
    public SecurityType Type { get; init; }
    public required string Source { get; init; }
}

internal static class Guard
{
    public static string Symbol(string value) => Ticker.Parse(value).Value;

    public static decimal Positive(decimal value, string name) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(name, value, "Prices must be positive; a missing price is not 0.");

    public static decimal? PositiveOrNull(decimal? value, string name) =>
        value is null or > 0 ? value : throw new ArgumentOutOfRangeException(name, value, "Must be positive when present.");

    public static string NotBlank(string value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw new ArgumentException("Required.", name) : value.Trim();

    // A minor unit (GBp, ZAc, ILA) is refused, never upper-cased into pounds: a provider converts its prices at its edge.
    public static string Currency(string value) =>
        Domain.Currency.TryParse(value, out var currency)
            ? currency.Code
            : throw new ArgumentException($"'{value}' is not an ISO currency code.", nameof(Currency));
}
