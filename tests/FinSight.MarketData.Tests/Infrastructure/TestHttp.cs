using FinSight.MarketData.Resilience;
using Microsoft.Extensions.DependencyInjection;

namespace FinSight.MarketData.Tests.Infrastructure;

/// <summary>Builds the same handler stack as the DI registration (<see cref="VendorResilience"/>), pointed at a loopback server.</summary>
public sealed class TestHttpClientFactory : IHttpClientFactory, IDisposable
{
    private readonly ServiceProvider _services;
    private readonly IHttpClientFactory _factory;

    public TestHttpClientFactory(string vendor, VendorHttpOptions options, TimeProvider time, Action<HttpClient>? configure = null)
    {
        Vendor = vendor;
        var services = new ServiceCollection().AddLogging().AddSingleton(time);
        services.AddHttpClient(vendor, http =>
            {
                http.BaseAddress = options.BaseUrl;
                http.Timeout = Timeout.InfiniteTimeSpan;
                configure?.Invoke(http);
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseCookies = false })
            .AddVendorResilience(vendor, _ => options);
        _services = services.BuildServiceProvider();
        _factory = _services.GetRequiredService<IHttpClientFactory>();
    }

    /// <summary>The vendor whose resilience pipeline the clients go through.</summary>
    public string Vendor { get; }

    public HttpClient CreateClient(string name) => _factory.CreateClient(Vendor);

    public void Dispose() => _services.Dispose();

    /// <summary>Fast settings for tests: short timeout and backoff, no rate limit unless asked.</summary>
    public static T Fast<T>(T options, Uri baseUrl) where T : VendorHttpOptions
    {
        options.BaseUrl = baseUrl;
        options.Timeout = TimeSpan.FromSeconds(2);
        options.RetryBaseDelay = TimeSpan.FromMilliseconds(20);
        options.MaxRetries = 1;
        options.RequestsPerSecond = 0;
        options.RequestsPerMinute = 0;
        return options;
    }
}
