using FinSight.Domain;
using FinSight.Web.Data;
using FinSight.Web.Features.Dashboard;
using FinSight.Web.Features.Portfolios;
using FinSight.Web.Features.Stocks;
using FinSight.Web.Features.Transactions;
using FinSight.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FinSight.Web.Pages.Transactions;

/// <summary>Holdings and every transaction: add, sell, edit, delete, export. Writes go through <see cref="TransactionWriter"/>, as the API's do.</summary>
public sealed class IndexModel(
    PortfolioStore store, PortfolioAnalytics analytics, TransactionWriter writer, ListingSearch search, TimeProvider clock) : PageModel
{
    [BindProperty]
    public TransactionForm Form { get; set; } = new();

    /// <summary>
    /// The last write's outcome, shown once by the next plain GET of the page. Read from TempData in
    /// <c>OnGetAsync</c> only, not bound with [TempData]: that loads (and so spends) it in every handler
    /// of the page, and an htmx lookup of this page sent while the browser follows the write's
    /// redirect took the message before the page could show it.
    /// </summary>
    public string? Message { get; private set; }

    /// <summary>The last write's failure, shown once like <see cref="Message"/>.</summary>
    public string? Failure { get; private set; }

    public IReadOnlyList<TransactionRecord> Records { get; private set; } = [];
    public PortfolioView View { get; private set; } = null!;

    public async Task OnGetAsync(string? type, string? symbol, CancellationToken ct)
    {
        (Message, Failure) = (TempData[nameof(Message)] as string, TempData[nameof(Failure)] as string);
        Form = new TransactionForm
        {
            Type = type is not null && TransactionForm.Types.Contains(type) ? type : "buy",
            Symbol = symbol?.ToUpperInvariant(),
            Date = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime),
        };
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAddAsync(CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (TransactionDraft.Validate(Form.ToRequest(), clock.GetUtcNow(), errors) is not { } draft)
        {
            errors.AddTo(ModelState, nameof(Form));
            await LoadAsync(ct);
            return Page();
        }
        var (created, problem) = await writer.AddAsync(null, draft, ct);
        if (created is null)
        {
            problem!.AddTo(ModelState, nameof(Form));
            await LoadAsync(ct);
            return Page();
        }
        TempData[nameof(Message)] = $"Recorded: {created.Type.ToString().ToLowerInvariant()} {created.Symbol} {UiFormatQuantity(created.Quantity)} on {created.Date:yyyy-MM-dd}.".Replace("  ", " ", StringComparison.Ordinal);
        return Redirect("/transactions");
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct)
    {
        var problem = await writer.DeleteAsync(id, "transaction", applies: null, ct);
        if (problem is { Status: StatusCodes.Status404NotFound })
        {
            return NotFound();
        }
        if (problem is not null)
        {
            TempData[nameof(Failure)] = problem.Detail;
        }
        else
        {
            TempData[nameof(Message)] = "Transaction deleted.";
        }
        return Redirect("/transactions");
    }

    /// <summary>Suggestions for the symbol box, from the symbol directory and the provider's search (<see cref="ListingSearch"/>).</summary>
    public async Task<PartialViewResult> OnGetSymbolsAsync([FromQuery(Name = "Form.Symbol")] string? q, CancellationToken ct) =>
        Partial("_SymbolOptions", string.IsNullOrWhiteSpace(q) || q.Length > 100 ? [] : await search.SearchAsync(q, 8, ct));

    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        var file = await CsvExport.ExportAsync(store, await DefaultPortfolioAsync(ct), clock, ct);
        return File(file.Content, file.ContentType, file.FileName);
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        View = await analytics.ViewAsync(await DefaultPortfolioAsync(ct), ct);
        Records = [.. View.Facts.Records.Reverse()];
    }

    private async Task<Portfolio> DefaultPortfolioAsync(CancellationToken ct) =>
        await store.FindAsync(null, ct) ?? throw new InvalidOperationException("The default portfolio could not be loaded.");

    private static string UiFormatQuantity(decimal? quantity) => quantity is null ? "" : Ui.UiFormat.Quantity(quantity);

    public static string TypeBadge(TransactionType type) => type switch
    {
        TransactionType.Buy => "text-bg-primary",
        TransactionType.Sell => "text-bg-success",
        TransactionType.Dividend => "text-bg-info",
        _ => "text-bg-secondary",
    };
}
