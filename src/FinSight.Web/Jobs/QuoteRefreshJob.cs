using FinSight.Domain;
using FinSight.MarketData;
using FinSight.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FinSight.Web.Jobs;

/// <summary>Settings under <c>QuoteRefresh</c>.</summary>
public sealed class QuoteRefreshOptions
{
    public const string Section = "QuoteRefresh";

    /// <summary>How often held symbols are re-quoted during US market hours (default 60 s).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often outside market hours, when prices barely move (default 15 min).</summary>
    public TimeSpan OffHoursInterval { get; set; } = TimeSpan.FromMinutes(15);

    public bool Enabled { get; set; } = true;
}

/// <summary>
/// Keeps quotes warm for every symbol anyone holds, so dashboards read from the cache. Only the
/// leading instance polls; the others read what it stored.
/// </summary>
public sealed class QuoteRefreshJob(
    IServiceScopeFactory scopes, MarketDataService marketData, JobLeadership leadership,
    IOptions<QuoteRefreshOptions> options, TimeProvider clock, ILogger<QuoteRefreshJob> logger) : BackgroundService
{
    public const long JobKey = 0x46_53_51_55_4F_54_45; // "FSQUOTE"

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await leadership.IsLeaderAsync(JobKey, stoppingToken))
                {
                    await RefreshAsync(stoppingToken);
                }
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.LogWarning(error, "Quote refresh failed; will try again.");
            }
            var interval = IsMarketOpen(clock.GetUtcNow()) ? options.Value.Interval : options.Value.OffHoursInterval;
            await Task.Delay(interval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public async Task<int> RefreshAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FinSightDbContext>();
        // Symbols ever bought: a closed position costs one cached quote, which is cheaper than
        // replaying every portfolio to find what is still open.
        var symbols = await db.Transactions.Where(t => t.Type == TransactionType.Buy && t.Symbol != null)
            .Select(t => t.Symbol!).Distinct().ToListAsync(ct);
        if (symbols.Count > 0)
        {
            await marketData.GetQuotesAsync(symbols, ct);
        }
        return symbols.Count;
    }

    internal static bool IsMarketOpen(DateTimeOffset now)
    {
        var date = MarketCalendar.ExchangeDate(now);
        return MarketCalendar.IsTradingDay(date) && now >= MarketCalendar.At(date, MarketCalendar.Open) && now < MarketCalendar.At(date, MarketCalendar.Close);
    }
}
