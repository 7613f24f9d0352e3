namespace FinSight.Web.Infrastructure;

/// <summary>
/// Security headers on every response. The UI loads only its own scripts (wwwroot/js and
/// wwwroot/lib, no inline script or event handler), so scripts are limited to 'self'; styles
/// allow inline because pages use style attributes and htmx injects its indicator style.
/// Swagger UI at /docs and ReDoc at /redoc get the same policy (their assets are served from
/// there); ReDoc runs its search in a worker it creates from a blob, hence worker-src blob: (only a
/// script already allowed can create one).
/// </summary>
public static class SecurityHeadersSetup
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; " +
        "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public const string PermissionsPolicy =
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()";

    public static IServiceCollection AddFinSightSecurityHeaders(this IServiceCollection services) =>
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = false;
        });

    public static WebApplication UseFinSightSecurityHeaders(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            // Sent on HTTPS requests only (including those a proxy forwarded as https), never for localhost.
            app.UseHsts();
        }
        app.Use((http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                headers["Permissions-Policy"] = PermissionsPolicy;
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                return Task.CompletedTask;
            });
            return next(http);
        });
        return app;
    }
}
