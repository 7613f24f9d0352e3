using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace FinSight.MarketData.FairUse;

/// <summary>
/// Per caller, the distinct symbols fetched from a vendor in the current window
/// (<see cref="FairUseOptions"/>). Asked only on a cache and store miss, so what is already known
/// costs nothing; a symbol counted once is free for the rest of the window. Background callers
/// and calls without a <see cref="VendorCaller"/> are not budgeted.
/// </summary>
public sealed class UpstreamBudget(IOptions<MarketDataOptions> options, TimeProvider time)
{
    // Beyond this many callers, windows that have ended are swept out (memory stays bounded by active callers).
    private const int SweepThreshold = 4_096;
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    private FairUseOptions Options => options.Value.FairUse;

    /// <summary>A readable reason for a refusal, naming the limit.</summary>
    public string RefusalReason => $"Fair use: more than {Options.SymbolsPerWindow} symbols not yet known were asked for within {Options.Window:g}; try again later.";

    /// <summary>True when the current caller may fetch <paramref name="symbol"/> from a vendor now (and counts it).</summary>
    public bool TryAdmit(string symbol)
    {
        var limit = Options.SymbolsPerWindow;
        if (limit <= 0 || VendorCaller.Current is not { Lane: VendorLane.Interactive } caller)
        {
            return true;
        }
        var now = time.GetUtcNow();
        if (_windows.Count > SweepThreshold)
        {
            foreach (var (key, ended) in _windows)
            {
                if (ended.EndsAt <= now)
                {
                    _windows.TryRemove(new KeyValuePair<string, Window>(key, ended));
                }
            }
        }
        var window = _windows.AddOrUpdate(caller.Id,
            _ => new Window(now + Options.Window),
            (_, existing) => existing.EndsAt <= now ? new Window(now + Options.Window) : existing);
        lock (window.Symbols)
        {
            return window.Symbols.Contains(symbol) || (window.Symbols.Count < limit && window.Symbols.Add(symbol));
        }
    }

    private sealed record Window(DateTimeOffset EndsAt)
    {
        public HashSet<string> Symbols { get; } = new(StringComparer.Ordinal);
    }
}
