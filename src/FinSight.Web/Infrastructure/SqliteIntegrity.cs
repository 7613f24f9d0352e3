using FinSight.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FinSight.Web.Infrastructure;

/// <summary>Settings under <c>Database</c> for the SQLite integrity check.</summary>
public sealed class SqliteIntegrityOptions
{
    /// <summary>How often the readiness probe re-runs <c>PRAGMA quick_check</c> at most (default 1 minute); in between it reports the last result.</summary>
    public TimeSpan IntegrityCheckInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// <c>PRAGMA quick_check</c> on the SQLite file: at start-up (a corrupted file stops the start with
/// what SQLite found and how to recover, instead of serving part of the data) and in the readiness
/// probe (a file corrupted while running makes <c>/health/ready</c> answer 503). Not used on PostgreSQL.
/// </summary>
public sealed class SqliteIntegrity(ResolvedDatabase database, TimeProvider clock, Microsoft.Extensions.Options.IOptions<SqliteIntegrityOptions> options) : IHealthCheck
{
    private readonly SemaphoreSlim _running = new(1, 1);
    private (DateTimeOffset At, string? Problem)? _last;

    /// <summary>Null when SQLite reports the file intact; otherwise what <c>quick_check</c> found (its first lines).</summary>
    public async Task<string?> CheckAsync(CancellationToken ct)
    {
        // A connection of its own, outside the pool, so it reads the file as it is now.
        var builder = new SqliteConnectionStringBuilder(database.ConnectionString) { Pooling = false, Mode = SqliteOpenMode.ReadOnly };
        if (builder.DataSource is "" or ":memory:" || !File.Exists(builder.DataSource))
        {
            return null; // nothing on disk yet: migrations create it
        }
        await using var connection = new SqliteConnection(builder.ToString());
        try
        {
            await connection.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA quick_check(5)";
            var findings = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    findings.Add(reader.GetString(0));
                }
            }
            return findings is ["ok"] ? null : string.Join("; ", findings);
        }
        catch (SqliteException error) when (error.SqliteErrorCode is 11 or 26) // SQLITE_CORRUPT, SQLITE_NOTADB
        {
            return error.Message;
        }
    }

    /// <summary>Throws with a readable message when the SQLite file is corrupted; call before migrations.</summary>
    public async Task EnsureIntactAsync(ILogger logger, CancellationToken ct)
    {
        if (await CheckAsync(ct) is { } problem)
        {
            logger.LogCritical("The SQLite database failed PRAGMA quick_check: {Problem}", problem);
            throw new InvalidOperationException(
                $"The SQLite database is corrupted (PRAGMA quick_check: {problem}). FinSight will not start on it: restore the latest backup "
                + "(see 'FinSight.Web backup'), or salvage what is readable with the sqlite3 shell's .recover command into a new file.");
        }
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await _running.WaitAsync(cancellationToken);
        try
        {
            var now = clock.GetUtcNow();
            if (_last is not { } last || now - last.At >= options.Value.IntegrityCheckInterval)
            {
                _last = last = (now, await CheckAsync(cancellationToken));
            }
            return last.Problem is null ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("PRAGMA quick_check: " + last.Problem);
        }
        finally
        {
            _running.Release();
        }
    }
}
