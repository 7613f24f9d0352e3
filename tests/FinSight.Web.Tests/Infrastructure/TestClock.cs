namespace FinSight.Web.Tests.Infrastructure;

/// <summary>
/// Real time plus an offset the test can push forward, so lockouts and expiries can be crossed
/// without waiting while everything else still sees time pass normally.
/// </summary>
public sealed class TestClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow.AddTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
