using FinSight.Domain;
using FinSight.MarketData;
using FinSight.Web.Data;
using FinSight.Web.Features.Portfolios;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace FinSight.Web.Features.Dashboard;

/// <summary>Settings under <c>Analytics</c>.</summary>
public sealed class AnalyticsOptions
{
    public const string Section = "Analytics";

    /// <summary>The default benchmark symbol (default SPY).</summary>
    public string Benchmark { get; set; } = "SPY";

    /// <summary>Annual risk-free rate for Sharpe and Sortino, as a fraction (default 0.04 = 4 %).</summary>
    public double RiskFreeRate { get; set; } = 0.04;
}

/// <summary>A portfolio valued at live quotes. <see cref="Quotes"/> says, per symbol, how trustworthy each price is.</summary>
public sealed record PortfolioView(
    Portfolio Portfolio,
    IReadOnlyList<TransactionRecord> Records,
    PortfolioState State,
    PortfolioValuation Valuation,
    IReadOnlyDictionary<string, MarketDataResult<Quote>> Quotes)
{
    /// <summary>Win/loss statistics of <see cref="PortfolioState.RealizedTrades"/>, computed once per portfolio version.</summary>
    public TradeStatistics Trades { get; init; } = null!;

    /// <summary>
    /// The money put in, the divisor of the total return: deposits when cash is tracked, otherwise
    /// what the buys and fees cost. Computed once per portfolio version.
    /// </summary>
    public decimal PaidIn { get; init; }
}

/// <summary>What is cached per portfolio version: the records, their replay and the figures that depend on nothing else.</summary>
/// <summary>A portfolio's replayed history without prices: cached per portfolio version.</summary>
public sealed record PortfolioFacts(IReadOnlyList<TransactionRecord> Records, PortfolioState State, TradeStatistics Trades, decimal PaidIn)
{
    public static PortfolioFacts From(IReadOnlyList<TransactionRecord> records, PortfolioState state) =>
        new(records, state, TradeStatistics.Compute(state.RealizedTrades), PaidInOf(records, state));

    /// <summary>
    /// Deposits when cash is tracked, otherwise what the buys and fees cost. Net contributions would
    /// be the obvious divisor of the total return, but they shrink (even below zero) as sales pay
    /// money back, which makes the percentage meaningless.
    /// </summary>
    private static decimal PaidInOf(IReadOnlyList<TransactionRecord> records, PortfolioState state) => state.CashMode == CashMode.Tracked
        ? records.Where(r => r.Type == TransactionType.Deposit).Sum(r => r.Amount ?? 0m)
        : records.Where(r => r.Type is TransactionType.Buy).Sum(r => (r.Quantity ?? 0m) * (r.Price ?? 0m) + (r.Fees ?? 0m))
          + records.Where(r => r.Type is TransactionType.Fee).Sum(r => r.Amount ?? 0m);
}

/// <summary>The day-by-day history and its performance report, as of the last closed session.</summary>
public sealed record PerformanceData(
    PortfolioHistory History,
    PerformanceReport Report,
    PriceSeries? Benchmark,
    string BenchmarkSymbol,
    IReadOnlyList<string> MissingHistory,
    bool IsSimulated);

/// <summary>
/// Everything the dashboard computes, cached so that a dashboard refresh costs one small query
/// plus cache reads. The replayed state is cached per portfolio version (any write bumps it); the
/// history and risk report per version and trading day, because they use daily closes only.
/// </summary>
public sealed class PortfolioAnalytics(
    PortfolioStore store, IServiceScopeFactory scopes, MarketDataService marketData, IMemoryCache cache,
    IOptions<AnalyticsOptions> options, TimeProvider clock, ILogger<PortfolioAnalytics> logger)
{
    private static readonly TimeSpan StateLifetime = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan ReportLifetime = TimeSpan.FromHours(6);

    public string DefaultBenchmark => options.Value.Benchmark;

    public async Task<PortfolioView> ViewAsync(Portfolio portfolio, CancellationToken ct)
    {
        var facts = await FactsAsync(portfolio, ct);
        var state = facts.State;
        var quotes = state.Positions.Count == 0
            ? new Dictionary<string, MarketDataResult<Quote>>()
            : await marketData.GetQuotesAsync(state.Positions.Select(p => p.Symbol), ct);
        var priced = quotes.Where(q => q.Value.HasValue)
            .ToDictionary(q => q.Key, q => new ValuationPrice(q.Value.Value!.Price, q.Value.Value.PreviousClose), StringComparer.Ordinal);
        return new PortfolioView(portfolio, facts.Records, state, state.Value(priced), quotes) { Trades = facts.Trades, PaidIn = facts.PaidIn };
    }

    /// <summary>
    /// The history and report for the portfolio as of the last closed US session; null for an empty
    /// portfolio. The benchmark and risk-free rate default to the instance's (a user may choose their own).
    /// </summary>
    public async Task<PerformanceData?> PerformanceAsync(Portfolio portfolio, string? benchmark, CancellationToken ct, double? riskFreeRate = null)
    {
        var symbol = string.IsNullOrWhiteSpace(benchmark) ? options.Value.Benchmark : benchmark.Trim().ToUpperInvariant();
        var rate = riskFreeRate ?? options.Value.RiskFreeRate;
        var asOf = MarketCalendar.ExchangeDate(clock.GetUtcNow());
        var key = (nameof(PerformanceAsync), portfolio.Id, portfolio.Version, symbol, rate, asOf);
        if (cache.TryGetValue(key, out Task<PerformanceData?>? cached) && cached is not null)
        {
            return await cached;
        }
        // Shared by every request that asks meanwhile, so it runs in its own scope and is not
        // cancelled when the request that started it goes away.
        var computing = ComputePerformanceAsync(portfolio, symbol, rate, asOf);
        _ = cache.Set(key, computing, ReportLifetime);
        try
        {
            return await computing.WaitAsync(ct);
        }
        catch (Exception) when (!computing.IsCompletedSuccessfully && computing.IsCompleted)
        {
            cache.Remove(key);
            throw;
        }
    }

    /// <summary>
    /// Risk figures for the overview: from today's snapshot when one matches this version, else
    /// computed (which writes one). Stored snapshots hold the instance's benchmark and rate only;
    /// figures for a user's own choices are computed (and cached in memory), never stored, so one
    /// setting's figures can never be served for another's.
    /// </summary>
    public async Task<PortfolioSnapshot?> SnapshotAsync(Portfolio portfolio, CancellationToken ct, string? benchmark = null, double? riskFreeRate = null)
    {
        var asOf = MarketCalendar.ExchangeDate(clock.GetUtcNow());
        var symbol = string.IsNullOrWhiteSpace(benchmark) ? options.Value.Benchmark : benchmark.Trim().ToUpperInvariant();
        var rate = riskFreeRate ?? options.Value.RiskFreeRate;
        if (symbol != options.Value.Benchmark || rate != options.Value.RiskFreeRate)
        {
            var own = await PerformanceAsync(portfolio, symbol, ct, rate);
            return own is null ? null : Fill(new PortfolioSnapshot { PortfolioId = portfolio.Id, Date = asOf, Benchmark = symbol }, portfolio, own);
        }
        // One load-or-write per portfolio version and day, shared by every request that asks meanwhile:
        // concurrent first dashboards would otherwise all insert the same snapshot row.
        var key = (nameof(SnapshotAsync), portfolio.Id, portfolio.Version, asOf);
        var loading = cache.GetOrCreate(key, entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = ReportLifetime;
            return LoadOrWriteSnapshotAsync(portfolio, asOf);
        })!;
        try
        {
            return await loading.WaitAsync(ct);
        }
        catch (Exception) when (loading.IsFaulted || loading.IsCanceled)
        {
            cache.Remove(key);
            throw;
        }
    }

    private async Task<PortfolioSnapshot?> LoadOrWriteSnapshotAsync(Portfolio portfolio, DateOnly asOf)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FinSightDbContext>();
        var snapshot = await db.PortfolioSnapshots.AsNoTracking()
            .SingleOrDefaultAsync(s => s.PortfolioId == portfolio.Id && s.Date == asOf && s.PortfolioVersion == portfolio.Version && s.Benchmark == options.Value.Benchmark);
        if (snapshot is null)
        {
            var performance = await PerformanceAsync(portfolio, null, CancellationToken.None);
            snapshot = performance is null ? null : await WriteSnapshotAsync(db, portfolio, asOf, performance, CancellationToken.None);
        }
        return snapshot;
    }

    /// <summary>What the portfolio holds and did, without asking for any price (no market-data call).</summary>
    public async Task<PortfolioFacts> FactsAsync(Portfolio portfolio, CancellationToken ct)
    {
        var key = ("state", portfolio.Id, portfolio.Version);
        if (cache.TryGetValue(key, out PortfolioFacts? hit) && hit is not null)
        {
            return hit;
        }
        var records = await store.TransactionsAsync(portfolio.Id, ct);
        var state = PortfolioState.Replay(records.Select(r => r.ToDomain()), portfolio.CostBasisMethod);
        var entry = PortfolioFacts.From(records, state);
        cache.Set(key, entry, StateLifetime);
        return entry;
    }

    private async Task<PerformanceData?> ComputePerformanceAsync(Portfolio portfolio, string benchmark, double riskFreeRate, DateOnly asOf)
    {
        var ct = CancellationToken.None;
        List<TransactionRecord> records;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var rows = await scope.ServiceProvider.GetRequiredService<FinSightDbContext>().Transactions.AsNoTracking()
                .Where(t => t.PortfolioId == portfolio.Id).ToListAsync(ct);
            records = [.. TransactionRecord.InReplayOrder(rows)];
        }
        if (records.Count == 0)
        {
            return null;
        }
        var from = records.Min(r => r.Date);
        var symbols = records.Where(r => r.Symbol is not null).Select(r => r.Symbol!).Distinct(StringComparer.Ordinal).ToArray();
        var histories = await Task.WhenAll(symbols.Select(s => marketData.GetDailyHistoryAsync(s, from.AddDays(-7), asOf, ct)));
        var benchmarkHistory = await marketData.GetDailyHistoryAsync(benchmark, from.AddDays(-7), asOf, ct);

        var series = histories.Where(h => h.HasValue).Select(h => AsTraded(h.Value!)).ToArray();
        var missing = symbols.Where((_, i) => !histories[i].HasValue).ToArray();
        if (missing.Length > 0)
        {
            logger.LogInformation("No price history for {Symbols}; valued at their last trade prices.", string.Join(", ", missing));
        }
        var history = PortfolioHistory.Build(
            records.Select(r => r.ToDomain()), new MarketPrices(series), asOf,
            new HistoryOptions { Method = portfolio.CostBasisMethod, CloseAdjustment = CloseAdjustment.AsTraded });
        var benchmarkSeries = benchmarkHistory.HasValue ? AsTraded(benchmarkHistory.Value!) : null;
        var report = PerformanceMetrics.Compute(history, benchmarkSeries, new PerformanceOptions { AnnualRiskFreeRate = riskFreeRate });
        var simulated = histories.Any(h => h.Value?.IsSimulated == true);
        return new PerformanceData(history, report, benchmarkSeries, benchmark, missing, simulated);
    }

    /// <summary>
    /// Vendors' closes are back-adjusted for splits. FinSight values the shares the user recorded,
    /// so it multiplies each close back by the splits after it: a user's own split transactions
    /// then move quantities, and a vendor split can never be applied twice.
    /// </summary>
    internal static PriceSeries AsTraded(PriceHistory history) =>
        new(history.Symbol, history.Bars.Select(b =>
        {
            var factor = 1m;
            foreach (var split in history.Splits)
            {
                if (split.Date > b.Date)
                {
                    factor *= split.Ratio;
                }
            }
            return new DailyClose(b.Date, b.Close * factor);
        }));

    private async Task<PortfolioSnapshot> WriteSnapshotAsync(FinSightDbContext db, Portfolio portfolio, DateOnly date, PerformanceData performance, CancellationToken ct)
    {
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
            // Another request or instance wrote the same day's snapshot; ours holds the same figures.
            db.ChangeTracker.Clear();
        }
        return snapshot;
    }

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
}
