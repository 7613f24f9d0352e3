using FinSight.MarketData;
using FinSight.Web.Features.Dashboard;

namespace FinSight.Web.Jobs;

/// <summary>
/// Writes every portfolio's daily snapshot half an hour after the US close, so the day's risk
/// figures are ready before anyone asks and history survives in the database. Dashboards also
/// write them on demand when a portfolio changed since; both go through
/// <see cref="PortfolioAnalytics.SnapshotAsync"/> into the <see cref="SnapshotStore"/>.
/// </summary>
public sealed class SnapshotJob(
    SnapshotStore snapshots, PortfolioAnalytics analytics, JobLeadership leadership, TimeProvider clock, ILogger<SnapshotJob> logger) : BackgroundService
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

    /// <summary>Writes today's snapshot of every portfolio that changed since its last one; returns how many were written.</summary>
    public async Task<int> WriteAllAsync(CancellationToken ct)
    {
        // Snapshots are dated by the session their figures close on, as the analytics compute them.
        var session = MarketCalendar.LastClosedSession(clock.GetUtcNow());
        var written = 0;
        foreach (var portfolio in await snapshots.MissingAsync(session, analytics.DefaultBenchmark, ct))
        {
            // Through the analytics cache, so a dashboard asking at the same moment shares the computation.
            if (await analytics.SnapshotAsync(portfolio, ct) is not null)
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
