using FinSight.MarketData.Resilience;
using Microsoft.Extensions.Logging.Abstractions;

namespace FinSight.MarketData.Tests.Infrastructure;

/// <summary>Builds the same handler stack as the DI registration, pointed at a loopback server.</summary>
public sealed class TestHttpClientFactory : IHttpClientFactory, IDisposable
{
    private readonly HttpMessageHandler _handler;
    private readonly Action<HttpClient> _configure;

    public TestHttpClientFactory(string vendor, VendorHttpOptions options, TimeProvider time, Action<HttpClient>? configure = null)
    {
        Gate = new VendorGate(vendor, options, time, NullLogger.Instance);
        _handler = new VendorGateHandler(Gate) { InnerHandler = new SocketsHttpHandler { UseCookies = false } };
        _configure = http =>
        {
            http.BaseAddress = options.BaseUrl;
            http.Timeout = Timeout.InfiniteTimeSpan;
            configure?.Invoke(http);
        };
    }

    public VendorGate Gate { get; }

    public HttpClient CreateClient(string name)
    {
        var http = new HttpClient(_handler, disposeHandler: false);
        _configure(http);
        return http;
    }

    public void Dispose()
    {
        _handler.Dispose();
        Gate.Dispose();
    }

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
