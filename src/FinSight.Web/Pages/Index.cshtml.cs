using FinSight.MarketData;
using FinSight.Web.Features.Dashboard;
using FinSight.Web.Features.Portfolios;
using FinSight.Web.Features.Settings;
using FinSight.Web.Features.Stocks;
using FinSight.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FinSight.Web.Pages;

/// <summary>The dashboard: the API's overview, positions and performance handlers, rendered.</summary>
public sealed class IndexModel(
    PortfolioStore store, PortfolioAnalytics analytics, MarketDataService marketData, SymbolDirectory directory,
    SymbolValidator symbols, UiSettings settings, UserSettingsService userSettings, TimeProvider clock) : PageModel
{
    public static readonly string[] Ranges = ["1M", "3M", "YTD", "1Y", "3Y", "5Y", "ALL"];

    public DashboardOverview Overview { get; private set; } = null!;
    public PositionsResponse Positions { get; private set; } = null!;
    public int RefreshSeconds => settings.RefreshSeconds;
    public string Benchmark => settings.Benchmark;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>What the page polls: headline figures and position rows, swapped in place by htmx.</summary>
    public async Task<IActionResult> OnGetLiveAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return Partial("_DashboardLive", this);
    }

    public async Task<IActionResult> OnGetPerformanceAsync(string? range, CancellationToken ct)
    {
        var result = (await DashboardApi.Performance(null, range ?? "1Y", settings.Benchmark, store, analytics, symbols, userSettings, ct)).Result;
        return HandlerResult.Value<PerformanceResponse>(result) is { } performance
            ? new JsonResult(performance)
            : new JsonResult(HandlerResult.Errors(result)) { StatusCode = StatusCodes.Status400BadRequest };
    }

    /// <summary>Market value by sector and by position, largest first, for the allocation charts.</summary>
    public object Allocation => new
    {
        sectors = Positions.Positions.GroupBy(p => p.Sector ?? "Other")
            .Select(g => new { label = g.Key, value = g.Sum(p => p.MarketValue) })
            .OrderByDescending(x => x.value).ToArray(),
        positions = Positions.Positions.OrderByDescending(p => p.MarketValue)
            .Select(p => new { label = p.Symbol, value = p.MarketValue }).ToArray(),
    };

    private async Task LoadAsync(CancellationToken ct)
    {
        Overview = HandlerResult.Value<DashboardOverview>((await DashboardApi.Overview(null, store, analytics, userSettings, clock, ct)).Result)
            ?? throw new InvalidOperationException("The default portfolio could not be loaded.");
        Positions = HandlerResult.Value<PositionsResponse>((await DashboardApi.Positions(null, store, analytics, marketData, directory, clock, ct)).Result)
            ?? throw new InvalidOperationException("The default portfolio could not be loaded.");
    }
}
