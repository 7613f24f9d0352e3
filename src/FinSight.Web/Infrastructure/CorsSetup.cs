namespace FinSight.Web.Infrastructure;

/// <summary>
/// CORS is closed unless <c>Cors:AllowedOrigins</c> lists origins (e.g. a separate front end at
/// https://app.example.com). It applies to the API's endpoints only (their metadata names the
/// policy); the cookie-signed-in UI is never
/// opened to other origins, and credentials (cookies) are never allowed cross-origin: the API
/// takes bearer tokens.
/// </summary>
public static class CorsSetup
{
    public const string ApiPolicy = "FinSight.Api";

    public static IServiceCollection AddFinSightCors(this IServiceCollection services, IConfiguration configuration)
    {
        var origins = (configuration.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? [])
            .Select(o => o.Trim().TrimEnd('/')).Where(o => o.Length > 0).ToArray();
        services.AddCors(o => o.AddPolicy(ApiPolicy, policy =>
        {
            if (origins.Length == 0)
            {
                return; // no origin matches an empty policy: closed
            }
            policy.WithOrigins(origins)
                .WithMethods("GET", "POST", "PUT", "DELETE")
                .WithHeaders("Authorization", "Content-Type", LoggingSetup.RequestIdHeader)
                .WithExposedHeaders(LoggingSetup.RequestIdHeader, "Retry-After", "Content-Disposition", "Location")
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10));
        }));
        return services;
    }

    public static WebApplication UseFinSightCors(this WebApplication app)
    {
        // No default policy: only endpoints that require the API's policy (ApiPolicy.WithApiPolicy) answer cross-origin requests.
        app.UseCors();
        return app;
    }
}
