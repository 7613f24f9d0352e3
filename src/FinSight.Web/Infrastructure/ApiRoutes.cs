namespace FinSight.Web.Infrastructure;

/// <summary>
/// Which URLs belong to the JSON API rather than the web UI. One definition, so authentication
/// (bearer tokens only, never the UI cookie), CORS and rate limits agree; a new API route group
/// needs its prefix added here.
/// </summary>
public static class ApiRoutes
{
    /// <summary>The routes that serve users' data; these are rate-limited.</summary>
    private static readonly string[] DataPrefixes = ["/api", "/users", "/holdings", "/stocks"];

    /// <summary>Everything that is not the web UI: the data routes plus health checks and the API documentation.</summary>
    private static readonly string[] ApiPrefixes = [.. DataPrefixes, "/health", "/docs", "/openapi"];

    public static bool IsData(PathString path) => StartsWithAny(path, DataPrefixes);

    public static bool IsApi(PathString path) => StartsWithAny(path, ApiPrefixes);

    private static bool StartsWithAny(PathString path, string[] prefixes) =>
        prefixes.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));
}
