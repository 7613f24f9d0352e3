using FinSight.Web.Auth;
using FinSight.Web.Data;
using FinSight.Web.Features.Transactions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace FinSight.Web.Pages.Transactions;

/// <summary>Edits one transaction; another user's id is simply not found.</summary>
public sealed class EditModel(TransactionWriter writer, FinSightDbContext db, CurrentUser user, TimeProvider clock) : PageModel
{
    [BindProperty]
    public TransactionForm Form { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var userId = user.Id;
        var record = await db.Transactions.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id && t.UserId == userId, ct);
        if (record is null)
        {
            return NotFound();
        }
        Form = TransactionForm.From(record);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var result = (await TransactionsApi.Update(id, Form.ToRequest(), writer, clock, ct)).Result;
        if (result is Ok<TransactionResponse>)
        {
            TempData["Message"] = "Transaction updated.";
            return Redirect("/transactions");
        }
        if (TransactionWrites.IsNotFound(result))
        {
            return NotFound();
        }
        TransactionForm.AddErrors(ModelState, nameof(Form), TransactionWrites.Errors(result));
        return Page();
    }
}
