using FinSight.Web.Data;
using FinSight.Web.Features.Settings;
using FinSight.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FinSight.Web.Tests.Platform;

/// <summary>
/// The Data Protection key ring in <c>data_protection_keys</c> survives an upgrade: a key stored by
/// an earlier version (its own key repository over the same table) still unprotects what it protected.
/// </summary>
public sealed class StoredKeyRingTests
{
    // Written by FinSight before it used Microsoft.AspNetCore.DataProtection.EntityFrameworkCore: the
    // row its repository stored (friendly name, key element without formatting), and a Finnhub API key
    // protected with that key for FinnhubKeyStore.Purpose under the application name "FinSight".
    private const string FriendlyName = "key-a039eab1-5e54-4821-9307-0ae48849f8c3";
    private const string KeyXml = """<key id="a039eab1-5e54-4821-9307-0ae48849f8c3" version="1"><creationDate>2026-12-01T17:50:03.6288533Z</creationDate><activationDate>2026-12-01T17:50:03.6288533Z</activationDate><expirationDate>2027-03-01T17:50:03.6288533Z</expirationDate><descriptor deserializerType="Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption.ConfigurationModel.AuthenticatedEncryptorDescriptorDeserializer, Microsoft.AspNetCore.DataProtection, Version=10.0.0.0, Culture=neutral, PublicKeyToken=adb9793829ddae60"><descriptor><encryption algorithm="AES_256_CBC" /><validation algorithm="HMACSHA256" /><masterKey p4:requiresEncryption="true" xmlns:p4="http://schemas.asp.net/2015/03/dataProtection"><!-- Warning: the key below is in an unencrypted form. --><value>YvWgqLddcBOt4HH8M0+AoX2A+hl0Ge6VPjgHQpWVbmnp7wp639odJjiKUAxqK0T0lLnrRfKvP2VlPcJVyBpBlA==</value></masterKey></descriptor></descriptor></key>""";
    private const string ProtectedFinnhubKey = "CfDJ8LHqOaBUXiFIkwcK5IhJ-MPmH7jCqgHSID9HCsIGD0hSx5vJmIH9cV0yMc1h8XWr0C5QsBt_fPgYFKstHO-JFOkKH7S_d7pQfJEt7-00PZZpJs3meYDW0mPMAT29dY34np8ewA7jwkZCOXWfmB9oX00";

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_key_stored_by_an_earlier_version_still_unprotects(DatabaseProvider provider)
    {
        var folder = Directory.CreateTempSubdirectory("finsight-keyring-");
        var connectionString = provider == DatabaseProvider.Sqlite
            ? $"Data Source={Path.Combine(folder.FullName, "finsight.db")}"
            : await (await PostgresServer.GetAsync()).CreateDatabaseAsync();
        await using (var db = Context(provider, connectionString))
        {
            await db.Database.MigrateAsync();
            await db.Database.ExecuteSqlAsync($"INSERT INTO data_protection_keys (friendly_name, xml) VALUES ({FriendlyName}, {KeyXml})");
            db.AppSettings.Add(new AppSetting { Key = AppSetting.FinnhubApiKey, Value = ProtectedFinnhubKey, UpdatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        var app = new ExistingDatabaseApp(provider, connectionString);
        await ((IAsyncLifetime)app).InitializeAsync();
        try
        {
            var keys = app.Services.GetRequiredService<FinnhubKeyStore>();
            Assert.Equal("written-before-5678", await keys.GetApiKeyAsync(CancellationToken.None));
            Assert.Equal(new FinnhubKeyStatus(FinnhubKeySource.Stored, "5678"), await keys.StatusAsync(CancellationToken.None));
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private static FinSightDbContext Context(DatabaseProvider provider, string connectionString) => provider == DatabaseProvider.Sqlite
        ? new SqliteFinSightDbContext(new DbContextOptionsBuilder<SqliteFinSightDbContext>().UseSqlite(connectionString).Options)
        : new PostgresFinSightDbContext(new DbContextOptionsBuilder<PostgresFinSightDbContext>().UseNpgsql(connectionString).Options);

    private sealed class ExistingDatabaseApp(DatabaseProvider provider, string connectionString) : FinSightApp(provider)
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            [Provider == DatabaseProvider.Sqlite ? "ConnectionStrings:Sqlite" : "ConnectionStrings:Postgres"] = connectionString,
        };
    }
}
