using System.Globalization;
using FinSight.Web.Data;
using FinSight.Web.Features.Insights;

namespace FinSight.Web.Features.Alerts;

/// <summary>What an evaluation does to a rule.</summary>
public enum AlertTransition
{
    None,
    Fire,
    Rearm,
}

/// <summary>
/// The fire-once rule with hysteresis, in one place. A rule's condition (per kind, with the edge
/// included except for news, whose threshold is "below") fires an armed rule; a disarmed rule
/// re-arms only once the value is back on the clear side by at least the margin.
/// </summary>
public static class AlertConditions
{
    /// <summary>Whether <paramref name="value"/> meets the rule's condition.</summary>
    public static bool IsMet(AlertKind kind, decimal threshold, decimal value) => kind switch
    {
        AlertKind.PriceAbove => value >= threshold,
        AlertKind.PriceBelow => value <= threshold,
        AlertKind.DailyMove => Math.Abs(value) >= threshold,
        AlertKind.PositionDrawdown or AlertKind.PortfolioDrawdown => value >= threshold,
        AlertKind.NewsNegative => value < threshold,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Whether the value has cleared the condition by at least <paramref name="margin"/> (≥ 0), so the rule may fire again.</summary>
    public static bool IsClear(AlertKind kind, decimal threshold, decimal margin, decimal value) => kind switch
    {
        AlertKind.PriceAbove => value < threshold - margin,
        AlertKind.PriceBelow => value > threshold + margin,
        AlertKind.DailyMove => Math.Abs(value) < threshold - margin,
        AlertKind.PositionDrawdown or AlertKind.PortfolioDrawdown => value < threshold - margin,
        AlertKind.NewsNegative => value >= threshold + margin,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static AlertTransition Decide(AlertKind kind, decimal threshold, decimal margin, bool armed, decimal value) =>
        armed
            ? IsMet(kind, threshold, value) ? AlertTransition.Fire : AlertTransition.None
            : IsClear(kind, threshold, margin, value) ? AlertTransition.Rearm : AlertTransition.None;
}

/// <summary>
/// Event rules (ex-dividend, pending corporate action) fire once per event rather than on a level:
/// which events are due, and the key each is remembered by (<see cref="AlertRuleOccurrence"/>).
/// </summary>
public static class AlertEventRules
{
    /// <summary>
    /// The upcoming dividends of <paramref name="symbol"/> (any holding when null) whose ex-date is at most
    /// <paramref name="days"/> days after <paramref name="today"/> (and not before it), soonest first. One per
    /// symbol and ex-date month, keyed by them, so an estimate that market data later reports a day off is
    /// the same event; a reported date wins over an estimate.
    /// </summary>
    public static IReadOnlyList<AlertItem> ExDividendsDue(IEnumerable<UpcomingDividend> upcoming, string? symbol, DateOnly today, int days) =>
        [.. upcoming
            .Where(u => (symbol is null || u.Symbol == symbol) && u.ExDate >= today && u.ExDate.DayNumber - today.DayNumber <= days)
            .GroupBy(u => ExDividendKey(u.Symbol, u.ExDate))
            .Select(g => (Key: g.Key, Dividend: g.OrderBy(u => u.Estimated).ThenBy(u => u.ExDate).First()))
            .OrderBy(x => x.Dividend.ExDate).ThenBy(x => x.Dividend.Symbol, StringComparer.Ordinal)
            .Select(x => new AlertItem(x.Key, "dividend", x.Dividend.Symbol, x.Dividend.ExDate, x.Dividend.AmountPerShare, x.Dividend.Shares, x.Dividend.Amount,
                x.Dividend.Estimated, AlertText.ExDividend(x.Dividend.Symbol, x.Dividend.ExDate, x.Dividend.ExDate.DayNumber - today.DayNumber,
                    x.Dividend.AmountPerShare, x.Dividend.Shares, x.Dividend.Amount, x.Dividend.Estimated)))];

    /// <summary><c>ex_dividend:MSFT:2027-02</c>: the symbol and the ex-date's month.</summary>
    public static string ExDividendKey(string symbol, DateOnly exDate) =>
        $"ex_dividend:{symbol}:{exDate.ToString("yyyy-MM", CultureInfo.InvariantCulture)}";
}

/// <summary>A user's quiet hours: a daily local-time window (it may span midnight) during which email and webhook deliveries wait.</summary>
public static class QuietHours
{
    /// <summary>When deliveries may go out: <paramref name="now"/> outside the window, else the window's end.</summary>
    public static DateTimeOffset NextAllowed(DateTimeOffset now, TimeOnly? start, TimeOnly? end, string timeZone)
    {
        if (start is not { } from || end is not { } to || from == to)
        {
            return now;
        }
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        var inside = from < to ? time >= from && time < to : time >= from || time < to;
        if (!inside)
        {
            return now;
        }
        var endDate = DateOnly.FromDateTime(local.DateTime);
        if (from > to && time >= from)
        {
            endDate = endDate.AddDays(1);
        }
        var endLocal = endDate.ToDateTime(to);
        var offset = zone.GetUtcOffset(endLocal);
        return new DateTimeOffset(endLocal, offset).ToUniversalTime();
    }
}
