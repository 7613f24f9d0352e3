using System.Collections.Concurrent;

namespace FinSight.MarketData;

/// <summary>
/// A time-bounded cache in which concurrent misses for one key share a single fetch. Expiry
/// reads the injected TimeProvider (IMemoryCache reads the system clock, which tests and the
/// harness cannot move). Keys are bounded by the symbol universe, so no size eviction is needed
/// beyond dropping expired entries now and then.
/// </summary>
internal sealed class CoalescingCache<T>(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (T Value, DateTimeOffset Expires)> _entries = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<T>>> _inFlight = new();
    private int _writes;

    // fetch returns the value and how long it may be reused.
    public Task<T> GetOrFetchAsync(string key, Func<Task<(T Value, TimeSpan Lifetime)>> fetch, CancellationToken cancellationToken)
    {
        if (TryGetFresh(key, out var cached))
        {
            return Task.FromResult(cached);
        }
        var shared = _inFlight.GetOrAdd(key, k => new Lazy<Task<T>>(() => FetchAsync(k, fetch)));
        // Callers may give up; the shared fetch carries on for the others and fills the cache.
        return shared.Value.WaitAsync(cancellationToken);
    }

    private async Task<T> FetchAsync(string key, Func<Task<(T Value, TimeSpan Lifetime)>> fetch)
    {
        try
        {
            // A caller that missed the cache just before the previous fetch stored its value lands here: recheck.
            if (TryGetFresh(key, out var cached))
            {
                return cached;
            }
            await Task.Yield();
            var (value, lifetime) = await fetch();
            _entries[key] = (value, time.GetUtcNow() + lifetime);
            if (Interlocked.Increment(ref _writes) % 1024 == 0)
            {
                RemoveExpired();
            }
            return value;
        }
        finally
        {
            _inFlight.TryRemove(key, out _);
        }
    }

    private bool TryGetFresh(string key, out T value)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Expires > time.GetUtcNow())
        {
            value = entry.Value;
            return true;
        }
        value = default!;
        return false;
    }

    private void RemoveExpired()
    {
        var now = time.GetUtcNow();
        foreach (var (key, entry) in _entries)
        {
            if (entry.Expires <= now)
            {
                _entries.TryRemove(key, out _);
            }
        }
    }
}
