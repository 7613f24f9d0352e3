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
    public async Task Finnhub_joins_the_chain_only_with_a_key()
    {
        await using var without = Build(new());
        await using var with = Build(new() { ["MarketData:Finnhub:ApiKey"] = "k" });

        Assert.Equal(["Yahoo"], without.GetRequiredService<MarketDataService>().Providers);
        Assert.Equal(["Yahoo", "Finnhub"], with.GetRequiredService<MarketDataService>().Providers);
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
