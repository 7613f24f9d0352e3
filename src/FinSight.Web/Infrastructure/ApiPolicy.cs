namespace FinSight.Web.Infrastructure;

/// <summary>
/// Endpoint metadata marking the JSON API: bearer tokens only (the UI's cookie is never accepted,
/// which keeps the API out of reach of cross-site requests) and errors as problem details (never
/// the UI's HTML error pages). Set once per route group by <see cref="ApiPolicy"/>.
/// </summary>
public sealed class ApiEndpointMetadata
{
    public static readonly ApiEndpointMetadata Instance = new();
}

/// <summary>
/// The API's cross-cutting policy as endpoint metadata, attached once per route group (as in
/// TodoApi), so a new group cannot miss a rule and no URL list can drift from the routes.
/// </summary>
public static class ApiPolicy
{
    /// <summary>
    /// A group of the API's data routes under <paramref name="prefix"/>: the <see cref="WithApiPolicy"/>
    /// rules plus the per-user rate limit.
    /// </summary>
    public static RouteGroupBuilder MapApiGroup(this IEndpointRouteBuilder app, string prefix, string tag) =>
        app.MapGroup(prefix).WithTags(tag).WithApiPolicy().RequireRateLimiting(RateLimitingSetup.PerUserPolicy);

    /// <summary>Bearer tokens, the API's CORS policy and problem details, for API routes that are not rate-limited (health, the OpenAPI document).</summary>
    public static TBuilder WithApiPolicy<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(ApiEndpointMetadata.Instance).RequireCors(CorsSetup.ApiPolicy);

    /// <summary>True when the request was routed to an API endpoint; false for pages, static files and unmatched URLs.</summary>
    public static bool IsApiRequest(this HttpContext http) => http.GetEndpoint()?.Metadata.GetMetadata<ApiEndpointMetadata>() is not null;
}
