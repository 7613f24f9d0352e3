using FinSight.Web.Data;
using Npgsql;

namespace FinSight.Web.Jobs;

/// <summary>
/// Decides which instance runs a background job when several share one PostgreSQL database:
/// the holder of a session-level advisory lock, kept on a dedicated connection. If that
/// connection drops, the lock is released by the server and another instance takes over.
/// With SQLite there is only ever one instance, so it always leads.
/// </summary>
public sealed class JobLeadership(ResolvedDatabase database, ILogger<JobLeadership> logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<long> _held = [];
    private NpgsqlConnection? _connection;

    public async Task<bool> IsLeaderAsync(long jobKey, CancellationToken ct)
    {
        if (database.Provider != DatabaseProvider.Postgres)
        {
            return true;
        }
        await _gate.WaitAsync(ct);
        try
        {
            if (_connection is null)
            {
                _connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
                await _connection.OpenAsync(ct);
            }
            if (_held.Contains(jobKey))
            {
                // Proves the session, and with it the lock, is still alive.
                await using var ping = new NpgsqlCommand("SELECT 1", _connection);
                await ping.ExecuteScalarAsync(ct);
                return true;
            }
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", _connection);
            command.Parameters.AddWithValue("key", jobKey);
            if (await command.ExecuteScalarAsync(ct) is true)
            {
                _held.Add(jobKey);
                logger.LogInformation("This instance now runs background job {JobKey}.", jobKey);
                return true;
            }
            return false;
        }
        catch (Exception error) when (error is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            logger.LogWarning(error, "Lost the database session that holds background job locks; will retry.");
            await ResetAsync();
            return false;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ResetAsync();
        _gate.Dispose();
    }

    private async Task ResetAsync()
    {
        _held.Clear();
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }
}
