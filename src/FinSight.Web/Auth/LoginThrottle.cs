using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace FinSight.Web.Auth;

/// <summary>
/// Slows password guessing: after <see cref="AuthOptions.MaxFailedLogins"/> failures for one
/// account (the caller's key: the account's id, or the name tried when there is no such account),
/// or from one client address, further attempts are refused until the lockout ends, even with
/// the right password. A success clears the account's count.
/// </summary>
/// <remarks>
/// State is per process. Behind several instances an attacker gets a budget per instance, which
/// still bounds guessing; a shared store is the upgrade if that ever matters.
/// </remarks>
public sealed class LoginThrottle(IOptions<AuthOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>How long the caller must wait, or null when an attempt may proceed.</summary>
    public TimeSpan? RetryAfter(string account, string? clientAddress)
    {
        var now = clock.GetUtcNow();
        var wait = Remaining(AccountKey(account), now);
        if (clientAddress is not null)
        {
            var clientWait = Remaining(ClientKey(clientAddress), now);
            if (clientWait > wait)
            {
                wait = clientWait;
            }
        }
        return wait;
    }

    public void RecordFailure(string account, string? clientAddress)
    {
        Fail(AccountKey(account), options.Value.MaxFailedLogins);
        if (clientAddress is not null)
        {
            // One address may legitimately serve several people (NAT), so it gets more room.
            Fail(ClientKey(clientAddress), options.Value.MaxFailedLogins * 4);
        }
    }

    public void RecordSuccess(string account) => _entries.TryRemove(AccountKey(account), out _);

    private void Fail(string key, int limit)
    {
        var now = clock.GetUtcNow();
        var lockout = TimeSpan.FromSeconds(options.Value.LockoutSeconds);
        _entries.AddOrUpdate(key,
            _ => new Entry(1, now, limit <= 1 ? now + lockout : null),
            (_, e) =>
            {
                // Failures older than one lockout period are forgotten.
                var count = now - e.LastFailure > lockout ? 1 : e.Failures + 1;
                return new Entry(count, now, count >= limit ? now + lockout : null);
            });
        Prune(now, lockout);
    }

    private TimeSpan? Remaining(string key, DateTimeOffset now) =>
        _entries.TryGetValue(key, out var e) && e.LockedUntil is { } until && until > now ? until - now : null;

    private void Prune(DateTimeOffset now, TimeSpan lockout)
    {
        // Keeps memory bounded under a spray of random account names.
        if (_entries.Count < 10_000)
        {
            return;
        }
        foreach (var (key, entry) in _entries)
        {
            if (now - entry.LastFailure > lockout && (entry.LockedUntil is null || entry.LockedUntil <= now))
            {
                _entries.TryRemove(key, out _);
            }
        }
    }

    private static string AccountKey(string account) => "a:" + account;
    private static string ClientKey(string address) => "c:" + address;

    private sealed record Entry(int Failures, DateTimeOffset LastFailure, DateTimeOffset? LockedUntil);
}
