using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ZiggyCreatures.Caching.Fusion;

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
/// Its memory level follows the injected <see cref="TimeProvider"/>.
/// </summary>
public static class FinSightCache
{
    /// <summary>A cache of its own, for a service built without dependency injection (tests, the harness).</summary>
    public static IFusionCache Create(TimeProvider time) => new FusionCache(new FusionCacheOptions(), new TimeProviderMemoryCache(time, sizeLimit: null));

    /// <summary>Registers the shared <see cref="IFusionCache"/> (once; later calls keep the first).</summary>
    public static IServiceCollection AddFinSightCache(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(s => s.ServiceType == typeof(IFusionCache)))
        {
            return services;
        }
        services.Configure<CacheOptions>(configuration.GetSection(CacheOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new TimeProviderMemoryCache(
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<CacheOptions>>().Value.SizeLimit is > 0 and var limit ? limit : null));
        services.AddFusionCache().WithMemoryCache(sp => sp.GetRequiredService<TimeProviderMemoryCache>());
        return services;
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
    public static Task<T> GetOrCreateSharedAsync<T>(this IFusionCache cache, string key, Func<Task<Cached<T>>> create, CancellationToken ct) =>
        cache.GetOrSetAsync<T>(key, async (context, _) =>
        {
            var made = await create();
            context.Options.Duration = made.Lifetime;
            context.Options.Size = made.Size;
            return made.Value;
        }, token: CancellationToken.None).AsTask().WaitAsync(ct);
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
