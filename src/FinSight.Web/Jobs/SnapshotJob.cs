using FinSight.MarketData;
using FinSight.Web.Data;
using FinSight.Web.Features.Dashboard;
using Microsoft.EntityFrameworkCore;

namespace FinSight.Web.Jobs;

/// <summary>
/// Writes every portfolio's daily snapshot half an hour after the US close, so the day's risk
/// figures are ready before anyone asks and history survives in the database. Dashboards also
/// write them on demand when a portfolio changed since.
/// </summary>
public sealed class SnapshotJob(IServiceScopeFactory scopes, JobLeadership leadership, TimeProvider clock, ILogger<SnapshotJob> logger) : BackgroundService
{
    public const long JobKey = 0x46_53_53_4E_41_50_53; // "FSSNAPS"
    private static readonly TimeOnly RunAt = MarketCalendar.Close.AddMinutes(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = NextRun(clock.GetUtcNow()) - clock.GetUtcNow();
            await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            try
            {
                if (await leadership.IsLeaderAsync(JobKey, stoppingToken))
                {
                    var written = await WriteAllAsync(stoppingToken);
                    logger.LogInformation("Wrote daily snapshots for {Count} portfolios.", written);
                }
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.LogWarning(error, "Daily snapshots failed; they will be written on demand.");
            }
        }
    }

    public async Task<int> WriteAllAsync(CancellationToken ct)
    {
        List<Portfolio> portfolios;
        await using (var scope = scopes.CreateAsyncScope())
        {
            portfolios = await scope.ServiceProvider.GetRequiredService<FinSightDbContext>().Portfolios.AsNoTracking().ToListAsync(ct);
        }
        var written = 0;
        foreach (var portfolio in portfolios)
        {
            await using var scope = scopes.CreateAsyncScope();
            if (await scope.ServiceProvider.GetRequiredService<PortfolioAnalytics>().SnapshotAsync(portfolio, ct) is not null)
            {
                written++;
            }
        }
        return written;
    }

    /// <summary>The next 16:30 New York time on a trading day, after <paramref name="now"/>.</summary>
    internal static DateTimeOffset NextRun(DateTimeOffset now)
    {
        var date = MarketCalendar.ExchangeDate(now);
        while (!MarketCalendar.IsTradingDay(date) || MarketCalendar.At(date, RunAt) <= now)
        {
            date = date.AddDays(1);
        }
        return MarketCalendar.At(date, RunAt);
    }
}
