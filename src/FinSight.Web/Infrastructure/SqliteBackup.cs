using FinSight.Web.Data;
using Microsoft.Data.Sqlite;

namespace FinSight.Web.Infrastructure;

/// <summary>
/// <c>FinSight.Web backup &lt;destination-file&gt;</c>: a consistent copy of the configured SQLite
/// database made with SQLite's online backup API, so it is safe while the app is running (a plain
/// file copy can catch a half-written page). The copy is written beside the destination under a
/// temporary name, checked, and only then renamed into place. PostgreSQL is backed up with
/// <c>pg_dump</c> instead.
/// </summary>
public static class SqliteBackup
{
    public const string Command = "backup";
    private static readonly TimeSpan BusyRetryFor = TimeSpan.FromSeconds(30);

    public static bool IsRequested(string[] args) => CommandIndex(args) >= 0;

    // The command comes first, after any --demo or --key=value settings.
    private static int CommandIndex(string[] args)
    {
        var i = 0;
        while (i < args.Length && args[i].StartsWith("--", StringComparison.Ordinal)
               && (args[i].Contains('=', StringComparison.Ordinal) || string.Equals(args[i], "--demo", StringComparison.OrdinalIgnoreCase)))
        {
            i++;
        }
        return i < args.Length && string.Equals(args[i], Command, StringComparison.OrdinalIgnoreCase) ? i : -1;
    }

    /// <summary>Runs the command from <c>Program.cs</c> with the app's own configuration; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, IConfiguration configuration, IHostEnvironment environment)
    {
        var destination = args.Skip(CommandIndex(args) + 1).FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal));
        if (string.IsNullOrWhiteSpace(destination))
        {
            await Console.Error.WriteLineAsync("Usage: FinSight.Web backup <destination-file>   (copies the SQLite database while the app may be running)");
            return 2;
        }
        try
        {
            var database = Resolve(configuration, environment);
            if (database.Provider != DatabaseProvider.Sqlite)
            {
                await Console.Error.WriteLineAsync(
                    "The backup command copies a SQLite database, but FinSight is configured for PostgreSQL. " +
                    "Back PostgreSQL up with pg_dump, e.g. pg_dump --format=custom --file=finsight.dump \"$DATABASE_URL\" " +
                    "(restore with pg_restore), as described in the README's \"Backups\" section.");
                return 1;
            }
            var result = await BackupAsync(database.ConnectionString, destination, CancellationToken.None);
            await Console.Out.WriteLineAsync($"Backed up {result.Source} to {result.Destination} ({result.Bytes:N0} bytes).");
            return 0;
        }
        catch (Exception error) when (error is InvalidOperationException or IOException or UnauthorizedAccessException or SqliteException)
        {
            await Console.Error.WriteLineAsync("Backup failed: " + error.Message);
            return 1;
        }
    }

    /// <summary>Copies the SQLite database behind <paramref name="connectionString"/> to <paramref name="destinationPath"/>, which must not exist yet.</summary>
    public static async Task<BackupResult> BackupAsync(string connectionString, string destinationPath, CancellationToken ct)
    {
        var source = new SqliteConnectionStringBuilder(connectionString);
        var sourcePath = Path.GetFullPath(source.DataSource);
        if (string.IsNullOrEmpty(source.DataSource) || source.DataSource == ":memory:" || source.Mode == SqliteOpenMode.Memory)
        {
            throw new InvalidOperationException("The configured SQLite database is in memory; there is no file to back up.");
        }
        if (!File.Exists(sourcePath))
        {
            throw new InvalidOperationException($"There is no SQLite database at {sourcePath} (check FinSight:DataDirectory or ConnectionStrings:Sqlite).");
        }
        var destination = Path.GetFullPath(destinationPath);
        if (string.Equals(destination, sourcePath, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The destination is the database itself; choose another file.");
        }
        if (File.Exists(destination))
        {
            throw new InvalidOperationException($"{destination} already exists; choose a new file name (backups never overwrite).");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);

        var temporary = destination + ".partial-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            // Read-only and unpooled: the command must never create or change the live database,
            // nor keep a handle on either file after it returns.
            source.Mode = SqliteOpenMode.ReadOnly;
            source.Pooling = false;
            await using (var from = new SqliteConnection(source.ConnectionString))
            await using (var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = temporary, Pooling = false }.ConnectionString))
            {
                await from.OpenAsync(ct);
                await to.OpenAsync(ct);
                await CopyAsync(from, to, ct);
                await using var check = to.CreateCommand();
                check.CommandText = "PRAGMA quick_check";
                if (await check.ExecuteScalarAsync(ct) is not "ok")
                {
                    throw new InvalidOperationException("The copy failed SQLite's integrity check; the source database may be damaged.");
                }
            }
            File.Move(temporary, destination);
            return new BackupResult(sourcePath, destination, new FileInfo(destination).Length);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    // sqlite3_backup_step copies a consistent snapshot, but cannot start while a writer holds the
    // database (SQLITE_BUSY / SQLITE_LOCKED): the app's writes are short, so wait for a gap.
    private static async Task CopyAsync(SqliteConnection from, SqliteConnection to, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + BusyRetryFor;
        for (var delay = 10; ; delay = Math.Min(delay * 2, 500))
        {
            try
            {
                from.BackupDatabase(to);
                return;
            }
            catch (SqliteException error) when (error.SqliteErrorCode is 5 or 6 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(delay, ct);
            }
        }
    }

    /// <summary>The database the app would use, chosen exactly as at start-up.</summary>
    private static ResolvedDatabase Resolve(IConfiguration configuration, IHostEnvironment environment)
    {
        var services = new ServiceCollection().AddFinSightDatabase(configuration, new DataDirectory(configuration, environment));
        return (ResolvedDatabase)services.Single(d => d.ServiceType == typeof(ResolvedDatabase)).ImplementationInstance!;
    }

    public sealed record BackupResult(string Source, string Destination, long Bytes);
}
