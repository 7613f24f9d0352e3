using FinSight.Domain;
using FinSight.MarketData;

namespace FinSight.Web.Features.Dashboard;

// Units in every /api/dashboard/* body (the README's "Dashboard units" says the same): money in the
// portfolio currency rounded to cents; every return, rate and share is a percentage rounded to
// 2 decimals (12.00 = 12 %): total_return_percent, twr, twr_annualized, xirr, volatility
// (annualized), max_drawdown (positive: 8.45 = an 8.45 % fall from peak), alpha, win_rate, weight,
// risk_free_rate, benchmark_return, simple_return and a series point's drawdown. sharpe_ratio,
// sortino_ratio, beta and correlation are plain numbers; twr_index and benchmark_index are growth
// indices (1 = the range's start). null means "not defined" (no history, no trades, no benchmark
// overlap), never zero.

/// <summary>The spec's success envelope around every <c>/api/dashboard/*</c> body: <c>{"status": "success", "data": ...}</c>. Errors are RFC 9457 problem details instead.</summary>
/// <param name="Data">The route's body.</param>
public sealed record Success<T>(T Data)
{
    /// <summary>Always "success".</summary>
    public string Status => "success";
}

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
/// <param name="MarketOpen">False outside the US regular session (nights, weekends, NYSE holidays): prices are then the last close, which is not stale.</param>
/// <param name="LastClose">The last US session that has closed: the day whose closes the prices are while the market is closed.</param>
public sealed record DataFreshness(
    bool IsSimulated, IReadOnlyList<string> StaleSymbols, IReadOnlyList<string> UnavailableSymbols, DateTimeOffset? OldestPriceAsOf,
    bool MarketOpen, DateOnly LastClose)
{
    public static DataFreshness From(IEnumerable<PriceStatus> statuses, DateTimeOffset now)
    {
        var list = statuses.ToArray();
        return new(
            list.Any(s => s.Status == PriceStatus.Simulated),
            [.. list.Where(s => s.Status == PriceStatus.Stale).Select(s => s.Symbol)],
            [.. list.Where(s => s.Status == PriceStatus.Unavailable).Select(s => s.Symbol)],
            list.Where(s => s.AsOf is not null).Select(s => s.AsOf).Min(),
            MarketCalendar.IsOpen(now),
            MarketCalendar.LastClosedSession(now));
    }
}

/// <summary>Headline figures. Risk and return figures are those of <paramref name="Range"/>, from exactly the daily series <c>/api/dashboard/performance</c> returns for that range, benchmark and risk-free rate.</summary>
/// <param name="TotalValue">Market value + cash, at live quotes (money).</param>
/// <param name="Cash">Cash balance (money; 0 when no deposits are recorded).</param>
/// <param name="Invested">Cost basis of the open positions (money).</param>
/// <param name="MarketValue">Σ quantity × live price (money).</param>
/// <param name="UnrealizedPnl">Market value − invested (money).</param>
/// <param name="UnrealizedPnlPercent">Unrealized P&amp;L ÷ invested, percent.</param>
/// <param name="RealizedPnl">Gains realized by sells (money).</param>
/// <param name="TotalReturn">Unrealized + realized + dividends − fees (money).</param>
/// <param name="TotalReturnPercent">Total return ÷ money paid in (deposits, or the buys' cost without deposits), percent.</param>
/// <param name="SharpeRatio">Annualized Sharpe ratio over the range against <paramref name="RiskFreeRate"/> (plain number).</param>
/// <param name="MaxDrawdown">Deepest fall of the time-weighted index from a peak within the range, percent, positive (8.45 = an 8.45 % fall).</param>
/// <param name="Volatility">Annualized standard deviation of daily time-weighted returns (× √252), percent.</param>
/// <param name="Beta">Beta to <paramref name="Benchmark"/> (plain number).</param>
/// <param name="Alpha">Jensen's alpha, annualized, percent.</param>
/// <param name="WinRate">Winning sells ÷ all sells, percent.</param>
/// <param name="Twr">Time-weighted return over the range, percent.</param>
/// <param name="TwrAnnualized">Time-weighted return per year, percent; null for ranges under a year.</param>
/// <param name="Xirr">Money-weighted return per year (XIRR), percent.</param>
/// <param name="SortinoRatio">Annualized Sortino ratio (plain number).</param>
/// <param name="DayChange">
/// The day's change since the previous session's close, to the cent: the same figure as /api/dashboard/day-move's day_change
/// (shares bought today count from their trade price, shares sold today up to their sale price, less trade fees; plus today's
/// dividends less today's fees; deposits and withdrawals are not part of it). Null when no holding has a previous close.
/// </param>
/// <param name="DayChangePercent">Day change ÷ what the holdings were worth at the previous close, percent.</param>
/// <param name="Range">The range the risk and return figures cover: 1D, MTD, 1M, 3M, YTD, 1Y, 3Y, 5Y or ALL (default ALL).</param>
/// <param name="RangeStart">The range's baseline: figures run from the end of this day.</param>
/// <param name="RiskAsOf">The range's last day: the last closed US session.</param>
/// <param name="RiskFreeRate">Annual risk-free rate behind Sharpe, Sortino and alpha, percent.</param>
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
    double? SharpeRatio,
    double? MaxDrawdown,
    double? Volatility,
    double? Beta,
    double? Alpha,
    decimal? WinRate,
    int TotalTrades,
    int WinningTrades,
    int LosingTrades,
    double? Twr,
    double? TwrAnnualized,
    double? Xirr,
    double? SortinoRatio,
    decimal? DayChange,
    decimal? DayChangePercent,
    int PositionCount,
    string Range,
    DateOnly? RangeStart,
    DateOnly? RiskAsOf,
    string Benchmark,
    double RiskFreeRate,
    DateTimeOffset AsOf,
    DataFreshness Data,
    string Currency = "USD",
    decimal PriceEffect = 0m,
    decimal CurrencyEffect = 0m,
    IReadOnlyList<CurrencySlice>? CurrencyAllocation = null,
    IReadOnlyList<RateResponse>? ExchangeRates = null);

/// <summary>The part of the portfolio in one currency (positions trading in it and cash held in it), valued in the base currency.</summary>
/// <param name="Currency">ISO 4217 code.</param>
/// <param name="Value">In the base currency.</param>
/// <param name="Weight">Percent of the total.</param>
public sealed record CurrencySlice(string Currency, decimal Value, decimal? Weight);

/// <summary>Today's rate of a currency held: 1 unit of <paramref name="Currency"/> is <paramref name="Rate"/> units of the base currency.</summary>
/// <param name="Currency">ISO 4217 code.</param>
/// <param name="Rate">Null when no source has it.</param>
/// <param name="Status">live, stale, simulated or unavailable.</param>
public sealed record RateResponse(string Currency, decimal? Rate, string Status);

/// <summary>One open position.</summary>
/// <param name="Weight">Market value ÷ the positions' total market value, percent.</param>
/// <param name="DayChange">The holding's part of the day's change (its contribution in /api/dashboard/day-move), to the cent.</param>
/// <param name="DayChangePercent">The price's change since the previous close, percent.</param>
/// <param name="UnrealizedPnlPercent">Percent.</param>
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
    PriceStatus PriceStatus,
    string Currency = "USD",
    decimal Rate = 1m,
    decimal LocalMarketValue = 0m,
    decimal PriceEffect = 0m,
    decimal CurrencyEffect = 0m);


/// <param name="Currency">The base currency of every amount but a position's <c>price</c>, <c>previous_close</c> and <c>local_market_value</c>, which are in the position's own <c>currency</c>.</param>
public sealed record PositionsResponse(IReadOnlyList<PositionResponse> Positions, DateTimeOffset AsOf, DataFreshness Data, string Currency = "USD");

public sealed record ProfitLossLine(
    string Symbol, decimal Quantity, decimal PurchaseCost, decimal CurrentPrice, decimal MarketValue, decimal Cost,
    decimal Gain, decimal? GainPercent, PriceStatus PriceStatus);

public sealed record ProfitLossTotals(decimal MarketValue, decimal Cost, decimal Gain, decimal? GainPercent, decimal RealizedGain, decimal Dividends);

/// <param name="Currency">The base currency of every amount but <c>current_price</c> (the position's own currency).</param>
public sealed record ProfitLossResponse(IReadOnlyList<ProfitLossLine> Positions, ProfitLossTotals Totals, DateTimeOffset AsOf, DataFreshness Data, string Currency = "USD");

public sealed record TradeResponse(
    Guid Id, TransactionType Type, string? Symbol, decimal? Quantity, decimal? Price, decimal? Fees, decimal? Amount,
    decimal? SplitNumerator, decimal? SplitDenominator, DateOnly Date, string? Notes,
    decimal? RealizedPnl, decimal? RealizedPnlPercent, string? Currency = null);

/// <param name="Currency">The base currency of <c>realized_pnl</c>; each trade's price, fees and amount are in its own <c>currency</c>.</param>
public sealed record TradesResponse(IReadOnlyList<TradeResponse> Items, int Total, string Currency = "USD");

/// <summary>A quote.</summary>
/// <param name="ChangePercent">Percent.</param>
/// <param name="Status">How far to trust the price: live, stale (a provider failed; the last known value), simulated or unavailable.</param>
/// <param name="Market">"open" during the US regular session, else "closed": the price is then the last close (of <paramref name="MarketTime"/>), which is current, not stale.</param>
public sealed record QuoteResponse(
    string Symbol, decimal Price, decimal? PreviousClose, decimal? Change, decimal? ChangePercent, decimal? DayHigh, decimal? DayLow,
    long? Volume, string Currency, DateTimeOffset MarketTime, DateTimeOffset AsOf, string Source, string Status, string Market)
{
    public static QuoteResponse From(Quote q, PriceStatus status, DateTimeOffset now) => new(
        Symbol: q.Symbol, Price: q.Price, PreviousClose: q.PreviousClose, Change: q.Change, ChangePercent: q.ChangePercent,
        DayHigh: q.DayHigh, DayLow: q.DayLow, Volume: q.Volume, Currency: q.Currency, MarketTime: q.MarketTime, AsOf: q.AsOf,
        Source: q.Source, Status: status.Status, Market: MarketCalendar.IsOpen(now) ? "open" : "closed");
}

public sealed record ProfileResponse(
    string Symbol, string Name, string? LogoUrl, string? Sector, string? Industry, decimal? MarketCap, string? Exchange,
    string Currency, string? Website, string Source, bool IsSimulated, bool IsStale, DateTimeOffset AsOf);

/// <summary>One trading day of a range.</summary>
/// <param name="Value">Total value at the day's close (money).</param>
/// <param name="TwrIndex">Time-weighted growth index: 1 at the range's baseline, so the day's index − 1 is the range's TWR so far. When the history starts inside the range the baseline is just before the first point, whose index already holds the first day's return.</param>
/// <param name="BenchmarkIndex">The benchmark's close ÷ its close at the first point.</param>
/// <param name="Drawdown">Fall of <paramref name="TwrIndex"/> below its running peak, percent, positive.</param>
public sealed record PerformancePoint(
    DateOnly Date, decimal Value, decimal Invested, decimal NetContributions, double TwrIndex, double? BenchmarkIndex, double Drawdown);

/// <summary>The deepest fall in a range.</summary>
/// <param name="Depth">Peak-to-trough fall, percent, positive (8.45 = an 8.45 % fall).</param>
public sealed record DrawdownResponse(double Depth, DateOnly? Peak, DateOnly? Trough, DateOnly? Recovery);

/// <summary>A range's daily series and the figures computed from it; units as for <see cref="DashboardOverview"/>.</summary>
/// <param name="StartDate">The baseline: figures run from the end of this day.</param>
/// <param name="SimpleReturn">Gain ÷ (start value + inflows), percent.</param>
/// <param name="BenchmarkReturn">The benchmark's price return over the series, percent.</param>
/// <param name="RiskFreeRate">Annual risk-free rate behind Sharpe, Sortino and alpha, percent.</param>
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
    double RiskFreeRate,
    IReadOnlyList<PerformancePoint> Series,
    IReadOnlyList<string> MissingHistory,
    bool IsSimulated,
    string Currency = "USD");

internal static class Round
{
    public static decimal Money(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);
    public static decimal? Money(decimal? value) => value is { } v ? Money(v) : null;
    public static decimal? Percent(decimal? ratio) => ratio is { } r ? Math.Round(r * 100m, 2, MidpointRounding.AwayFromZero) : null;
    // "+ 0.0" turns the -0 that rounding a tiny negative leaves into 0, which JSON would otherwise show as "-0".
    /// <summary>A plain number (Sharpe, Sortino, beta, correlation), to 6 decimals.</summary>
    public static double? Number(double? value) => value is { } v ? Math.Round(v, 6, MidpointRounding.AwayFromZero) + 0.0 : null;
    public static double? Percent(double? ratio) => ratio is { } r ? Math.Round(r * 100, 2, MidpointRounding.AwayFromZero) + 0.0 : null;
    /// <summary>A fall (a negative ratio) as a positive percentage.</summary>
    public static double? Fall(double? ratio) => ratio is { } r ? Math.Round(Math.Abs(r) * 100, 2, MidpointRounding.AwayFromZero) + 0.0 : null;
    public static double Index(double value) => Math.Round(value, 8, MidpointRounding.AwayFromZero);
}
