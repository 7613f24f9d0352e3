namespace FinSight.MarketData.Tests;

/// <summary>The NYSE calendar against the exchange's published holiday and early-close lists for 2025 and 2026.</summary>
public sealed class MarketCalendarTests
{
    [Theory]
    [InlineData("2025-01-01")] [InlineData("2025-01-09")] [InlineData("2025-01-20")] [InlineData("2025-02-17")] [InlineData("2025-04-18")]
    [InlineData("2025-05-26")] [InlineData("2025-06-19")] [InlineData("2025-07-04")] [InlineData("2025-09-01")] [InlineData("2025-11-27")]
    [InlineData("2025-12-25")] [InlineData("2026-01-01")] [InlineData("2026-01-19")] [InlineData("2026-02-16")] [InlineData("2026-04-03")]
    [InlineData("2026-05-25")] [InlineData("2026-06-19")] [InlineData("2026-07-03")] [InlineData("2026-09-07")] [InlineData("2026-11-26")]
    [InlineData("2026-12-25")] [InlineData("2027-12-24")] [InlineData("2026-11-21")]
    public void Holidays_and_weekends_are_closed(string date) =>
        Assert.False(MarketCalendar.IsTradingDay(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("2025-01-02")] [InlineData("2025-07-03")] [InlineData("2025-11-28")] [InlineData("2025-12-24")] [InlineData("2026-07-02")]
    [InlineData("2021-12-31")] // New Year's Day 2022 fell on a Saturday: not observed on the Friday
    [InlineData("2021-06-18")] // Juneteenth is a holiday from 2022 only
    public void Other_weekdays_trade(string date) =>
        Assert.True(MarketCalendar.IsTradingDay(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("2025-07-03", 13)] [InlineData("2025-11-28", 13)] [InlineData("2025-12-24", 13)] [InlineData("2026-11-27", 13)]
    [InlineData("2026-12-24", 13)] [InlineData("2026-07-02", 16)] [InlineData("2025-12-23", 16)]
    public void Early_closes_end_at_one(string date, int hour) =>
        Assert.Equal(new TimeOnly(hour, 0), MarketCalendar.CloseOn(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Open_only_in_the_session_and_the_last_closed_session_skips_holidays()
    {
        Assert.True(MarketCalendar.IsOpen(DateTimeOffset.Parse("2025-11-28T17:00:00Z", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.False(MarketCalendar.IsOpen(DateTimeOffset.Parse("2025-11-28T18:30:00Z", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.False(MarketCalendar.IsOpen(DateTimeOffset.Parse("2025-11-27T17:00:00Z", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(new DateOnly(2025, 11, 26), MarketCalendar.LastClosedSession(DateTimeOffset.Parse("2025-11-28T17:00:00Z", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(new DateOnly(2025, 12, 31), MarketCalendar.LastClosedSession(DateTimeOffset.Parse("2026-01-02T14:00:00Z", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Counting_trading_days_agrees_with_walking_them()
    {
        var from = new DateOnly(1999, 12, 30);
        var walked = 0;
        for (var d = from.AddDays(1); d <= new DateOnly(2027, 1, 10); d = d.AddDays(1))
        {
            walked += MarketCalendar.IsTradingDay(d) ? 1 : 0;
            if (d.Day is 1 or 13 or 28)
            {
                Assert.Equal(walked, MarketCalendar.TradingDaysBetween(from, d));
            }
        }
    }
}
