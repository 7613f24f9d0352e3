namespace FinSight.MarketData.Yahoo;

// Only the fields FinSight reads. Everything is nullable: Yahoo omits and nulls fields freely.

internal sealed record YahooError(string? Code, string? Description);

internal sealed record ChartEnvelope(ChartBody? Chart);
internal sealed record ChartBody(List<ChartResult>? Result, YahooError? Error);
internal sealed record ChartResult(ChartMeta? Meta, long[]? Timestamp, ChartEvents? Events, ChartIndicators? Indicators);

internal sealed record ChartMeta(
    string? Symbol,
    string? Currency,
    string? FullExchangeName,
    string? ExchangeName,
    string? InstrumentType,
    long? RegularMarketTime,
    int? Gmtoffset,
    decimal? RegularMarketPrice,
    decimal? PreviousClose,
    decimal? ChartPreviousClose,
    decimal? RegularMarketDayHigh,
    decimal? RegularMarketDayLow,
    long? RegularMarketVolume);

internal sealed record ChartEvents(Dictionary<string, ChartDividend>? Dividends, Dictionary<string, ChartSplit>? Splits);
internal sealed record ChartDividend(decimal? Amount, long? Date);
internal sealed record ChartSplit(long? Date, decimal? Numerator, decimal? Denominator);
internal sealed record ChartIndicators(List<ChartQuote>? Quote, List<ChartAdjClose>? Adjclose);
internal sealed record ChartQuote(decimal?[]? Open, decimal?[]? High, decimal?[]? Low, decimal?[]? Close, long?[]? Volume);
internal sealed record ChartAdjClose(decimal?[]? Adjclose);

internal sealed record SearchEnvelope(List<SearchQuote>? Quotes, List<SearchNews>? News);
internal sealed record SearchQuote(string? Symbol, string? Shortname, string? Longname, string? ExchDisp, string? QuoteType);
internal sealed record SearchNews(string? Uuid, string? Title, string? Publisher, string? Link, long? ProviderPublishTime, List<string>? RelatedTickers);

// A 401 for a bad crumb comes back under "finance" instead of "quoteSummary".
internal sealed record SummaryEnvelope(SummaryBody? QuoteSummary, SummaryBody? Finance);
internal sealed record SummaryBody(List<SummaryResult>? Result, YahooError? Error);
internal sealed record SummaryResult(SummaryPrice? Price, SummaryProfile? SummaryProfile, SummaryCalendar? CalendarEvents = null);
// With formatted=false the dates are plain unix seconds (midnight UTC of the day).
internal sealed record SummaryCalendar(long? ExDividendDate, long? DividendDate);
internal sealed record SummaryPrice(string? Symbol, string? LongName, string? ShortName, string? ExchangeName, string? Currency, decimal? MarketCap);
internal sealed record SummaryProfile(string? Sector, string? Industry, string? Website);
