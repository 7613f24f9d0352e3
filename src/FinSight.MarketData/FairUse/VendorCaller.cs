namespace FinSight.MarketData.FairUse;

/// <summary>Which queue a vendor call waits in.</summary>
public enum VendorLane
{
    /// <summary>A person is waiting for the answer: first in line for vendor permits.</summary>
    Interactive,
    /// <summary>Background refreshes: only take a permit that no interactive request is waiting for.</summary>
    Background,
}

/// <summary>
/// Who a market-data request is made for, carried with the request's async flow so that the
/// vendor queue and the per-user budget can tell users apart without every method taking a
/// parameter. The host sets it per HTTP request (user id, or client address when signed out) and
/// per background job. A call made without one (tools, tests of the library) is unbudgeted and
/// interactive.
/// </summary>
/// <param name="Id">A stable key for the caller, e.g. <c>user:42</c> or <c>ip:10.0.0.1</c>; budgets are counted per key.</param>
/// <param name="Lane">Where its vendor calls queue.</param>
public sealed record VendorCaller(string Id, VendorLane Lane)
{
    private static readonly AsyncLocal<VendorCaller?> Ambient = new();

    /// <summary>The caller of the current async flow, or null when none was set.</summary>
    public static VendorCaller? Current => Ambient.Value;

    /// <summary>Makes <paramref name="caller"/> current until the returned scope is disposed (the previous one is restored).</summary>
    public static IDisposable Enter(VendorCaller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var previous = Ambient.Value;
        Ambient.Value = caller;
        return new Scope(previous);
    }

    private sealed class Scope(VendorCaller? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
