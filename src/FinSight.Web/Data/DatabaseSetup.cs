using FinSight.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace FinSight.Web.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Settings under <c>Database</c>. See the README's configuration table.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Sqlite (default) or Postgres. <c>DATABASE_URL</c> alone also selects Postgres.</summary>
    public DatabaseProvider? Provider { get; set; }

    /// <summary>Apply pending migrations at start-up (default true).</summary>
    public bool MigrateOnStartup { get; set; } = true;
}

public static class DatabaseSetup
{
    /// <summary>
    /// Registers <see cref="FinSightDbContext"/> for the configured provider, pooled: every
    /// dashboard request uses one, and the contexts hold no per-request state of their own. The SQLite file lives
    /// in the data folder unless <c>ConnectionStrings:Sqlite</c> says otherwise.
    /// </summary>
    public static IServiceCollection AddFinSightDatabase(this IServiceCollection services, IConfiguration configuration, DataDirectory dataDirectory)
    {
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        // Every committed change to a user's data retires what the warm cache holds for that user.
        services.AddSingleton<UserEpochs>();
        services.AddSingleton<UserEpochsInterceptor>();
        var postgres = configuration.GetConnectionString("Postgres") ?? configuration["DATABASE_URL"];
        var provider = options.Provider ?? (string.IsNullOrWhiteSpace(postgres) ? DatabaseProvider.Sqlite : DatabaseProvider.Postgres);
        if (provider == DatabaseProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(postgres))
            {
                throw new InvalidOperationException(
                    "Database:Provider is Postgres but no connection string is set. Set ConnectionStrings__Postgres or DATABASE_URL.");
            }
            var connectionString = PostgresUrl.ToConnectionString(postgres);
            services.AddSingleton(new ResolvedDatabase(provider, connectionString, options.MigrateOnStartup));
            services.AddDbContextPool<FinSightDbContext, PostgresFinSightDbContext>((sp, o) => o.UseNpgsql(connectionString).AddInterceptors(sp.GetRequiredService<UserEpochsInterceptor>()));
        }
        else
        {
            var connectionString = configuration.GetConnectionString("Sqlite")
                ?? $"Data Source={Path.Combine(dataDirectory.Path, "finsight.db")}";
            services.AddSingleton(new ResolvedDatabase(provider, connectionString, options.MigrateOnStartup));
            services.AddDbContextPool<FinSightDbContext, SqliteFinSightDbContext>((sp, o) => o.UseSqlite(connectionString).AddInterceptors(sp.GetRequiredService<UserEpochsInterceptor>()));
        }
        return services;
    }

    /// <summary>Checks a SQLite file's integrity, then applies migrations (never EnsureCreated, so production databases can evolve).</summary>
    public static async Task MigrateFinSightDatabaseAsync(this WebApplication app)
    {
        var database = app.Services.GetRequiredService<ResolvedDatabase>();
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            await app.Services.GetRequiredService<Infrastructure.SqliteIntegrity>().EnsureIntactAsync(app.Logger, app.Lifetime.ApplicationStopping);
        }
        if (!database.MigrateOnStartup)
        {
            return;
        }
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FinSightDbContext>();
        await db.Database.MigrateAsync();
    }
}

/// <summary>The database chosen at start-up. The connection string holds secrets: never log it.</summary>
public sealed record ResolvedDatabase(DatabaseProvider Provider, string ConnectionString, bool MigrateOnStartup)
{
    public override string ToString() => $"{Provider} (migrate on start-up: {MigrateOnStartup})";
}
