using FinSight.MarketData.Currencies;

namespace FinSight.MarketData;

/// <summary>
/// Trading days of the main venues outside the US, for daily histories: which weekdays a venue is
/// closed. Market data is the first source (<see cref="FromBars"/>: a venue trades on the days its
/// listings have daily bars); these rules stand in where no bars say, and they are the simulated market's calendar.
/// <list type="bullet">
/// <item><c>XLON</c> (<c>.L</c>): England's bank holidays: New Year's Day, Good Friday, Easter Monday, the first and
/// last Mondays of May, the last Monday of August, Christmas and Boxing Day (a weekend one moved to the next
/// weekday), and the one-off days of 2011–2023 (royal wedding, jubilees, the Queen's funeral, the coronation).</item>
/// <item><c>XETR</c> (<c>.DE .F</c>): New Year's Day, Good Friday, Easter Monday, 1 May, 24–26 and 31 December.</item>
/// <item><c>XPAR</c>, Euronext (<c>.PA .AS .BR .LS</c>): New Year's Day, Good Friday, Easter Monday, 1 May, 25–26 December.</item>
/// <item><c>XTKS</c> (<c>.T</c>): 1–3 January, 31 December and Japan's national holidays under the rules in force
/// since 2020 (equinoxes by the astronomical formula, a Sunday holiday moved to the next weekday, a day
/// between two holidays a holiday, the Olympic moves of 2020 and 2021).</item>
/// <item><c>XHKG</c> (<c>.HK</c>): New Year's Day, Good Friday, Easter Monday, 1 May, 1 July, 1 October,
/// Christmas and the first weekday after it every year; the lunar holidays (Lunar New Year, Ching Ming,
/// Buddha's Birthday, Tuen Ng, the day after Mid-Autumn, Chung Yeung) from the gazetted lists of 2024–2026 only.</item>
/// </list>
/// Any other suffix trades on every weekday here (its bars, when a vendor has them, say better). US
/// tickers follow <see cref="MarketCalendar"/>.
/// </summary>
public static class ExchangeCalendars
{
    /// <summary>The venue code of US listings (NYSE and Nasdaq share <see cref="MarketCalendar"/>).</summary>
    public const string UnitedStates = "XNYS";

    private static readonly Dictionary<string, string> VenueBySuffix = new(StringComparer.Ordinal)
    {
        ["L"] = "XLON", ["DE"] = "XETR", ["F"] = "XETR", ["PA"] = "XPAR", ["AS"] = "XPAR", ["BR"] = "XPAR", ["LS"] = "XPAR",
        ["T"] = "XTKS", ["HK"] = "XHKG",
    };

    /// <summary>The venue whose calendar <paramref name="symbol"/> trades on: a code above, <see cref="UnitedStates"/>, or the bare suffix for others.</summary>
    /// <param name="symbol">A ticker.</param>
    /// <returns>The venue code.</returns>
    public static string VenueOf(string symbol) => Exchanges.Of(symbol) is { } exchange
        ? VenueBySuffix.GetValueOrDefault(exchange.Suffix, exchange.Suffix)
        : UnitedStates;

    /// <summary>True when <paramref name="venue"/> holds a session on <paramref name="date"/> by the rules above.</summary>
    /// <param name="venue">A code from <see cref="VenueOf"/>.</param>
    /// <param name="date">The exchange's local date.</param>
    /// <returns>False on weekends and the venue's holidays.</returns>
    public static bool IsTradingDay(string venue, DateOnly date) => venue switch
    {
        UnitedStates => MarketCalendar.IsTradingDay(date),
        _ when date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday => false,
        "XLON" => !London(date),
        "XETR" => !Xetra(date),
        "XPAR" => !Euronext(date),
        "XTKS" => !Tokyo(date),
        "XHKG" => !HongKong(date),
        _ => true,
    };

    /// <summary>True when the venue of <paramref name="symbol"/> holds a session on <paramref name="date"/>.</summary>
    /// <param name="symbol">A ticker.</param>
    /// <param name="date">The exchange's local date.</param>
    /// <returns>See <see cref="IsTradingDay(string, DateOnly)"/>.</returns>
    public static bool IsListingTradingDay(string symbol, DateOnly date) => IsTradingDay(VenueOf(symbol), date);

    /// <summary>
    /// The trading days of a portfolio that holds <paramref name="symbols"/>: the union of their venues'
    /// days (a London holding's bank holiday is still a day when a US holding trades, and its value is
    /// carried forward). A non-US venue's days are those on which any of its listings has a daily bar,
    /// between the first and last bar; outside them, and for a venue without bars, its rules. US days are
    /// always <see cref="MarketCalendar"/>'s. No symbols: the US calendar.
    /// </summary>
    /// <param name="symbols">Tickers, aligned with <paramref name="histories"/>.</param>
    /// <param name="histories">Each symbol's daily bars, or null when none could be had.</param>
    /// <returns>A predicate over dates.</returns>
    public static Func<DateOnly, bool> FromBars(IReadOnlyList<string> symbols, IReadOnlyList<PriceHistory?> histories)
    {
        if (symbols.Count != histories.Count)
        {
            throw new ArgumentException("One history per symbol.", nameof(histories));
        }
        var calendars = symbols.Select((symbol, i) => (Venue: VenueOf(symbol), History: histories[i]))
            .GroupBy(x => x.Venue, StringComparer.Ordinal)
            .Select(venue => VenueDays(venue.Key, venue.Select(x => x.History)))
            .ToArray();
        return calendars.Length == 0 ? MarketCalendar.IsTradingDay : day => calendars.Any(isTradingDay => isTradingDay(day));
    }

    private static Func<DateOnly, bool> VenueDays(string venue, IEnumerable<PriceHistory?> histories)
    {
        if (venue == UnitedStates)
        {
            return MarketCalendar.IsTradingDay;
        }
        var days = histories.SelectMany(h => h?.Bars ?? []).Select(b => b.Date).ToHashSet();
        if (days.Count == 0)
        {
            return day => IsTradingDay(venue, day);
        }
        var (first, last) = (days.Min(), days.Max());
        return day => day >= first && day <= last ? days.Contains(day) : IsTradingDay(venue, day);
    }

    private static readonly HashSet<DateOnly> LondonOneOff =
    [
        new(2011, 4, 29), new(2012, 6, 4), new(2012, 6, 5), new(2020, 5, 8), new(2022, 6, 2), new(2022, 6, 3), new(2022, 9, 19), new(2023, 5, 8),
    ];

    // The bank holidays those one-off days replaced (the early-May holiday of 2020, the spring ones of 2012 and 2022).
    private static readonly HashSet<DateOnly> LondonMoved = [new(2012, 5, 28), new(2020, 5, 4), new(2022, 5, 30)];

    private static bool London(DateOnly date)
    {
        var y = date.Year;
        if (LondonOneOff.Contains(date))
        {
            return true;
        }
        if (LondonMoved.Contains(date))
        {
            return false;
        }
        var easter = MarketCalendar.Easter(y);
        var (christmas, boxing) = ChristmasAndBoxingDay(y);
        return date == NextWeekday(new DateOnly(y, 1, 1)) || date == easter.AddDays(-2) || date == easter.AddDays(1)
            || date == MarketCalendar.Nth(y, 5, DayOfWeek.Monday, 1) || date == MarketCalendar.Last(y, 5, DayOfWeek.Monday) || date == MarketCalendar.Last(y, 8, DayOfWeek.Monday)
            || date == christmas || date == boxing;
    }

    /// <summary>Christmas and Boxing Day as observed: a weekend one moves to the next weekday that is not already the other.</summary>
    private static (DateOnly Christmas, DateOnly Boxing) ChristmasAndBoxingDay(int year)
    {
        var christmas = NextWeekday(new DateOnly(year, 12, 25));
        var boxing = NextWeekday(new DateOnly(year, 12, 26));
        if (boxing <= christmas)
        {
            boxing = NextWeekday(christmas.AddDays(1));
        }
        return (christmas, boxing);
    }

    private static bool Xetra(DateOnly date)
    {
        var easter = MarketCalendar.Easter(date.Year);
        return (date.Month, date.Day) is (1, 1) or (5, 1) or (12, 24) or (12, 25) or (12, 26) or (12, 31)
            || date == easter.AddDays(-2) || date == easter.AddDays(1);
    }

    private static bool Euronext(DateOnly date)
    {
        var easter = MarketCalendar.Easter(date.Year);
        return (date.Month, date.Day) is (1, 1) or (5, 1) or (12, 25) or (12, 26)
            || date == easter.AddDays(-2) || date == easter.AddDays(1);
    }

    private static bool Tokyo(DateOnly date) =>
        (date.Month, date.Day) is (1, 1) or (1, 2) or (1, 3) or (12, 31) || JapanHolidays(date.Year).Contains(date);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, HashSet<DateOnly>> JapanByYear = new();

    /// <summary>Japan's national holidays of <paramref name="year"/> with their substitutes and in-between days.</summary>
    private static HashSet<DateOnly> JapanHolidays(int year) => JapanByYear.GetOrAdd(year, y =>
    {
        var days = new HashSet<DateOnly>
        {
            new(y, 1, 1), MarketCalendar.Nth(y, 1, DayOfWeek.Monday, 2), new(y, 2, 11), new(y, 2, 23), new(y, 3, Equinox(y, 20.8431)),
            new(y, 4, 29), new(y, 5, 3), new(y, 5, 4), new(y, 5, 5), new(y, 9, Equinox(y, 23.2488)), new(y, 11, 3), new(y, 11, 23),
            MarketCalendar.Nth(y, 9, DayOfWeek.Monday, 3),
        };
        // Marine Day, Mountain Day and Sports Day, moved for the Tokyo Olympics in 2020 and 2021.
        days.UnionWith(y switch
        {
            2020 => new DateOnly[] { new(2020, 7, 23), new(2020, 7, 24), new(2020, 8, 10) },
            2021 => new DateOnly[] { new(2021, 7, 22), new(2021, 7, 23), new(2021, 8, 8) },
            _ => new DateOnly[] { MarketCalendar.Nth(y, 7, DayOfWeek.Monday, 3), new(y, 8, 11), MarketCalendar.Nth(y, 10, DayOfWeek.Monday, 2) },
        });
        // A weekday between two holidays is a holiday (September's "silver week").
        foreach (var day in days.ToArray())
        {
            var between = day.AddDays(1);
            if (!days.Contains(between) && days.Contains(between.AddDays(1)))
            {
                days.Add(between);
            }
        }
        // A holiday on a Sunday moves to the next day that is not a holiday.
        foreach (var day in days.Where(d => d.DayOfWeek == DayOfWeek.Sunday).ToArray())
        {
            var substitute = day.AddDays(1);
            while (days.Contains(substitute))
            {
                substitute = substitute.AddDays(1);
            }
            days.Add(substitute);
        }
        return days;
    });

    /// <summary>The day of the equinox in March (constant 20.8431) or September (23.2488), valid 1980–2099.</summary>
    private static int Equinox(int year, double constant) =>
        (int)Math.Floor(constant + (0.242194 * (year - 1980)) - Math.Floor((year - 1980) / 4.0));

    /// <summary>Hong Kong's lunar and solar-term holidays as gazetted, on weekdays (2024–2026).</summary>
    private static readonly HashSet<DateOnly> HongKongLunar =
    [
        // 2024: Lunar New Year, Ching Ming, Buddha's Birthday, Tuen Ng, day after Mid-Autumn, Chung Yeung.
        new(2024, 2, 12), new(2024, 2, 13), new(2024, 4, 4), new(2024, 5, 15), new(2024, 6, 10), new(2024, 9, 18), new(2024, 10, 11),
        // 2025
        new(2025, 1, 29), new(2025, 1, 30), new(2025, 1, 31), new(2025, 4, 4), new(2025, 5, 5), new(2025, 10, 7), new(2025, 10, 29),
        // 2026 (Ching Ming on Sunday 5 April and Easter Monday on the 6th: the 7th; Buddha's Birthday and Chung Yeung on Sundays: the Mondays)
        new(2026, 2, 17), new(2026, 2, 18), new(2026, 2, 19), new(2026, 4, 7), new(2026, 5, 25), new(2026, 6, 19), new(2026, 10, 19),
    ];

    private static bool HongKong(DateOnly date)
    {
        var y = date.Year;
        var easter = MarketCalendar.Easter(y);
        var (christmas, boxing) = ChristmasAndBoxingDay(y);
        return HongKongLunar.Contains(date) || date == easter.AddDays(-2) || date == easter.AddDays(1) || date == christmas || date == boxing
            || date == NextWeekday(new DateOnly(y, 1, 1), saturdayCounts: true) || date == NextWeekday(new DateOnly(y, 5, 1), saturdayCounts: true)
            || date == NextWeekday(new DateOnly(y, 7, 1), saturdayCounts: true) || date == NextWeekday(new DateOnly(y, 10, 1), saturdayCounts: true);
    }

    /// <summary>The date itself on a weekday, else the Monday after (a Saturday holiday stays lost where <paramref name="saturdayCounts"/>).</summary>
    private static DateOnly NextWeekday(DateOnly date, bool saturdayCounts = false) => date.DayOfWeek switch
    {
        DayOfWeek.Saturday => saturdayCounts ? date : date.AddDays(2),
        DayOfWeek.Sunday => date.AddDays(1),
        _ => date,
    };
}
