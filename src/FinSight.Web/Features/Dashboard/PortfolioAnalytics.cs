using System.Globalization;
using FinSight.Domain;
using FinSight.MarketData;
using FinSight.MarketData.Caching;
using FinSight.MarketData.Currencies;
using FinSight.Web.Data;
using FinSight.Web.Features.Portfolios;
using Microsoft.Extensions.Options;
using ZiggyCreatures.Caching.Fusion;

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

/// <summary>
/// A portfolio valued at live quotes: its <see cref="Facts"/> (cached per version) priced with
/// <see cref="Quotes"/>, which say per symbol how trustworthy each price is.
/// </summary>
public sealed record PortfolioView(
    Portfolio Portfolio,
    PortfolioFacts Facts,
    PortfolioValuation Valuation,
    IReadOnlyDictionary<string, MarketDataResult<Quote>> Quotes)
{
    /// <summary>Today's rate into the base currency of every other currency held, and how trustworthy it is.</summary>
    public IReadOnlyDictionary<string, RateQuote> Rates { get; init; } = new Dictionary<string, RateQuote>();

    /// <summary>The session the quotes belong to (<see cref="MarketCalendar.CurrentSession"/>).</summary>
    public DateOnly Session { get; init; }

    /// <summary>
    /// The day's change since the close before <see cref="Session"/>, by holding: the one figure the overview's
    /// day change, each position's day change and "why it moved" all show. <see cref="Quotes"/> also holds the
    /// quotes of symbols sold out today, which it needs.
    /// </summary>
    public DayAttribution Day { get; init; } = null!;
}

/// <summary>A portfolio's replayed history without prices: its records in replay order, their replay and the figures that depend on nothing else. Cached per portfolio version.</summary>
public sealed record PortfolioFacts(IReadOnlyList<TransactionRecord> Records, PortfolioState State, TradeStatistics Trades, decimal PaidIn)
{
    /// <summary>The records as Domain transactions, in replay order (built once per version, on first use).</summary>
    public IReadOnlyList<Transaction> Transactions => field ??= [.. Records.Select(r => r.ToDomain())];

    public static PortfolioFacts From(IReadOnlyList<TransactionRecord> records, PortfolioState state) =>
        new(records, state, TradeStatistics.Compute(state.RealizedTrades), PaidInOf(records, state));

    /// <summary>
    /// Deposits when cash is tracked, otherwise what the buys and fees cost, in the base currency at
    /// each one's day's rate. Net contributions would be the obvious divisor of the total return, but
    /// they shrink (even below zero) as sales pay money back, which makes the percentage meaningless.
    /// </summary>
    private static decimal PaidInOf(IReadOnlyList<TransactionRecord> records, PortfolioState state)
    {
        decimal InBase(TransactionRecord r, decimal amount) => amount * state.Rates.Rate(r.Currency, r.Date);
        return state.CashMode == CashMode.Tracked
            ? records.Where(r => r.Type == TransactionType.Deposit).Sum(r => InBase(r, r.Amount ?? 0m))
            : records.Where(r => r.Type is TransactionType.Buy).Sum(r => InBase(r, (r.Quantity ?? 0m) * (r.Price ?? 0m) + (r.Fees ?? 0m)))
              + records.Where(r => r.Type is TransactionType.Fee).Sum(r => InBase(r, r.Amount ?? 0m));
    }

    /// <summary>The currencies other than <paramref name="baseCurrency"/> that <paramref name="records"/> move money in.</summary>
    public static string[] ForeignCurrencies(IEnumerable<TransactionRecord> records, string baseCurrency) =>
        records.Where(r => r.Type != TransactionType.Split)
            .SelectMany(r => new[] { r.Currency, r.SettlementCurrency, r.ToCurrency })
            .OfType<string>().Where(c => c != baseCurrency).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
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
/// Everything the dashboard computes, cached in the app's one cache so that a dashboard refresh
/// costs one small query plus cache reads, and each figure is computed once however many requests
/// ask for it at the same time. The replayed state is cached per portfolio version (any write
/// bumps it); the history, risk report and stored snapshot per version and trading day, because
/// they use daily closes only. Singleton: shared computations run in their own scope, since they
/// outlive the request that started them when that request gives up.
/// </summary>
public sealed class PortfolioAnalytics(
    IServiceScopeFactory scopes, MarketDataService marketData, CurrencyRates currencyRates, IFusionCache cache, SnapshotStore snapshots,
    IOptions<AnalyticsOptions> options, TimeProvider clock, ILogger<PortfolioAnalytics> logger)
{
    private static readonly TimeSpan StateLifetime = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan ReportLifetime = TimeSpan.FromHours(6);

    public string DefaultBenchmark => options.Value.Benchmark;

    /// <summary>The portfolio valued at live quotes: one quote request per held symbol (through the market-data cache).</summary>
    public async Task<PortfolioView> ViewAsync(Portfolio portfolio, CancellationToken ct)
    {
        var facts = await FactsAsync(portfolio, ct);
        var state = facts.State;
        var session = MarketCalendar.CurrentSession(clock.GetUtcNow());
        var previous = MarketCalendar.PreviousTradingDay(session);
        var todays = facts.Records.Where(r => r.Date > previous).ToArray();
        // Symbols sold out today have no position, but their sale is part of the day's change.
        var soldOut = todays.Where(r => r.Type == TransactionType.Sell && state.FindPosition(r.Symbol!) is null).Select(r => r.Symbol!);
        var symbols = state.Positions.Select(p => p.Symbol).Concat(soldOut).Distinct(StringComparer.Ordinal).ToArray();
        var quotes = symbols.Length == 0
            ? new Dictionary<string, MarketDataResult<Quote>>()
            : await marketData.GetQuotesAsync(symbols, ct);
        var currencyOf = state.Positions.ToDictionary(p => p.Symbol, p => p.Currency.Code, StringComparer.Ordinal);
        foreach (var sold in todays.Where(r => r.Type == TransactionType.Sell && !currencyOf.ContainsKey(r.Symbol!)))
        {
            currencyOf[sold.Symbol!] = sold.Currency;
        }
        // A quote in another currency than the position's (a vendor that lists it elsewhere) is not its price:
        // the position is valued at its last trade price and its price is labelled unavailable, saying why.
        quotes = quotes.ToDictionary(q => q.Key, q => q.Value.Value is { } quote && currencyOf.TryGetValue(q.Key, out var held) && quote.Currency != held
            ? MarketDataResult<Quote>.Unavailable($"{quote.Source} quotes {q.Key} in {quote.Currency}, but it is held in {held}; valued at the last trade price.")
            : q.Value, StringComparer.Ordinal);
        var priced = quotes.Where(q => q.Value.HasValue)
            .ToDictionary(q => q.Key, q => new ValuationPrice(q.Value.Value!.Price, q.Value.Value.PreviousClose), StringComparer.Ordinal);
        var held = state.Positions.Select(p => p.Currency.Code).Concat(state.CashBalances.Keys)
            .Concat(todays.Where(r => r.Type != TransactionType.Split).Select(r => r.Currency))
            .Where(c => c != portfolio.BaseCurrency).Distinct(StringComparer.Ordinal).ToArray();
        var live = await Task.WhenAll(held.Select(c => currencyRates.LatestAsync(c, portfolio.BaseCurrency, ct)));
        var rates = new Dictionary<string, RateQuote>(StringComparer.Ordinal);
        for (var i = 0; i < held.Length; i++)
        {
            // No live rate: the last daily rate the replay had, labelled stale (never a made-up one).
            rates[held[i]] = live[i].Rate is not null ? live[i]
                : state.Rates.TryGetRate(held[i], DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), out var last)
                    ? new RateQuote(last, MarketDataStatus.Stale, false, null)
                    : live[i];
        }
        var known = rates.Where(r => r.Value.Rate is not null).ToDictionary(r => r.Key, r => r.Value.Rate!.Value, StringComparer.Ordinal);
        var valuation = state.Value(priced, known);
        var day = DayAttribution.Compute(facts.Transactions, previous, priced, portfolio.CostBasisMethod, state.Rates, known, state);
        return new PortfolioView(portfolio, facts, valuation, quotes) { Rates = rates, Session = session, Day = day };
    }

    /// <summary>
    /// Daily rates into the portfolio's base currency for every other currency its records use, from
    /// a week before the first record to <paramref name="to"/>; a currency no source has gets none
    /// (and the replay then says which rate is missing).
    /// </summary>
    private async Task<ExchangeRates> RatesAsync(Portfolio portfolio, IReadOnlyList<TransactionRecord> records, DateOnly to, CancellationToken ct)
    {
        var baseCurrency = Currency.Parse(portfolio.BaseCurrency);
        var foreign = PortfolioFacts.ForeignCurrencies(records, portfolio.BaseCurrency);
        if (foreign.Length == 0)
        {
            return new ExchangeRates(baseCurrency);
        }
        var from = records.Min(r => r.Date).AddDays(-7);
        var histories = await Task.WhenAll(foreign.Select(c => currencyRates.HistoryAsync(c, portfolio.BaseCurrency, from, to, ct)));
        foreach (var (currency, history) in foreign.Zip(histories).Where(x => x.Second.Series is null))
        {
            logger.LogInformation("No {Currency}/{Base} rates: {Reason}", currency, portfolio.BaseCurrency, history.Reason);
        }
        return new ExchangeRates(baseCurrency, histories.Select(h => h.Series).OfType<PriceSeries>());
    }

    /// <summary>What the portfolio holds and did, without asking for any price (no market-data call).</summary>
    public Task<PortfolioFacts> FactsAsync(Portfolio portfolio, CancellationToken ct) =>
        cache.GetOrCreateSharedAsync(Key($"analytics:facts:{portfolio.Id}:{portfolio.Version}"), async () =>
        {
            await using var scope = scopes.CreateAsyncScope();
            var records = await PortfolioStore.TransactionsAsync(scope.ServiceProvider.GetRequiredService<FinSightDbContext>(), portfolio, CancellationToken.None);
            // A portfolio in one currency needs no rate (and no market-data call); others need every day's.
            var rates = await RatesAsync(portfolio, records, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), CancellationToken.None);
            var state = PortfolioState.Replay(records.Select(r => r.ToDomain()), portfolio.CostBasisMethod, rates: rates);
            return new Cached<PortfolioFacts>(PortfolioFacts.From(records, state), StateLifetime, 1 + records.Count);
        }, ct);

    /// <summary>
    /// The history and report for the portfolio as of the last closed US session, one point per trading
    /// day of any venue its symbols trade on (<see cref="ExchangeCalendars.FromBars"/>; a trade dated on a
    /// closed day counts with the next session); null for an empty
    /// portfolio. The benchmark and risk-free rate default to the instance's (a user may choose their own).
    /// </summary>
    public Task<PerformanceData?> PerformanceAsync(Portfolio portfolio, string? benchmark, CancellationToken ct, double? riskFreeRate = null)
    {
        var symbol = string.IsNullOrWhiteSpace(benchmark) ? options.Value.Benchmark : benchmark.Trim().ToUpperInvariant();
        var rate = riskFreeRate ?? options.Value.RiskFreeRate;
        var asOf = MarketCalendar.LastClosedSession(clock.GetUtcNow());
        if (symbol == options.Value.Benchmark && rate == options.Value.RiskFreeRate)
        {
            return cache.GetOrCreateSharedAsync(Key($"analytics:performance:{portfolio.Id}:{portfolio.Version}:{asOf:yyyy-MM-dd}"), async () =>
            {
                var performance = await ComputePerformanceAsync(portfolio, symbol, rate, asOf);
                return new Cached<PerformanceData?>(performance, Lifetime(performance), Size(performance));
            }, ct);
        }
        // A benchmark or rate of the user's own choosing: one report per portfolio is kept (the
        // latest asked for), so asking for a thousand benchmarks holds one, not a thousand. The
        // keyed entry only makes concurrent requests for the same choice share one computation.
        var own = Key($"analytics:performance-own:{portfolio.Id}");
        var wanted = new OwnChoice(portfolio.Version, symbol, rate, asOf);
        return cache.GetOrCreateSharedAsync(Key($"analytics:performance:{portfolio.Id}:{portfolio.Version}:{symbol}:{rate:R}:{asOf:yyyy-MM-dd}"), async () =>
        {
            var kept = await cache.TryGetAsync<OwnPerformance>(own);
            if (kept.HasValue && kept.Value.Choice == wanted)
            {
                return new Cached<PerformanceData?>(kept.Value.Data, Shared, 1);
            }
            var performance = await ComputePerformanceAsync(portfolio, symbol, rate, asOf);
            await cache.SetAsync(own, new OwnPerformance(wanted, performance), new FusionCacheEntryOptions { Duration = Lifetime(performance), Size = Size(performance) });
            return new Cached<PerformanceData?>(performance, Shared, 1);
        }, ct);
    }

    // Kept only while it is being computed: long enough for concurrent requests to share it.
    private static readonly TimeSpan Shared = TimeSpan.FromTicks(1);

    /// <summary>
    /// A report is kept for the day, unless some symbol's or the benchmark's history was missing (a vendor outage, or
    /// a fair-use budget spent): then only briefly, so it is computed again once the bars can be had.
    /// </summary>
    private static TimeSpan Lifetime(PerformanceData? performance) =>
        performance is { MissingHistory.Count: > 0 } or { Benchmark: null } ? IncompleteReportLifetime : ReportLifetime;

    private static readonly TimeSpan IncompleteReportLifetime = TimeSpan.FromMinutes(1);

    private static long Size(PerformanceData? performance) =>
        1 + (performance is null ? 0 : performance.History.Points.Count + (performance.Benchmark?.Count ?? 0));

    private sealed record OwnChoice(int Version, string Benchmark, double RiskFreeRate, DateOnly AsOf);

    private sealed record OwnPerformance(OwnChoice Choice, PerformanceData? Data);

    /// <summary>
    /// Risk figures for the overview: from today's snapshot when one matches this version, else
    /// computed (which writes one): once per portfolio version and day, however many ask at once.
    /// Stored snapshots hold the instance's benchmark and rate only; figures for a user's own
    /// choices are computed (and cached in memory), never stored, so one setting's figures can
    /// never be served for another's.
    /// </summary>
    public async Task<PortfolioSnapshot?> SnapshotAsync(Portfolio portfolio, CancellationToken ct, string? benchmark = null, double? riskFreeRate = null)
    {
        var asOf = MarketCalendar.LastClosedSession(clock.GetUtcNow());
        var symbol = string.IsNullOrWhiteSpace(benchmark) ? options.Value.Benchmark : benchmark.Trim().ToUpperInvariant();
        var rate = riskFreeRate ?? options.Value.RiskFreeRate;
        if (symbol != options.Value.Benchmark || rate != options.Value.RiskFreeRate)
        {
            var own = await PerformanceAsync(portfolio, symbol, ct, rate);
            return own is null ? null : snapshots.Unsaved(portfolio, asOf, own);
        }
        return await cache.GetOrCreateSharedAsync(Key($"analytics:snapshot:{portfolio.Id}:{portfolio.Version}:{asOf:yyyy-MM-dd}"), async () =>
        {
            var snapshot = await snapshots.FindAsync(portfolio, asOf, options.Value.Benchmark, CancellationToken.None);
            if (snapshot is null && await PerformanceAsync(portfolio, null, CancellationToken.None) is { } performance)
            {
                snapshot = await snapshots.SaveAsync(portfolio, asOf, performance, CancellationToken.None);
            }
            return new Cached<PortfolioSnapshot?>(snapshot, ReportLifetime, 1);
        }, ct);
    }

    private async Task<PerformanceData?> ComputePerformanceAsync(Portfolio portfolio, string benchmark, double riskFreeRate, DateOnly asOf)
    {
        var ct = CancellationToken.None;
        logger.LogDebug("Computing the performance of portfolio {PortfolioId} version {Version} against {Benchmark} as of {AsOf}",
            portfolio.Id, portfolio.Version, benchmark, asOf);
        List<TransactionRecord> records;
        await using (var scope = scopes.CreateAsyncScope())
        {
            records = await PortfolioStore.TransactionsAsync(scope.ServiceProvider.GetRequiredService<FinSightDbContext>(), portfolio, ct);
        }
        if (records.Count == 0)
        {
            return null;
        }
        var from = records.Min(r => r.Date);
        var symbols = records.Where(r => r.Symbol is not null).Select(r => r.Symbol!).Distinct(StringComparer.Ordinal).ToArray();
        var histories = await Task.WhenAll(symbols.Select(s => marketData.GetDailyHistoryAsync(s, from.AddDays(-7), asOf, ct)));
        var benchmarkHistory = await marketData.GetDailyHistoryAsync(benchmark, from.AddDays(-7), asOf, ct);

        var rates = await RatesAsync(portfolio, records, asOf, ct);
        // Bars in another currency than the one the symbol is traded in are not its prices (see ViewAsync): missing, not mixed in.
        var tradedIn = records.Where(r => r.Symbol is not null && r.Type != TransactionType.Split)
            .GroupBy(r => r.Symbol!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Currency, StringComparer.Ordinal);
        bool Usable(int i) => histories[i].Value is { } h && (h.Currency is null || !tradedIn.TryGetValue(symbols[i], out var c) || h.Currency == c);
        var series = histories.Where((_, i) => Usable(i)).Select(h => AsTraded(h.Value!)).ToArray();
        var missing = symbols.Where((_, i) => !Usable(i)).ToArray();
        if (missing.Length > 0)
        {
            logger.LogInformation("No price history for {Symbols}; valued at their last trade prices.", string.Join(", ", missing));
        }
        var history = PortfolioHistory.Build(
            records.Select(r => r.ToDomain()), new MarketPrices(series), asOf,
            new HistoryOptions
            {
                Method = portfolio.CostBasisMethod, CloseAdjustment = CloseAdjustment.AsTraded, Rates = rates,
                // The union of its venues' trading days, from their listings' bars where there are any.
                TradingDays = ExchangeCalendars.FromBars(symbols, [.. histories.Select(h => h.Value)]),
            });
        var benchmarkSeries = benchmarkHistory.HasValue
            ? await InBaseCurrencyAsync(AsTraded(benchmarkHistory.Value!), benchmarkHistory.Value!.Currency ?? Exchanges.CurrencyOf(benchmark), portfolio.BaseCurrency, from.AddDays(-7), asOf)
            : null;
        var report = PerformanceMetrics.Compute(history, benchmarkSeries, new PerformanceOptions { AnnualRiskFreeRate = riskFreeRate });
        var simulated = histories.Any(h => h.Value?.IsSimulated == true);
        return new PerformanceData(history, report, benchmarkSeries, benchmark, missing, simulated);
    }

    /// <summary>
    /// The benchmark as a holder in the base currency sees it: each close times that day's rate (SPY
    /// for a EUR portfolio is SPY in euros), so beta and alpha compare like with like. Null when no rate exists.
    /// </summary>
    private async Task<PriceSeries?> InBaseCurrencyAsync(PriceSeries series, string currency, string baseCurrency, DateOnly from, DateOnly to)
    {
        if (currency == baseCurrency)
        {
            return series;
        }
        var rates = await currencyRates.HistoryAsync(currency, baseCurrency, from, to, CancellationToken.None);
        if (rates.Series is null)
        {
            return null;
        }
        var converted = new List<DailyClose>(series.Count);
        foreach (var close in series)
        {
            if (rates.Series.TryGetCloseOnOrBefore(close.Date, out var rate))
            {
                converted.Add(close with { Close = close.Close * rate.Close });
            }
        }
        return new PriceSeries(series.Symbol, converted);
    }

    private static string Key(FormattableString key) => key.ToString(CultureInfo.InvariantCulture);

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
}
