namespace FinSight.MarketData;

/// <summary>
/// US regular session times. Weekends are closed; exchange holidays are not modelled (a holiday
/// simply has no bar from real vendors, and the simulated market trades through it).
/// </summary>
public static class MarketCalendar
{
    public static readonly TimeZoneInfo NewYork = FindNewYork();
    public static readonly TimeOnly Open = new(9, 30);
    public static readonly TimeOnly Close = new(16, 0);

    public static DateOnly ExchangeDate(DateTimeOffset instant) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, NewYork).DateTime);

    public static bool IsTradingDay(DateOnly date) => date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    public static DateTimeOffset At(DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time);
        return new DateTimeOffset(local, NewYork.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>The latest trading day whose session has closed at <paramref name="instant"/>.</summary>
    public static DateOnly LastClosedSession(DateTimeOffset instant)
    {
        var date = ExchangeDate(instant);
        if (!IsTradingDay(date) || instant < At(date, Close))
        {
            date = PreviousTradingDay(date);
        }
        return date;
    }

    public static DateOnly PreviousTradingDay(DateOnly date)
    {
        do { date = date.AddDays(-1); } while (!IsTradingDay(date));
        return date;
    }

    private static TimeZoneInfo FindNewYork()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        }
        catch (TimeZoneNotFoundException)
        {
            // Containers without tzdata: a fixed EST offset is off by an hour in summer, which only shifts simulated intraday moves.
            return TimeZoneInfo.CreateCustomTimeZone("America/New_York", TimeSpan.FromHours(-5), "New York", "EST");
        }
    }
}
