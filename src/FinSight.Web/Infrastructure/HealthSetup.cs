using System.Text.Json;
using FinSight.MarketData.Caching;
using FinSight.Web.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FinSight.Web.Infrastructure;

/// <summary><c>/health</c>: the process answers. <c>/health/ready</c>: the database answers too (and, on SQLite, passes <c>PRAGMA quick_check</c>); with Redis configured, Redis unreachable is <c>Degraded</c> (still 200).</summary>
public static class HealthSetup
{
    private const string Ready = "ready";

    public static IServiceCollection AddFinSightHealth(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SqliteIntegrityOptions>(configuration.GetSection("Database"));
        services.AddSingleton<SqliteIntegrity>();
        var checks = services.AddHealthChecks().AddDbContextCheck<FinSightDbContext>("database", tags: [Ready]);
        checks.Add(new HealthCheckRegistration("database_integrity",
            sp => sp.GetRequiredService<ResolvedDatabase>().Provider == DatabaseProvider.Sqlite ? sp.GetRequiredService<SqliteIntegrity>() : new AlwaysHealthy(),
            HealthStatus.Unhealthy, [Ready]));
        if (!string.IsNullOrWhiteSpace(configuration.GetConnectionString(SharedRedis.ConnectionStringName)))
        {
            // Without Redis an instance still serves (its own caches and limits): degraded, not failed.
            checks.Add(new HealthCheckRegistration("redis", sp => new RedisCheck(sp.GetRequiredService<SharedRedis>()), HealthStatus.Degraded, [Ready]));
        }
        return services;
    }

    private sealed class RedisCheck(SharedRedis redis) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            if (!redis.IsConnected)
            {
                return HealthCheckResult.Degraded("Redis is unreachable: serving from this instance's own caches and limits.");
            }
            try
            {
                await (await redis.ConnectAsync()).GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
            {
                return HealthCheckResult.Degraded("Redis does not answer: serving from this instance's own caches and limits.");
            }
        }
    }

    private sealed class AlwaysHealthy : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(HealthCheckResult.Healthy("not SQLite"));
    }

    public static WebApplication MapFinSightHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .WithTags("Health").WithSummary("Liveness: the process is up").AllowAnonymous().WithApiPolicy();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = WriteAsync })
            .WithTags("Health").WithSummary("Readiness: the database is reachable").AllowAnonymous().WithApiPolicy();
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            duration_ms = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
    }
}
