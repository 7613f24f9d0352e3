using System.Net;
using FinSight.MarketData;
using FinSight.MarketData.Caching;
using FinSight.MarketData.FairUse;
using FinSight.MarketData.Finnhub;
using FinSight.MarketData.Resilience;
using FinSight.MarketData.Simulated;
using FinSight.MarketData.Yahoo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class MarketDataServiceCollectionExtensions
{
    private static readonly string[] KnownProviders =
        [YahooFinanceProvider.ProviderName, FinnhubProvider.ProviderName, FinSight.MarketData.Ecb.EcbProvider.ProviderName, SimulatedMarketProvider.ProviderName];

    /// <summary>
    /// Registers <see cref="MarketDataService"/> and the providers from the
    /// "MarketData" section. Register your own <see cref="IMarketDataStore"/>
    /// (singleton) before or after this call to replace the in-memory one; a TimeProvider likewise.
    /// </summary>
    public static IServiceCollection AddFinSightMarketData(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(MarketDataOptions.SectionName);
        services.AddOptions<MarketDataOptions>()
            .Bind(section)
            .PostConfigure(o =>
            {
                if (o.Providers.Count == 0)
                {
                    o.Providers = [.. MarketDataOptions.DefaultProviders];
                }
            })
            .Validate(o => o.Providers.Count > 0 && o.Providers.All(p => KnownProviders.Contains(p, StringComparer.OrdinalIgnoreCase)),
                $"MarketData:Providers must list some of: {string.Join(", ", KnownProviders)}.")
            .Validate(o => new[] { o.QuoteCacheDuration, o.ProfileCacheDuration, o.NewsCacheDuration, o.HistoryCacheDuration, o.FailureCacheDuration }
                .All(d => d > TimeSpan.Zero), "MarketData cache durations must be positive.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddFinSightCache(configuration);
        services.TryAddSingleton<IMarketDataStore, InMemoryMarketDataStore>();
        services.TryAddSingleton<UpstreamBudget>();
        services.TryAddSingleton<MarketDataService>();
        services.TryAddSingleton<FinSight.MarketData.Currencies.CurrencyRates>();

        services.AddSingleton(sp => new SimulatedMarketProvider(GetOptions(sp).Simulated, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IMarketDataProvider>(sp => sp.GetRequiredService<SimulatedMarketProvider>());

        AddVendor(services, YahooFinanceProvider.ProviderName, YahooFinanceProvider.HttpClientName, o => o.Yahoo, (o, http) =>
            http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", o.Yahoo.UserAgent));
        services.AddSingleton(sp => new YahooSession(GetOptions(sp).Yahoo));
        services.AddSingleton<YahooFinanceProvider>();
        services.AddSingleton<IMarketDataProvider>(sp => sp.GetRequiredService<YahooFinanceProvider>());

        // Finnhub is always registered: its key may arrive at runtime (IFinnhubKeySource), and
        // until then it answers "not configured" without an upstream call, so listing it is harmless.
        services.TryAddSingleton<IFinnhubKeySource, ConfiguredFinnhubKey>();
        AddVendor(services, FinnhubProvider.ProviderName, FinnhubProvider.HttpClientName, o => o.Finnhub, (_, _) => { });
        services.AddSingleton(sp => new FinnhubProvider(
            sp.GetRequiredService<IHttpClientFactory>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IFinnhubKeySource>()));
        services.AddSingleton<IMarketDataProvider>(sp => sp.GetRequiredService<FinnhubProvider>());

        AddVendor(services, FinSight.MarketData.Ecb.EcbProvider.ProviderName, FinSight.MarketData.Ecb.EcbProvider.HttpClientName, o => o.Ecb, (_, http) => http.DefaultRequestHeaders.Accept.ParseAdd("application/xml"));
        services.AddSingleton<FinSight.MarketData.Ecb.EcbProvider>();
        services.AddSingleton<IMarketDataProvider>(sp => sp.GetRequiredService<FinSight.MarketData.Ecb.EcbProvider>());
        return services;
    }

    private static void AddVendor(
        IServiceCollection services,
        string vendor,
        string clientName,
        Func<MarketDataOptions, VendorHttpOptions> select,
        Action<MarketDataOptions, HttpClient> configure)
    {
        services.AddHttpClient(clientName, (sp, http) =>
            {
                var options = GetOptions(sp);
                http.BaseAddress = select(options).BaseUrl;
                http.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline times each attempt
                http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
                configure(options, http);
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                UseCookies = false, // Yahoo's cookie is managed by YahooSession
                AutomaticDecompression = DecompressionMethods.All,
            })
            .AddVendorResilience(vendor, sp => select(GetOptions(sp)));
    }

    private static MarketDataOptions GetOptions(IServiceProvider sp) =>
        sp.GetRequiredService<IOptions<MarketDataOptions>>().Value;
}
