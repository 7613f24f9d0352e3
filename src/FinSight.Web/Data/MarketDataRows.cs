using FinSight.MarketData;

namespace FinSight.Web.Data;

// Rows behind IMarketDataStore and the symbol directory. They mirror FinSight.MarketData's
// records column for column; the conversions live in EfMarketDataStore. Simulated data is
// never stored (the facade does not pass it), so every row here came from a real vendor.

/// <summary>The spec's stock quote cache: the last quote per symbol.</summary>
public sealed class StockQuoteRow
{
    public required string Symbol { get; set; }
    public decimal Price { get; set; }
    public decimal? PreviousClose { get; set; }
    public decimal? DayHigh { get; set; }
    public decimal? DayLow { get; set; }
    public long? Volume { get; set; }
    public required string Currency { get; set; }
    public DateTimeOffset MarketTime { get; set; }
    public required string Source { get; set; }
    public DateTimeOffset AsOf { get; set; }
}

/// <summary>The spec's company profile cache.</summary>
public sealed class CompanyProfileRow
{
    public required string Symbol { get; set; }
    public required string Name { get; set; }
    public string? LogoUrl { get; set; }
    public string? Sector { get; set; }
    public string? Industry { get; set; }
    public decimal? MarketCap { get; set; }
    public string? Exchange { get; set; }
    public required string Currency { get; set; }
    public string? Website { get; set; }
    public required string Source { get; set; }
    public DateTimeOffset AsOf { get; set; }
}

/// <summary>When a symbol's news was last fetched, and from where.</summary>
public sealed class NewsFeedRow
{
    public required string Symbol { get; set; }
    public required string Source { get; set; }
    public DateTimeOffset AsOf { get; set; }
}

/// <summary>One headline as listed for one symbol (a headline about two symbols is stored twice).</summary>
public sealed class NewsHeadlineRow
{
    public required string Symbol { get; set; }
    public required string HeadlineId { get; set; }
    public required string Title { get; set; }
    public required string Publisher { get; set; }
    public required string Url { get; set; }
    public DateTimeOffset PublishedAt { get; set; }
    public string? Summary { get; set; }
    /// <summary>Space-separated tickers.</summary>
    public string RelatedSymbols { get; set; } = "";
}

/// <summary>A completed trading day. Written once: past bars never change.</summary>
public sealed class DailyBarRow
{
    public required string Symbol { get; set; }
    public DateOnly Date { get; set; }
    public decimal Open { get; set; }
    public decimal High { get; set; }
    public decimal Low { get; set; }
    public decimal Close { get; set; }
    public decimal AdjustedClose { get; set; }
    public long Volume { get; set; }
    public required string Source { get; set; }
}

public sealed class StockSplitRow
{
    public required string Symbol { get; set; }
    public DateOnly Date { get; set; }
    public int Numerator { get; set; }
    public int Denominator { get; set; }
}

public sealed class DividendRow
{
    public required string Symbol { get; set; }
    public DateOnly ExDate { get; set; }
    public decimal Amount { get; set; }
}

/// <summary>The symbol directory: US listed securities.</summary>
public sealed class StockRow
{
    public required string Symbol { get; set; }
    public required string Name { get; set; }
    public required string Exchange { get; set; }
    public SecurityType Type { get; set; }
    public string? Sector { get; set; }
    public string? Industry { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
