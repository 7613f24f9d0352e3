using FinSight.Domain;
using FinSight.Web.Data;
using FinSight.Web.Features.Dashboard;
using FinSight.Web.Features.Portfolios;
using FinSight.Web.Features.Stocks;
using FinSight.Web.Features.Transactions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FinSight.Web.Pages.Transactions;

/// <summary>Holdings and every transaction: add, sell, edit, delete, export. Writes go through the API's handlers.</summary>
public sealed class IndexModel(
    PortfolioStore store, PortfolioAnalytics analytics, TransactionWriter writer, SymbolDirectory directory, TimeProvider clock) : PageModel
{
    [BindProperty]
    public TransactionForm Form { get; set; } = new();

    [TempData]
    public string? Message { get; set; }

    [TempData]
    public string? Failure { get; set; }

    public IReadOnlyList<TransactionRecord> Records { get; private set; } = [];
    public PortfolioView View { get; private set; } = null!;

    public async Task OnGetAsync(string? type, string? symbol, CancellationToken ct)
    {
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
        var result = (await TransactionsApi.Create(Form.ToRequest(), writer, clock, ct)).Result;
        if (result is Created<TransactionResponse> created)
        {
            var t = created.Value!;
            Message = $"Recorded: {t.Type.ToString().ToLowerInvariant()} {t.Symbol} {UiFormatQuantity(t.Quantity)} on {t.Date:yyyy-MM-dd}.".Replace("  ", " ", StringComparison.Ordinal);
            return Redirect("/transactions");
        }
        TransactionForm.AddErrors(ModelState, nameof(Form), TransactionWrites.Errors(result));
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct)
    {
        var result = (await TransactionsApi.Delete(id, writer, ct)).Result;
        if (TransactionWrites.IsNotFound(result))
        {
            return NotFound();
        }
        if (result is ProblemHttpResult problem)
        {
            Failure = problem.ProblemDetails.Detail;
        }
        else
        {
            Message = "Transaction deleted.";
        }
        return Redirect("/transactions");
    }

    /// <summary>Suggestions for the symbol box, from the symbol directory.</summary>
    public PartialViewResult OnGetSymbols([FromQuery(Name = "Form.Symbol")] string? q) =>
        Partial("_SymbolOptions", string.IsNullOrWhiteSpace(q) || q.Length > 100 ? [] : directory.Search(q, 8));

    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct) =>
        (await CsvExport.Export(store, clock, null, ct)).Result is FileContentHttpResult file
            ? File(file.FileContents.ToArray(), file.ContentType ?? "text/csv", file.FileDownloadName)
            : NotFound();

    private async Task LoadAsync(CancellationToken ct)
    {
        var portfolio = await store.FindAsync(null, ct) ?? throw new InvalidOperationException("The default portfolio could not be loaded.");
        View = await analytics.ViewAsync(portfolio, ct);
        Records = [.. View.Facts.Records.Reverse()];
    }

    private static string UiFormatQuantity(decimal? quantity) => quantity is null ? "" : Ui.UiFormat.Quantity(quantity);

    public static string TypeBadge(TransactionType type) => type switch
    {
        TransactionType.Buy => "text-bg-primary",
        TransactionType.Sell => "text-bg-success",
        TransactionType.Dividend => "text-bg-info",
        _ => "text-bg-secondary",
    };
}
