using FinSight.Web.Features.Portfolios;
using FinSight.Web.Features.Transactions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FinSight.Web.Pages.Transactions;

/// <summary>
/// CSV import in two steps: a dry run shows every row and every problem by line; only a clean
/// file can then be imported, all or nothing, by the same <see cref="CsvImporter"/> as the API's route.
/// </summary>
public sealed class ImportModel(PortfolioStore store, CsvImporter importer) : PageModel
{
    private const int MaxBytes = 1024 * 1024;

    /// <summary>The file's text, carried from the preview to the import so the user does not pick it again.</summary>
    [BindProperty]
    public string? Csv { get; set; }

    public string? FileName { get; private set; }
    public CsvImportResult? Result { get; private set; }
    public IReadOnlyList<CsvRowError> Errors { get; private set; } = [];
    public string? Problem { get; private set; }
    public IReadOnlyList<string> Lines { get; private set; } = [];

    /// <summary>The portfolio's base currency: a figure in another currency says its code.</summary>
    public string BaseCurrency { get; private set; } = "USD";

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostPreviewAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            ModelState.AddModelError("file", "Choose a CSV file first.");
            return Page();
        }
        if (file.Length > MaxBytes)
        {
            ModelState.AddModelError("file", "The file is larger than 1 MiB.");
            return Page();
        }
        using var reader = new StreamReader(file.OpenReadStream());
        Csv = await reader.ReadToEndAsync(ct);
        FileName = file.FileName;
        await RunAsync(dryRun: true, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostImportAsync(CancellationToken ct)
    {
        if (string.IsNullOrEmpty(Csv))
        {
            return RedirectToPage();
        }
        await RunAsync(dryRun: false, ct);
        if (Result is { Imported: var n })
        {
            TempData["Message"] = $"Imported {n} transaction{(n == 1 ? "" : "s")}.";
            return Redirect("/transactions");
        }
        return Page();
    }

    private async Task RunAsync(bool dryRun, CancellationToken ct)
    {
        var portfolio = await store.FindAsync(null, ct) ?? throw new InvalidOperationException("The default portfolio could not be loaded.");
        BaseCurrency = portfolio.BaseCurrency;
        (Result, var problem) = await importer.ImportAsync(Csv!, portfolio, dryRun, CsvFormat.Auto, null, ct);
        Lines = Csv!.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        if (problem is not null)
        {
            Problem = problem.Detail;
            Errors = problem.Extensions.TryGetValue("errors", out var e) && e is IReadOnlyList<CsvRowError> list ? list : [];
            if (Errors.Count == 0 && problem.Extensions.TryGetValue("line", out var line) && line is int at)
            {
                Errors = [new CsvRowError(at, null, problem.Detail)];
            }
        }
    }
}
