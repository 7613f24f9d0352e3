using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FinSight.Web.Pages;

/// <summary>The page a browser sees for any error status: what happened and where to go next.</summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int Status { get; private set; }
    public string? TraceId { get; private set; }

    public void OnGet(int? code) => Describe(code);

    // A failed POST is re-executed as a POST; it must land here too.
    public void OnPost(int? code) => Describe(code);

    private void Describe(int? code)
    {
        Status = code is >= 400 and < 600 ? code.Value : 500;
        Response.StatusCode = Status;
        TraceId = Activity.Current?.Id ?? HttpContext.TraceIdentifier;
    }

    /// <summary>HttpContext.Items key where the failed request left a (title, advice) pair that says more than its status.</summary>
    public const string ReasonItemKey = "FinSight.ErrorReason";

    public (string Title, string Advice) Text => HttpContext.Items[ReasonItemKey] is (string title, string advice) ? (title, advice) : Status switch
    {
        404 => ("Page not found", "The address may be mistyped, or the page belongs to another account. Holdings and stocks you don't own are not shown."),
        403 => ("Not allowed", "Your account cannot open this page."),
        400 => ("That request could not be read", "Go back and try again. If you submitted a form, reload it first: its security token may have expired."),
        429 => ("Too many requests", "Wait a moment, then try again."),
        >= 500 => ("Something went wrong on our side", "The error has been logged. Try again in a moment; your data has not been changed by this failed request."),
        _ => ("The request could not be completed", "Go back and try again."),
    };
}
