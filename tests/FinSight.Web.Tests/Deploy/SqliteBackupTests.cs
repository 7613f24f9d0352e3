using System.Net;
using System.Net.Http.Json;
using FinSight.Web.Data;
using FinSight.Web.Infrastructure;
using FinSight.Web.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace FinSight.Web.Tests.Deploy;

/// <summary><c>FinSight.Web backup &lt;file&gt;</c>: SQLite's online backup while the app keeps serving and writing.</summary>
public sealed class SqliteBackupTests : IAsyncLifetime
{
    private readonly SqliteApp _app = new();
    private readonly DirectoryInfo _backups = Directory.CreateTempSubdirectory("finsight-backup-");

    public Task InitializeAsync() => _app.InitializeAsync();

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)_app).DisposeAsync();
        SqliteConnection.ClearAllPools();
        _backups.Delete(recursive: true);
    }

    [Fact]
    public async Task A_backup_taken_while_the_app_writes_opens_and_holds_everything_committed_before_it()
    {
        var user = await _app.CreateUserAsync();
        var before = 0;
        for (; before < 5; before++)
        {
            await AddBuyAsync(user, before);
        }

        // Keep writing through the API while the backups run.
        using var stop = new CancellationTokenSource();
        var written = 0;
        var writer = Task.Run(async () =>
        {
            for (var i = before; !stop.IsCancellationRequested; i++)
            {
                await AddBuyAsync(user, i);
                Interlocked.Increment(ref written);
            }
        });
        var database = _app.Services.GetRequiredService<ResolvedDatabase>();
        var copies = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var destination = Path.Combine(_backups.FullName, $"nested/finsight-{i}.db");
            var result = await SqliteBackup.BackupAsync(database.ConnectionString, destination, CancellationToken.None);
            Assert.Equal(destination, result.Destination);
            Assert.True(result.Bytes > 0);
            copies.Add(destination);
            await PollAsync(() => Volatile.Read(ref written) > i * 3);
        }
        await stop.CancelAsync();
        await writer;

        var committed = before + written;
        Assert.Equal(committed, await CountAsync(_app.Services.GetRequiredService<ResolvedDatabase>().ConnectionString, user.Username));
        var previous = before;
        foreach (var copy in copies)
        {
            var inCopy = await CountAsync($"Data Source={copy}", user.Username);
            Assert.InRange(inCopy, previous, committed);
            previous = inCopy;
            Assert.Equal("ok", await ScalarAsync($"Data Source={copy}", "PRAGMA integrity_check"));
        }
        Assert.Empty(Directory.GetFiles(Path.Combine(_backups.FullName, "nested"), "*.partial-*"));
        // Never overwrites an existing backup.
        await Assert.ThrowsAsync<InvalidOperationException>(() => SqliteBackup.BackupAsync(database.ConnectionString, copies[0], CancellationToken.None));
    }

    [Fact]
    public async Task The_published_backup_command_copies_the_running_apps_database_and_refuses_postgres()
    {
        var user = await _app.CreateUserAsync();
        await AddBuyAsync(user, 0);
        var dataDirectory = _app.Services.GetRequiredService<DataDirectory>().Path;
        var destination = Path.Combine(_backups.FullName, "command.db");

        await using (var command = await PublishedApp.RunCommandAsync(
            new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["FinSight__DataDirectory"] = dataDirectory },
            "backup", destination))
        {
            Assert.True(await command.WaitForExitAsync(TimeSpan.FromSeconds(60)) == 0, command.Output);
            Assert.Contains("Backed up", command.Output, StringComparison.Ordinal);
        }
        Assert.Equal(1, await CountAsync($"Data Source={destination}", user.Username));
        // The app kept serving meanwhile.
        Assert.Equal(HttpStatusCode.OK, (await user.Http.GetAsync("/holdings/profit-loss")).StatusCode);

        await using (var usage = await PublishedApp.RunCommandAsync(new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = "Production" }, "backup"))
        {
            Assert.Equal(2, await usage.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("Usage", usage.Output, StringComparison.Ordinal);
        }
        await using (var postgres = await PublishedApp.RunCommandAsync(
            new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["ConnectionStrings__Postgres"] = "Host=127.0.0.1;Database=x;Username=x" },
            "backup", Path.Combine(_backups.FullName, "pg.db")))
        {
            Assert.Equal(1, await postgres.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("pg_dump", postgres.Output, StringComparison.Ordinal);
        }
        Assert.False(File.Exists(Path.Combine(_backups.FullName, "pg.db")));
    }

    private static async Task AddBuyAsync(UserClient user, int i)
    {
        var response = await user.Http.PostAsJsonAsync("/api/transactions",
            new { type = "buy", symbol = "AAPL", quantity = 1m, price = 100m + i, date = "2025-01-02", notes = $"buy {i}" });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private static async Task<int> CountAsync(string connectionString, string username) =>
        Convert.ToInt32(await ScalarAsync(connectionString,
            "SELECT COUNT(*) FROM transactions t JOIN users u ON u.id = t.user_id WHERE u.username = $name", ("$name", username)),
            System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<object?> ScalarAsync(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return await command.ExecuteScalarAsync();
    }

    private static async Task PollAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the writer");
            await Task.Delay(20);
        }
    }
}

/// <summary>The backup command's argument handling and refusals, without a running app.</summary>
public sealed class SqliteBackupCommandTests
{
    [Theory]
    [InlineData(new[] { "backup", "x.db" }, true)]
    [InlineData(new[] { "--demo", "backup", "x.db" }, true)]
    [InlineData(new[] { "--FinSight:DataDirectory=/srv/finsight", "BACKUP" }, true)]
    [InlineData(new string[0], false)]
    [InlineData(new[] { "--demo" }, false)]
    [InlineData(new[] { "x.db", "backup" }, false)]
    public void The_backup_command_is_recognised_after_settings_only(string[] args, bool expected) =>
        Assert.Equal(expected, SqliteBackup.IsRequested(args));

    [Fact]
    public async Task A_missing_database_is_an_error_and_writes_nothing()
    {
        var folder = Directory.CreateTempSubdirectory("finsight-backup-");
        var destination = Path.Combine(folder.FullName, "none.db");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            SqliteBackup.BackupAsync($"Data Source={Path.Combine(folder.FullName, "missing.db")}", destination, CancellationToken.None));
        Assert.Contains("no SQLite database", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(destination));
        Assert.False(File.Exists(Path.Combine(folder.FullName, "missing.db")));
        folder.Delete(recursive: true);
    }
}
