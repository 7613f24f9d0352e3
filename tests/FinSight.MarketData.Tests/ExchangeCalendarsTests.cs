using System.Globalization;
using FinSight.MarketData.Simulated;
using FinSight.MarketData.Tests.Infrastructure;

namespace FinSight.MarketData.Tests;

/// <summary>
/// The venues' holiday rules against the exchanges' published closures for 2025 and 2026 (London's bank
/// holidays, XETRA's and Euronext's trading calendars, JPX's and HKEX's holiday lists), the simulated
/// market's bars on them, and a portfolio's days taken from its listings' bars.
/// </summary>
public sealed class ExchangeCalendarsTests
{
    private static DateOnly D(string date) => DateOnly.Parse(date, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("VOD.L", "2025-01-01")] [InlineData("VOD.L", "2025-04-18")] [InlineData("VOD.L", "2025-04-21")] [InlineData("VOD.L", "2025-05-05")]
    [InlineData("VOD.L", "2025-05-26")] [InlineData("VOD.L", "2025-08-25")] [InlineData("VOD.L", "2025-12-25")] [InlineData("VOD.L", "2025-12-26")]
    [InlineData("VOD.L", "2026-12-28")] [InlineData("VOD.L", "2022-09-19")] [InlineData("VOD.L", "2023-05-08")] [InlineData("VOD.L", "2020-05-08")]
    [InlineData("SAP.DE", "2025-05-01")] [InlineData("SAP.DE", "2025-12-24")] [InlineData("SAP.DE", "2025-12-31")] [InlineData("SAP.DE", "2026-04-06")]
    [InlineData("MC.PA", "2025-04-18")] [InlineData("MC.PA", "2025-12-26")] [InlineData("ASML.AS", "2026-05-01")]
    [InlineData("7203.T", "2025-01-02")] [InlineData("7203.T", "2025-01-13")] [InlineData("7203.T", "2025-03-20")] [InlineData("7203.T", "2025-05-06")]
    [InlineData("7203.T", "2025-09-23")] [InlineData("7203.T", "2025-11-24")] [InlineData("7203.T", "2026-09-22")] [InlineData("7203.T", "2026-12-31")]
    [InlineData("0700.HK", "2025-01-29")] [InlineData("0700.HK", "2025-04-04")] [InlineData("0700.HK", "2025-05-05")] [InlineData("0700.HK", "2025-10-01")]
    [InlineData("0700.HK", "2025-10-07")] [InlineData("0700.HK", "2026-04-07")] [InlineData("0700.HK", "2026-12-28")] [InlineData("VOD.L", "2025-08-23")]
    public void A_venue_is_closed_on_its_holidays_and_weekends(string symbol, string date) =>
        Assert.False(ExchangeCalendars.IsListingTradingDay(symbol, D(date)));

    [Theory]
    [InlineData("VOD.L", "2025-09-01")] [InlineData("VOD.L", "2025-11-27")] [InlineData("VOD.L", "2025-12-24")] [InlineData("VOD.L", "2020-05-04")]
    [InlineData("SAP.DE", "2025-10-03")] [InlineData("MC.PA", "2025-07-14")] [InlineData("7203.T", "2025-01-06")] [InlineData("7203.T", "2026-09-24")]
    [InlineData("0700.HK", "2025-12-24")] [InlineData("0700.HK", "2025-07-04")] [InlineData("NESN.SW", "2025-08-25")]
    public void Other_weekdays_trade(string symbol, string date) =>
        Assert.True(ExchangeCalendars.IsListingTradingDay(symbol, D(date)));

    [Fact]
    public void US_tickers_and_share_classes_follow_the_NYSE()
    {
        Assert.Equal(ExchangeCalendars.UnitedStates, ExchangeCalendars.VenueOf("BRK.B"));
        Assert.False(ExchangeCalendars.IsListingTradingDay("AAPL", D("2025-09-01")));
        Assert.True(ExchangeCalendars.IsListingTradingDay("AAPL", D("2025-08-25")));
    }

    [Fact]
    public async Task The_simulated_market_has_bars_on_its_listings_venue_days()
    {
        var market = new SimulatedMarketProvider(new SimulatedMarketOptions(), TestClock.At("2026-01-15T22:00:00Z"));

        var shell = (await market.GetDailyHistoryAsync("SHEL.L", D("2025-08-18"), D("2025-12-31")))!.Bars.Select(b => b.Date).ToHashSet();
        var apple = (await market.GetDailyHistoryAsync("AAPL", D("2025-08-18"), D("2025-12-31")))!.Bars.Select(b => b.Date).ToHashSet();
        var toyota = (await market.GetDailyHistoryAsync("7203.T", D("2025-08-18"), D("2025-12-31")))!.Bars;

        Assert.DoesNotContain(D("2025-08-25"), shell);
        Assert.Contains(D("2025-09-01"), shell);
        Assert.Contains(D("2025-11-27"), shell);
        Assert.DoesNotContain(D("2025-12-26"), shell);
        Assert.Contains(D("2025-08-25"), apple);
        Assert.DoesNotContain(D("2025-09-01"), apple);
        Assert.DoesNotContain(toyota, b => !ExchangeCalendars.IsListingTradingDay("7203.T", b.Date));
        // A US holiday does not move the walk: Shell's bar on Labor Day repeats Friday's close.
        var shellBars = (await market.GetDailyHistoryAsync("SHEL.L", D("2025-08-29"), D("2025-09-01")))!.Bars;
        Assert.Equal(shellBars[0].Close, shellBars[1].Close);
    }

    [Fact]
    public void A_portfolio_trades_on_the_union_of_its_venues_days_and_bars_overrule_the_rules()
    {
        static PriceHistory Bars(string symbol, params string[] dates) => new()
        {
            Symbol = symbol, Source = "Test",
            Bars = dates.Select(d => new DailyBar { Date = D(d), Open = 1m, High = 1m, Low = 1m, Close = 1m, AdjustedClose = 1m }).ToArray(),
        };
        // London bars for a week with the summer bank holiday (25 August) left out, and a vendor that also skipped the 27th.
        var london = Bars("SHEL.L", "2025-08-22", "2025-08-26", "2025-08-28", "2025-08-29");

        var londonOnly = ExchangeCalendars.FromBars(["SHEL.L"], [london]);
        Assert.False(londonOnly(D("2025-08-25")));
        Assert.False(londonOnly(D("2025-08-27")));
        Assert.True(londonOnly(D("2025-09-01")));   // after the bars: the rules (Labor Day is not a UK holiday)
        Assert.False(londonOnly(D("2025-12-25")));

        var both = ExchangeCalendars.FromBars(["SHEL.L", "AAPL"], [london, null]);
        Assert.True(both(D("2025-08-25")));         // New York trades
        Assert.True(both(D("2025-09-01")));         // London trades
        Assert.False(both(D("2025-12-25")));
        Assert.False(both(D("2025-08-30")));

        Assert.True(ExchangeCalendars.FromBars([], [])(D("2025-08-25")));
        Assert.False(ExchangeCalendars.FromBars([], [])(D("2025-09-01")));
    }
}
