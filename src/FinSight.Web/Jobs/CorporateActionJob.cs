using FinSight.MarketData;
using FinSight.Web.Features.CorporateActions;

namespace FinSight.Web.Jobs;

/// <summary>
/// Records the pending splits and dividends of every portfolio whose owner turned on automatic
/// recording, once a day an hour after the US close (when the day's vendor events are out). Each
/// portfolio is one version-checked write, so a user applying by hand at the same moment cannot make
/// an action count twice.
/// </summary>
public sealed class CorporateActionJob(IServiceScopeFactory scopes, JobLeadership leadership, TimeProvider clock, ILogger<CorporateActionJob> logger) : BackgroundService
{
    public const long JobKey = 0x46_53_43_4F_52_50_41; // "FSCORPA"
    private static readonly TimeOnly RunAt = MarketCalendar.Close.AddMinutes(60);

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
                    logger.LogInformation("Recorded {Count} corporate actions automatically.", await ApplyAllAsync(stoppingToken));
                }
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.LogWarning(error, "Recording corporate actions automatically failed; the next run tries again.");
            }
        }
    }

    /// <summary>Records what is pending in every auto-apply portfolio; returns how many actions were recorded.</summary>
    public async Task<int> ApplyAllAsync(CancellationToken ct)
    {
        List<Data.Portfolio> portfolios;
        await using (var scope = scopes.CreateAsyncScope())
        {
            portfolios = await scope.ServiceProvider.GetRequiredService<CorporateActionService>().AutoApplyPortfoliosAsync(ct);
        }
        var recorded = 0;
        foreach (var portfolio in portfolios)
        {
            // One scope per portfolio: a failed write leaves nothing tracked for the next one.
            await using var scope = scopes.CreateAsyncScope();
            var (result, problem) = await scope.ServiceProvider.GetRequiredService<CorporateActionService>().ApplyAsync(portfolio, null, asOwner: true, ct);
            if (problem is not null)
            {
                logger.LogWarning("Could not record the corporate actions of portfolio {PortfolioId}: {Problem}", portfolio.Id, problem.Detail);
            }
            recorded += result?.Applied.Count ?? 0;
        }
        return recorded;
    }

    /// <summary>The next 17:00 New York time on a trading day, after <paramref name="now"/>.</summary>
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
