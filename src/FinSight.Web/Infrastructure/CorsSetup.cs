using Microsoft.AspNetCore.Cors.Infrastructure;

namespace FinSight.Web.Infrastructure;

/// <summary>
/// CORS is closed unless <c>Cors:AllowedOrigins</c> lists origins (e.g. a separate front end at
/// https://app.example.com). It applies to the API routes only; the cookie-signed-in UI is never
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
        app.UseWhen(http => ApiRoutes.IsApi(http.Request.Path), branch => branch.UseCors(ApiPolicy));
        return app;
    }
}
