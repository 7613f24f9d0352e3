using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace FinSight.Web.Auth;

/// <summary>
/// Slows password guessing without handing an attacker a way to lock a user out:
/// <list type="bullet">
/// <item>one account from one client address: after <see cref="AuthOptions.MaxFailedLogins"/>
/// failures that pair is locked for <see cref="AuthOptions.LockoutSeconds"/>, even for the right
/// password; the same account from another address is not affected;</item>
/// <item>one client address, whatever the accounts: after 4 × <see cref="AuthOptions.MaxFailedLogins"/>
/// failures (room for several people behind one NAT) the address is locked for the same time, which
/// stops spraying a few passwords over many accounts;</item>
/// <item>one account, from all addresses together: after <see cref="AuthOptions.AccountBackoffAfter"/>
/// failures each attempt waits a back-off that doubles from 2 s up to
/// <see cref="AuthOptions.MaxAccountBackoffSeconds"/> after the latest failure. It bounds a guesser
/// with many addresses to about one guess per back-off, while the real user waits seconds, not minutes.</item>
/// </list>
/// The account key is the caller's (the account's id, or the name tried when there is no such
/// account). A success clears that account's count for that address. Failures older than one
/// lockout period are forgotten.
/// </summary>
/// <remarks>
/// State is per process. Behind several instances an attacker gets a budget per instance, which
/// still bounds guessing; a shared store is the upgrade if that ever matters.
/// </remarks>
public sealed class LoginThrottle(IOptions<AuthOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Failures one client address may have, across accounts, before it is locked out.</summary>
    public int ClientLimit => options.Value.MaxFailedLogins * 4;

    /// <summary>How long the caller must wait, or null when an attempt may proceed.</summary>
    /// <param name="account">The account key.</param>
    /// <param name="clientAddress">The caller's address key (<see cref="ClientAddress.Key"/>), null when unknown.</param>
    public TimeSpan? RetryAfter(string account, string? clientAddress)
    {
        var now = clock.GetUtcNow();
        var waits = new[]
        {
            Locked(PairKey(account, clientAddress), now),
            clientAddress is null ? null : Locked(ClientKey(clientAddress), now),
            Backoff(account, now),
        };
        var longest = waits.Max();
        return longest is { } wait && wait > TimeSpan.Zero ? wait : null;
    }

    /// <summary>Counts a wrong password (or an unknown account) for the account, the pair and the address.</summary>
    public void RecordFailure(string account, string? clientAddress)
    {
        var settings = options.Value;
        Fail(PairKey(account, clientAddress), settings.MaxFailedLogins);
        Fail(AccountKey(account), int.MaxValue);
        if (clientAddress is not null)
        {
            Fail(ClientKey(clientAddress), ClientLimit);
        }
    }

    /// <summary>
    /// Counts a sign-up refused because the username or email is taken. Such answers tell whether
    /// an account exists, so one address gets as many as it gets failed logins (separately counted).
    /// </summary>
    public void RecordSignupConflict(string? clientAddress) => Fail(SignupKey(clientAddress ?? "?"), ClientLimit);

    /// <summary>How long the address must wait before it may sign up again, or null.</summary>
    public TimeSpan? SignupRetryAfter(string? clientAddress) => Locked(SignupKey(clientAddress ?? "?"), clock.GetUtcNow());

    /// <summary>The right password: this address starts afresh on this account. The account-wide and address counts decay with time only.</summary>
    public void RecordSuccess(string account, string? clientAddress) => _entries.TryRemove(PairKey(account, clientAddress), out _);

    private void Fail(string key, int limit)
    {
        var now = clock.GetUtcNow();
        var lockout = Lockout;
        _entries.AddOrUpdate(key,
            _ => new Entry(1, now, limit <= 1 ? now + lockout : null),
            (_, e) =>
            {
                var count = now - e.LastFailure > lockout ? 1 : e.Failures + 1;
                // Failures during a lockout do not extend it: the caller was refused before they counted.
                return new Entry(count, now, e.LockedUntil is { } until && until > now ? until : count >= limit ? now + lockout : null);
            });
        Prune(now, lockout);
    }

    private TimeSpan? Locked(string key, DateTimeOffset now) =>
        _entries.TryGetValue(key, out var e) && e.LockedUntil is { } until && until > now ? until - now : null;

    private TimeSpan? Backoff(string account, DateTimeOffset now)
    {
        var settings = options.Value;
        if (!_entries.TryGetValue(AccountKey(account), out var e) || now - e.LastFailure > Lockout)
        {
            return null;
        }
        var over = e.Failures - settings.AccountBackoffAfter;
        if (over < 0)
        {
            return null;
        }
        var seconds = Math.Min(settings.MaxAccountBackoffSeconds, Math.Pow(2, Math.Min(over + 1, 30)));
        var until = e.LastFailure + TimeSpan.FromSeconds(seconds);
        return until > now ? until - now : null;
    }

    private TimeSpan Lockout => TimeSpan.FromSeconds(options.Value.LockoutSeconds);

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
    private static string SignupKey(string address) => "s:" + address;
    private static string PairKey(string account, string? address) => "p:" + account + "|" + (address ?? "?");

    private sealed record Entry(int Failures, DateTimeOffset LastFailure, DateTimeOffset? LockedUntil);
}
