using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using FinSight.MarketData.Caching;
using FinSight.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using StackExchange.Redis;

namespace FinSight.Web.Infrastructure;

/// <summary>
/// A token per user that changes after every committed write to what that user's requests read
/// (their account, sessions, settings, portfolios and transactions), on every instance. What is
/// cached under a user's epoch (<see cref="WarmState"/>) can therefore never outlive a write: the
/// next request reads a new epoch and misses. Readers take the epoch before they read the database,
/// writers change it after they commit, so a value read before a write is only ever filed under the
/// epoch that the write retired.
/// <list type="bullet">
/// <item>With Redis: a random value per user in Redis, replaced by every write; missing (a Redis
/// restart) it is set afresh, so old epochs never come back.</item>
/// <item>PostgreSQL without Redis: a counter in each process, moved by the writer's instance at once
/// and by every other instance on a PostgreSQL NOTIFY (the writer waits until its own listener
/// has heard it, by when the others have been sent it too).</item>
/// <item>SQLite (one instance): the counter in the process.</item>
/// </list>
/// Null (Redis unreachable, or the NOTIFY listener not listening): nothing may be served from the
/// warm cache; the request reads the database as without it. Losing or regaining the connection
/// also retires every epoch the instance has seen.
/// </summary>
public sealed class UserEpochs : IAsyncDisposable
{
    private const string Channel = "finsight_user_epochs";
    private static readonly TimeSpan RedisKeyLifetime = TimeSpan.FromDays(7);

    private readonly ConcurrentDictionary<Guid, long> _local = new();
    private readonly ConcurrentDictionary<Guid, byte> _pendingRedis = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _ownNotifications = new();
    private readonly SharedRedis? _redis;
    private readonly string? _postgres;
    private readonly ILogger<UserEpochs> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task? _listener;
    private long _counter;
    private long _generation;
    private volatile bool _listening;

    public UserEpochs(ResolvedDatabase database, ILogger<UserEpochs> logger, SharedRedis? redis = null)
    {
        _logger = logger;
        _redis = redis;
        if (redis is not null)
        {
            redis.ConnectionChanged += lost =>
            {
                RetireAll();
                if (!lost)
                {
                    _ = ReplayPendingAsync();
                }
            };
        }
        else if (database.Provider == DatabaseProvider.Postgres)
        {
            _postgres = database.ConnectionString;
            _listener = Task.Run(() => ListenAsync(_stopping.Token));
        }
    }

    /// <summary>The user's current epoch, or null when the warm cache must not be used right now.</summary>
    public async ValueTask<string?> CurrentAsync(Guid userId)
    {
        var local = string.Create(CultureInfo.InvariantCulture, $"{Volatile.Read(ref _generation)}.{_local.GetValueOrDefault(userId)}");
        if (_redis is not null)
        {
            if (!_redis.IsConnected)
            {
                return null;
            }
            if (!_pendingRedis.IsEmpty)
            {
                // A write whose announcement failed: announce it first, or serve nobody from memory.
                await ReplayPendingAsync();
                if (!_pendingRedis.IsEmpty)
                {
                    return null;
                }
            }
            try
            {
                var db = (await _redis.ConnectAsync()).GetDatabase();
                var value = await db.StringGetAsync(RedisKey(userId));
                if (value.IsNull)
                {
                    await db.StringSetAsync(RedisKey(userId), Guid.NewGuid().ToString("N"), RedisKeyLifetime, When.NotExists);
                    value = await db.StringGetAsync(RedisKey(userId));
                }
                return value.IsNull ? null : local + "." + value;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
            {
                return null;
            }
        }
        if (_postgres is not null && !_listening)
        {
            return null;
        }
        return local;
    }

    /// <summary>Retires the user's epoch everywhere. Call after the write has committed.</summary>
    public async Task BumpAsync(IReadOnlyCollection<Guid> userIds, CancellationToken ct = default)
    {
        foreach (var userId in userIds)
        {
            BumpLocal(userId);
        }
        if (_redis is not null)
        {
            foreach (var userId in userIds)
            {
                await BumpRedisAsync(userId);
            }
        }
        else if (_postgres is not null)
        {
            await NotifyAsync(userIds, ct);
        }
    }

    private void BumpLocal(Guid userId) => _local[userId] = Interlocked.Increment(ref _counter);

    private void RetireAll() => Interlocked.Increment(ref _generation);

    private RedisKey RedisKey(Guid userId) => _redis!.KeyPrefix + "epoch:" + userId.ToString("N");

    private async Task BumpRedisAsync(Guid userId)
    {
        try
        {
            var db = (await _redis!.ConnectAsync()).GetDatabase();
            await db.StringSetAsync(RedisKey(userId), Guid.NewGuid().ToString("N"), RedisKeyLifetime);
            _pendingRedis.TryRemove(userId, out _);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            // Until Redis has heard of this write, this instance serves nobody from the warm cache.
            _pendingRedis[userId] = 0;
            _logger.LogWarning("Redis is unreachable: the change to user {UserId}'s data is announced to other instances once it is back.", userId);
        }
    }

    private async Task ReplayPendingAsync()
    {
        foreach (var userId in _pendingRedis.Keys)
        {
            await BumpRedisAsync(userId);
        }
    }

    private async Task NotifyAsync(IReadOnlyCollection<Guid> userIds, CancellationToken ct)
    {
        var nonce = Guid.NewGuid().ToString("N");
        var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ownNotifications[nonce] = heard;
        try
        {
            await using var connection = new NpgsqlConnection(_postgres);
            await connection.OpenAsync(ct);
            foreach (var userId in userIds)
            {
                await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
                notify.Parameters.AddWithValue("channel", Channel);
                notify.Parameters.AddWithValue("payload", userId.ToString("N") + "|" + nonce);
                await notify.ExecuteNonQueryAsync(ct);
            }
            // PostgreSQL sends a notification to every listener at once: once ours has it, theirs are on the way.
            await heard.Task.WaitAsync(TimeSpan.FromSeconds(2), ct);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            _logger.LogWarning(ex, "Could not confirm that other instances heard of a change to user data; they drop it within their listener's reconnect.");
        }
        finally
        {
            _ownNotifications.TryRemove(nonce, out _);
        }
    }

    private async Task ListenAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_postgres) { Pooling = false, KeepAlive = 5 }.ConnectionString);
                await connection.OpenAsync(stopping);
                connection.Notification += (_, e) =>
                {
                    var parts = e.Payload.Split('|');
                    if (Guid.TryParseExact(parts[0], "N", out var userId))
                    {
                        BumpLocal(userId);
                    }
                    if (parts.Length > 1 && _ownNotifications.TryGetValue(parts[1], out var heard))
                    {
                        heard.TrySetResult();
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stopping);
                }
                // Whatever was cached before this listener heard everything may be stale.
                RetireAll();
                _listening = true;
                while (!stopping.IsCancellationRequested)
                {
                    await connection.WaitAsync(stopping);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                if (_listening)
                {
                    _logger.LogWarning(ex, "Lost the PostgreSQL listener for changes made on other instances; the warm dashboard cache is off until it is back.");
                }
                _listening = false;
                RetireAll();
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_listener is not null)
        {
            await _listener.ContinueWith(_ => { }, TaskScheduler.Default);
        }
        _stopping.Dispose();
    }
}

/// <summary>
/// Retires the epoch (<see cref="UserEpochs"/>) of every user whose account, sessions, settings,
/// portfolios or transactions a <c>SaveChanges</c> changed, once it has committed. Bulk
/// <c>ExecuteUpdate</c>/<c>ExecuteDelete</c> statements bypass it: their callers bump themselves.
/// </summary>
public sealed class UserEpochsInterceptor(UserEpochs epochs) : SaveChangesInterceptor
{
    private readonly ConditionalWeakTable<DbContext, List<Guid>> _pending = new();

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (Take(eventData.Context) is { Count: > 0 } users)
        {
            await epochs.BumpAsync(users, CancellationToken.None);
        }
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (Take(eventData.Context) is { Count: > 0 } users)
        {
            epochs.BumpAsync(users, CancellationToken.None).GetAwaiter().GetResult();
        }
        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Take(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Take(eventData.Context);
        return Task.CompletedTask;
    }

    private void Collect(DbContext? context)
    {
        if (context is null)
        {
            return;
        }
        var users = new List<Guid>();
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Unchanged or EntityState.Detached)
            {
                continue;
            }
            Guid? user = entry.Entity switch
            {
                User u => u.Id,
                UserSession s => s.UserId,
                UserSettings s => s.UserId,
                Portfolio p => p.UserId,
                TransactionRecord t => t.UserId,
                _ => null,
            };
            if (user is { } id && !users.Contains(id))
            {
                users.Add(id);
            }
        }
        _pending.AddOrUpdate(context, users);
    }

    private List<Guid>? Take(DbContext? context)
    {
        if (context is null || !_pending.TryGetValue(context, out var users))
        {
            return null;
        }
        _pending.Remove(context);
        return users;
    }
}
