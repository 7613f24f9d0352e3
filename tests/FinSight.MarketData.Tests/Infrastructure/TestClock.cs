using System.Globalization;

namespace FinSight.MarketData.Tests.Infrastructure;

/// <summary>
/// A clock tests move by hand. Only "now" is virtual: timers stay real, so retry delays and
/// timeouts still elapse, while cache expiry and breaker break durations follow the manual clock.
/// </summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public static TestClock At(string isoUtc) => new(DateTimeOffset.Parse(isoUtc, CultureInfo.InvariantCulture));

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
