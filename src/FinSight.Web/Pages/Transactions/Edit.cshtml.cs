using FinSight.Web.Auth;
using FinSight.Web.Data;
using FinSight.Web.Features.Transactions;
using FinSight.Web.Infrastructure;
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
        var errors = new ValidationErrors();
        if (TransactionDraft.Validate(Form.ToRequest(), clock.GetUtcNow(), errors) is not { } draft)
        {
            errors.AddTo(ModelState, nameof(Form));
            return Page();
        }
        var (updated, problem) = await writer.ReplaceAsync(id, draft, "transaction", applies: null, ct);
        if (updated is not null)
        {
            TempData["Message"] = "Transaction updated.";
            return Redirect("/transactions");
        }
        if (problem!.Status == StatusCodes.Status404NotFound)
        {
            return NotFound();
        }
        problem.AddTo(ModelState, nameof(Form));
        return Page();
    }
}
