using System.Collections.Concurrent;

namespace FinSight.MarketData.Caching;

/// <summary>
/// Counts the callers waiting for each shared computation (by cache key) and cancels a
/// computation's token once the last of them has stopped waiting, so a vendor fetch that nobody
/// wants any more leaves the vendor queue instead of spending a permit. A caller that joins a
/// computation just as it is being abandoned starts a fresh one.
/// </summary>
public sealed class SharedWaiters
{
    private readonly ConcurrentDictionary<string, Interest> _interests = new(StringComparer.Ordinal);

    /// <summary>
    /// Runs (or joins) <paramref name="shared"/> for <paramref name="key"/>. The token it receives
    /// is cancelled when every caller of this key has given up (or the value is there).
    /// </summary>
    public async Task<T> WaitAsync<T>(string key, Func<CancellationToken, Task<T>> shared, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var interest = Join(key);
            var left = 0;
            void LeaveOnce()
            {
                if (Interlocked.Exchange(ref left, 1) == 0)
                {
                    Leave(key, interest);
                }
            }
            var registration = ct.Register(LeaveOnce);
            try
            {
                return await shared(interest.Token).WaitAsync(ct);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested && attempt == 0)
            {
                // Joined a computation its other callers had just abandoned: start again.
            }
            finally
            {
                await registration.DisposeAsync();
                LeaveOnce();
            }
        }
    }

    private Interest Join(string key)
    {
        while (true)
        {
            var interest = _interests.GetOrAdd(key, _ => new Interest());
            lock (interest)
            {
                if (!interest.Closed)
                {
                    interest.Waiters++;
                    return interest;
                }
            }
            _interests.TryRemove(new KeyValuePair<string, Interest>(key, interest));
        }
    }

    private void Leave(string key, Interest interest)
    {
        lock (interest)
        {
            if (--interest.Waiters > 0)
            {
                return;
            }
            interest.Closed = true;
        }
        _interests.TryRemove(new KeyValuePair<string, Interest>(key, interest));
        interest.Abandon();
    }

    private sealed class Interest
    {
        private readonly CancellationTokenSource _abandoned = new();
        public int Waiters;
        public bool Closed;

        public CancellationToken Token => _abandoned.Token;

        // Not disposed: a computation may still hold the token (it has no timer to release).
        public void Abandon() => _abandoned.Cancel();
    }
}
