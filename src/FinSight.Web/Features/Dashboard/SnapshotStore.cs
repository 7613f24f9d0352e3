using FinSight.Domain;
using FinSight.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FinSight.Web.Features.Dashboard;

/// <summary>
/// The <c>portfolio_snapshots</c> table: one row per portfolio and trading day with the figures
/// for the instance's benchmark and risk-free rate, rewritten when the portfolio changed since.
/// Singleton: every call opens its own scope, because a snapshot is written by whichever request
/// (or the daily job) gets there first and must not depend on that request living on.
/// </summary>
public sealed class SnapshotStore(IServiceScopeFactory scopes, TimeProvider clock)
{
    /// <summary>The day's snapshot of exactly this portfolio version and benchmark, or null.</summary>
    public async Task<PortfolioSnapshot?> FindAsync(Portfolio portfolio, DateOnly date, string benchmark, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await Db(scope).PortfolioSnapshots.AsNoTracking().SingleOrDefaultAsync(
            s => s.PortfolioId == portfolio.Id && s.Date == date && s.PortfolioVersion == portfolio.Version && s.Benchmark == benchmark, ct);
    }

    /// <summary>Every portfolio whose current version has no snapshot for <paramref name="date"/> and <paramref name="benchmark"/>.</summary>
    public async Task<List<Portfolio>> MissingAsync(DateOnly date, string benchmark, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = Db(scope);
        return await db.Portfolios.AsNoTracking()
            .Where(p => !db.PortfolioSnapshots.Any(s => s.PortfolioId == p.Id && s.Date == date && s.PortfolioVersion == p.Version && s.Benchmark == benchmark))
            .ToListAsync(ct);
    }

    /// <summary>Stores the day's figures, replacing an older version's row of the same day.</summary>
    public async Task<PortfolioSnapshot> SaveAsync(Portfolio portfolio, DateOnly date, PerformanceData performance, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = Db(scope);
        var snapshot = await db.PortfolioSnapshots.SingleOrDefaultAsync(s => s.PortfolioId == portfolio.Id && s.Date == date, ct);
        if (snapshot is null)
        {
            snapshot = new PortfolioSnapshot { PortfolioId = portfolio.Id, Date = date, Benchmark = performance.BenchmarkSymbol };
            db.PortfolioSnapshots.Add(snapshot);
        }
        Fill(snapshot, portfolio, performance);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another instance wrote the same day's snapshot; ours holds the same figures.
            db.ChangeTracker.Clear();
        }
        return snapshot;
    }

    /// <summary>The figures as a snapshot that is never stored (a user's own benchmark or rate).</summary>
    public PortfolioSnapshot Unsaved(Portfolio portfolio, DateOnly date, PerformanceData performance) =>
        Fill(new PortfolioSnapshot { PortfolioId = portfolio.Id, Date = date, Benchmark = performance.BenchmarkSymbol }, portfolio, performance);

    private PortfolioSnapshot Fill(PortfolioSnapshot snapshot, Portfolio portfolio, PerformanceData performance)
    {
        var all = performance.Report[PerformanceRange.All];
        var last = performance.History.Points[^1];
        snapshot.PortfolioVersion = portfolio.Version;
        snapshot.Benchmark = performance.BenchmarkSymbol;
        snapshot.TotalValue = last.TotalValue;
        snapshot.MarketValue = last.MarketValue;
        snapshot.Cash = last.Cash;
        snapshot.CostBasis = last.CostBasis;
        snapshot.NetContributions = last.NetContributions;
        snapshot.TimeWeightedReturn = all.TimeWeightedReturn;
        snapshot.AnnualizedTimeWeightedReturn = all.AnnualizedTimeWeightedReturn;
        snapshot.MoneyWeightedReturn = all.AnnualizedMoneyWeightedReturn;
        snapshot.Volatility = all.Risk.Volatility;
        snapshot.SharpeRatio = all.Risk.SharpeRatio;
        snapshot.SortinoRatio = all.Risk.SortinoRatio;
        snapshot.MaxDrawdown = all.Risk.MaxDrawdown?.Depth;
        snapshot.Beta = all.Risk.Beta;
        snapshot.Alpha = all.Risk.Alpha;
        snapshot.ComputedAt = clock.StoredUtcNow();
        return snapshot;
    }

    private static FinSightDbContext Db(AsyncServiceScope scope) => scope.ServiceProvider.GetRequiredService<FinSightDbContext>();
}
