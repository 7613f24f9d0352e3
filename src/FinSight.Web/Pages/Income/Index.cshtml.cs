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

    /// <summary>The portfolio's base currency: every income figure is in it (a dividend per share is in its listing's).</summary>
    public string Currency { get; private set; } = "USD";

    public async Task OnGetAsync(CancellationToken ct)
    {
        var portfolio = await DefaultPortfolioAsync(ct);
        Currency = portfolio.BaseCurrency;
        Income = await queries.IncomeAsync(portfolio, ct);
    }

    public async Task<IActionResult> OnGetDayMoveAsync(CancellationToken ct)
    {
        var portfolio = await DefaultPortfolioAsync(ct);
        return Partial("_DayMove", new DayMoveView(await queries.DayMoveAsync(portfolio, ct), portfolio.BaseCurrency));
    }

    public async Task<IActionResult> OnGetMonthlyReturnsAsync(CancellationToken ct) =>
        Partial("_MonthlyReturns", await queries.MonthlyReturnsAsync(await DefaultPortfolioAsync(ct), ct));

    /// <summary>Received by month and the forecast, for the chart.</summary>
    public object ChartData => new
    {
        received = Income.ByMonth.TakeLast(24).Select(m => new { label = m.Period, value = m.Amount }).ToArray(),
        forecast = Income.ForecastByMonth.Select(m => new { label = m.Period, value = m.Amount }).ToArray(),
        currency = Currency,
    };

    private async Task<Portfolio> DefaultPortfolioAsync(CancellationToken ct) =>
        await store.FindAsync(null, ct) ?? throw new InvalidOperationException("The default portfolio could not be loaded.");
}

/// <summary>The day-move panel's figures with the portfolio's base currency they are in.</summary>
public sealed record DayMoveView(DayMoveResponse Move, string Currency);
