using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace FinSight.Web.Infrastructure;

/// <summary>
/// Text no database column can hold is the caller's mistake, not a server error. A NUL character
/// (which PostgreSQL refuses in text, and SQLite would store) in the query string is refused
/// up front on both databases; one inside a JSON body that reaches PostgreSQL is answered 400 too.
/// (Kestrel itself refuses a NUL in the path, with an empty 400, before the app sees the request.)
/// </summary>
public static class InputSafetySetup
{
    public static IServiceCollection AddFinSightInputSafety(this IServiceCollection services) =>
        services.AddExceptionHandler<UnstorableTextExceptionHandler>();

    public static IApplicationBuilder UseFinSightInputSafety(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        var query = http.Request.QueryString.Value;
        if (query is not null && query.Contains("%00", StringComparison.Ordinal))
        {
            throw new BadHttpRequestException("The query string contains a NUL character.", StatusCodes.Status400BadRequest);
        }
        return next(http);
    });

    private sealed class UnstorableTextExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            if (!IsUnstorableText(exception))
            {
                return false;
            }
            httpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                Exception = exception,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status400BadRequest,
                    Title = "The request could not be read",
                    Detail = "The request contains characters that cannot be stored (such as NUL). Nothing was changed.",
                },
            });
        }

        private static bool IsUnstorableText(Exception exception)
        {
            for (var e = exception; e is not null; e = e.InnerException)
            {
                // 22021: character not in repertoire (NUL in UTF-8 text); 22P05: untranslatable character.
                if (e is PostgresException { SqlState: PostgresErrorCodes.CharacterNotInRepertoire or PostgresErrorCodes.UntranslatableCharacter })
                {
                    return true;
                }
            }
            return false;
        }
    }
}
