using Microsoft.AspNetCore.Http.HttpResults;

namespace FinSight.Web.Pages.Transactions;

/// <summary>Turns a refused write (unknown symbol, selling more than held, a later sell depending on it) into form errors.</summary>
internal static class TransactionWrites
{
    public static IReadOnlyDictionary<string, string[]> Errors(IResult result)
    {
        if (result is ProblemHttpResult { ProblemDetails: var p })
        {
            p.Extensions.TryGetValue("code", out var code);
            var field = code switch { "unknown_symbol" => "symbol", "insufficient_quantity" => "quantity", _ => "" };
            return new Dictionary<string, string[]> { [field] = [p.Detail ?? p.Title ?? "The change was refused."] };
        }
        return Ui.HandlerResult.Errors(result);
    }

    public static bool IsNotFound(IResult result) => result is ProblemHttpResult { StatusCode: StatusCodes.Status404NotFound };

}
