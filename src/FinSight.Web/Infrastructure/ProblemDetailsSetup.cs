using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace FinSight.Web.Infrastructure;

/// <summary>
/// Every error leaves as RFC 9457 ProblemDetails: validation results, unmatched routes and
/// auth challenges (through status code pages), unreadable bodies, and unexpected exceptions.
/// </summary>
public static class ProblemDetailsSetup
{
    /// <summary>HttpContext.Items key an endpoint may set to give a bare status code a detail.</summary>
    public const string DetailItemKey = "FinSight.ProblemDetail";

    public static IServiceCollection AddFinSightProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            context.ProblemDetails.Extensions["trace_id"] = Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
            context.ProblemDetails.Extensions["request_id"] = context.HttpContext.TraceIdentifier; // = X-Request-Id and the logs' RequestId
            if (context.ProblemDetails.Detail is null && context.HttpContext.Items[DetailItemKey] is string detail)
            {
                context.ProblemDetails.Detail = detail;
            }
        });
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddExceptionHandler<DatabaseUnavailableExceptionHandler>();
        services.AddExceptionHandler<ContentionExceptionHandler>();
        services.AddExceptionHandler<MissingExchangeRateExceptionHandler>();
        // Minimal APIs then throw on unreadable bodies instead of answering an empty 400,
        // so the handler below can say what was wrong with the request.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    /// <summary>Turns malformed JSON, wrong types and oversized bodies into 4xx ProblemDetails.</summary>
    private sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is not BadHttpRequestException bad)
            {
                return false;
            }
            httpContext.Response.StatusCode = bad.StatusCode;
            var problem = new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = bad.StatusCode switch
                {
                    StatusCodes.Status413PayloadTooLarge => "The request body is too large",
                    StatusCodes.Status415UnsupportedMediaType => "Unsupported content type",
                    _ => "The request could not be read",
                },
                Detail = Describe(bad),
            };
            return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
        }

        private static string Describe(BadHttpRequestException bad) => bad.InnerException switch
        {
            // The JSON path is what a caller needs to fix the body; the converter's own message names CLR types.
            JsonException json when json.Message.Contains("could not be converted", StringComparison.Ordinal) =>
                $"The value at '{json.Path ?? "$"}' has the wrong type.",
            JsonException json => $"The JSON body is malformed: {json.Message}",
            _ when bad.StatusCode == StatusCodes.Status413PayloadTooLarge => $"Request bodies are limited to {RequestLimits.MaxBodyBytes / 1024} KiB.",
            _ => bad.Message,
        };
    }
}

/// <summary>
/// Figures in the base currency need a rate no source could give (offline, or a currency no vendor
/// has): an outage, not a bug, so 503 with Retry-After and never a figure computed with a guessed rate.
/// </summary>
internal sealed class MissingExchangeRateExceptionHandler(IProblemDetailsService problems, ILogger<MissingExchangeRateExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is Domain.MissingExchangeRateException missingRate)
        {
            logger.LogWarning("{Method} {Path}: {Error}", httpContext.Request.Method, httpContext.Request.Path, exception.Message);
            httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            httpContext.Response.Headers.RetryAfter = "60";
            await problems.WriteOrPlainTextAsync(httpContext, new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Exchange rates unavailable",
                Detail = $"{exception.Message} No market data source could provide it, and none is stored; figures in {missingRate.BaseCurrency} cannot be computed yet.",
                Type = "https://tools.ietf.org/html/rfc9110#section-15.6.4",
                Extensions = { ["code"] = "exchange_rate_unavailable" },
            }, exception, cancellationToken);
            return true;
        }
        return false;
    }
}

/// <summary>
/// Too many concurrent writes to one portfolio (<see cref="Features.Portfolios.PortfolioBusyException"/>,
/// after its retries with jitter): nothing was written and sending the request again will do, so
/// 503 with Retry-After rather than a server error.
/// </summary>
internal sealed class ContentionExceptionHandler(IProblemDetailsService problems, ILogger<ContentionExceptionHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 1;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not Features.Portfolios.PortfolioBusyException)
        {
            return false;
        }
        logger.LogInformation("{Method} {Path}: {Error}", httpContext.Request.Method, httpContext.Request.Path, exception.Message);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "The portfolio is busy",
            Detail = "Other changes to this portfolio were being saved at the same moment. Nothing was changed by this request; send it again.",
            Type = "https://tools.ietf.org/html/rfc9110#section-15.6.4",
            Extensions = { ["code"] = "portfolio_busy" },
        };
        await problems.WriteOrPlainTextAsync(httpContext, problem, exception, cancellationToken);
        return true;
    }
}

/// <summary>
/// A database that cannot be reached (PostgreSQL stopped, restarting or out of connections; SQLite
/// locked past its timeout) is an outage, not a bug: 503 with Retry-After, so clients and load
/// balancers retry instead of reporting a server error. The app recovers by itself once the
/// database answers again, because each request opens its own connection.
/// </summary>
internal sealed class DatabaseUnavailableExceptionHandler(IProblemDetailsService problems, ILogger<DatabaseUnavailableExceptionHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsDatabaseUnavailable(exception))
        {
            return false;
        }
        logger.LogWarning("Database unavailable for {Method} {Path}: {Error}", httpContext.Request.Method, httpContext.Request.Path, Innermost(exception).Message);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "The database is unavailable",
            Detail = "FinSight cannot reach its database right now. Nothing was changed by this request unless it said so; try again shortly.",
            Type = "https://tools.ietf.org/html/rfc9110#section-15.6.4",
        };
        await problems.WriteOrPlainTextAsync(httpContext, problem, exception, cancellationToken);
        return true;
    }

    /// <summary>Connection-level failures anywhere in the chain (EF wraps provider exceptions).</summary>
    internal static bool IsDatabaseUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // 08: connection exception; 57P01-03: admin/crash shutdown, cannot connect now; 53300: too many connections.
                case PostgresException postgres:
                    return postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                           || postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
                               or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections;
                // Not a server error: the socket failed, the server went away or the pool timed out.
                case NpgsqlException npgsql when npgsql.IsTransient:
                    return true;
                // SQLITE_BUSY / SQLITE_LOCKED beyond the command timeout.
                case SqliteException sqlite when sqlite.SqliteErrorCode is 5 or 6:
                    return true;
            }
        }
        return false;
    }

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is not null)
        {
            exception = exception.InnerException;
        }
        return exception;
    }
}

public static class RequestLimits
{
    /// <summary>Largest request body the API reads (1 MiB); a larger one is refused with 413.</summary>
    public const long MaxBodyBytes = 1024 * 1024;

    /// <summary>
    /// Refuses declared-oversized bodies before any endpoint reads them. Kestrel enforces the
    /// same limit on bodies without a Content-Length as they stream in.
    /// </summary>
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
        }
        await next(context);
    });
}

internal static class ProblemDetailsServiceExtensions
{
    /// <summary>
    /// Writes <paramref name="problem"/> as problem details, or, for a client that accepts no JSON (a
    /// browser asking for HTML), as one line of plain text, so that the status and headers already set
    /// (429, 503, Retry-After) reach every client and no exception is thrown per request.
    /// </summary>
    public static async Task WriteOrPlainTextAsync(this IProblemDetailsService problems, HttpContext httpContext, ProblemDetails problem, Exception? exception, CancellationToken cancellationToken)
    {
        if (!await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception }))
        {
            httpContext.Response.ContentType = "text/plain; charset=utf-8";
            await httpContext.Response.WriteAsync($"{problem.Title}. {problem.Detail}", cancellationToken);
        }
    }
}
