using System.Diagnostics;
using Microsoft.Extensions.Logging.Console;

namespace FinSight.Web.Infrastructure;

/// <summary>
/// Structured logs: JSON lines on the console in Production (UTC timestamps, scopes included, so
/// every line written while serving a request carries its <c>RequestId</c>), one summary line per
/// request (method, path without the query string, status, duration), and an <c>X-Request-Id</c>
/// response header with the same id. Query strings, headers and bodies are never logged: they
/// may hold tokens, passwords or API keys.
/// </summary>
public static class LoggingSetup
{
    public const string RequestIdHeader = "X-Request-Id";
    private const string RequestLogCategory = "FinSight.Requests";

    public static WebApplicationBuilder AddFinSightLogging(this WebApplicationBuilder builder)
    {
        var logging = builder.Logging;
        if (builder.Environment.IsProduction() || builder.Configuration.GetValue<bool>("Logging:Json"))
        {
            logging.ClearProviders();
            logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
            });
        }
        // ASP.NET Core's own request lines ("Request starting GET http://host/path?query") carry the
        // full URL with its query string; the summary line below replaces them.
        logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        // EF never logs parameter values unless sensitive data logging is on; keep SQL out of Information too.
        logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Warning);
        return builder;
    }

    /// <summary>Adds <c>X-Request-Id</c> to every response and writes one log line per request.</summary>
    public static IApplicationBuilder UseFinSightRequestLogging(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(RequestLogCategory);
        return app.Use(async (http, next) =>
        {
            var requestId = http.TraceIdentifier;
            http.Response.OnStarting(() =>
            {
                http.Response.Headers[RequestIdHeader] = requestId;
                return Task.CompletedTask;
            });
            // A proxy's or client's own id (if it looks like an id) is kept for correlation, never trusted as ours.
            var upstream = http.Request.Headers[RequestIdHeader].ToString();
            using var scope = IsSafeId(upstream) ? logger.BeginScope(new Dictionary<string, object> { ["UpstreamRequestId"] = upstream }) : null;
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(http);
            }
            finally
            {
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                var status = http.RequestAborted.IsCancellationRequested && !http.Response.HasStarted ? 499 : http.Response.StatusCode;
                var level = status >= 500 ? LogLevel.Error : LogLevel.Information;
                logger.Log(level, "HTTP {Method} {Path} responded {StatusCode} in {ElapsedMs:0.0} ms",
                    http.Request.Method, http.Request.PathBase + http.Request.Path, status, elapsed);
            }
        });
    }

    internal static bool IsSafeId(string value) =>
        value.Length is > 0 and <= 128 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');
}
