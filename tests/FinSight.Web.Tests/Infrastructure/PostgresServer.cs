using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace FinSight.Web.Tests.Infrastructure;

/// <summary>
/// One real PostgreSQL server for the whole test run: the one named by
/// <c>FINSIGHT_TEST_POSTGRES</c> (an admin connection string), or else a throwaway cluster
/// started from the installed server binaries on a free loopback port and removed at exit.
/// Missing binaries fail the tests with instructions; they are never silently skipped.
/// </summary>
public sealed class PostgresServer
{
    public const string EnvironmentVariable = "FINSIGHT_TEST_POSTGRES";
    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync);

    private PostgresServer(string adminConnectionString) => AdminConnectionString = adminConnectionString;

    public string AdminConnectionString { get; }

    public static Task<PostgresServer> GetAsync() => Shared.Value;

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    private static async Task<PostgresServer> StartAsync()
    {
        var given = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(given))
        {
            return new PostgresServer(given);
        }

        var bin = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found, so the PostgreSQL tests cannot run. " +
            "Install them (Debian: apt-get install -y postgresql) or set PG_BIN to their folder, " +
            $"or point {EnvironmentVariable} at a server, e.g. {EnvironmentVariable}='Host=127.0.0.1;Port=5432;Username=postgres;Password=...'.");

        var dataDir = Directory.CreateTempSubdirectory("finsight-pg-").FullName;
        var port = FreePort();
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            // initdb refuses to run as root; the cluster belongs to the postgres account.
            await RunAsync("chown", $"postgres:postgres {dataDir}");
        }
        await RunAsync(bin, "initdb", $"-D {dataDir} -U postgres --auth=trust -E UTF8 --locale=C.UTF-8", asRoot);
        await RunAsync(bin, "pg_ctl",
            $"-D {dataDir} -l {dataDir}/server.log -w -t 30 -o \"-p {port} -c listen_addresses=127.0.0.1 -k {dataDir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300\" start",
            asRoot);

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                RunAsync(bin, "pg_ctl", $"-D {dataDir} -m immediate -w stop", asRoot).GetAwaiter().GetResult();
                Directory.Delete(dataDir, recursive: true);
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
            {
                // Best effort at exit; a leftover temp folder is harmless.
            }
        };
        return new PostgresServer($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false");
    }

    private static string? FindBinaries()
    {
        var fromEnv = Environment.GetEnvironmentVariable("PG_BIN");
        if (!string.IsNullOrEmpty(fromEnv) && File.Exists(Path.Combine(fromEnv, "initdb")))
        {
            return fromEnv;
        }
        const string root = "/usr/lib/postgresql";
        return Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(v => Path.Combine(v, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var major) ? major : 0)
                .FirstOrDefault()
            : null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task RunAsync(string bin, string tool, string arguments, bool asPostgres) =>
        asPostgres
            ? RunAsync("runuser", $"-u postgres -- {Path.Combine(bin, tool)} {arguments}")
            : RunAsync(Path.Combine(bin, tool), arguments);

    private static async Task RunAsync(string fileName, string arguments)
    {
        var start = new ProcessStartInfo(fileName, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{fileName} {arguments}' failed ({process.ExitCode}): {await stderr}{await stdout}");
        }
    }
}
