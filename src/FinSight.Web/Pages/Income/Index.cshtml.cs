using FinSight.Web.Data;
using FinSight.Web.Features.Insights;
using FinSight.Web.Features.Portfolios;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FinSight.Web.Pages.Income;

/// <summary>
/// Dividend income of the default portfolio, and the dashboard's "why it moved today" and monthly
/// returns panels (loaded after the dashboard, so they never slow it down).
/// </summary>
public sealed class IndexModel(PortfolioStore store, InsightsQueries queries) : PageModel
{
    public IncomeResponse Income { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => Income = await queries.IncomeAsync(await DefaultPortfolioAsync(ct), ct);

    public async Task<IActionResult> OnGetDayMoveAsync(CancellationToken ct) =>
        Partial("_DayMove", await queries.DayMoveAsync(await DefaultPortfolioAsync(ct), ct));

    public async Task<IActionResult> OnGetMonthlyReturnsAsync(CancellationToken ct) =>
        Partial("_MonthlyReturns", await queries.MonthlyReturnsAsync(await DefaultPortfolioAsync(ct), ct));

    /// <summary>Received by month and the forecast, for the chart.</summary>
    public object ChartData => new
    {
        received = Income.ByMonth.TakeLast(24).Select(m => new { label = m.Period, value = m.Amount }).ToArray(),
        forecast = Income.ForecastByMonth.Select(m => new { label = m.Period, value = m.Amount }).ToArray(),
    };

    private async Task<Portfolio> DefaultPortfolioAsync(CancellationToken ct) =>
        await store.FindAsync(null, ct) ?? throw new InvalidOperationException("The default portfolio could not be loaded.");
}
