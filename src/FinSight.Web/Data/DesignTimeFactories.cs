using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace FinSight.Web.Data;

// Used only by `dotnet ef` to generate each provider's migrations; the connection strings are
// placeholders because generating a migration never connects.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteFinSightDbContext>
{
    public SqliteFinSightDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteFinSightDbContext>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresFinSightDbContext>
{
    public PostgresFinSightDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresFinSightDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
}
