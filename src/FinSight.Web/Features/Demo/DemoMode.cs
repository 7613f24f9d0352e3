using FinSight.Domain;
using FinSight.MarketData;
using FinSight.Web.Data;
using FinSight.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace FinSight.Web.Features.Demo;

/// <summary>
/// <c>--demo</c> (or <c>FinSight:Demo=true</c>): runs fully offline on the simulated market and
/// creates the spec's demo account (a published password) once. Because of that password it runs
/// only in Development unless forced (<c>--force-demo</c> or <c>FinSight:ForceDemo=true</c>), and
/// always on its own SQLite file in the <c>demo</c> folder under the data folder, whatever database
/// is configured: a real database never receives the demo account or simulated prices, and the demo
/// account can never be the first account (the admin) of a real instance.
/// </summary>
public static class DemoMode
{
    public const string Username = "demo";
    public const string Password = "demo123";

    public static bool IsRequested(string[] args, IConfiguration configuration) =>
        args.Contains("--demo", StringComparer.OrdinalIgnoreCase) || configuration.GetValue<bool>("FinSight:Demo");

    /// <summary>Whether the operator insisted on a demo outside Development.</summary>
    public static bool IsForced(string[] args, IConfiguration configuration) =>
        args.Contains("--force-demo", StringComparer.OrdinalIgnoreCase) || configuration.GetValue<bool>("FinSight:ForceDemo");

    /// <summary>
    /// Refuses demo mode outside Development unless forced (<see cref="StartupRefusedException"/>), then
    /// points the database at the demo's own SQLite file and the market at the simulation. These
    /// settings override the operator's, on purpose.
    /// </summary>
    public static void Configure(WebApplicationBuilder builder, string[] args)
    {
        if (!builder.Environment.IsDevelopment() && !IsForced(args, builder.Configuration))
        {
            throw new StartupRefusedException(
                $"demo mode (--demo / FinSight__Demo) is refused in the {builder.Environment.EnvironmentName} environment: it creates the account "
                + $"{Username} / {Password} and shows simulated prices. Run it with ASPNETCORE_ENVIRONMENT=Development, or add --force-demo "
                + "(FinSight__ForceDemo=true) to run a demo instance anyway; it always uses its own SQLite database in <data folder>/demo.");
        }
        var dataFolder = builder.Configuration["FinSight:DataDirectory"];
        var demoFolder = Path.GetFullPath(Path.Combine(string.IsNullOrWhiteSpace(dataFolder) ? "data" : dataFolder, "demo"), builder.Environment.ContentRootPath);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MarketData:Providers:0"] = "Simulated",
            ["SymbolDirectory:LiveRefreshInterval"] = "00:00:00",
            ["FinSight:DataDirectory"] = demoFolder,
            ["Database:Provider"] = nameof(DatabaseProvider.Sqlite),
            ["ConnectionStrings:Sqlite"] = $"Data Source={Path.Combine(demoFolder, "finsight-demo.db")}",
            ["ConnectionStrings:Postgres"] = "",
            ["DATABASE_URL"] = "",
        });
    }

    /// <summary>Creates the demo user and trades unless the account already exists. Dates are within the past year.</summary>
    public static async Task SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FinSightDbContext>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var normalized = User.Normalize(Username);
        if (await db.Users.AnyAsync(u => u.NormalizedUsername == normalized, ct))
        {
            return;
        }

        var now = clock.StoredUtcNow();
        var user = new User
        {
            Id = Guid.CreateVersion7(now),
            Username = Username,
            NormalizedUsername = normalized,
            Email = "demo@finsight.local",
            NormalizedEmail = User.Normalize("demo@finsight.local"),
            DisplayName = "Demo Investor",
            PasswordHash = "",
            CreatedAt = now,
        };
        user.PasswordHash = scope.ServiceProvider.GetRequiredService<IPasswordHasher<User>>().HashPassword(user, Password);
        var portfolio = new Portfolio
        {
            Id = Guid.CreateVersion7(now), UserId = user.Id, Name = Portfolio.DefaultName, IsDefault = true, CreatedAt = now,
        };
        db.Users.Add(user);
        db.Portfolios.Add(portfolio);

        var today = MarketCalendar.ExchangeDate(clock.GetUtcNow());
        var marketData = scope.ServiceProvider.GetRequiredService<MarketDataService>();
        var order = 0;
        var previous = today.AddDays(-366);
        // The spec fixes each trade's symbol, quantity and price; the day is chosen inside a window
        // of the past year as the one whose simulated close is nearest that price, so the demo's
        // trades look like trades at the market and its returns are not distorted by day-one jumps.
        foreach (var (type, symbol, quantity, price, fromDaysAgo, toDaysAgo) in Trades)
        {
            var from = today.AddDays(-fromDaysAgo) > previous ? today.AddDays(-fromDaysAgo) : previous;
            var date = await NearestCloseAsync(marketData, symbol, price, from, today.AddDays(-toDaysAgo), ct);
            previous = date;
            db.Transactions.Add(new TransactionRecord
            {
                Id = Guid.CreateVersion7(now.AddMilliseconds(order)),
                PortfolioId = portfolio.Id,
                UserId = user.Id,
                Type = type,
                Symbol = symbol,
                Quantity = quantity,
                Price = price,
                Fees = 0m,
                Date = date,
                // Keeps the recorded order for same-day replay.
                CreatedAt = now.AddMilliseconds(order++),
                UpdatedAt = now,
            });
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The spec's demo trades, in order, each with the window (days ago) its date is picked from.</summary>
    private static readonly (TransactionType Type, string Symbol, decimal Quantity, decimal Price, int FromDaysAgo, int ToDaysAgo)[] Trades =
    [
        (TransactionType.Buy, "AAPL", 50m, 175.50m, 365, 300),
        (TransactionType.Buy, "AMZN", 10m, 145.03m, 340, 260),
        (TransactionType.Buy, "MSFT", 30m, 380.25m, 300, 220),
        (TransactionType.Buy, "GOOGL", 25m, 142.30m, 260, 180),
        (TransactionType.Sell, "AMZN", 10m, 165.03m, 250, 120),
        (TransactionType.Buy, "TSLA", 20m, 245.80m, 200, 100),
        (TransactionType.Buy, "NVDA", 15m, 495.60m, 150, 30),
    ];

    private static async Task<DateOnly> NearestCloseAsync(MarketDataService marketData, string symbol, decimal price, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var history = await marketData.GetDailyHistoryAsync(symbol, from, to, ct);
        return history.Value?.Bars.MinBy(b => Math.Abs(b.Close - price))?.Date ?? TradingDayOnOrBefore(to);
    }

    private static DateOnly TradingDayOnOrBefore(DateOnly date) =>
        MarketCalendar.IsTradingDay(date) ? date : MarketCalendar.PreviousTradingDay(date);
}
