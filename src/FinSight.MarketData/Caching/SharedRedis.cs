using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace FinSight.MarketData.Caching;

/// <summary>
/// The one Redis connection of an instance, when <c>ConnectionStrings:Redis</c> is set (absent: no
/// Redis, everything stays in the process). Everything that shares state between instances (the
/// cache's shared level, backplane and locks, login throttling, the API rate limit, dashboard
/// invalidation) uses this connection; SignalR's backplane opens its own. It never fails start-up or a request: while Redis is
/// unreachable commands fail at once (callers fall back to what the process has), the multiplexer
/// reconnects in the background, and <see cref="IsConnected"/> says which it is.
/// </summary>
public sealed class SharedRedis : IAsyncDisposable
{
    /// <summary>The configuration key of the connection string (StackExchange.Redis syntax: <c>host:port,password=...</c>).</summary>
    public const string ConnectionStringName = "Redis";

    /// <summary>The configuration key of <see cref="KeyPrefix"/>.</summary>
    public const string KeyPrefixSetting = "Redis:KeyPrefix";

    /// <summary>The prefix when <see cref="KeyPrefixSetting"/> is not set.</summary>
    public const string DefaultKeyPrefix = "finsight:";

    /// <summary>The configured <see cref="KeyPrefix"/> (for connections of their own, such as SignalR's backplane).</summary>
    public static string KeyPrefixOf(IConfiguration configuration) =>
        configuration[KeyPrefixSetting] is { Length: > 0 } prefix ? prefix : DefaultKeyPrefix;

    private readonly ConfigurationOptions _options;
    private readonly ILogger _logger;
    private readonly Lazy<Task<IConnectionMultiplexer>> _connection;

    /// <param name="connectionString">StackExchange.Redis syntax.</param>
    /// <param name="keyPrefix">Starts every key and channel FinSight uses; null or empty means <see cref="DefaultKeyPrefix"/>.</param>
    /// <param name="logger">Where outages are reported.</param>
    public SharedRedis(string connectionString, string? keyPrefix = null, ILogger<SharedRedis>? logger = null)
    {
        KeyPrefix = string.IsNullOrEmpty(keyPrefix) ? DefaultKeyPrefix : keyPrefix;
        _options = ConfigurationOptions.Parse(connectionString);
        _options.AbortOnConnectFail = false;
        // While disconnected, fail at once rather than queue: the caller has a local fallback.
        _options.BacklogPolicy = BacklogPolicy.FailFast;
        _options.ConnectTimeout = Math.Min(_options.ConnectTimeout, 2000);
        _options.SyncTimeout = Math.Min(_options.SyncTimeout, 2000);
        _options.AsyncTimeout = Math.Min(_options.AsyncTimeout, 2000);
        _options.ReconnectRetryPolicy = new LinearRetry(500);
        _options.ClientName ??= "finsight";
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _connection = new Lazy<Task<IConnectionMultiplexer>>(OpenAsync);
    }

    /// <summary>
    /// Starts every Redis key and channel of this deployment (default <c>finsight:</c>), so two
    /// deployments (or test fixtures) on one Redis server never share a count, a bucket or a cached value.
    /// </summary>
    public string KeyPrefix { get; }

    /// <summary>The endpoints, for logs and health reports (never the password).</summary>
    public string Endpoints => string.Join(",", _options.EndPoints.Select(e => e.ToString()));

    /// <summary>Whether Redis answers right now (false before the first connection and during an outage).</summary>
    public bool IsConnected => _connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully && _connection.Value.Result.IsConnected;

    /// <summary>The multiplexer (connected or reconnecting in the background).</summary>
    public Task<IConnectionMultiplexer> ConnectAsync() => _connection.Value;

    /// <summary>Raised when the connection is lost (true) or restored (false).</summary>
    public event Action<bool>? ConnectionChanged;

    private async Task<IConnectionMultiplexer> OpenAsync()
    {
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(_options);
        multiplexer.ConnectionFailed += (_, e) =>
        {
            _logger.LogWarning("Redis at {Endpoint} is unreachable ({FailureType}); serving from this instance's own caches and limits until it is back.", e.EndPoint, e.FailureType);
            ConnectionChanged?.Invoke(true);
        };
        multiplexer.ConnectionRestored += (_, e) =>
        {
            _logger.LogInformation("Redis at {Endpoint} is reachable again.", e.EndPoint);
            ConnectionChanged?.Invoke(false);
        };
        if (!multiplexer.IsConnected)
        {
            _logger.LogWarning("Redis at {Endpoints} is unreachable at start-up; the instance runs on its own caches and limits and keeps trying.", Endpoints);
        }
        return multiplexer;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated)
        {
            await (await _connection.Value).DisposeAsync();
        }
    }
}

/// <summary>Registration of <see cref="SharedRedis"/>.</summary>
public static class SharedRedisServiceCollectionExtensions
{
    /// <summary>Registers <see cref="SharedRedis"/> when <c>ConnectionStrings:Redis</c> is set; otherwise nothing.</summary>
    public static IServiceCollection AddSharedRedis(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(SharedRedis.ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            services.TryAddSingleton(sp => new SharedRedis(connectionString, SharedRedis.KeyPrefixOf(configuration), sp.GetService<ILogger<SharedRedis>>()));
        }
        return services;
    }
}
