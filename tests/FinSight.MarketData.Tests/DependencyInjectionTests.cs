using FinSight.MarketData.Finnhub;
using FinSight.MarketData.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FinSight.MarketData.Tests;

public sealed class DependencyInjectionTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddFinSightMarketData(configuration).BuildServiceProvider(validateScopes: true);
    }

    [Fact]
    public async Task Offline_configuration_serves_simulated_quotes()
    {
        await using var services = Build(new()
        {
            ["MarketData:Providers:0"] = "Simulated",
            ["MarketData:Simulated:FixedPrices:AAPL"] = "199.99",
        });

        var service = services.GetRequiredService<MarketDataService>();
        var result = await service.GetQuoteAsync("AAPL");

        // Exactly the configured chain: the binder must not append to a built-in default list.
        Assert.Equal(["Simulated"], service.Providers);
        Assert.Equal((199.99m, true), (result.Value!.Price, result.Value.IsSimulated));
    }

    [Fact]
    public async Task Every_cache_entry_states_its_size_so_the_cache_can_be_bounded()
    {
        // With a size limit, the memory cache refuses any entry that does not say how big it is.
        await using var services = Build(new()
        {
            ["MarketData:Providers:0"] = "Simulated",
            ["Cache:SizeLimit"] = "1000000",
        });
        var service = services.GetRequiredService<MarketDataService>();

        var quote = await service.GetQuoteAsync("AAPL");
        var profile = await service.GetProfileAsync("AAPL");
        var news = await service.GetNewsAsync("AAPL");
        var history = await service.GetDailyHistoryAsync("AAPL", new DateOnly(2024, 6, 3), new DateOnly(2024, 6, 7));
        var search = await service.SearchSymbolsAsync("apple");

        Assert.All(new[] { quote.Status, profile.Status, news.Status, history.Status, search.Status }, s => Assert.Equal(MarketDataStatus.Fresh, s));
    }

    [Fact]
    public async Task The_cache_is_bounded_without_any_setting()
    {
        await using var services = Build(new() { ["MarketData:Providers:0"] = "Simulated" });
        var cache = services.GetRequiredService<ZiggyCreatures.Caching.Fusion.IFusionCache>();
        var entries = (int)(FinSight.MarketData.Caching.CacheOptions.DefaultSizeLimit + 20_000);

        for (var i = 0; i < entries; i++)
        {
            await cache.SetAsync("t:" + i, i, new ZiggyCreatures.Caching.Fusion.FusionCacheEntryOptions { Duration = TimeSpan.FromHours(1), Size = 1 });
        }
        var kept = 0;
        for (var i = 0; i < entries; i++)
        {
            kept += (await cache.TryGetAsync<int>("t:" + i)).HasValue ? 1 : 0;
        }

        Assert.InRange(kept, 1, FinSight.MarketData.Caching.CacheOptions.DefaultSizeLimit);
    }

    [Fact]
    public async Task Finnhub_is_in_the_chain_when_listed_with_or_without_a_key()
    {
        await using var without = Build(new());
        await using var with = Build(new() { ["MarketData:Finnhub:ApiKey"] = "k" });
        await using var unlisted = Build(new() { ["MarketData:Providers:0"] = "Yahoo", ["MarketData:Finnhub:ApiKey"] = "k" });

        Assert.Equal(["Yahoo", "Finnhub", "Ecb"], without.GetRequiredService<MarketDataService>().Providers);
        Assert.Equal(["Yahoo", "Finnhub", "Ecb"], with.GetRequiredService<MarketDataService>().Providers);
        Assert.Equal(["Yahoo"], unlisted.GetRequiredService<MarketDataService>().Providers);
    }

    [Fact]
    public async Task A_finnhub_key_arriving_at_runtime_is_used_without_a_restart()
    {
        var clock = TestClock.At("2024-06-14T20:30:00Z");
        await using var finnhub = await FakeFinnhub.StartAsync(clock);
        var keys = new SettableKey();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MarketData:Providers:0"] = "Finnhub",
            ["MarketData:Finnhub:BaseUrl"] = finnhub.Server.BaseUrl.ToString(),
            ["MarketData:FailureCacheDuration"] = "00:00:00.001",
        }).Build();
        await using var services = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(clock)
            .AddSingleton<IFinnhubKeySource>(keys).AddFinSightMarketData(configuration).BuildServiceProvider(validateScopes: true);
        var service = services.GetRequiredService<MarketDataService>();

        var before = await service.GetQuoteAsync("AAPL");
        var upstreamBefore = finnhub.Server.Requests.Count;
        keys.Key = FakeFinnhub.ApiKey;
        clock.Advance(TimeSpan.FromSeconds(1));
        var after = await service.GetQuoteAsync("AAPL");

        // Without a key: "not configured", no upstream call, and no back-off that would outlast the key's arrival.
        Assert.Equal(MarketDataStatus.Unavailable, before.Status);
        Assert.Contains("no API key", before.Reason);
        Assert.Equal(0, upstreamBefore);
        Assert.Equal((MarketDataStatus.Fresh, 212.49m), (after.Status, after.Value!.Price));
    }

    private sealed class SettableKey : IFinnhubKeySource
    {
        public string? Key { get; set; }

        public ValueTask<string?> GetApiKeyAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Key);
    }

    [Fact]
    public async Task Options_bind_from_the_market_data_section()
    {
        await using var services = Build(new()
        {
            ["MarketData:QuoteCacheDuration"] = "00:00:30",
            ["MarketData:Yahoo:BaseUrl"] = "http://127.0.0.1:5999/",
            ["MarketData:Finnhub:RequestsPerMinute"] = "30",
        });

        var options = services.GetRequiredService<IOptions<MarketDataOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(30), options.QuoteCacheDuration);
        Assert.Equal(new Uri("http://127.0.0.1:5999/"), options.Yahoo.BaseUrl);
        Assert.Equal((30, 30), (options.Finnhub.RequestsPerMinute, options.Finnhub.RequestsPerSecond));
    }

    [Fact]
    public async Task Unknown_provider_names_fail_validation()
    {
        await using var services = Build(new() { ["MarketData:Providers:0"] = "Bloomberg" });

        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<MarketDataOptions>>().Value);
    }
}
