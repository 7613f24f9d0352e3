using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ZiggyCreatures.Caching.Fusion;
using ZiggyCreatures.Caching.Fusion.Backplane.StackExchangeRedis;
using ZiggyCreatures.Caching.Fusion.Locking.Distributed.Redis;
using ZiggyCreatures.Caching.Fusion.Serialization.SystemTextJson;

namespace FinSight.MarketData.Caching;

/// <summary>Settings under <c>Cache</c>.</summary>
public sealed class CacheOptions
{
    public const string Section = "Cache";

    /// <summary>The default <see cref="SizeLimit"/>.</summary>
    public const long DefaultSizeLimit = 250_000;

    /// <summary>
    /// Upper bound of the in-memory cache, in size units (default <see cref="DefaultSizeLimit"/>;
    /// 0 or less: unbounded). Every entry states its size: one unit is roughly one small object (a
    /// quote, a daily bar, a headline, a transaction, a day of a portfolio's history). When full,
    /// the least recently used entries are evicted.
    /// </summary>
    public long SizeLimit { get; set; } = DefaultSizeLimit;
}

/// <summary>
/// The app's one cache: FusionCache, so concurrent misses for a key share one computation
/// (stampede protection) and each entry's lifetime and size are decided by what was computed.
/// Its memory level follows the injected <see cref="TimeProvider"/>. With Redis
/// (<see cref="SharedRedis"/>), entries asked for as <c>shared</c> (market data) also live in Redis,
/// one instance computes them while the others wait on a Redis lock, and the backplane tells every
/// instance when one changes or is removed; every other entry stays in the process.
/// </summary>
public static class FinSightCache
{
    /// <summary>A cache of its own, for a service built without dependency injection (tests, the harness); shared through <paramref name="redis"/> when given.</summary>
    public static IFusionCache Create(TimeProvider time, SharedRedis? redis = null)
    {
        var cache = new FusionCache(Options(redis), new TimeProviderMemoryCache(time, sizeLimit: null));
        if (redis is not null)
        {
            UseRedis(cache, redis, NullLoggerFactory.Instance);
        }
        return cache;
    }

    /// <summary>Registers the shared <see cref="IFusionCache"/> (once; later calls keep the first), on Redis when <c>ConnectionStrings:Redis</c> is set.</summary>
    public static IServiceCollection AddFinSightCache(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(s => s.ServiceType == typeof(IFusionCache)))
        {
            return services;
        }
        services.Configure<CacheOptions>(configuration.GetSection(CacheOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSharedRedis(configuration);
        services.AddSingleton(sp => new TimeProviderMemoryCache(
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<CacheOptions>>().Value.SizeLimit is > 0 and var limit ? limit : null));
        services.AddSingleton<IFusionCache>(sp =>
        {
            var redis = sp.GetService<SharedRedis>();
            var cache = new FusionCache(Options(redis), sp.GetRequiredService<TimeProviderMemoryCache>(), sp.GetService<ILogger<FusionCache>>());
            if (redis is not null)
            {
                UseRedis(cache, redis, sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance);
            }
            return cache;
        });
        return services;
    }

    private static IOptions<FusionCacheOptions> Options(SharedRedis? redis) => Microsoft.Extensions.Options.Options.Create(new FusionCacheOptions
    {
        CacheName = "finsight",
        // Keys carry their feature's prefix (md:, analytics:, warm:); with Redis the deployment's prefix goes before it,
        // in Redis keys, lock names and the backplane channel alike.
        CacheKeyPrefix = redis?.KeyPrefix,
        BackplaneChannelPrefix = redis is null ? null : redis.KeyPrefix + "backplane",
        MissingCacheKeyPrefixWarningLogLevel = LogLevel.Debug,
        // An unreachable Redis is skipped for a while instead of being waited on by every request.
        DistributedCacheCircuitBreakerDuration = TimeSpan.FromSeconds(2),
        BackplaneCircuitBreakerDuration = TimeSpan.FromSeconds(2),
        DefaultEntryOptions = new FusionCacheEntryOptions
        {
            // Only what is asked for as shared goes to Redis (see GetOrCreateSharedAsync).
            SkipDistributedCacheRead = true,
            SkipDistributedCacheWrite = true,
            SkipBackplaneNotifications = true,
            SkipDistributedLocker = true,
            DistributedCacheSoftTimeout = TimeSpan.FromMilliseconds(500),
            DistributedCacheHardTimeout = TimeSpan.FromSeconds(2),
            DistributedLockTimeout = TimeSpan.FromSeconds(15),
            AllowBackgroundDistributedCacheOperations = false,
            AllowBackgroundBackplaneOperations = true,
        },
    });

    private static void UseRedis(FusionCache cache, SharedRedis redis, ILoggerFactory logs)
    {
        cache.SetupDistributedCache(
            new RedisCache(new RedisCacheOptions { ConnectionMultiplexerFactory = redis.ConnectAsync, InstanceName = null }),
            // Fields too: value tuples carry their values in fields.
            new FusionCacheSystemTextJsonSerializer(new System.Text.Json.JsonSerializerOptions { IncludeFields = true }));
        cache.SetupBackplane(new RedisBackplane(
            Microsoft.Extensions.Options.Options.Create(new RedisBackplaneOptions { ConnectionMultiplexerFactory = redis.ConnectAsync }),
            logs.CreateLogger<RedisBackplane>()));
        cache.SetupDistributedLocker(new RedisDistributedLocker(
            Microsoft.Extensions.Options.Options.Create(new RedisDistributedLockerOptions { ConnectionMultiplexerFactory = redis.ConnectAsync }),
            logs.CreateLogger<RedisDistributedLocker>()));
    }

    /// <summary>
    /// The value cached under <paramref name="key"/>, or the one <paramref name="create"/> makes:
    /// once for every caller that asks meanwhile. Because it is shared, it runs uncancelled; a
    /// caller that gives up stops waiting and the others still get the value. A failure is not
    /// cached: the next caller tries again.
    /// </summary>
    /// <param name="cache">The cache.</param>
    /// <param name="key">Unique across the app: start it with the feature's prefix.</param>
    /// <param name="create">The value, how long it may be reused (decided by the outcome), and its size in units.</param>
    /// <param name="ct">Stops this caller's wait only.</param>
    /// <param name="shared">
    /// With Redis: kept in Redis too and computed once across all instances (the value must round-trip
    /// through System.Text.Json). Only for data that is the same for every user (market data).
    /// </param>
    public static Task<T> GetOrCreateSharedAsync<T>(this IFusionCache cache, string key, Func<Task<Cached<T>>> create, CancellationToken ct, bool shared = false) =>
        cache.GetOrSetAsync<T>(key, async (context, _) =>
        {
            var made = await create();
            context.Options.Duration = made.Lifetime;
            context.Options.Size = made.Size;
            return made.Value;
        }, options: shared ? cache.CreateEntryOptions(o =>
        {
            o.SkipDistributedCacheRead = false;
            o.SkipDistributedCacheWrite = false;
            o.SkipBackplaneNotifications = false;
            o.SkipDistributedLocker = false;
        }) : null, token: CancellationToken.None).AsTask().WaitAsync(ct);
}

/// <summary>A value to cache, for how long, and how much of the cache's size limit it takes (at least 1).</summary>
public readonly record struct Cached<T>(T Value, TimeSpan Lifetime, long Size);

/// <summary>
/// An in-memory cache whose expirations are measured on the injected <see cref="TimeProvider"/>,
/// so a test clock that moves expires entries. FusionCache computes absolute expirations from the
/// system clock (it takes no TimeProvider; FusionCache#544), so each is turned back into the
/// duration it was meant to be and that duration is counted on the injected clock.
/// </summary>
internal sealed class TimeProviderMemoryCache(TimeProvider time, long? sizeLimit) : IMemoryCache
{
    private readonly MemoryCache _inner = new(new MemoryCacheOptions { Clock = new Clock(time), SizeLimit = sizeLimit });

    public ICacheEntry CreateEntry(object key) => new Entry(_inner.CreateEntry(key));

    public bool TryGetValue(object key, out object? value) => _inner.TryGetValue(key, out value);

    public void Remove(object key) => _inner.Remove(key);

    public void Dispose() => _inner.Dispose();

    private sealed class Clock(TimeProvider time) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }

    /// <summary>Collects the expiration while the caller configures the entry; the entry is stored on dispose.</summary>
    private sealed class Entry(ICacheEntry inner) : ICacheEntry
    {
        public object Key => inner.Key;
        public object? Value { get => inner.Value; set => inner.Value = value; }
        public DateTimeOffset? AbsoluteExpiration { get; set; }
        public TimeSpan? AbsoluteExpirationRelativeToNow { get; set; }
        public TimeSpan? SlidingExpiration { get => inner.SlidingExpiration; set => inner.SlidingExpiration = value; }
        public IList<Microsoft.Extensions.Primitives.IChangeToken> ExpirationTokens => inner.ExpirationTokens;
        public IList<PostEvictionCallbackRegistration> PostEvictionCallbacks => inner.PostEvictionCallbacks;
        public CacheItemPriority Priority { get => inner.Priority; set => inner.Priority = value; }
        public long? Size { get => inner.Size; set => inner.Size = value; }

        public void Dispose()
        {
            // The absolute time was computed from the system clock a moment ago: this is the duration meant.
            if ((AbsoluteExpirationRelativeToNow ?? AbsoluteExpiration - DateTimeOffset.UtcNow) is { } lifetime)
            {
                inner.AbsoluteExpirationRelativeToNow = lifetime > TimeSpan.Zero ? lifetime : TimeSpan.FromTicks(1);
            }
            inner.Dispose();
        }
    }
}
