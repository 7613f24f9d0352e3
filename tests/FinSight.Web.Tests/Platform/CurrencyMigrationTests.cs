using FinSight.Domain;
using FinSight.Web.Data;
using FinSight.Web.Features.Dashboard;
using FinSight.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace FinSight.Web.Tests.Platform;

/// <summary>
/// A database written before currencies existed (schema of the AddAccountSecurity migration, rows
/// written as that version wrote them) is upgraded by the app at start-up: its portfolio becomes a USD
/// portfolio with USD transactions and USD cash, and every figure is the one it showed before. The
/// history is the golden scenario "dividends-deposits-withdrawals" (figures worked out by hand there).
/// </summary>
public sealed class CurrencyMigrationTests
{
    private const string SqlitePrevious = "20261201205642_AddAccountSecurity";
    private const string PostgresPrevious = "20261201205701_AddAccountSecurity";
    private static readonly Guid UserId = Guid.Parse("0193a000-0000-7000-8000-000000000001");
    private static readonly Guid PortfolioId = Guid.Parse("0193a000-0000-7000-8000-000000000002");

    // type, date, symbol, quantity, price, fees, amount
    private static readonly (string Type, string Date, string? Symbol, string? Quantity, string? Price, string? Fees, string? Amount)[] History =
    [
        ("Deposit", "2024-01-02", null, null, null, null, "10000.00"),
        ("Buy", "2024-01-03", "KO", "100", "60.00", "1.00", null),
        ("Dividend", "2024-03-15", "KO", null, null, null, "46.00"),
        ("Fee", "2024-04-01", null, null, null, null, "10.00"),
        ("Sell", "2024-05-01", "KO", "40", "62.00", "1.00", null),
        ("Withdrawal", "2024-06-03", null, null, null, null, "2000.00"),
        ("Dividend", "2024-06-14", "KO", null, null, null, "27.60"),
    ];

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_portfolio_from_before_currencies_becomes_USD_with_every_figure_unchanged(DatabaseProvider provider)
    {
        var folder = Directory.CreateTempSubdirectory("finsight-currency-migration-");
        var before = provider == DatabaseProvider.Sqlite
            ? $"Data Source={Path.Combine(folder.FullName, "before.db")}"
            : await (await PostgresServer.GetAsync()).CreateDatabaseAsync();
        await using (var db = Context(provider, before))
        {
            await db.GetService<IMigrator>().MigrateAsync(provider == DatabaseProvider.Sqlite ? SqlitePrevious : PostgresPrevious);
            Assert.DoesNotContain("AddCurrencies", string.Join(",", await db.Database.GetAppliedMigrationsAsync()), StringComparison.Ordinal);
            foreach (var sql in Rows(provider))
            {
                await db.Database.ExecuteSqlRawAsync(sql);
            }
        }

        // The upgrade runs on a copy, as an operator would keep the original.
        var connectionString = before;
        if (provider == DatabaseProvider.Sqlite)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Copy(Path.Combine(folder.FullName, "before.db"), Path.Combine(folder.FullName, "finsight.db"));
            connectionString = $"Data Source={Path.Combine(folder.FullName, "finsight.db")}";
        }

        var app = new ExistingDatabaseApp(provider, connectionString);
        await ((IAsyncLifetime)app).InitializeAsync();
        try
        {
            Portfolio portfolio;
            await using (var scope = app.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<FinSightDbContext>();
                portfolio = await db.Portfolios.AsNoTracking().SingleAsync(p => p.Id == PortfolioId);
                var currencies = await db.Transactions.Where(t => t.PortfolioId == PortfolioId).Select(t => t.Currency).Distinct().ToListAsync();
                Assert.Equal("USD", portfolio.BaseCurrency);
                Assert.Equal(["USD"], currencies);
            }

            var analytics = app.Services.GetRequiredService<PortfolioAnalytics>();
            var view = await analytics.ViewAsync(portfolio, CancellationToken.None);
            var state = view.Facts.State;
            var v = view.Valuation;
            Assert.Equal(new Dictionary<string, decimal> { ["USD"] = 4541.60m }, state.CashBalances);
            Assert.Equal((4541.60m, 78.60m, 73.60m, 10.00m, 8000.00m), (v.Cash, v.RealizedGain, v.Dividends, v.Fees, v.NetContributions));
            var ko = Assert.Single(v.Positions);
            Assert.Equal(("USD", 60m, 3600.60m, 3780.00m, 179.40m), (ko.Currency.Code, ko.Quantity, ko.CostBasis, ko.MarketValue, ko.UnrealizedGain));
            Assert.Equal((8321.60m, 321.60m, 0m), (v.TotalValue, v.TotalGain, v.CurrencyEffect));
            Assert.Equal(10000.00m, view.Facts.PaidIn);
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The rows as the earlier version stored them, in each provider's own representation.</summary>
    private static IEnumerable<string> Rows(DatabaseProvider provider)
    {
        var sqlite = provider == DatabaseProvider.Sqlite;
        string Id(Guid id) => sqlite ? $"'{id.ToString().ToUpperInvariant()}'" : $"'{id}'";
        string At(int second) => sqlite
            ? new DateTimeOffset(2024, 6, 20, 12, 0, second, TimeSpan.Zero).UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : $"'2024-06-20 12:00:{second:00}+00'";
        string N(string? value) => value is null ? "NULL" : sqlite ? $"'{value}'" : value;
        var boolTrue = sqlite ? "1" : "true";
        var boolFalse = sqlite ? "0" : "false";
        yield return "INSERT INTO users (id, created_at, display_name, email, normalized_email, normalized_username, password_hash, security_stamp, two_factor_enabled, username) "
            + $"VALUES ({Id(UserId)}, {At(0)}, 'Before Currencies', 'before@example.com', 'BEFORE@EXAMPLE.COM', 'BEFORE', 'not-a-hash', 'stamp', {boolFalse}, 'before')";
        yield return "INSERT INTO portfolios (id, user_id, name, is_default, cost_basis_method, created_at, version) "
            + $"VALUES ({Id(PortfolioId)}, {Id(UserId)}, 'Main', {boolTrue}, 'Fifo', {At(0)}, 7)";
        var i = 1;
        foreach (var (type, date, symbol, quantity, price, fees, amount) in History)
        {
            var id = Guid.Parse($"0193a000-0000-7000-8000-1000000000{i:00}");
            yield return "INSERT INTO transactions (id, portfolio_id, user_id, type, symbol, quantity, price, fees, amount, trade_date, created_at, updated_at) "
                + $"VALUES ({Id(id)}, {Id(PortfolioId)}, {Id(UserId)}, '{type}', {(symbol is null ? "NULL" : $"'{symbol}'")}, {N(quantity)}, {N(price)}, {N(fees)}, {N(amount)}, '{date}', {At(i)}, {At(i)})";
            i++;
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
            ["MarketData:Simulated:FixedPrices:KO"] = "63.00",
        };
    }
}
