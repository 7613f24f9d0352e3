// Dashboard load against MarketDataService: 100 users, each holding 20 of 40 symbols, refreshing
// every 5 s for 2 minutes, against a counting stub upstream. By default the clock is virtual so the
// run takes seconds; pass --real-time to spend the full 2 minutes on the wall clock.
//
// --instances N (N > 1) runs N services, as N app instances would, sharing one Redis server
// (FinSight's cache with its Redis level, backplane and lock; each with its own store); users are
// spread over them. It runs in real time (Redis keeps time by the wall clock) and starts a
// throwaway redis-server on a free loopback port unless --redis host:port names one.

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FinSight.MarketData;
using FinSight.MarketData.Caching;
using FinSight.MarketData.Directory;
using Microsoft.Extensions.Options;

const int Users = 100, SymbolsPerUser = 20, PoolSize = 40;
var refreshEvery = TimeSpan.FromSeconds(5);
var duration = TimeSpan.FromMinutes(2);
var step = TimeSpan.FromMilliseconds(50);
var instanceCount = Argument("--instances") is { } n ? int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) : 1;
var realTime = args.Contains("--real-time") || instanceCount > 1;

var clock = realTime ? TimeProvider.System : new VirtualClock(new DateTimeOffset(2026, 11, 18, 15, 0, 0, TimeSpan.Zero));
var options = new MarketDataOptions { Providers = [CountingUpstream.ProviderName] };
var upstream = new CountingUpstream(clock);
Process? redisProcess = null;
SharedRedis? redis = null;
if (instanceCount > 1)
{
    var endpoint = Argument("--redis");
    if (endpoint is null)
    {
        var port = FreePort();
        redisProcess = Process.Start(new ProcessStartInfo("redis-server", $"--bind 127.0.0.1 --port {port} --save \"\" --appendonly no --daemonize no --loglevel warning")
            { RedirectStandardOutput = true })
            ?? throw new InvalidOperationException("redis-server could not be started (Debian: apt-get install -y redis-server).");
        endpoint = $"127.0.0.1:{port}";
        await Task.Delay(500);
    }
    redis = new SharedRedis(endpoint);
    if (!(await redis.ConnectAsync()).IsConnected)
    {
        throw new InvalidOperationException($"Redis at {endpoint} does not answer.");
    }
}
var services = Enumerable.Range(0, instanceCount)
    .Select(_ => new MarketDataService([upstream], new InMemoryMarketDataStore(), Options.Create(options), clock, cache: FinSightCache.Create(clock, redis)))
    .ToArray();

var pool = StarterSymbols.All.Take(PoolSize).Select(e => e.Symbol).ToArray();
var portfolios = Enumerable.Range(0, Users)
    .Select(u => { var rng = new Random(u); return pool.OrderBy(_ => rng.Next()).Take(SymbolsPerUser).ToArray(); })
    .ToArray();
// Users do not refresh in lockstep: spread their first refresh over the 5 s interval.
var offsets = Enumerable.Range(0, Users).Select(u => TimeSpan.FromTicks(refreshEvery.Ticks * u / Users)).ToArray();

var requests = 0L;
var notFresh = 0L;
var watch = Stopwatch.StartNew();
for (var t = TimeSpan.Zero; t < duration; t += step)
{
    var due = Enumerable.Range(0, Users)
        .Where(u => t >= offsets[u] && (t - offsets[u]).Ticks % refreshEvery.Ticks == 0)
        .Select(async u =>
        {
            var quotes = await services[u % services.Length].GetQuotesAsync(portfolios[u]);
            Interlocked.Add(ref requests, quotes.Count);
            Interlocked.Add(ref notFresh, quotes.Values.Count(q => q.Status != MarketDataStatus.Fresh));
        });
    await Task.WhenAll(due);
    if (clock is VirtualClock virtualClock) virtualClock.Advance(step);
    else if (t + step - watch.Elapsed is { Ticks: > 0 } wait) await Task.Delay(wait); // keep to the schedule, do not drift
}
watch.Stop();

var distinct = portfolios.SelectMany(p => p).Distinct().Count();
var elapsed = realTime ? watch.Elapsed : duration;
var periods = (int)Math.Ceiling(elapsed / options.QuoteCacheDuration);
var bound = distinct * periods;
var perSymbol = upstream.CallsBySymbol.Values.ToArray();
Console.WriteLine($"""
    FinSight market data harness ({(realTime ? "real time" : "virtual time")}, ran in {watch.Elapsed.TotalSeconds:F1} s)
      instances:                         {instanceCount}{(instanceCount > 1 ? " sharing one Redis (users spread over them)" : "")}
      users {Users} x {SymbolsPerUser} symbols from a pool of {PoolSize}, refresh every {refreshEvery.TotalSeconds:F0} s for {duration.TotalMinutes:F0} min
      quote requests made by dashboards: {requests:N0} (a design without cache or coalescing calls upstream this often)
      non-fresh answers:                 {notFresh:N0}
      distinct symbols:                  {distinct}
      quote cache period:                {options.QuoteCacheDuration.TotalSeconds:F0} s ({periods} periods in the run)
      upstream calls:                    {upstream.Calls:N0} (max {perSymbol.Max()} per symbol, min {perSymbol.Min()})
      target (1 per symbol per period):  <= {bound}  {(upstream.Calls <= bound ? "MET" : "MISSED")}
    """);
if (redis is not null)
{
    await redis.DisposeAsync();
}
redisProcess?.Kill();
return upstream.Calls <= bound ? 0 : 1;

string? Argument(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

/// <summary>Stands in for a vendor: answers every symbol after a short real delay and counts calls.</summary>
sealed class CountingUpstream(TimeProvider clock) : IQuoteProvider
{
    public const string ProviderName = "Counting";
    private int _calls;

    public string Name => ProviderName;
    public int Calls => Volatile.Read(ref _calls);
    public ConcurrentDictionary<string, int> CallsBySymbol { get; } = new();

    public async Task<Quote?> GetQuoteAsync(string symbol, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        CallsBySymbol.AddOrUpdate(symbol, 1, (_, n) => n + 1);
        await Task.Delay(5, cancellationToken); // long enough for concurrent dashboards to overlap
        var now = clock.GetUtcNow();
        return new Quote { Symbol = symbol, Price = 100m, Currency = "USD", MarketTime = now, Source = Name, AsOf = now };
    }
}

/// <summary>"Now" moves only when the harness says so; the 2-minute run takes seconds.</summary>
sealed class VirtualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;
    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);
    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
