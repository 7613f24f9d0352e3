using System.Net;
using System.Net.Http.Json;
using FinSight.Web.Data;
using FinSight.Web.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace FinSight.Web.Tests.Faults;

/// <summary>
/// A damaged SQLite file is noticed: <c>/health/ready</c> answers 503 once <c>PRAGMA quick_check</c>
/// fails, and the app refuses to start on it rather than serving part of the data.
/// </summary>
public sealed class SqliteCorruptionTests
{
    [Fact]
    public async Task A_file_corrupted_while_running_fails_readiness_and_stops_the_next_start()
    {
        var app = new CheckedEveryTimeApp(null);
        await ((IAsyncLifetime)app).InitializeAsync();
        var copy = Path.Combine(Path.GetTempPath(), $"finsight-corrupt-{Guid.NewGuid():N}.db");
        try
        {
            var user = await app.CreateUserAsync();
            for (var i = 0; i < 50; i++)
            {
                (await user.Http.PostAsJsonAsync("/api/transactions", new { type = "deposit", amount = 10m + i, date = "2025-01-02", notes = new string('x', 200) }))
                    .EnsureSuccessStatusCode();
            }
            var client = app.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

            var file = new SqliteConnectionStringBuilder(app.Services.GetRequiredService<ResolvedDatabase>().ConnectionString).DataSource;
            Corrupt(file, "transactions");

            var ready = await client.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Contains("Unhealthy", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            File.Copy(file, copy);
            var restarted = new CheckedEveryTimeApp(copy);
            var error = await Assert.ThrowsAnyAsync<Exception>(() => ((IAsyncLifetime)restarted).InitializeAsync());
            Assert.Contains("quick_check", Flatten(error), StringComparison.Ordinal);
            await ((IAsyncLifetime)restarted).DisposeAsync();
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
            SqliteConnection.ClearAllPools();
            File.Delete(copy);
        }
    }

    /// <summary>Overwrites the interior of <paramref name="table"/>'s first page, after moving everything from the WAL into the file.</summary>
    private static void Corrupt(string file, string table)
    {
        long page, pageSize;
        using (var connection = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            command.ExecuteNonQuery();
            command.CommandText = $"SELECT rootpage FROM sqlite_master WHERE name = '{table}'";
            page = (long)command.ExecuteScalar()!;
            command.CommandText = "PRAGMA page_size";
            pageSize = (long)command.ExecuteScalar()!;
        }
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        stream.Seek((page - 1) * pageSize, SeekOrigin.Begin);
        stream.Write(Enumerable.Repeat((byte)0xA5, (int)pageSize).ToArray());
    }

    private static string Flatten(Exception error)
    {
        var text = "";
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            text += e.Message + "\n";
        }
        return text;
    }

    /// <summary>The app on its own SQLite file (or <paramref name="databaseFile"/>), re-checking integrity on every readiness probe.</summary>
    private sealed class CheckedEveryTimeApp(string? databaseFile) : FinSightApp(DatabaseProvider.Sqlite)
    {
        protected override IDictionary<string, string?> ExtraSettings
        {
            get
            {
                var settings = new Dictionary<string, string?> { ["Database:IntegrityCheckInterval"] = "00:00:00" };
                if (databaseFile is not null)
                {
                    settings["ConnectionStrings:Sqlite"] = $"Data Source={databaseFile}";
                }
                return settings;
            }
        }
    }
}
