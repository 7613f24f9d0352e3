using System.Collections.Concurrent;
using System.Globalization;
using FinSight.MarketData.Caching;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

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
/// With Redis (<see cref="SharedRedis"/>) the counts are shared by every instance, so N failures
/// lock an account whichever instances served them. While Redis is unreachable each instance counts
/// in its own memory (logged), which still bounds guessing, and goes back to Redis by itself.
/// Times are the injected clock's, stored with the counts, so the rules are the same either way.
/// </remarks>
public sealed class LoginThrottle(IOptions<AuthOptions> options, TimeProvider clock, ILogger<LoginThrottle> logger, SharedRedis? redis = null)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private int _redisDownLogged;

    /// <summary>Failures one client address may have, across accounts, before it is locked out.</summary>
    public int ClientLimit => options.Value.MaxFailedLogins * 4;

    /// <summary>How long the caller must wait, or null when an attempt may proceed.</summary>
    /// <param name="account">The account key.</param>
    /// <param name="clientAddress">The caller's address key (<see cref="ClientAddress.Key"/>), null when unknown.</param>
    public async Task<TimeSpan?> RetryAfterAsync(string account, string? clientAddress)
    {
        var now = clock.GetUtcNow();
        var waits = new[]
        {
            Locked(await GetAsync(PairKey(account, clientAddress)), now),
            clientAddress is null ? null : Locked(await GetAsync(ClientKey(clientAddress)), now),
            Backoff(await GetAsync(AccountKey(account)), now),
        };
        var longest = waits.Max();
        return longest is { } wait && wait > TimeSpan.Zero ? wait : null;
    }

    /// <summary>Counts a wrong password (or an unknown account) for the account, the pair and the address.</summary>
    public async Task RecordFailureAsync(string account, string? clientAddress)
    {
        var settings = options.Value;
        await FailAsync(PairKey(account, clientAddress), settings.MaxFailedLogins);
        await FailAsync(AccountKey(account), int.MaxValue);
        if (clientAddress is not null)
        {
            await FailAsync(ClientKey(clientAddress), ClientLimit);
        }
    }

    /// <summary>
    /// Counts a sign-up refused because the username or email is taken. Such answers tell whether
    /// an account exists, so one address gets as many as it gets failed logins (separately counted).
    /// </summary>
    public Task RecordSignupConflictAsync(string? clientAddress) => FailAsync(SignupKey(clientAddress ?? "?"), ClientLimit);

    /// <summary>How long the address must wait before it may sign up again, or null.</summary>
    public async Task<TimeSpan?> SignupRetryAfterAsync(string? clientAddress) => Locked(await GetAsync(SignupKey(clientAddress ?? "?")), clock.GetUtcNow());

    /// <summary>The right password: this address starts afresh on this account. The account-wide and address counts decay with time only.</summary>
    public async Task RecordSuccessAsync(string account, string? clientAddress)
    {
        var key = PairKey(account, clientAddress);
        _entries.TryRemove(key, out _);
        if (await DatabaseAsync() is { } db)
        {
            try
            {
                await db.KeyDeleteAsync(RedisKey(key));
            }
            catch (Exception ex) when (IsRedisFailure(ex))
            {
                RedisDown(ex);
            }
        }
    }

    private static Entry Next(Entry? e, DateTimeOffset now, TimeSpan lockout, int limit)
    {
        if (e is null)
        {
            return new Entry(1, now, limit <= 1 ? now + lockout : null);
        }
        var count = now - e.LastFailure > lockout ? 1 : e.Failures + 1;
        // Failures during a lockout do not extend it: the caller was refused before they counted.
        return new Entry(count, now, e.LockedUntil is { } until && until > now ? until : count >= limit ? now + lockout : null);
    }

    private async Task FailAsync(string key, int limit)
    {
        var now = clock.GetUtcNow();
        var lockout = Lockout;
        if (await DatabaseAsync() is { } db)
        {
            try
            {
                // Optimistic: the update commits only if nobody else changed the count meanwhile.
                for (var attempt = 0; attempt < 20; attempt++)
                {
                    var redisKey = RedisKey(key);
                    var old = await db.StringGetAsync(redisKey);
                    var next = Next(Entry.Parse(old), now, lockout, limit);
                    var transaction = db.CreateTransaction();
                    transaction.AddCondition(old.IsNull ? Condition.KeyNotExists(redisKey) : Condition.StringEqual(redisKey, old));
                    _ = transaction.StringSetAsync(redisKey, next.ToString(), Keep(lockout));
                    if (await transaction.ExecuteAsync())
                    {
                        return;
                    }
                }
                logger.LogWarning("Login throttle: the count {Key} stayed contended; counted in this instance only.", key);
            }
            catch (Exception ex) when (IsRedisFailure(ex))
            {
                RedisDown(ex);
            }
        }
        _entries.AddOrUpdate(key, _ => Next(null, now, lockout, limit), (_, e) => Next(e, now, lockout, limit));
        Prune(now, lockout);
    }

    private async Task<Entry?> GetAsync(string key)
    {
        if (await DatabaseAsync() is { } db)
        {
            try
            {
                var shared = Entry.Parse(await db.StringGetAsync(RedisKey(key)));
                // What this instance counted while Redis was away still counts.
                return _entries.TryGetValue(key, out var local) ? Later(shared, local) : shared;
            }
            catch (Exception ex) when (IsRedisFailure(ex))
            {
                RedisDown(ex);
            }
        }
        return _entries.GetValueOrDefault(key);
    }

    private static Entry? Later(Entry? a, Entry b) => a is null || b.Failures > a.Failures || b.LockedUntil > a.LockedUntil ? b : a;

    private async Task<IDatabase?> DatabaseAsync()
    {
        if (redis is null || !redis.IsConnected)
        {
            if (redis is not null && Interlocked.Exchange(ref _redisDownLogged, 1) == 0)
            {
                logger.LogWarning("Redis is unreachable: login failures are counted by this instance alone until it is back.");
            }
            return null;
        }
        Interlocked.Exchange(ref _redisDownLogged, 0);
        return (await redis.ConnectAsync()).GetDatabase();
    }

    private void RedisDown(Exception ex)
    {
        if (Interlocked.Exchange(ref _redisDownLogged, 1) == 0)
        {
            logger.LogWarning(ex, "Redis failed: login failures are counted by this instance alone until it is back.");
        }
    }

    private static bool IsRedisFailure(Exception ex) => ex is RedisException or TimeoutException or ObjectDisposedException;

    // Kept in Redis a little longer than a lockout, which is when a count stops mattering.
    private TimeSpan Keep(TimeSpan lockout) => lockout + lockout + TimeSpan.FromMinutes(1);

    private RedisKey RedisKey(string key) => redis!.KeyPrefix + "login:" + key;

    private static TimeSpan? Locked(Entry? e, DateTimeOffset now) =>
        e is { LockedUntil: { } until } && until > now ? until - now : null;

    private TimeSpan? Backoff(Entry? e, DateTimeOffset now)
    {
        var settings = options.Value;
        if (e is null || now - e.LastFailure > Lockout)
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

    private sealed record Entry(int Failures, DateTimeOffset LastFailure, DateTimeOffset? LockedUntil)
    {
        /// <summary>"failures|last failure (UTC ticks)|locked until (UTC ticks or empty)": how an entry is kept in Redis.</summary>
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{Failures}|{LastFailure.UtcTicks}|{LockedUntil?.UtcTicks}");

        public static Entry? Parse(RedisValue value)
        {
            if (value.IsNullOrEmpty)
            {
                return null;
            }
            var parts = value.ToString().Split('|');
            return new Entry(
                int.Parse(parts[0], CultureInfo.InvariantCulture),
                new DateTimeOffset(long.Parse(parts[1], CultureInfo.InvariantCulture), TimeSpan.Zero),
                parts[2].Length == 0 ? null : new DateTimeOffset(long.Parse(parts[2], CultureInfo.InvariantCulture), TimeSpan.Zero));
        }
    }
}
