using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using FinSight.MarketData.FairUse;
using Microsoft.AspNetCore.Mvc;

namespace FinSight.Web.Infrastructure;

/// <summary>Settings under <c>RateLimiting</c>.</summary>
public sealed class RateLimitingOptions
{
    public const string Section = "RateLimiting";

    public bool Enabled { get; set; } = true;

    /// <summary>Requests a user (or, signed out, a client address) may make at once.</summary>
    public int BurstLimit { get; set; } = 300;

    /// <summary>Sustained requests per second per user or client address.</summary>
    public int PermitsPerSecond { get; set; } = 50;
}

/// <summary>
/// A token bucket per signed-in user (by user id; per client address when signed out) on the API's
/// data routes (the groups <see cref="ApiPolicy.MapApiGroup"/> maps). Beyond it: 429
/// ProblemDetails with <c>Retry-After</c>. Health, docs, the UI and static files are not limited.
/// </summary>
public static class RateLimitingSetup
{
    public const string PerUserPolicy = "per-user";

    public static IServiceCollection AddFinSightRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(RateLimitingOptions.Section).Get<RateLimitingOptions>() ?? new RateLimitingOptions();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(PerUserPolicy, http => options.Enabled
                ? RateLimitPartition.GetTokenBucketLimiter(CallerKey(http), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(1, options.BurstLimit),
                    TokensPerPeriod = Math.Max(1, options.PermitsPerSecond),
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                })
                : RateLimitPartition.GetNoLimiter("unlimited"));
            o.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
                var detail = $"Slow down: try again in {retryAfter} s.";
                await problems.WriteOrPlainTextAsync(http, new ProblemDetails
                {
                    Status = StatusCodes.Status429TooManyRequests,
                    Title = "Too many requests",
                    Detail = detail,
                    Type = "https://tools.ietf.org/html/rfc6585#section-4",
                }, exception: null, ct);
            };
        });
        return services;
    }

    /// <summary>
    /// Tags each request's market-data calls with its caller (<see cref="CallerKey"/>), so the
    /// vendor budget (<c>MarketData:FairUse</c>) is counted per user. After authentication.
    /// </summary>
    public static IApplicationBuilder UseFinSightFairUse(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        using (VendorCaller.Enter(new VendorCaller(CallerKey(http), VendorLane.Interactive)))
        {
            await next(http);
        }
    });

    /// <summary>Who a request counts against: <c>user:&lt;id&gt;</c> when signed in, else <c>ip:&lt;client address&gt;</c>.</summary>
    public static string CallerKey(HttpContext http)
    {
        var user = http.User.FindFirstValue("sub") ?? http.User.FindFirstValue(ClaimTypes.NameIdentifier);
        return user is not null ? "user:" + user : "ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
    }
}
