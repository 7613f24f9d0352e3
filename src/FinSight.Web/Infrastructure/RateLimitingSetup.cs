using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using FinSight.MarketData.Caching;
using FinSight.MarketData.FairUse;
using RedisRateLimiting;
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
/// A token bucket per signed-in user (in Redis when it is configured, so the limit holds across instances) (by user id; per client address when signed out) on the API's
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
            o.AddPolicy(PerUserPolicy, http =>
            {
                if (!options.Enabled)
                {
                    return RateLimitPartition.GetNoLimiter("unlimited");
                }
                var local = new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(1, options.BurstLimit),
                    TokensPerPeriod = Math.Max(1, options.PermitsPerSecond),
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                };
                if (http.RequestServices.GetService<SharedRedis>() is not { } redis)
                {
                    return RateLimitPartition.GetTokenBucketLimiter(CallerKey(http), _ => local);
                }
                // One bucket per caller in Redis, shared by every instance; this instance's own while Redis is away.
                return RateLimitPartition.Get(redis.KeyPrefix + "rate:" + CallerKey(http), key => new SharedOrLocalLimiter(
                    redis,
                    () =>
                    {
                        var shared = RedisRateLimitPartition.GetTokenBucketRateLimiter(key, _ => new RedisTokenBucketRateLimiterOptions
                        {
                            TokenLimit = local.TokenLimit,
                            TokensPerPeriod = local.TokensPerPeriod,
                            ReplenishmentPeriod = local.ReplenishmentPeriod,
                            ConnectionMultiplexerFactory = () => redis.ConnectAsync().GetAwaiter().GetResult(),
                        });
                        return shared.Factory(shared.PartitionKey);
                    },
                    new TokenBucketRateLimiter(local)));
            });
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

/// <summary>
/// The Redis bucket while Redis answers, else this instance's own bucket (so an outage never turns
/// the limit into errors, nor switches it off).
/// </summary>
internal sealed class SharedOrLocalLimiter(SharedRedis redis, Func<RateLimiter> createShared, RateLimiter local) : RateLimiter
{
    private RateLimiter? _shared;

    public override TimeSpan? IdleDuration => local.IdleDuration;

    public override RateLimiterStatistics? GetStatistics() => local.GetStatistics();

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        if (redis.IsConnected)
        {
            try
            {
                return Shared.AttemptAcquire(permitCount);
            }
            catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
            {
                // Fall through to the local bucket.
            }
        }
        return local.AttemptAcquire(permitCount);
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        if (redis.IsConnected)
        {
            try
            {
                return await Shared.AcquireAsync(permitCount, cancellationToken);
            }
            catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
            {
                // Fall through to the local bucket.
            }
        }
        return await local.AcquireAsync(permitCount, cancellationToken);
    }

    private RateLimiter Shared => LazyInitializer.EnsureInitialized(ref _shared, createShared);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _shared?.Dispose();
            local.Dispose();
        }
        base.Dispose(disposing);
    }
}
