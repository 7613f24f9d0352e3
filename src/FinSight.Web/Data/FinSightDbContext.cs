using System.Text.Json;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace FinSight.Web.Data;

/// <summary>
/// The application's database. Each provider has its own subclass only so that each can own
/// a migrations set (SQL differs between SQLite and PostgreSQL); the model is defined once, here.
/// </summary>
public abstract class FinSightDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<User> Users => Set<User>();
    public DbSet<UserSession> UserSessions => Set<UserSession>();
    public DbSet<Portfolio> Portfolios => Set<Portfolio>();
    public DbSet<TransactionRecord> Transactions => Set<TransactionRecord>();
    public DbSet<StockQuoteRow> StockQuotes => Set<StockQuoteRow>();
    public DbSet<CompanyProfileRow> CompanyProfiles => Set<CompanyProfileRow>();
    public DbSet<NewsFeedRow> NewsFeeds => Set<NewsFeedRow>();
    public DbSet<NewsHeadlineRow> NewsHeadlines => Set<NewsHeadlineRow>();
    public DbSet<DailyBarRow> DailyBars => Set<DailyBarRow>();
    public DbSet<StockSplitRow> StockSplits => Set<StockSplitRow>();
    public DbSet<DividendRow> Dividends => Set<DividendRow>();
    public DbSet<StockRow> Stocks => Set<StockRow>();
    public DbSet<PortfolioSnapshot> PortfolioSnapshots => Set<PortfolioSnapshot>();
    public DbSet<HeadlineSentiment> HeadlineSentiments => Set<HeadlineSentiment>();
    public DbSet<UserSettings> UserSettings => Set<UserSettings>();
    public DbSet<AppSetting> AppSettings => Set<AppSetting>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<CorporateActionDismissal> CorporateActionDismissals => Set<CorporateActionDismissal>();
    public DbSet<CorporateActionSettings> CorporateActionSettings => Set<CorporateActionSettings>();
    public DbSet<AlertRule> AlertRules => Set<AlertRule>();
    public DbSet<AlertEvent> AlertEvents => Set<AlertEvent>();
    public DbSet<AlertDelivery> AlertDeliveries => Set<AlertDelivery>();
    public DbSet<AlertDeliveryAttempt> AlertDeliveryAttempts => Set<AlertDeliveryAttempt>();
    public DbSet<AlertPreferences> AlertPreferences => Set<AlertPreferences>();
    public DbSet<AlertRuleOccurrence> AlertRuleOccurrences => Set<AlertRuleOccurrence>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // Tables and columns are the snake_case of their DbSet and property names (stock_quotes.as_of);
        // the configurations applied next name only what differs (trade_date, twr, stock_dividends).
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            entity.SetTableName(SnakeCase.ConvertName(entity.GetTableName()!));
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(SnakeCase.ConvertName(property.Name));
            }
        }
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(FinSightDbContext).Assembly);
    }

    private static readonly JsonNamingPolicy SnakeCase = JsonNamingPolicy.SnakeCaseLower;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<decimal>().HaveConversion<NormalizedDecimalConverter>();
        // SQLite cannot order or compare DateTimeOffset values natively; storing UTC ticks keeps
        // range queries and ORDER BY correct there. PostgreSQL keeps its native timestamptz.
        if (Database.IsSqlite())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        }
    }
}

public sealed class SqliteFinSightDbContext(DbContextOptions<SqliteFinSightDbContext> options) : FinSightDbContext(options);

public sealed class PostgresFinSightDbContext(DbContextOptions<PostgresFinSightDbContext> options) : FinSightDbContext(options);
