using FinSight.Web.Features.Dashboard;
using FinSight.Web.Features.News;

namespace FinSight.Web.Features.Insights;

/// <summary>One holding's part of the day's change, with its last-24-hour headlines.</summary>
/// <param name="Symbol">The ticker.</param>
/// <param name="Contribution">Money, to the cent; the holdings' contributions plus dividends less fees add up to day_change exactly.</param>
/// <param name="ChangePercent">The price's change since the previous close, percent.</param>
/// <param name="SharesAtPreviousClose">Shares held at the previous close (in today's shares).</param>
/// <param name="Shares">Shares held now.</param>
/// <param name="Price">The current price.</param>
/// <param name="PreviousClose">The previous close.</param>
/// <param name="TradedToday">Bought or sold today: its contribution counts those shares from their trade price.</param>
/// <param name="PriceStatus">live, stale or simulated.</param>
/// <param name="NewsScore">Mean net sentiment (−1 … 1) of its last-24-hour headlines; null without any.</param>
/// <param name="Headlines">Its headlines of the last 24 hours, newest first, with sentiment.</param>
/// <param name="NewsStatus">How far to trust its news (live, simulated, stale, unavailable).</param>
public sealed record HoldingMoveResponse(
    string Symbol, decimal Contribution, decimal ChangePercent, decimal SharesAtPreviousClose, decimal Shares, decimal Price, decimal PreviousClose,
    bool TradedToday, PriceStatus PriceStatus, double? NewsScore, IReadOnlyList<HeadlineView> Headlines, NewsStatusView NewsStatus);

/// <summary>A headline that drives the portfolio's news score.</summary>
/// <param name="Symbol">The holding it is about.</param>
/// <param name="Weight">The holding's share of the value of the holdings with news (0.25 = 25 %).</param>
/// <param name="Impact">Its net sentiment × the weight: its pull on the news score.</param>
/// <param name="Headline">The headline with its sentiment.</param>
public sealed record DrivingHeadline(string Symbol, double Weight, double Impact, HeadlineView Headline);

/// <summary>Why the portfolio moved today. Money in the portfolio's currency, to the cent.</summary>
/// <param name="Session">The session being priced (today's, or the last one when the market has not opened).</param>
/// <param name="PreviousSession">The close the change is measured from.</param>
/// <param name="DayChange">Holdings' contributions + dividends − fees of the day, to the cent.</param>
/// <param name="DayChangePercent">Of the holdings' value at the previous close; null when nothing was held.</param>
/// <param name="PreviousMarketValue">The priced holdings' value at the previous close.</param>
/// <param name="Dividends">Dividends recorded today (part of the change).</param>
/// <param name="Fees">Standalone fees recorded today (part of the change).</param>
/// <param name="NetDeposits">Deposits less withdrawals recorded today: money moved in or out, not part of the change.</param>
/// <param name="Holdings">Largest contribution (by size) first.</param>
/// <param name="Unpriced">Symbols without a price or previous close: left out, never counted as 0.</param>
/// <param name="NewsScore">The holdings' 24-hour news sentiment weighted by position value (−1 … 1); null when no holding has news.</param>
/// <param name="NewsHeadlines">The headlines that pull the score most, strongest first.</param>
/// <param name="Data">Which prices are stale, simulated or unavailable.</param>
public sealed record DayMoveResponse(
    DateOnly Session, DateOnly PreviousSession, decimal DayChange, decimal? DayChangePercent, decimal PreviousMarketValue,
    decimal Dividends, decimal Fees, decimal NetDeposits, IReadOnlyList<HoldingMoveResponse> Holdings, IReadOnlyList<string> Unpriced,
    double? NewsScore, IReadOnlyList<DrivingHeadline> NewsHeadlines, DataFreshness Data);

/// <summary>A calendar year of time-weighted returns, percentages (1.25 = +1.25 %).</summary>
/// <param name="Year">The year.</param>
/// <param name="Months">Twelve entries, January first; null where the history does not reach.</param>
/// <param name="Total">The year's months compounded.</param>
public sealed record YearReturnsResponse(int Year, IReadOnlyList<decimal?> Months, decimal Total);

/// <summary>Time-weighted returns by month and year, as of the last closed session.</summary>
/// <param name="Years">Oldest first.</param>
/// <param name="AsOf">The last session counted; null for an empty portfolio.</param>
/// <param name="IsSimulated">Whether prices came from the simulated market.</param>
public sealed record MonthlyReturnsResponse(IReadOnlyList<YearReturnsResponse> Years, DateOnly? AsOf, bool IsSimulated);

/// <summary>Money received or expected in one period.</summary>
/// <param name="Period">yyyy-MM for a month, yyyy for a year.</param>
/// <param name="Amount">Money, to the cent.</param>
public sealed record IncomePeriod(string Period, decimal Amount);

/// <summary>One holding's dividends.</summary>
/// <param name="Symbol">The ticker.</param>
/// <param name="Received">Every dividend recorded for it.</param>
/// <param name="TrailingTwelveMonths">Recorded in the last 365 days.</param>
/// <param name="YieldPercent">Trailing income over the position's market value now; null when not held or not priced.</param>
/// <param name="YieldOnCostPercent">Trailing income over the position's cost; null when not held.</param>
/// <param name="Forecast">The next 12 months: each dividend of its last year (market data) × the shares held today.</param>
public sealed record HoldingIncome(string Symbol, decimal Received, decimal TrailingTwelveMonths, decimal? YieldPercent, decimal? YieldOnCostPercent, decimal Forecast);

/// <summary>An expected dividend: a dividend of the last year, a year on.</summary>
/// <param name="Symbol">The ticker.</param>
/// <param name="ExDate">The expected ex-date (last year's, a year on) or a reported future one.</param>
/// <param name="Estimated">True when projected from last year; false when market data reported it (its amount is last year's still).</param>
/// <param name="PayDate">When it is paid, where a provider states it (Finnhub's dividends, Yahoo's next one; a year on when estimated); null when unknown.</param>
/// <param name="AmountPerShare">Per share, in today's shares, as last year.</param>
/// <param name="Shares">Shares held today.</param>
/// <param name="Amount">Expected cash.</param>
public sealed record UpcomingDividend(string Symbol, DateOnly ExDate, bool Estimated, DateOnly? PayDate, decimal AmountPerShare, decimal Shares, decimal Amount);

/// <summary>Dividend income: received, trailing, yield and a 12-month forecast with its calendar. Money to the cent, percentages (2.5 = 2.5 %).</summary>
/// <param name="ByMonth">Received per month, from the first dividend to this month (months without any are 0).</param>
/// <param name="ByYear">Received per year.</param>
/// <param name="ByHolding">Per symbol ever paid or held, largest trailing income first.</param>
/// <param name="TotalReceived">Every dividend recorded.</param>
/// <param name="TrailingTwelveMonths">Received in the last 365 days.</param>
/// <param name="YieldPercent">Trailing income over the holdings' market value now.</param>
/// <param name="YieldOnCostPercent">Trailing income over the holdings' cost.</param>
/// <param name="ForecastTwelveMonths">Expected in the next 12 months.</param>
/// <param name="ForecastByMonth">Expected per month, the next 12 months.</param>
/// <param name="Upcoming">Expected dividends, soonest first.</param>
/// <param name="IsSimulated">True when the forecast comes from the simulated market.</param>
/// <param name="MissingHistory">Holdings without market data: their forecast is unknown, not 0.</param>
public sealed record IncomeResponse(
    IReadOnlyList<IncomePeriod> ByMonth, IReadOnlyList<IncomePeriod> ByYear, IReadOnlyList<HoldingIncome> ByHolding,
    decimal TotalReceived, decimal TrailingTwelveMonths, decimal? YieldPercent, decimal? YieldOnCostPercent,
    decimal ForecastTwelveMonths, IReadOnlyList<IncomePeriod> ForecastByMonth, IReadOnlyList<UpcomingDividend> Upcoming,
    bool IsSimulated, IReadOnlyList<string> MissingHistory);
