using FinSight.MarketData.Simulated;
using FinSight.MarketData.Tests.Infrastructure;

namespace FinSight.MarketData.Tests;

public sealed class SimulatedMarketProviderTests
{
    private static SimulatedMarketProvider Market(TimeProvider clock, SimulatedMarketOptions? options = null) =>
        new(options ?? new SimulatedMarketOptions(), clock);

    [Fact]
    public async Task The_same_seed_gives_the_same_market_and_another_seed_a_different_one()
    {
        var clock = TestClock.At("2025-03-12T17:00:00Z");
        var range = (new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31));

        var a = await Market(clock).GetDailyHistoryAsync("MSFT", range.Item1, range.Item2);
        var b = await Market(clock).GetDailyHistoryAsync("MSFT", range.Item1, range.Item2);
        var c = await Market(clock, new SimulatedMarketOptions { Seed = 7 }).GetDailyHistoryAsync("MSFT", range.Item1, range.Item2);

        Assert.Equal(a!.Bars, b!.Bars);
        Assert.NotEqual(a.Bars.Select(x => x.Close), c!.Bars.Select(x => x.Close));
    }

    [Fact]
    public async Task A_bar_does_not_depend_on_the_range_it_was_asked_in()
    {
        var clock = TestClock.At("2025-03-12T17:00:00Z");

        var wide = await Market(clock).GetDailyHistoryAsync("TSLA", new DateOnly(2020, 1, 1), new DateOnly(2024, 12, 31));
        var narrow = await Market(clock).GetDailyHistoryAsync("TSLA", new DateOnly(2024, 12, 2), new DateOnly(2024, 12, 6));

        Assert.Equal(wide!.Bars.Where(b => b.Date >= new DateOnly(2024, 12, 2) && b.Date <= new DateOnly(2024, 12, 6)), narrow!.Bars);
    }

    [Theory]
    [InlineData("AAPL", 230)]
    [InlineData("MSFT", 420)]
    [InlineData("NVDA", 130)]
    [InlineData("SPY", 560)]
    public async Task Well_known_symbols_close_at_their_real_level_on_the_anchor_date(string symbol, double price)
    {
        var history = await Market(TestClock.At("2025-06-02T21:00:00Z"))
            .GetDailyHistoryAsync(symbol, SimulatedMarketProvider.AnchorDate, SimulatedMarketProvider.AnchorDate);

        Assert.Equal((decimal)price, Assert.Single(history!.Bars).Close);
    }

    [Fact]
    public async Task Any_range_has_trading_day_bars_only_with_plausible_prices()
    {
        var history = await Market(TestClock.At("2026-11-20T22:00:00Z"))
            .GetDailyHistoryAsync("AMZN", new DateOnly(2001, 1, 1), new DateOnly(2026, 11, 20));

        Assert.All(history!.Bars, b => Assert.True(MarketCalendar.IsTradingDay(b.Date)));
        // About 252 sessions a year: weekdays less the NYSE holidays and closures.
        Assert.InRange(history.Bars.Count, 6480, 6540);
        Assert.DoesNotContain(history.Bars, b => b.Date == new DateOnly(2025, 12, 25) || b.Date == new DateOnly(2026, 4, 3) || b.Date == new DateOnly(2001, 9, 11));
        Assert.InRange(history.Bars.Min(b => b.Close), 5m, 2000m);
        Assert.InRange(history.Bars.Max(b => b.Close), 5m, 2000m);
        Assert.Equal(new DateOnly(2026, 11, 20), history.Bars[^1].Date);
        Assert.True(history.IsSimulated);
    }

    [Fact]
    public async Task Splits_and_dividends_exist_for_known_payers()
    {
        var clock = TestClock.At("2025-01-31T22:00:00Z");

        var nvda = await Market(clock).GetDailyHistoryAsync("NVDA", new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31));
        var aapl = await Market(clock).GetDailyHistoryAsync("AAPL", new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31));

        Assert.Contains(nvda!.Splits, s => s.Date == new DateOnly(2024, 6, 10) && s.Ratio == 10);
        Assert.Equal(4, aapl!.Dividends.Count);
        Assert.All(aapl.Dividends, d => Assert.Equal(0.25m, d.Amount));
        // Later dividends are divided out of earlier adjusted closes, as Yahoo does.
        Assert.True(aapl.Bars[0].AdjustedClose < aapl.Bars[0].Close);
    }

    [Fact]
    public async Task The_live_price_moves_during_the_day_and_is_fixed_for_a_given_instant()
    {
        var clock = TestClock.At("2025-03-12T14:00:00Z"); // 10:00 in New York
        var market = Market(clock);

        var morning = await market.GetQuoteAsync("AAPL");
        var again = await market.GetQuoteAsync("AAPL");
        clock.Advance(TimeSpan.FromHours(4));
        var afternoon = await market.GetQuoteAsync("AAPL");

        Assert.Equal(morning!.Price, again!.Price);
        Assert.NotEqual(morning.Price, afternoon!.Price);
        Assert.Equal(morning.PreviousClose, afternoon.PreviousClose);
        Assert.True(afternoon.DayHigh >= afternoon.Price && afternoon.DayLow <= afternoon.Price);
        Assert.True(afternoon.Volume > morning.Volume);
        Assert.True(afternoon.IsSimulated);
    }

    [Fact]
    public async Task After_the_close_the_quote_is_the_days_closing_bar()
    {
        var clock = TestClock.At("2025-03-14T22:00:00Z"); // Friday evening
        var market = Market(clock);

        var quote = await market.GetQuoteAsync("MSFT");
        var bars = await market.GetDailyHistoryAsync("MSFT", new DateOnly(2025, 3, 13), new DateOnly(2025, 3, 14));
        clock.Advance(TimeSpan.FromDays(1)); // Saturday
        var weekend = await market.GetQuoteAsync("MSFT");

        Assert.Equal(bars!.Bars[^1].Close, quote!.Price);
        Assert.Equal(bars.Bars[0].Close, quote.PreviousClose);
        Assert.Equal(quote.Price, weekend!.Price);
        Assert.Equal(MarketCalendar.At(new DateOnly(2025, 3, 14), MarketCalendar.Close), weekend.MarketTime);
    }

    [Fact]
    public async Task On_a_holiday_the_market_does_not_move_and_the_quote_is_the_last_close()
    {
        // Thanksgiving 2025 (Thursday 27 November), at noon in New York.
        var market = Market(TestClock.At("2025-11-27T17:00:00Z"));

        var quote = await market.GetQuoteAsync("AAPL");
        var bars = await market.GetDailyHistoryAsync("AAPL", new DateOnly(2025, 11, 24), new DateOnly(2025, 11, 27));

        Assert.Equal([new DateOnly(2025, 11, 24), new DateOnly(2025, 11, 25), new DateOnly(2025, 11, 26)], bars!.Bars.Select(b => b.Date));
        Assert.Equal(bars.Bars[^1].Close, quote!.Price);
        Assert.Equal(MarketCalendar.At(new DateOnly(2025, 11, 26), MarketCalendar.Close), quote.MarketTime);
        // The day after closes at 13:00.
        var friday = await Market(TestClock.At("2025-11-28T19:00:00Z")).GetQuoteAsync("AAPL");
        Assert.Equal(MarketCalendar.At(new DateOnly(2025, 11, 28), new TimeOnly(13, 0)), friday!.MarketTime);
    }

    [Fact]
    public async Task An_anchored_symbol_closes_exactly_at_each_anchor_and_moves_smoothly_between()
    {
        var market = Market(TestClock.At("2025-12-31T22:00:00Z"));
        var free = await market.GetDailyHistoryAsync("NVDA", new DateOnly(2025, 1, 2), new DateOnly(2025, 12, 31));
        market.Anchor("NVDA", [new(new DateOnly(2025, 3, 3), 495.60m), new(new DateOnly(2025, 6, 2), 520.00m)]);

        var bars = (await market.GetDailyHistoryAsync("NVDA", new DateOnly(2025, 1, 2), new DateOnly(2025, 12, 31)))!.Bars;

        Assert.Equal(495.60m, bars.Single(b => b.Date == new DateOnly(2025, 3, 3)).Close);
        Assert.Equal(520.00m, bars.Single(b => b.Date == new DateOnly(2025, 6, 2)).Close);
        // The walk's daily moves survive: outside the anchors the shift is constant.
        var ratio = (double)(bars[^1].Close / bars[^2].Close);
        var freeRatio = (double)(free!.Bars[^1].Close / free.Bars[^2].Close);
        Assert.Equal(freeRatio, ratio, 3);
    }

    [Fact]
    public async Task Stocks_move_with_the_market()
    {
        var clock = TestClock.At("2025-12-31T22:00:00Z");
        var spy = (await Market(clock).GetDailyHistoryAsync("SPY", new DateOnly(2024, 1, 2), new DateOnly(2025, 12, 31)))!.Bars;
        var msft = (await Market(clock).GetDailyHistoryAsync("MSFT", new DateOnly(2024, 1, 2), new DateOnly(2025, 12, 31)))!.Bars;

        static double[] Returns(IReadOnlyList<DailyBar> b) => [.. b.Skip(1).Select((x, i) => Math.Log((double)(x.Close / b[i].Close)))];
        var (a, c) = (Returns(spy), Returns(msft));
        var (ma, mc) = (a.Average(), c.Average());
        var correlation = a.Zip(c).Sum(p => (p.First - ma) * (p.Second - mc)) / Math.Sqrt(a.Sum(x => (x - ma) * (x - ma)) * c.Sum(x => (x - mc) * (x - mc)));
        Assert.InRange(correlation, 0.4, 0.75);
    }

    [Fact]
    public async Task Fixed_prices_make_exact_figures_for_api_tests()
    {
        var market = Market(TestClock.At("2025-03-12T15:00:00Z"),
            new SimulatedMarketOptions { FixedPrices = new(StringComparer.OrdinalIgnoreCase) { ["aapl"] = 150.25m } });

        var quote = await market.GetQuoteAsync("AAPL");
        var history = await market.GetDailyHistoryAsync("AAPL", new DateOnly(2025, 3, 3), new DateOnly(2025, 3, 7));

        Assert.Equal((150.25m, 150.25m, 0m), (quote!.Price, quote.PreviousClose!.Value, quote.Change!.Value));
        Assert.All(history!.Bars, b => Assert.Equal(150.25m, b.Close));
        Assert.Empty(history.Dividends);
    }

    [Fact]
    public async Task News_has_varied_tone_and_is_marked_simulated()
    {
        var feed = await Market(TestClock.At("2025-03-12T15:00:00Z"))
            .GetNewsAsync("AAPL", new DateOnly(2025, 2, 1), new DateOnly(2025, 3, 12));

        var titles = feed!.Headlines.Select(h => h.Title).ToArray();
        Assert.True(feed.IsSimulated);
        Assert.Contains(titles, t => t.Contains("climb", StringComparison.Ordinal) || t.Contains("upgrade", StringComparison.Ordinal)
                                     || t.Contains("buyback", StringComparison.Ordinal) || t.Contains("rallies", StringComparison.Ordinal));
        Assert.Contains(titles, t => t.Contains("slide", StringComparison.Ordinal) || t.Contains("scrutiny", StringComparison.Ordinal)
                                     || t.Contains("downgrades", StringComparison.Ordinal) || t.Contains("falls", StringComparison.Ordinal));
        Assert.All(titles, t => Assert.Contains("Apple Inc.", t, StringComparison.Ordinal));
        Assert.All(feed.Headlines, h => Assert.True(h.PublishedAt <= DateTimeOffset.Parse("2025-03-12T15:00:00Z", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task News_summaries_tell_the_story_and_the_days_simulated_move_the_same_way_every_time()
    {
        var clock = TestClock.At("2025-03-12T15:00:00Z");
        var market = Market(clock);
        var feed = await market.GetNewsAsync("AAPL", new DateOnly(2025, 2, 1), new DateOnly(2025, 3, 12));
        var again = await Market(clock).GetNewsAsync("AAPL", new DateOnly(2025, 2, 1), new DateOnly(2025, 3, 12));

        Assert.Equal(feed!.Headlines.Select(h => h.Summary), again!.Headlines.Select(h => h.Summary));
        Assert.All(feed.Headlines, h =>
        {
            Assert.NotNull(h.Summary);
            Assert.NotEqual(h.Title, h.Summary);
            Assert.Contains("Apple Inc.", h.Summary, StringComparison.Ordinal);
            Assert.Contains("simulated market", h.Summary, StringComparison.Ordinal);
        });

        // The summary reports the close the simulated market gives for that day, in the direction it moved.
        var moved = feed.Headlines.First(h => h.Summary!.Contains("closed up", StringComparison.Ordinal) || h.Summary.Contains("closed down", StringComparison.Ordinal));
        var day = DateOnly.FromDateTime(moved.PublishedAt.UtcDateTime);
        var bars = await market.GetDailyHistoryAsync("AAPL", day.AddDays(-7), day);
        var (previous, close) = (bars!.Bars[^2].Close, bars.Bars[^1].Close);
        Assert.Equal(day, bars.Bars[^1].Date);
        Assert.Contains(close.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), moved.Summary, StringComparison.Ordinal);
        Assert.Contains(close > previous ? "closed up" : "closed down", moved.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unlisted_but_plausible_tickers_trade_too()
    {
        var market = Market(TestClock.At("2025-03-12T15:00:00Z"));

        var quote = await market.GetQuoteAsync("ZETA");
        var profile = await market.GetProfileAsync("ZETA");

        Assert.True(quote!.Price > 0);
        Assert.Equal("ZETA Holdings Inc.", profile!.Name);
    }
}
