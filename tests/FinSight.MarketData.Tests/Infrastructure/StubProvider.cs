namespace FinSight.MarketData.Tests.Infrastructure;

/// <summary>A provider whose answers the test scripts, counting every upstream call.</summary>
public sealed class StubProvider(string name, TimeProvider time) : IQuoteProvider, IPriceHistoryProvider, IProfileProvider, INewsProvider
{
    private int _calls;

    public string Name => name;
    public int Calls => Volatile.Read(ref _calls);
    public List<(DateOnly From, DateOnly To)> HistoryRequests { get; } = [];

    /// <summary>Default: a quote at 100 for any symbol.</summary>
    public Func<string, Task<Quote?>> Quote { get; set; } = null!;
    public Func<string, DateOnly, DateOnly, Task<PriceHistory?>> History { get; set; } = null!;
    public Func<string, Task<CompanyProfile?>> Profile { get; set; } = null!;
    public bool Simulated { get; set; }

    public StubProvider Init()
    {
        Quote = symbol => Task.FromResult<Quote?>(MakeQuote(symbol, 100m));
        History = (symbol, from, to) => Task.FromResult<PriceHistory?>(MakeHistory(symbol, from, to));
        Profile = symbol => Task.FromResult<CompanyProfile?>(new CompanyProfile
        {
            Symbol = symbol, Name = symbol + " Inc.", Currency = "USD", Source = name, AsOf = time.GetUtcNow(), IsSimulated = Simulated,
        });
        return this;
    }

    public void Fail() => Quote = _ => throw new MarketDataException(name, "HTTP 503");

    public Quote MakeQuote(string symbol, decimal price) => new()
    {
        Symbol = symbol, Price = price, PreviousClose = price - 1, Currency = "USD",
        MarketTime = time.GetUtcNow(), Source = name, AsOf = time.GetUtcNow(), IsSimulated = Simulated,
    };

    public PriceHistory MakeHistory(string symbol, DateOnly from, DateOnly to) => new()
    {
        Symbol = symbol,
        Bars = Enumerable.Range(0, to.DayNumber - from.DayNumber + 1).Select(from.AddDays)
            .Where(MarketCalendar.IsTradingDay)
            .Select(d => new DailyBar { Date = d, Open = 10, High = 11, Low = 9, Close = 10, AdjustedClose = 10, Volume = 1 })
            .ToArray(),
        Source = name,
        IsSimulated = Simulated,
    };

    public Task<Quote?> GetQuoteAsync(string symbol, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        return Quote(symbol);
    }

    public Task<PriceHistory?> GetDailyHistoryAsync(string symbol, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        lock (HistoryRequests) HistoryRequests.Add((from, to));
        return History(symbol, from, to);
    }

    public Task<CompanyProfile?> GetProfileAsync(string symbol, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        return Profile(symbol);
    }

    public Task<NewsFeed?> GetNewsAsync(string symbol, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        return Task.FromResult<NewsFeed?>(new NewsFeed { Symbol = symbol, Headlines = [], Source = name, AsOf = time.GetUtcNow() });
    }
}
