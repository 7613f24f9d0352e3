using System.Collections.Concurrent;

namespace FinSight.MarketData;

/// <summary>A process-local store for tests, the harness and hosts that run without a database.</summary>
public sealed class InMemoryMarketDataStore : IMarketDataStore
{
    private readonly ConcurrentDictionary<string, Quote> _quotes = new();
    private readonly ConcurrentDictionary<string, CompanyProfile> _profiles = new();
    private readonly ConcurrentDictionary<string, NewsFeed> _news = new();
    private readonly ConcurrentDictionary<string, History> _history = new();

    private sealed class History
    {
        public readonly SortedDictionary<DateOnly, DailyBar> Bars = [];
        public readonly Dictionary<DateOnly, StockSplit> Splits = [];
        public readonly Dictionary<DateOnly, Dividend> Dividends = [];
        public string Source = "";
    }

    public Task<Quote?> GetQuoteAsync(string symbol, CancellationToken cancellationToken = default) =>
        Task.FromResult(_quotes.GetValueOrDefault(symbol));

    public Task SaveQuoteAsync(Quote quote, CancellationToken cancellationToken = default)
    {
        _quotes[quote.Symbol] = quote;
        return Task.CompletedTask;
    }

    public Task<CompanyProfile?> GetProfileAsync(string symbol, CancellationToken cancellationToken = default) =>
        Task.FromResult(_profiles.GetValueOrDefault(symbol));

    public Task SaveProfileAsync(CompanyProfile profile, CancellationToken cancellationToken = default)
    {
        _profiles[profile.Symbol] = profile;
        return Task.CompletedTask;
    }

    public Task<NewsFeed?> GetNewsAsync(string symbol, CancellationToken cancellationToken = default) =>
        Task.FromResult(_news.GetValueOrDefault(symbol));

    public Task SaveNewsAsync(NewsFeed feed, CancellationToken cancellationToken = default)
    {
        _news[feed.Symbol] = feed;
        return Task.CompletedTask;
    }

    public Task<PriceHistory?> GetDailyHistoryAsync(string symbol, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        if (!_history.TryGetValue(symbol, out var history))
        {
            return Task.FromResult<PriceHistory?>(null);
        }
        lock (history)
        {
            var bars = history.Bars.Values.Where(b => b.Date >= from && b.Date <= to).ToArray();
            if (bars.Length == 0)
            {
                return Task.FromResult<PriceHistory?>(null);
            }
            return Task.FromResult<PriceHistory?>(new PriceHistory
            {
                Symbol = symbol,
                Bars = bars,
                Splits = history.Splits.Values.Where(s => s.Date >= from && s.Date <= to).ToArray(),
                Dividends = history.Dividends.Values.Where(d => d.ExDate >= from && d.ExDate <= to).ToArray(),
                Source = history.Source,
            });
        }
    }

    public Task SaveDailyHistoryAsync(PriceHistory history, CancellationToken cancellationToken = default)
    {
        var stored = _history.GetOrAdd(history.Symbol, _ => new History());
        lock (stored)
        {
            stored.Source = history.Source;
            foreach (var bar in history.Bars) stored.Bars.TryAdd(bar.Date, bar);
            foreach (var split in history.Splits) stored.Splits.TryAdd(split.Date, split);
            foreach (var dividend in history.Dividends) stored.Dividends.TryAdd(dividend.ExDate, dividend);
        }
        return Task.CompletedTask;
    }
}
