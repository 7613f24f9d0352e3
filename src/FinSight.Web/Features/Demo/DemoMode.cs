using FinSight.Domain;
using FinSight.MarketData;
using FinSight.MarketData.Simulated;
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

    /// <summary>
    /// Creates the demo user and trades unless the account already exists, then makes the simulated
    /// market pass through every demo trade price on its date. Dates are US trading days within the
    /// past year, counted back from the last closed session.
    /// </summary>
    public static async Task SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FinSightDbContext>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var normalized = User.Normalize(Username);
        if (!await db.Users.AnyAsync(u => u.NormalizedUsername == normalized, ct))
        {
            await CreateAsync(scope.ServiceProvider, db, clock, normalized, ct);
        }
        await AnchorMarketAsync(db, services.GetService<SimulatedMarketProvider>(), normalized, ct);
        await RecordCorporateActionsAsync(scope.ServiceProvider, db, normalized, ct);
    }

    /// <summary>
    /// The demo portfolio records its splits and dividends automatically, so its income page and forecast
    /// have something to show; on every start the dividends paid since the last one are recorded (once).
    /// </summary>
    private static async Task RecordCorporateActionsAsync(IServiceProvider services, FinSightDbContext db, string normalized, CancellationToken ct)
    {
        var portfolio = await db.Portfolios.AsNoTracking().SingleOrDefaultAsync(p => p.IsDefault && db.Users.Any(u => u.Id == p.UserId && u.NormalizedUsername == normalized), ct);
        var actions = services.GetRequiredService<CorporateActions.CorporateActionService>();
        if (portfolio is not null && await actions.AutoApplyAsync(portfolio, ct))
        {
            await actions.ApplyAsync(portfolio, null, asOwner: true, ct);
        }
    }

    private static async Task CreateAsync(IServiceProvider services, FinSightDbContext db, TimeProvider clock, string normalized, CancellationToken ct)
    {
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
        user.PasswordHash = services.GetRequiredService<IPasswordHasher<User>>().HashPassword(user, Password);
        var portfolio = new Portfolio
        {
            Id = Guid.CreateVersion7(now), UserId = user.Id, Name = Portfolio.DefaultName, IsDefault = true, CreatedAt = now,
        };
        db.Users.Add(user);
        db.Portfolios.Add(portfolio);
        db.CorporateActionSettings.Add(new CorporateActionSettings { PortfolioId = portfolio.Id, UserId = user.Id, AutoApply = true, UpdatedAt = now });

        var lastSession = MarketCalendar.LastClosedSession(clock.GetUtcNow());
        var order = 0;
        foreach (var (type, symbol, quantity, price, amount, sessionsAgo) in Trades)
        {
            db.Transactions.Add(new TransactionRecord
            {
                Id = Guid.CreateVersion7(now.AddMilliseconds(order)),
                PortfolioId = portfolio.Id,
                UserId = user.Id,
                Type = type,
                Symbol = symbol,
                Quantity = quantity,
                Price = price,
                Amount = amount,
                Fees = type is TransactionType.Buy or TransactionType.Sell ? 0m : null,
                Date = SessionsBefore(lastSession, sessionsAgo),
                // Keeps the recorded order for same-day replay: the deposit before the first buy.
                CreatedAt = now.AddMilliseconds(order++),
                UpdatedAt = now,
            });
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// The simulated market closes at each demo trade's price on its date, so the demo's returns are
    /// the market's, not jumps between a made-up trade price and a made-up market.
    /// </summary>
    private static async Task AnchorMarketAsync(FinSightDbContext db, SimulatedMarketProvider? market, string normalized, CancellationToken ct)
    {
        if (market is null)
        {
            return;
        }
        var trades = await db.Transactions.AsNoTracking()
            .Where(t => db.Users.Any(u => u.Id == t.UserId && u.NormalizedUsername == normalized))
            .Where(t => (t.Type == TransactionType.Buy || t.Type == TransactionType.Sell) && t.Symbol != null && t.Price != null)
            .Select(t => new { t.Symbol, t.Date, t.Price })
            .ToListAsync(ct);
        foreach (var symbol in trades.GroupBy(t => t.Symbol!))
        {
            TradeAnchors[symbol.Key] = [.. symbol.Select(t => new PriceAnchor(MarketCalendar.TradingDayOnOrBefore(t.Date), t.Price!.Value))];
            market.Anchor(symbol.Key, TradeAnchors[symbol.Key]);
        }
    }

    /// <summary>The demo trades' prices per symbol, which a move keeps.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, PriceAnchor[]> TradeAnchors = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Re-draws the simulated market so <paramref name="symbol"/> closes at <paramref name="price"/> on the
    /// current session (today's while the market is open, else the last closed one), keeping the demo
    /// trades' prices: how the demo shows a price alert's crossing while the market stands still.
    /// </summary>
    /// <returns>The session moved.</returns>
    public static DateOnly Move(SimulatedMarketProvider market, string symbol, decimal price, DateTimeOffset now)
    {
        var today = MarketCalendar.ExchangeDate(now);
        var session = MarketCalendar.IsTradingDay(today) && now >= MarketCalendar.At(today, MarketCalendar.Open) ? today : MarketCalendar.LastClosedSession(now);
        // The move first: it wins over a trade on the same session.
        market.Anchor(symbol, [new PriceAnchor(session, price), .. TradeAnchors.GetValueOrDefault(symbol, [])]);
        return session;
    }

    private static DateOnly SessionsBefore(DateOnly session, int count)
    {
        for (var i = 0; i < count; i++)
        {
            session = MarketCalendar.PreviousTradingDay(session);
        }
        return session;
    }

    /// <summary>
    /// The spec's demo trades, in order, each this many US sessions before the last closed one: a
    /// deposit of $50,000, the five buys within the first month (so most of the year is invested and
    /// time- and money-weighted returns tell the same story), and the AMZN round trip.
    /// </summary>
    private static readonly (TransactionType Type, string? Symbol, decimal? Quantity, decimal? Price, decimal? Amount, int SessionsAgo)[] Trades =
    [
        (TransactionType.Deposit, null, null, null, 50_000m, 245),
        (TransactionType.Buy, "AAPL", 50m, 175.50m, null, 245),
        (TransactionType.Buy, "MSFT", 30m, 380.25m, null, 240),
        (TransactionType.Buy, "AMZN", 10m, 145.03m, null, 235),
        (TransactionType.Buy, "GOOGL", 25m, 142.30m, null, 230),
        (TransactionType.Buy, "TSLA", 20m, 245.80m, null, 225),
        (TransactionType.Buy, "NVDA", 15m, 495.60m, null, 220),
        (TransactionType.Sell, "AMZN", 10m, 165.03m, null, 160),
    ];
}
