using System.Globalization;
using FinSight.Domain;
using FinSight.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace FinSight.Web.Features.Portfolios;

/// <summary>Why a request was refused, convertible to a ProblemDetails response or to a page's form error.</summary>
public sealed record WriteProblem(int Status, string Title, string Detail, IDictionary<string, object?> Extensions)
{
    /// <summary>The request field at fault, by its JSON name (<c>symbol</c>), when one is; null when it is the request as a whole.</summary>
    public string? Field { get; init; }

    public static WriteProblem NotFound(string what) =>
        new(StatusCodes.Status404NotFound, $"No such {what}", $"There is no {what} with this id in your account.", new Dictionary<string, object?>());

    /// <summary>
    /// The history would no longer replay. When the transaction at fault is the one being written
    /// (a sell of more than is held) that is 422; when the change breaks another transaction (an
    /// edited or deleted buy that a later sell depends on) it is 409.
    /// </summary>
    public static WriteProblem Inconsistent(PortfolioException error, IReadOnlySet<Guid> changed)
    {
        var atFault = Guid.TryParse(error.TransactionId, out var id) ? id : (Guid?)null;
        var ownFault = atFault is null || changed.Contains(atFault.Value);
        var extensions = new Dictionary<string, object?>
        {
            ["code"] = error is InsufficientQuantityException ? "insufficient_quantity" : "inconsistent_history",
            ["date"] = error.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["transaction_id"] = atFault,
        };
        if (error is InsufficientQuantityException q)
        {
            extensions["symbol"] = q.Symbol;
            extensions["quantity_held"] = q.QuantityHeld;
            extensions["quantity_requested"] = q.QuantityRequested;
        }
        var field = error is InsufficientQuantityException ? "quantity" : null;
        return ownFault
            ? new(StatusCodes.Status422UnprocessableEntity, "The transaction does not fit the portfolio's history", error.Message, extensions) { Field = field }
            : new(StatusCodes.Status409Conflict, "Another transaction depends on this one",
                $"This change would break a later transaction: {error.Message}", extensions) { Field = field };
    }

    public ProblemHttpResult ToResult() => TypedResults.Problem(statusCode: Status, title: Title, detail: Detail, extensions: Extensions);

    /// <summary>Shows the problem on a page: next to the <see cref="Field"/>'s input under <paramref name="prefix"/>, else for the whole form.</summary>
    public void AddTo(ModelStateDictionary state, string prefix = "") => state.AddModelError(ValidationErrors.PropertyPath(prefix, Field), Detail);
}
