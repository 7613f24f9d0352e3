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

        var bin = RequireBinaries();
        var dataDir = Directory.CreateTempSubdirectory("finsight-pg-").FullName;
        var port = FreePort();
        var asRoot = Environment.UserName == "root";
        await InitAndStartAsync(bin, dataDir, port, asRoot);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAndDelete(bin, dataDir, asRoot);
        return new PostgresServer(AdminConnectionStringFor(port));
    }

    /// <summary>
    /// A throwaway cluster of its own that a test may stop and start (database outages), on its own
    /// port and data folder, so the shared server is never disturbed. Always local binaries, even
    /// when <c>FINSIGHT_TEST_POSTGRES</c> names a server for the other tests.
    /// </summary>
    public static async Task<DedicatedPostgres> StartDedicatedAsync()
    {
        var bin = RequireBinaries();
        var dataDir = Directory.CreateTempSubdirectory("finsight-pg-dedicated-").FullName;
        var port = FreePort();
        var asRoot = Environment.UserName == "root";
        await InitAndStartAsync(bin, dataDir, port, asRoot, durable: true);
        // Also at exit, should a test end without disposing it.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAndDelete(bin, dataDir, asRoot);
        return new DedicatedPostgres(bin, dataDir, port, asRoot);
    }

    /// <summary>A cluster owned by one test: <see cref="StopAsync"/> and <see cref="StartAsync"/> keep its data and port.</summary>
    public sealed class DedicatedPostgres : IAsyncDisposable
    {
        private readonly string _bin;
        private readonly string _dataDir;
        private readonly int _port;
        private readonly bool _asRoot;

        internal DedicatedPostgres(string bin, string dataDir, int port, bool asRoot)
        {
            (_bin, _dataDir, _port, _asRoot) = (bin, dataDir, port, asRoot);
            Server = new PostgresServer(AdminConnectionStringFor(port));
        }

        public PostgresServer Server { get; }

        /// <summary>Stops the server (fast shutdown): open connections are cut, as in an outage or a restart.</summary>
        public Task StopAsync() => RunAsync(_bin, "pg_ctl", $"-D {_dataDir} -m fast -w -t 30 stop", _asRoot);

        public Task StartAsync() => StartClusterAsync(_bin, _dataDir, _port, _asRoot, durable: true);

        public ValueTask DisposeAsync()
        {
            StopAndDelete(_bin, _dataDir, _asRoot);
            return ValueTask.CompletedTask;
        }
    }

    private static string AdminConnectionStringFor(int port) => $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false";

    private static string RequireBinaries() => FindBinaries() ?? throw new InvalidOperationException(
        "PostgreSQL server binaries (initdb, pg_ctl) were not found, so the PostgreSQL tests cannot run. " +
        "Install them (./test.sh does; Debian: apt-get install -y postgresql) or set PG_BIN to their folder, " +
        $"or point {EnvironmentVariable} at a server, e.g. {EnvironmentVariable}='Host=127.0.0.1;Port=5432;Username=postgres;Password=...'.");

    private static async Task InitAndStartAsync(string bin, string dataDir, int port, bool asRoot, bool durable = false)
    {
        StopOrphans(bin, asRoot);
        // Names the test process that owns the cluster, so a later run can stop it if this one dies
        // before its exit handler runs (a killed or timed-out test host).
        await File.WriteAllTextAsync(dataDir + ".owner", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (asRoot)
        {
            // initdb refuses to run as root; the cluster belongs to the postgres account.
            await RunAsync("chown", $"postgres:postgres {dataDir}");
        }
        await RunAsync(bin, "initdb", $"-D {dataDir} -U postgres --auth=trust -E UTF8 --locale=C.UTF-8", asRoot);
        await StartClusterAsync(bin, dataDir, port, asRoot, durable);
    }

    // The shared cluster trades durability for speed; a dedicated one keeps synchronous commits, so
    // a commit the app acknowledged survives the server being stopped under it.
    private static Task StartClusterAsync(string bin, string dataDir, int port, bool asRoot, bool durable) =>
        RunAsync(bin, "pg_ctl",
            $"-D {dataDir} -l {dataDir}/server.log -w -t 30 -o \"-p {port} -c listen_addresses=127.0.0.1 -k {dataDir} -c fsync=off -c synchronous_commit={(durable ? "on" : "off")} -c full_page_writes=off -c max_connections=300\" start",
            asRoot);

    /// <summary>
    /// Stops and removes clusters whose owning test process no longer runs. A test host that is
    /// killed takes its servers with it but leaves their data folders, so folders without a live
    /// owner are removed too once they are old enough not to be another run's cluster mid-initdb.
    /// </summary>
    private static void StopOrphans(string bin, bool asRoot)
    {
        foreach (var dataDir in Directory.EnumerateDirectories(Path.GetTempPath(), "finsight-pg-*"))
        {
            var owner = dataDir + ".owner";
            var owned = File.Exists(owner) && int.TryParse(File.ReadAllText(owner), out var pid) && IsRunning(pid);
            var young = DateTime.UtcNow - Directory.GetCreationTimeUtc(dataDir) < TimeSpan.FromMinutes(10);
            if (!owned && (File.Exists(owner) || !young))
            {
                StopAndDelete(bin, dataDir, asRoot);
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void StopAndDelete(string bin, string dataDir, bool asRoot)
    {
        try
        {
            RunAsync(bin, "pg_ctl", $"-D {dataDir} -m immediate -w stop", asRoot).GetAwaiter().GetResult();
        }
        catch (InvalidOperationException)
        {
            // Already stopped (a test stopped it, or it never came back up).
        }
        try
        {
            Directory.Delete(dataDir, recursive: true);
            File.Delete(dataDir + ".owner");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort; a leftover temp folder is harmless.
        }
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
