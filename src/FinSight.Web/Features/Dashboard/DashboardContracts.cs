using FinSight.Domain;
using FinSight.MarketData;

namespace FinSight.Web.Features.Dashboard;

// Units in every dashboard body: money in the portfolio currency rounded to cents; fields
// ending in _percent are percentages (13.79); twr, xirr, volatility, max_drawdown, alpha,
// weight and win_rate are fractions (0.1379). null means "not defined" (no history, no trades,
// no benchmark overlap), never zero.

/// <summary>How far to trust one symbol's price: live, stale (last known, with its time), simulated, or unavailable.</summary>
public sealed record PriceStatus(string Symbol, string Status, string? Source, DateTimeOffset? AsOf, string? Reason)
{
    public const string Live = "live";
    public const string Stale = "stale";
    public const string Simulated = "simulated";
    public const string Unavailable = "unavailable";

    public static PriceStatus From(string symbol, MarketDataResult<Quote>? result) => result switch
    {
        { Value: { IsSimulated: true } q } => new(symbol, Simulated, q.Source, q.AsOf, "Simulated market data, not real prices."),
        { Status: MarketDataStatus.Stale, Value: { } q } => new(symbol, Stale, q.Source, q.AsOf, result.Reason),
        { Status: MarketDataStatus.Fresh, Value: { } q } => new(symbol, Live, q.Source, q.AsOf, null),
        _ => new(symbol, Unavailable, null, null, result?.Reason ?? "No price available; valued at the last trade price."),
    };
}

/// <summary>Which prices behind a figure are not live. The UI shows a badge when anything is listed.</summary>
public sealed record DataFreshness(
    bool IsSimulated, IReadOnlyList<string> StaleSymbols, IReadOnlyList<string> UnavailableSymbols, DateTimeOffset? OldestPriceAsOf)
{
    public static DataFreshness From(IEnumerable<PriceStatus> statuses)
    {
        var list = statuses.ToArray();
        return new(
            list.Any(s => s.Status == PriceStatus.Simulated),
            [.. list.Where(s => s.Status == PriceStatus.Stale).Select(s => s.Symbol)],
            [.. list.Where(s => s.Status == PriceStatus.Unavailable).Select(s => s.Symbol)],
            list.Where(s => s.AsOf is not null).Select(s => s.AsOf).Min());
    }
}

public sealed record DashboardOverview(
    Guid PortfolioId,
    string PortfolioName,
    decimal TotalValue,
    decimal Cash,
    decimal Invested,
    decimal MarketValue,
    decimal UnrealizedPnl,
    decimal? UnrealizedPnlPercent,
    decimal RealizedPnl,
    decimal Dividends,
    decimal Fees,
    decimal TotalReturn,
    decimal? TotalReturnPercent,
    double? Twr,
    double? TwrAnnualized,
    double? Xirr,
    double? SharpeRatio,
    double? SortinoRatio,
    double? MaxDrawdown,
    double? Volatility,
    double? Beta,
    double? Alpha,
    decimal? WinRate,
    int TotalTrades,
    int WinningTrades,
    int LosingTrades,
    decimal? DayChange,
    decimal? DayChangePercent,
    int PositionCount,
    string Benchmark,
    DateOnly? RiskAsOf,
    DateTimeOffset AsOf,
    DataFreshness Data);

public sealed record PositionResponse(
    string Symbol,
    string? Name,
    string? LogoUrl,
    string? Sector,
    string? Industry,
    decimal Quantity,
    decimal AverageCost,
    decimal CostBasis,
    decimal Price,
    decimal? PreviousClose,
    decimal? DayChange,
    decimal? DayChangePercent,
    decimal MarketValue,
    decimal UnrealizedPnl,
    decimal? UnrealizedPnlPercent,
    decimal? Weight,
    PriceStatus PriceStatus);

public sealed record PositionsResponse(IReadOnlyList<PositionResponse> Positions, DateTimeOffset AsOf, DataFreshness Data);

public sealed record ProfitLossLine(
    string Symbol, decimal Quantity, decimal PurchaseCost, decimal CurrentPrice, decimal MarketValue, decimal Cost,
    decimal Gain, decimal? GainPercent, PriceStatus PriceStatus);

public sealed record ProfitLossTotals(decimal MarketValue, decimal Cost, decimal Gain, decimal? GainPercent, decimal RealizedGain, decimal Dividends);

public sealed record ProfitLossResponse(IReadOnlyList<ProfitLossLine> Positions, ProfitLossTotals Totals, DateTimeOffset AsOf, DataFreshness Data);

public sealed record TradeResponse(
    Guid Id, TransactionType Type, string? Symbol, decimal? Quantity, decimal? Price, decimal? Fees, decimal? Amount,
    decimal? SplitNumerator, decimal? SplitDenominator, DateOnly Date, string? Notes,
    decimal? RealizedPnl, decimal? RealizedPnlPercent);

public sealed record TradesResponse(IReadOnlyList<TradeResponse> Items, int Total);

public sealed record QuoteResponse(
    string Symbol, decimal Price, decimal? PreviousClose, decimal? Change, decimal? ChangePercent, decimal? DayHigh, decimal? DayLow,
    long? Volume, string Currency, DateTimeOffset MarketTime, DateTimeOffset AsOf, string Source, string Status)
{
    public static QuoteResponse From(Quote q, PriceStatus status) => new(
        Symbol: q.Symbol, Price: q.Price, PreviousClose: q.PreviousClose, Change: q.Change, ChangePercent: q.ChangePercent,
        DayHigh: q.DayHigh, DayLow: q.DayLow, Volume: q.Volume, Currency: q.Currency, MarketTime: q.MarketTime, AsOf: q.AsOf,
        Source: q.Source, Status: status.Status);
}

public sealed record ProfileResponse(
    string Symbol, string Name, string? LogoUrl, string? Sector, string? Industry, decimal? MarketCap, string? Exchange,
    string Currency, string? Website, string Source, bool IsSimulated, bool IsStale, DateTimeOffset AsOf);

public sealed record PerformancePoint(
    DateOnly Date, decimal Value, decimal Invested, decimal NetContributions, double TwrIndex, double? BenchmarkIndex, double Drawdown);

public sealed record DrawdownResponse(double Depth, DateOnly? Peak, DateOnly? Trough, DateOnly? Recovery);

public sealed record PerformanceResponse(
    string Range,
    DateOnly StartDate,
    DateOnly EndDate,
    bool IsPartial,
    string Benchmark,
    decimal StartValue,
    decimal EndValue,
    decimal Gain,
    double? Twr,
    double? TwrAnnualized,
    double? Xirr,
    double? SimpleReturn,
    double? Volatility,
    double? SharpeRatio,
    double? SortinoRatio,
    DrawdownResponse? MaxDrawdown,
    double? Beta,
    double? Alpha,
    double? Correlation,
    double? BenchmarkReturn,
    IReadOnlyList<PerformancePoint> Series,
    IReadOnlyList<string> MissingHistory,
    bool IsSimulated);

internal static class Round
{
    public static decimal Money(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);
    public static decimal? Money(decimal? value) => value is { } v ? Money(v) : null;
    public static decimal? Percent(decimal? ratio) => ratio is { } r ? Math.Round(r * 100m, 2, MidpointRounding.AwayFromZero) : null;
    public static decimal? Fraction(decimal? ratio) => ratio is { } r ? Math.Round(r, 6, MidpointRounding.AwayFromZero) : null;
    public static double? Fraction(double? value) => value is { } v ? Math.Round(v, 6, MidpointRounding.AwayFromZero) : null;
}
