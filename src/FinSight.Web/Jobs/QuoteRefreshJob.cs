using FinSight.Domain;
using FinSight.MarketData;
using FinSight.MarketData.FairUse;
using FinSight.Web.Features.Dashboard;
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

    /// <summary>
    /// Open positions refreshed per user, largest cost first (default 50): one user with a
    /// thousand holdings must not fill every refresh cycle with vendor calls. The rest are
    /// quoted when that user looks at them.
    /// </summary>
    public int MaxSymbolsPerUser { get; set; } = 50;
}

/// <summary>
/// Keeps quotes warm for the symbols users hold open (up to <see cref="QuoteRefreshOptions.MaxSymbolsPerUser"/>
/// each), so dashboards read from the cache. Its vendor calls go in the background lane: they take
/// only permits no interactive request is waiting for, and a refresh that finds none gives up
/// until the next cycle instead of queueing. Only the leading instance polls; the others read what it stored.
/// </summary>
public sealed class QuoteRefreshJob(
    IServiceScopeFactory scopes, MarketDataService marketData, PortfolioAnalytics analytics, JobLeadership leadership,
    IOptions<QuoteRefreshOptions> options, TimeProvider clock, ILogger<QuoteRefreshJob> logger, PricePush push) : BackgroundService
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

    /// <summary>Quotes the open positions (capped per user) in the background lane; returns how many symbols were asked for.</summary>
    public async Task<int> RefreshAsync(CancellationToken ct)
    {
        using var lane = VendorCaller.Enter(new VendorCaller("job:quote-refresh", VendorLane.Background));
        List<Portfolio> portfolios;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<FinSightDbContext>();
            // Only portfolios that hold anything; replays come from the analytics cache (per version).
            portfolios = await db.Portfolios.AsNoTracking()
                .Where(p => db.Transactions.Any(t => t.PortfolioId == p.Id && t.Type == TransactionType.Buy))
                .ToListAsync(ct);
        }
        var symbols = new HashSet<string>(StringComparer.Ordinal);
        var holders = new Dictionary<Guid, IReadOnlyCollection<string>>();
        foreach (var user in portfolios.GroupBy(p => p.UserId))
        {
            var open = new List<Position>();
            foreach (var portfolio in user)
            {
                open.AddRange((await analytics.FactsAsync(portfolio, ct)).State.Positions);
            }
            var mine = open.GroupBy(p => p.Symbol, StringComparer.Ordinal)
                .OrderByDescending(g => g.Sum(p => p.CostBasis)).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Take(Math.Max(0, options.Value.MaxSymbolsPerUser)).Select(g => g.Key).ToArray();
            symbols.UnionWith(mine);
            holders[user.Key] = mine;
        }
        if (symbols.Count > 0)
        {
            // Open dashboards of the holders hear about changed prices at once (SignalR) instead of polling.
            await push.PublishAsync(await marketData.GetQuotesAsync(symbols, ct), holders, ct);
        }
        return symbols.Count;
    }

    internal static bool IsMarketOpen(DateTimeOffset now)
    {
        var date = MarketCalendar.ExchangeDate(now);
        return MarketCalendar.IsTradingDay(date) && now >= MarketCalendar.At(date, MarketCalendar.Open) && now < MarketCalendar.At(date, MarketCalendar.Close);
    }
}
