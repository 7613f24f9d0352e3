namespace FinSight.Web.Infrastructure;

public readonly record struct Paging(int Limit, int Offset)
{
    public static Paging Validate(int? limit, int? offset, int maxLimit, ValidationErrors errors, int defaultLimit = 100)
    {
        var l = limit ?? Math.Min(defaultLimit, maxLimit);
        var o = offset ?? 0;
        if (l < 1 || l > maxLimit)
        {
            errors.Add("limit", $"Must be between 1 and {maxLimit}.");
        }
        if (o < 0)
        {
            errors.Add("offset", "Must be 0 or more.");
        }
        return new Paging(l, o);
    }
}
