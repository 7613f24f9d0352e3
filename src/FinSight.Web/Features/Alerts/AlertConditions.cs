using FinSight.Web.Data;

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
