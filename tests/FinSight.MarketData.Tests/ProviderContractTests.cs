using FinSight.MarketData.Simulated;
using FinSight.MarketData.Tests.Infrastructure;

namespace FinSight.MarketData.Tests;

/// <summary>What every provider promises, whatever the vendor. One derived class per provider.</summary>
public abstract class ProviderContractTests : IAsyncLifetime
{
    protected static readonly DateOnly From = new(2024, 6, 5);
    protected static readonly DateOnly To = new(2024, 6, 14);
    protected const string Unknown = "NOSUCHTICKER";

    // Friday 14 June 2024, 16:30 in New York: after the close and after every recorded response.
    protected TestClock Clock { get; } = TestClock.At("2024-06-14T20:30:00Z");
    protected IMarketDataProvider Provider { get; private set; } = null!;

    protected abstract Task<IMarketDataProvider> CreateProviderAsync();
    protected virtual ValueTask DisposeProviderAsync() => ValueTask.CompletedTask;
    protected virtual bool OffersHistory => true;

    public async Task InitializeAsync() => Provider = await CreateProviderAsync();
    public async Task DisposeAsync() => await DisposeProviderAsync();

    [Fact]
    public async Task Quote_for_a_known_symbol_has_a_positive_price_currency_and_utc_market_time()
    {
        var quote = await ((IQuoteProvider)Provider).GetQuoteAsync("AAPL");

        Assert.NotNull(quote);
        Assert.Equal("AAPL", quote.Symbol);
        Assert.True(quote.Price > 0);
        Assert.True(quote.PreviousClose > 0);
        Assert.Equal("USD", quote.Currency);
        Assert.Equal(TimeSpan.Zero, quote.MarketTime.Offset);
        Assert.True(quote.MarketTime <= Clock.GetUtcNow());
        Assert.Equal(Provider.Name, quote.Source);
        Assert.False(quote.IsStale);
    }

    [Fact]
    public async Task Quote_for_an_unknown_symbol_is_null_never_zero()
    {
        Assert.Null(await ((IQuoteProvider)Provider).GetQuoteAsync(Unknown));
    }

    [Fact]
    public async Task Profile_for_a_known_symbol_has_a_name_and_a_market_cap_in_dollars()
    {
        var profile = await ((IProfileProvider)Provider).GetProfileAsync("AAPL");

        Assert.NotNull(profile);
        Assert.Contains("Apple", profile.Name, StringComparison.OrdinalIgnoreCase);
        Assert.InRange(profile.MarketCap!.Value, 1e11m, 1e13m);
        Assert.Equal("USD", profile.Currency);
    }

    [Fact]
    public async Task Profile_for_an_unknown_symbol_is_null()
    {
        Assert.Null(await ((IProfileProvider)Provider).GetProfileAsync(Unknown));
    }

    [Fact]
    public async Task News_has_headlines_with_absolute_urls_and_utc_times_inside_the_range()
    {
        var feed = await ((INewsProvider)Provider).GetNewsAsync("AAPL", new DateOnly(2024, 6, 8), To);

        Assert.NotNull(feed);
        Assert.NotEmpty(feed.Headlines);
        Assert.All(feed.Headlines, h =>
        {
            Assert.True(h.Url.IsAbsoluteUri);
            Assert.Equal(TimeSpan.Zero, h.PublishedAt.Offset);
            Assert.InRange(DateOnly.FromDateTime(h.PublishedAt.UtcDateTime), new DateOnly(2024, 6, 8), To);
        });
        Assert.Equal(feed.Headlines.OrderByDescending(h => h.PublishedAt), feed.Headlines);
    }

    [Fact]
    public async Task Search_finds_a_company_by_name()
    {
        var matches = await ((ISymbolSearchProvider)Provider).SearchAsync("apple", 10);

        Assert.Equal("AAPL", matches[0].Symbol);
    }

    [Fact]
    public async Task Search_with_no_match_is_empty()
    {
        Assert.Empty(await ((ISymbolSearchProvider)Provider).SearchAsync("zzqqxx", 10));
    }

    [Fact]
    public async Task History_is_ascending_positive_weekday_bars_inside_the_range_or_an_explicit_capability_gap()
    {
        var history = (IPriceHistoryProvider)Provider;
        if (!OffersHistory)
        {
            await Assert.ThrowsAsync<CapabilityUnavailableException>(() => history.GetDailyHistoryAsync("NVDA", From, To));
            return;
        }

        var result = await history.GetDailyHistoryAsync("NVDA", From, To);

        Assert.NotNull(result);
        Assert.NotEmpty(result.Bars);
        Assert.Equal(result.Bars.OrderBy(b => b.Date).Select(b => b.Date), result.Bars.Select(b => b.Date));
        Assert.All(result.Bars, b =>
        {
            Assert.InRange(b.Date, From, To);
            Assert.True(MarketCalendar.IsTradingDay(b.Date));
            Assert.True(b.Low <= b.Close && b.Close <= b.High && b.Low <= b.Open && b.Open <= b.High);
        });
        Assert.Contains(result.Splits, s => s.Date == new DateOnly(2024, 6, 10) && s.Ratio == 10);
    }
}

public sealed class YahooContractTests : ProviderContractTests
{
    private FakeYahoo _fake = null!;

    protected override async Task<IMarketDataProvider> CreateProviderAsync()
    {
        _fake = await FakeYahoo.StartAsync(Clock);
        return _fake.CreateProvider(Clock);
    }

    protected override ValueTask DisposeProviderAsync() => _fake.DisposeAsync();
}

public sealed class FinnhubContractTests : ProviderContractTests
{
    private FakeFinnhub _fake = null!;

    protected override bool OffersHistory => false; // free keys: candles are 403

    protected override async Task<IMarketDataProvider> CreateProviderAsync()
    {
        _fake = await FakeFinnhub.StartAsync(Clock);
        return _fake.CreateProvider(Clock);
    }

    protected override ValueTask DisposeProviderAsync() => _fake.DisposeAsync();
}

public sealed class SimulatedContractTests : ProviderContractTests
{
    protected override Task<IMarketDataProvider> CreateProviderAsync() =>
        Task.FromResult<IMarketDataProvider>(new SimulatedMarketProvider(new SimulatedMarketOptions(), Clock));
}
