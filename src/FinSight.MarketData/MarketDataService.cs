using System.Collections.Concurrent;
using System.Globalization;
using FinSight.Domain;
using FinSight.MarketData.Caching;
using FinSight.MarketData.FairUse;
using Microsoft.Extensions.Logging;
using ZiggyCreatures.Caching.Fusion;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FinSight.MarketData;

/// <summary>
/// What the host calls. Per request: memory cache → store (survives restarts) → providers in
/// configured order → last known value marked stale → an explicit "unavailable". Concurrent
/// requests for the same key share one upstream call (the app's one cache, <see cref="FinSightCache"/>);
/// how long an answer is reused depends on what it is: fresh, stale or a failure.
/// </summary>
public sealed class MarketDataService
{
    private readonly IReadOnlyList<IMarketDataProvider> _chain;
    private readonly IMarketDataStore _store;
    private readonly MarketDataOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IFusionCache _cache;
    private readonly UpstreamBudget? _budget;
    private readonly SharedWaiters _waiters = new();
    private readonly ConcurrentDictionary<(string Provider, Type Capability), DateTimeOffset> _capabilityUnavailableUntil = new();

    public MarketDataService(
        IEnumerable<IMarketDataProvider> providers,
        IMarketDataStore store,
        IOptions<MarketDataOptions> options,
        TimeProvider time,
        ILogger<MarketDataService>? logger = null,
        IFusionCache? cache = null,
        UpstreamBudget? budget = null)
    {
        _options = options.Value;
        var byName = providers.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        // Names without a registered provider are skipped, not errors.
        _chain = _options.Providers.Where(byName.ContainsKey).Select(n => byName[n]).Distinct().ToArray();
        _store = store;
        _time = time;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _cache = cache ?? FinSightCache.Create(time);
        _budget = budget;
        // Any quote this instance holds changing (computed, copied from Redis, removed, or announced by another instance).
        _cache.Events.Memory.Set += (_, e) => OnQuoteKey(e.Key);
        _cache.Events.Memory.Remove += (_, e) => OnQuoteKey(e.Key);
        _cache.Events.Memory.Expire += (_, e) => OnQuoteKey(e.Key);
        _cache.Events.Backplane.MessageReceived += (_, e) => OnQuoteKey(e.Message.CacheKey);
    }

    private long _quoteGeneration;
    private long _historyReads;

    /// <summary>
    /// How many daily histories this instance was asked for (served from the cache or fetched): a diagnostic that
    /// shows whether a feature reads histories on every request or keeps what it derived from them.
    /// </summary>
    public long HistoryReads => Volatile.Read(ref _historyReads);

    /// <summary>
    /// A number that grows whenever a quote held by this instance may have changed: an answer computed
    /// from quotes under one generation may be reused until the next (the warm dashboard's key).
    /// </summary>
    public long QuoteGeneration => Volatile.Read(ref _quoteGeneration);

    private void OnQuoteKey(string? key)
    {
        if (key is not null && key.StartsWith(QuoteKeyPrefix, StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _quoteGeneration);
        }
    }

    private const string QuoteKeyPrefix = "md:quote:";

    /// <summary>Provider names in the order they are asked.</summary>
    public IReadOnlyList<string> Providers => _chain.Select(p => p.Name).ToArray();

    public Task<MarketDataResult<Quote>> GetQuoteAsync(string symbol, CancellationToken cancellationToken = default)
    {
        symbol = Ticker.Parse(symbol).Value;
        return SharedAsync(QuoteKeyPrefix + symbol, token => FetchLatestAsync(
            symbol, _options.QuoteCacheDuration, token,
            ct => _store.GetQuoteAsync(symbol, ct), q => q.AsOf,
            (IQuoteProvider p, CancellationToken ct) => p.GetQuoteAsync(symbol, ct),
            (q, ct) => _store.SaveQuoteAsync(q, ct), q => q.IsSimulated,
            q => q with { IsStale = true }), cancellationToken);
    }

    /// <summary>
    /// Quotes for many symbols at once (a dashboard). Each symbol goes through the same cache and
    /// coalescing as <see cref="GetQuoteAsync"/>, so overlapping dashboards cost nothing extra.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, MarketDataResult<Quote>>> GetQuotesAsync(
        IEnumerable<string> symbols, CancellationToken cancellationToken = default)
    {
        var distinct = symbols.Select(s => s.Trim().ToUpperInvariant()).Distinct().ToArray();
        // One bad symbol in a batch must not blank the whole dashboard (a portfolio's are Tickers already).
        var results = await Task.WhenAll(distinct.Select(s => Ticker.TryParse(s, out _)
            ? GetQuoteAsync(s, cancellationToken)
            : Task.FromResult(MarketDataResult<Quote>.NotFound($"'{s}' is not a valid ticker symbol."))));
        return distinct.Zip(results).ToDictionary(x => x.First, x => x.Second);
    }

    public Task<MarketDataResult<CompanyProfile>> GetProfileAsync(string symbol, CancellationToken cancellationToken = default)
    {
        symbol = Ticker.Parse(symbol).Value;
        return SharedAsync("md:profile:" + symbol, token => FetchLatestAsync(
            symbol, _options.ProfileCacheDuration, token,
            ct => _store.GetProfileAsync(symbol, ct), p => p.AsOf,
            (IProfileProvider p, CancellationToken ct) => p.GetProfileAsync(symbol, ct),
            (p, ct) => _store.SaveProfileAsync(p, ct), p => p.IsSimulated,
            p => p), cancellationToken);
    }

    /// <summary>Headlines from the last <see cref="MarketDataOptions.NewsLookbackDays"/> days, newest first.</summary>
    public Task<MarketDataResult<NewsFeed>> GetNewsAsync(string symbol, CancellationToken cancellationToken = default)
    {
        symbol = Ticker.Parse(symbol).Value;
        return SharedAsync("md:news:" + symbol, token =>
        {
            var to = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
            var from = to.AddDays(-_options.NewsLookbackDays);
            return FetchLatestAsync(
                symbol, _options.NewsCacheDuration, token,
                ct => _store.GetNewsAsync(symbol, ct), n => n.AsOf,
                (INewsProvider p, CancellationToken ct) => p.GetNewsAsync(symbol, from, to, ct),
                (n, ct) => _store.SaveNewsAsync(n, ct), n => n.IsSimulated,
                n => n);
        }, cancellationToken);
    }

    /// <summary>
    /// Daily bars for the inclusive range. Completed days come from the store once they are there;
    /// only the missing tail (or a missing start) is fetched, and newly completed days are stored.
    /// </summary>
    public Task<MarketDataResult<PriceHistory>> GetDailyHistoryAsync(
        string symbol, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _historyReads);
        symbol = Ticker.Parse(symbol).Value;
        if (from > to)
        {
            throw new ArgumentException("The range starts after it ends.", nameof(from));
        }
        var key = string.Create(CultureInfo.InvariantCulture, $"md:history:{symbol}|{from:yyyy-MM-dd}|{to:yyyy-MM-dd}");
        return SharedAsync(key, token => FetchHistoryAsync(symbol, from, to, token), cancellationToken);
    }

    /// <summary>
    /// Splits and dividends reported apart from the price history, from every configured provider that has them
    /// (<see cref="ICorporateActionProvider"/>), merged: the first provider in the configured order wins a date both
    /// report, and a dividend without a pay date takes one another provider states. A provider that cannot answer is
    /// left out; unavailable only when none could. Not stored: kept in the cache like a history.
    /// </summary>
    public Task<MarketDataResult<CorporateActionReport>> GetCorporateActionsAsync(
        string symbol, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        symbol = Ticker.Parse(symbol).Value;
        if (from > to)
        {
            throw new ArgumentException("The range starts after it ends.", nameof(from));
        }
        var key = string.Create(CultureInfo.InvariantCulture, $"md:actions:{symbol}|{from:yyyy-MM-dd}|{to:yyyy-MM-dd}");
        return SharedAsync(key, async token =>
        {
            if (OverBudget(symbol) is { } refusal)
            {
                return Cache(MarketDataResult<CorporateActionReport>.Unavailable(refusal), NotReused);
            }
            var reports = new List<CorporateActionReport>();
            var failures = new List<string>();
            var answered = false;
            foreach (var provider in _chain.OfType<ICorporateActionProvider>())
            {
                var (report, failure) = await AskOneAsync(provider, (ICorporateActionProvider p, CancellationToken ct) => p.GetCorporateActionsAsync(symbol, from, to, ct), token);
                answered |= failure is null;
                if (report is not null)
                {
                    reports.Add(report);
                }
                else if (failure is not null)
                {
                    failures.Add(failure);
                }
            }
            if (reports.Count == 0)
            {
                return answered
                    ? Cache(MarketDataResult<CorporateActionReport>.NotFound($"No provider reports corporate actions for {symbol}."), _options.HistoryCacheDuration)
                    : Cache(MarketDataResult<CorporateActionReport>.Unavailable(Explain("corporate actions", symbol, failures.Count > 0 ? failures : ["no configured provider offers this"])), FailureLifetime);
            }
            var payDates = reports.SelectMany(r => r.PayDates).Concat(reports.SelectMany(r => r.Dividends)
                    .Where(d => d.PayDate is not null).Select(d => new DividendPayDate { ExDate = d.ExDate, PayDate = d.PayDate!.Value }))
                .DistinctBy(p => p.ExDate).ToArray();
            var merged = new CorporateActionReport
            {
                Symbol = symbol,
                Splits = reports.SelectMany(r => r.Splits).DistinctBy(s => s.Date).ToArray(),
                Dividends = reports.SelectMany(r => r.Dividends).DistinctBy(d => d.ExDate)
                    .Select(d => d.PayDate is null && payDates.FirstOrDefault(p => p.ExDate == d.ExDate) is { } p ? d with { PayDate = p.PayDate } : d).ToArray(),
                PayDates = payDates,
                Source = string.Join(",", reports.Select(r => r.Source).Distinct(StringComparer.Ordinal)),
            };
            return Cache(MarketDataResult<CorporateActionReport>.Fresh(merged), _options.HistoryCacheDuration);
        }, cancellationToken);
    }

    public async Task<MarketDataResult<IReadOnlyList<SymbolMatch>>> SearchSymbolsAsync(
        string query, int limit = 10, CancellationToken cancellationToken = default)
    {
        query = query.Trim();
        if (query.Length == 0)
        {
            return MarketDataResult<IReadOnlyList<SymbolMatch>>.Fresh([]);
        }
        var key = string.Create(CultureInfo.InvariantCulture, $"md:search:{query.ToUpperInvariant()}|{limit}");
        var result = await _cache.GetOrCreateSharedAsync(key, async () =>
        {
            // A search the cache does not hold counts against the caller's fair-use budget like a symbol not yet known.
            if (OverBudget("search:" + query.ToUpperInvariant()) is { } refusal)
            {
                return new Cached<MarketDataResult<SymbolMatchList>>(MarketDataResult<SymbolMatchList>.Unavailable(refusal), NotReused, 1);
            }
            var (outcome, failures) = await AskChainAsync(
                async (ISymbolSearchProvider p, CancellationToken ct) => new SymbolMatchList(await p.SearchAsync(query, limit, ct)),
                CancellationToken.None);
            return outcome is { } found
                ? new Cached<MarketDataResult<SymbolMatchList>>(MarketDataResult<SymbolMatchList>.Fresh(found), _options.SearchCacheDuration, 1 + found.Matches.Count)
                : new Cached<MarketDataResult<SymbolMatchList>>(
                    MarketDataResult<SymbolMatchList>.Unavailable(Explain("search", query, failures ?? [])), _options.FailureCacheDuration, 1);
        }, cancellationToken);
        return result.Value is { } list
            ? MarketDataResult<IReadOnlyList<SymbolMatch>>.Fresh(list.Matches)
            : MarketDataResult<IReadOnlyList<SymbolMatch>>.Unavailable(result.Reason!);
    }

    /// <summary>
    /// The cached value, or one computation shared by every caller meanwhile; its token is
    /// cancelled when all of them have given up, which takes its vendor calls out of the queue.
    /// With Redis the value is shared by every instance and computed by one of them at a time.
    /// </summary>
    private Task<T> SharedAsync<T>(string key, Func<CancellationToken, Task<Cached<T>>> create, CancellationToken cancellationToken) =>
        _waiters.WaitAsync(key, token => _cache.GetOrCreateSharedAsync(key, () => create(token), CancellationToken.None, shared: true), cancellationToken);

    /// <summary>
    /// Whether this caller may ask a vendor for <paramref name="symbol"/> (<see cref="UpstreamBudget"/>);
    /// otherwise why not.
    /// </summary>
    private string? OverBudget(string symbol) => _budget is null || _budget.TryAdmit(symbol) ? null : _budget.RefusalReason;

    /// <summary>
    /// How long a stale or unavailable answer is reused. One that a background refresh got (it
    /// waits behind every interactive call and may give up) is not reused, nor is one refused by a
    /// caller's budget: neither may stand in for what the next person asking would get.
    /// </summary>
    private TimeSpan FailureLifetime => VendorCaller.Current?.Lane == VendorLane.Background ? NotReused : _options.FailureCacheDuration;

    private static readonly TimeSpan NotReused = TimeSpan.FromTicks(1);

    // The shared shape of quotes, profiles and news: one current value per symbol.
    private async Task<Cached<MarketDataResult<T>>> FetchLatestAsync<T, TProvider>(
        string symbol,
        TimeSpan lifetime,
        CancellationToken cancellationToken,
        Func<CancellationToken, Task<T?>> load,
        Func<T, DateTimeOffset> asOf,
        Func<TProvider, CancellationToken, Task<T?>> fetch,
        Func<T, CancellationToken, Task> save,
        Func<T, bool> isSimulated,
        Func<T, T> markStale)
        where T : class
        where TProvider : class, IMarketDataProvider
    {
        // The token is shared by every waiting caller: cancelled once all of them have given up.
        var stored = await TryLoadAsync(load, cancellationToken);
        var now = _time.GetUtcNow();
        if (stored is not null && now - asOf(stored) < lifetime)
        {
            // Fresh enough from a previous run; reuse it for the remainder of its period only.
            return Cache(MarketDataResult<T>.Fresh(stored), lifetime - (now - asOf(stored)));
        }

        if (OverBudget(symbol) is { } refusal)
        {
            return stored is not null
                ? Cache(MarketDataResult<T>.Stale(markStale(stored), $"{refusal} Showing the value from {asOf(stored):u}."), NotReused)
                : Cache(MarketDataResult<T>.Unavailable(refusal), NotReused);
        }
        var (value, failures) = await AskChainAsync(fetch, cancellationToken);
        if (value is not null)
        {
            if (!isSimulated(value))
            {
                await TrySaveAsync(save, value, cancellationToken);
            }
            return Cache(MarketDataResult<T>.Fresh(value), lifetime);
        }
        if (failures is null)
        {
            return Cache(MarketDataResult<T>.NotFound($"{symbol} is not known to the market data providers."), lifetime);
        }
        var reason = Explain(typeof(T).Name, symbol, failures);
        if (stored is not null)
        {
            return Cache(MarketDataResult<T>.Stale(markStale(stored), $"{reason} Showing the value from {asOf(stored):u}."), FailureLifetime);
        }
        return Cache(MarketDataResult<T>.Unavailable(reason + " No earlier value is stored."), FailureLifetime);
    }

    private async Task<Cached<MarketDataResult<PriceHistory>>> FetchHistoryAsync(string symbol, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var lastClosed = MarketCalendar.LastClosedSession(_time.GetUtcNow());
        var stored = await TryLoadAsync(ct => _store.GetDailyHistoryAsync(symbol, from, to, ct), cancellationToken);

        var fetchFrom = MissingFrom(stored, from, to, lastClosed);
        if (fetchFrom is null)
        {
            return Cache(MarketDataResult<PriceHistory>.Fresh(stored!), _options.HistoryCacheDuration);
        }

        if (OverBudget(symbol) is { } refusal)
        {
            return stored is { Bars.Count: > 0 }
                ? Cache(MarketDataResult<PriceHistory>.Stale(stored, $"{refusal} Showing stored bars through {stored.Bars[^1].Date:yyyy-MM-dd}."), NotReused)
                : Cache(MarketDataResult<PriceHistory>.Unavailable(refusal), NotReused);
        }
        var (fetched, failures) = await AskChainAsync(
            (IPriceHistoryProvider p, CancellationToken ct) => p.GetDailyHistoryAsync(symbol, fetchFrom.Value, to, ct), cancellationToken);
        if (fetched is not null)
        {
            // Today's bar is still moving: only completed days go to the store, and never simulated ones.
            var completed = fetched with { Bars = fetched.Bars.Where(b => b.Date <= lastClosed).ToArray() };
            if (!fetched.IsSimulated && completed.Bars.Count > 0)
            {
                await TrySaveAsync((h, ct) => _store.SaveDailyHistoryAsync(h, ct), completed, cancellationToken);
            }
            return Cache(MarketDataResult<PriceHistory>.Fresh(Merge(stored, fetched)), _options.HistoryCacheDuration);
        }
        if (failures is null)
        {
            return stored is not null
                ? Cache(MarketDataResult<PriceHistory>.Fresh(stored), _options.HistoryCacheDuration)
                : Cache(MarketDataResult<PriceHistory>.NotFound($"{symbol} is not known to the market data providers."), _options.HistoryCacheDuration);
        }
        var reason = Explain("history", symbol, failures);
        return stored is not null
            ? Cache(MarketDataResult<PriceHistory>.Stale(stored, reason + $" Showing stored bars through {stored.Bars[^1].Date:yyyy-MM-dd}."), FailureLifetime)
            : Cache(MarketDataResult<PriceHistory>.Unavailable(reason + " No bars are stored."), FailureLifetime);
    }

    /// <summary>Where fetching must start, or null when the store already covers the range.</summary>
    private static DateOnly? MissingFrom(PriceHistory? stored, DateOnly from, DateOnly to, DateOnly lastClosed)
    {
        if (stored is null || stored.Bars.Count == 0)
        {
            return from;
        }
        // A gap of more than a long weekend at the start: fetch the whole range rather than stitching two holes.
        if (stored.Bars[0].Date.DayNumber - from.DayNumber > 4)
        {
            return from;
        }
        var next = stored.Bars[^1].Date.AddDays(1);
        var end = to < lastClosed ? to : lastClosed;
        for (var d = next; d <= end; d = d.AddDays(1))
        {
            if (MarketCalendar.IsTradingDay(d))
            {
                return next;
            }
        }
        // Completed days are all stored; only today's live bar could be missing.
        return to > lastClosed && MarketCalendar.IsTradingDay(to) ? next : null;
    }

    private static PriceHistory Merge(PriceHistory? stored, PriceHistory fetched) => stored is null
        ? fetched
        : fetched with
        {
            Bars = fetched.Bars.Concat(stored.Bars).DistinctBy(b => b.Date).ToArray(),
            Splits = fetched.Splits.Concat(stored.Splits).DistinctBy(s => s.Date).ToArray(),
            Dividends = fetched.Dividends.Concat(stored.Dividends).DistinctBy(d => d.ExDate).ToArray(),
        };

    /// <summary>
    /// Asks providers in order. A value or a "not found" (null) ends the walk; an exception or a
    /// missing capability moves on. Failures is null when some provider answered authoritatively.
    /// </summary>
    private async Task<(T? Value, List<string>? Failures)> AskChainAsync<T, TProvider>(
        Func<TProvider, CancellationToken, Task<T?>> ask, CancellationToken cancellationToken)
        where T : class
        where TProvider : class, IMarketDataProvider
    {
        var failures = new List<string>();
        foreach (var provider in _chain.OfType<TProvider>())
        {
            var (value, failure) = await AskOneAsync(provider, ask, cancellationToken);
            if (failure is null)
            {
                return (value, null);
            }
            if (failure.Length > 0)
            {
                failures.Add(failure);
            }
        }
        if (failures.Count == 0)
        {
            failures.Add("no configured provider offers this");
        }
        return (null, failures);
    }

    /// <summary>One provider's answer, or why there is none ("" while its capability is known to be unavailable); a null failure means it answered.</summary>
    private async Task<(T? Value, string? Failure)> AskOneAsync<T, TProvider>(
        TProvider provider, Func<TProvider, CancellationToken, Task<T?>> ask, CancellationToken cancellationToken)
        where T : class
        where TProvider : class, IMarketDataProvider
    {
        var capability = (provider.Name, typeof(TProvider));
        if (_capabilityUnavailableUntil.TryGetValue(capability, out var until) && until > _time.GetUtcNow())
        {
            return (null, "");
        }
        try
        {
            return (await ask(provider, cancellationToken), null);
        }
        catch (ProviderNotConfiguredException ex)
        {
            return (null, ex.Message);
        }
        catch (CapabilityUnavailableException ex)
        {
            _capabilityUnavailableUntil[capability] = _time.GetUtcNow() + _options.CapabilityUnavailableBackoff;
            _logger.LogInformation("{Provider} cannot serve {Capability}: {Reason}", provider.Name, typeof(TProvider).Name, ex.Message);
            return (null, ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning(ex, "{Provider} failed for {Capability}", provider.Name, typeof(TProvider).Name);
            return (null, ex is MarketDataException ? ex.Message : $"{provider.Name}: {ex.Message}");
        }
    }

    // The store is a fallback; its failure must not turn a good upstream answer into an error.
    private async Task<T?> TryLoadAsync<T>(Func<CancellationToken, Task<T?>> load, CancellationToken cancellationToken) where T : class
    {
        try
        {
            return await load(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning(ex, "Market data store read failed");
            return null;
        }
    }

    private async Task TrySaveAsync<T>(Func<T, CancellationToken, Task> save, T value, CancellationToken cancellationToken)
    {
        try
        {
            await save(value, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning(ex, "Market data store write failed");
        }
    }

    /// <summary>A result to cache for <paramref name="lifetime"/>; its size is one unit plus one per headline or bar it carries.</summary>
    private static Cached<MarketDataResult<T>> Cache<T>(MarketDataResult<T> result, TimeSpan lifetime) where T : class =>
        new(result, lifetime, 1 + result.Value switch { NewsFeed feed => feed.Headlines.Count, PriceHistory history => history.Bars.Count, _ => 0 });

    private static string Explain(string what, string subject, List<string> failures) =>
        $"No provider could supply {what} for {subject} ({string.Join("; ", failures)}).";

    // MarketDataResult<T> needs a class; a list wrapper keeps search on the same cache machinery.
    private sealed record SymbolMatchList(IReadOnlyList<SymbolMatch> Matches);
}
