namespace FinSight.MarketData.Finnhub;

// Finnhub's short field names, kept verbatim. Unknown symbols come back as zeros or {}.

internal sealed record FinnhubQuote(decimal? C, decimal? D, decimal? Dp, decimal? H, decimal? L, decimal? O, decimal? Pc, long? T);

internal sealed record FinnhubProfile(
    string? Country, string? Currency, string? Exchange, string? FinnhubIndustry, string? Logo,
    decimal? MarketCapitalization, string? Name, string? Ticker, string? Weburl);

internal sealed record FinnhubNews(long? Id, long? Datetime, string? Headline, string? Related, string? Source, string? Summary, string? Url);

internal sealed record FinnhubSearch(int? Count, List<FinnhubSearchResult>? Result);
internal sealed record FinnhubSearchResult(string? Description, string? DisplaySymbol, string? Symbol, string? Type);

internal sealed record FinnhubCandles(string? S, decimal?[]? O, decimal?[]? H, decimal?[]? L, decimal?[]? C, long?[]? V, long[]? T);

internal sealed record FinnhubSplit(string? Symbol, string? Date, decimal? FromFactor, decimal? ToFactor);

internal sealed record FinnhubDividend(string? Symbol, string? Date, decimal? Amount, decimal? AdjustedAmount, string? PayDate, string? RecordDate, string? DeclarationDate, string? Currency);

internal sealed record FinnhubForexRates(string? Base, Dictionary<string, decimal?>? Quote);
