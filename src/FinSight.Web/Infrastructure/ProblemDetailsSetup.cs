using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

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
            if (context.ProblemDetails.Detail is null && context.HttpContext.Items[DetailItemKey] is string detail)
            {
                context.ProblemDetails.Detail = detail;
            }
        });
        services.AddExceptionHandler<BadRequestExceptionHandler>();
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
