namespace FinSight.MarketData;

/// <summary>
/// The US equity market's calendar (NYSE and Nasdaq share it), the one place FinSight decides when
/// the market is open: weekends; the NYSE holidays (New Year's Day, Martin Luther King Jr. Day,
/// Washington's Birthday, Good Friday, Memorial Day, Juneteenth from 2022, Independence Day, Labor Day,
/// Thanksgiving, Christmas; a Sunday holiday is observed on Monday and a Saturday one on Friday, except
/// New Year's Day, which is then not observed); the unscheduled closures since 2000; and the 13:00
/// early closes (3 July when Independence Day falls Tuesday to Friday, the day after Thanksgiving,
/// and 24 December on a weekday). Regular session 09:30–16:00 New York time.
/// </summary>
public static class MarketCalendar
{
    public static readonly TimeZoneInfo NewYork = FindNewYork();
    public static readonly TimeOnly Open = new(9, 30);
    public static readonly TimeOnly Close = new(16, 0);
    public static readonly TimeOnly EarlyClose = new(13, 0);

    /// <summary>Closures outside the holiday rules: 11–14 September 2001, national days of mourning and Hurricane Sandy.</summary>
    private static readonly HashSet<DateOnly> Unscheduled =
    [
        new(2001, 9, 11), new(2001, 9, 12), new(2001, 9, 13), new(2001, 9, 14),
        new(2004, 6, 11), new(2007, 1, 2), new(2012, 10, 29), new(2012, 10, 30), new(2018, 12, 5), new(2025, 1, 9),
    ];

    public static DateOnly ExchangeDate(DateTimeOffset instant) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, NewYork).DateTime);

    /// <summary>True when the market holds a session on <paramref name="date"/> (a weekday that is no holiday or closure).</summary>
    public static bool IsTradingDay(DateOnly date) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !IsHoliday(date) && !Unscheduled.Contains(date);

    /// <summary>True for a weekday on which the exchange is closed for a holiday (observed date).</summary>
    public static bool IsHoliday(DateOnly date)
    {
        var y = date.Year;
        if (date == Observed(new DateOnly(y, 1, 1), observeOnFriday: false)
            || date == Nth(y, 1, DayOfWeek.Monday, 3)
            || date == Nth(y, 2, DayOfWeek.Monday, 3)
            || date == Easter(y).AddDays(-2)
            || date == Last(y, 5, DayOfWeek.Monday)
            || (y >= 2022 && date == Observed(new DateOnly(y, 6, 19)))
            || date == Observed(new DateOnly(y, 7, 4))
            || date == Nth(y, 9, DayOfWeek.Monday, 1)
            || date == Nth(y, 11, DayOfWeek.Thursday, 4)
            || date == Observed(new DateOnly(y, 12, 25)))
        {
            return true;
        }

        // A Saturday New Year's Day of next year is not moved to this 31 December (NYSE rule), so nothing more to check.
        return false;
    }

    /// <summary>The session's closing time: 13:00 on early-close days, else 16:00.</summary>
    public static TimeOnly CloseOn(DateOnly date)
    {
        var independence = new DateOnly(date.Year, 7, 4);
        var earlyJuly = date.Month == 7 && date.Day == 3 && independence.DayOfWeek is >= DayOfWeek.Tuesday and <= DayOfWeek.Friday;
        var blackFriday = date == Nth(date.Year, 11, DayOfWeek.Thursday, 4).AddDays(1);
        var christmasEve = date.Month == 12 && date.Day == 24;
        return (earlyJuly || blackFriday || christmasEve) && IsTradingDay(date) ? EarlyClose : Close;
    }

    public static DateTimeOffset At(DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time);
        return new DateTimeOffset(local, NewYork.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>True while a regular session is running at <paramref name="instant"/>.</summary>
    public static bool IsOpen(DateTimeOffset instant)
    {
        var date = ExchangeDate(instant);
        return IsTradingDay(date) && instant >= At(date, Open) && instant < At(date, CloseOn(date));
    }

    /// <summary>The latest trading day whose session has closed at <paramref name="instant"/>.</summary>
    public static DateOnly LastClosedSession(DateTimeOffset instant)
    {
        var date = ExchangeDate(instant);
        if (!IsTradingDay(date) || instant < At(date, CloseOn(date)))
        {
            date = PreviousTradingDay(date);
        }
        return date;
    }

    /// <summary>
    /// The session a live quote at <paramref name="instant"/> belongs to: today once the regular session
    /// has opened, otherwise the last closed one. Its <see cref="PreviousTradingDay"/> is the close a
    /// quote's previous close refers to, so "today's" change runs from that close.
    /// </summary>
    public static DateOnly CurrentSession(DateTimeOffset instant)
    {
        var date = ExchangeDate(instant);
        return IsTradingDay(date) && instant >= At(date, Open) ? date : LastClosedSession(instant);
    }

    public static DateOnly PreviousTradingDay(DateOnly date)
    {
        do { date = date.AddDays(-1); } while (!IsTradingDay(date));
        return date;
    }

    /// <summary><paramref name="date"/> itself when it is a trading day, else the trading day before it.</summary>
    public static DateOnly TradingDayOnOrBefore(DateOnly date) => IsTradingDay(date) ? date : PreviousTradingDay(date);

    /// <summary>Trading days in (<paramref name="from"/>, <paramref name="to"/>]; 0 when <paramref name="to"/> ≤ <paramref name="from"/>.</summary>
    public static int TradingDaysBetween(DateOnly from, DateOnly to)
    {
        if (to <= from)
        {
            return 0;
        }
        var days = to.DayNumber - from.DayNumber;
        var weeks = Math.DivRem(days, 7, out var rest);
        var count = weeks * 5;
        for (var d = to.AddDays(-rest + 1); d <= to; d = d.AddDays(1))
        {
            if (d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)) count++;
        }
        // Whole weeks hold five weekdays each; take out the ones the exchange was closed.
        for (var year = from.Year; year <= to.Year; year++)
        {
            foreach (var closed in ClosedWeekdays(year))
            {
                if (closed > from && closed <= to) count--;
            }
        }
        return count;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, DateOnly[]> ClosedByYear = new();

    private static DateOnly[] ClosedWeekdays(int year) => ClosedByYear.GetOrAdd(year, y =>
    {
        var list = new List<DateOnly>();
        for (var d = new DateOnly(y, 1, 1); d.Year == y; d = d.AddDays(1))
        {
            if (d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !IsTradingDay(d)) list.Add(d);
        }
        return [.. list];
    });

    private static DateOnly Observed(DateOnly date, bool observeOnFriday = true) => date.DayOfWeek switch
    {
        DayOfWeek.Sunday => date.AddDays(1),
        DayOfWeek.Saturday => observeOnFriday ? date.AddDays(-1) : date,
        _ => date,
    };

    internal static DateOnly Nth(int year, int month, DayOfWeek day, int n)
    {
        var first = new DateOnly(year, month, 1);
        return first.AddDays(((day - first.DayOfWeek + 7) % 7) + (7 * (n - 1)));
    }

    internal static DateOnly Last(int year, int month, DayOfWeek day)
    {
        var last = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
        return last.AddDays(-((last.DayOfWeek - day + 7) % 7));
    }

    /// <summary>Easter Sunday (Gregorian, the anonymous algorithm).</summary>
    internal static DateOnly Easter(int year)
    {
        int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
        var h = ((19 * a) + b - d - g + 15) % 30;
        int i = c / 4, k = c % 4;
        var l = (32 + (2 * e) + (2 * i) - h - k) % 7;
        var m = (a + (11 * h) + (22 * l)) / 451;
        var month = (h + l - (7 * m) + 114) / 31;
        var day = ((h + l - (7 * m) + 114) % 31) + 1;
        return new DateOnly(year, month, day);
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
