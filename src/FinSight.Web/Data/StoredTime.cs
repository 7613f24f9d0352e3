namespace FinSight.Web.Data;

public static class StoredTime
{
    /// <summary>
    /// Now, truncated to the microsecond precision both databases keep, so a value returned
    /// when a row is written equals the value read back later.
    /// </summary>
    public static DateTimeOffset StoredUtcNow(this TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        return now.AddTicks(-(now.UtcTicks % 10));
    }
}
