using FinSight.Domain;
using FinSight.MarketData;
using FinSight.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portfolio = FinSight.Web.Data.Portfolio;

namespace FinSight.Web.Features.Demo;

/// <summary>
/// <c>--demo</c> (or <c>FinSight:Demo=true</c>): runs fully offline on the simulated market, in
/// its own data folder so a real database never receives the demo account or simulated prices,
/// and creates the spec's demo account once.
/// </summary>
public static class DemoMode
{
    public const string Username = "demo";
    public const string Password = "demo123";

    public static bool IsRequested(string[] args, IConfiguration configuration) =>
        args.Contains("--demo", StringComparer.OrdinalIgnoreCase) || configuration.GetValue<bool>("FinSight:Demo");

    /// <summary>Settings that demo mode overrides; anything the operator set explicitly still wins for the data folder.</summary>
    public static void Configure(WebApplicationBuilder builder)
    {
        var settings = new Dictionary<string, string?>
        {
            ["MarketData:Providers:0"] = "Simulated",
            ["SymbolDirectory:LiveRefreshInterval"] = "00:00:00",
        };
        if (builder.Configuration["FinSight:DataDirectory"] is null or "data")
        {
            settings["FinSight:DataDirectory"] = Path.Combine("data", "demo");
        }
        builder.Configuration.AddInMemoryCollection(settings);
    }

    /// <summary>Creates the demo user and trades unless the account already exists. Dates are relative to today.</summary>
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
        var order = 0;
        void Trade(TransactionType type, string symbol, decimal quantity, decimal price, int daysAgo) => db.Transactions.Add(new TransactionRecord
        {
            Id = Guid.CreateVersion7(now.AddMilliseconds(order)),
            PortfolioId = portfolio.Id,
            UserId = user.Id,
            Type = type,
            Symbol = symbol,
            Quantity = quantity,
            Price = price,
            Fees = 0m,
            Date = TradingDayOnOrBefore(today.AddDays(-daysAgo)),
            // Keeps the recorded order for same-day replay.
            CreatedAt = now.AddMilliseconds(order++),
            UpdatedAt = now,
        });

        Trade(TransactionType.Buy, "AAPL", 50m, 175.50m, 350);
        Trade(TransactionType.Buy, "AMZN", 10m, 145.03m, 330);
        Trade(TransactionType.Buy, "MSFT", 30m, 380.25m, 300);
        Trade(TransactionType.Buy, "GOOGL", 25m, 142.30m, 240);
        Trade(TransactionType.Sell, "AMZN", 10m, 165.03m, 200);
        Trade(TransactionType.Buy, "TSLA", 20m, 245.80m, 180);
        Trade(TransactionType.Buy, "NVDA", 15m, 495.60m, 120);
        await db.SaveChangesAsync(ct);
    }

    private static DateOnly TradingDayOnOrBefore(DateOnly date) =>
        MarketCalendar.IsTradingDay(date) ? date : MarketCalendar.PreviousTradingDay(date);
}
