using FinSight.Domain;
using FinSight.Web.Data;
using FinSight.Web.Features.Dashboard;
using FinSight.Web.Features.Portfolios;
using FinSight.Web.Features.Settings;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace FinSight.Web.Pages;

/// <summary>
/// The dashboard: the default portfolio's overview, positions and performance. A render (and
/// each live poll) looks the portfolio up once and values it once, for both the headline and
/// the positions.
/// </summary>
public sealed class IndexModel(
    PortfolioStore store, DashboardQueries queries, UserSettingsService userSettings, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : PageModel
{
    public static readonly IReadOnlyList<string> Ranges = [.. PerformanceRanges.AllRanges.Select(r => r.ToCode())];

    public DashboardOverview Overview { get; private set; } = null!;
    public PositionsResponse Positions { get; private set; } = null!;
    public EffectiveSettings Settings { get; private set; } = null!;

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

    /// <summary>
    /// The chart's data for a range, against the user's benchmark (checked when it was saved): the body of
    /// <c>/api/dashboard/performance</c>, in the same envelope and spelling, for the signed-in page (the API wants a token).
    /// </summary>
    public async Task<IActionResult> OnGetPerformanceAsync(string? range, CancellationToken ct)
    {
        if (!PerformanceRanges.TryParse(range ?? "1Y", out var wanted))
        {
            return new JsonResult(new Dictionary<string, string[]> { ["range"] = ["Must be one of 1D, MTD, 1M, 3M, YTD, 1Y, 3Y, 5Y, ALL."] })
            {
                StatusCode = StatusCodes.Status400BadRequest,
            };
        }
        var settings = await userSettings.CurrentAsync(ct);
        var performance = await queries.PerformanceAsync(await DefaultPortfolioAsync(ct), wanted, settings.Benchmark, settings.RiskFreeRate, ct);
        return new JsonResult(new Success<PerformanceResponse>(performance), json.Value.SerializerOptions);
    }

    /// <summary>Market value by sector and by position, largest first, for the allocation charts.</summary>
    public object Allocation => new
    {
        sectors = Positions.Positions.GroupBy(p => p.Sector ?? "Other")
            .Select(g => new { label = g.Key, value = g.Sum(p => p.MarketValue) })
            .OrderByDescending(x => x.value).ToArray(),
        positions = Positions.Positions.OrderByDescending(p => p.MarketValue)
            .Select(p => new { label = p.Symbol, value = p.MarketValue }).ToArray(),
        currency = Positions.Currency,
    };

    /// <summary>One allocation slice: a sector or a symbol and its share of the market value, in percent.</summary>
    public sealed record AllocationSlice(string Label, decimal Value, decimal Percent);

    /// <summary>The allocation by sector or by position, largest first, with each slice's share in percent.</summary>
    public IReadOnlyList<AllocationSlice> AllocationSlices(bool bySector)
    {
        var total = Positions.Positions.Sum(p => p.MarketValue);
        var groups = bySector
            ? Positions.Positions.GroupBy(p => p.Sector ?? "Other").Select(g => (Label: g.Key, Value: g.Sum(p => p.MarketValue)))
            : Positions.Positions.Select(p => (Label: p.Symbol, Value: p.MarketValue));
        return [.. groups.OrderByDescending(x => x.Value).Select(x => new AllocationSlice(x.Label, x.Value, total == 0 ? 0 : Math.Round(x.Value / total * 100, 2)))];
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Settings = await userSettings.CurrentAsync(ct);
        var view = await queries.ValueAsync(await DefaultPortfolioAsync(ct), ct);
        Overview = await queries.OverviewAsync(view, Settings, ct);
        Positions = await queries.PositionsAsync(view, ct);
    }

    private async Task<Portfolio> DefaultPortfolioAsync(CancellationToken ct) =>
        await store.FindAsync(null, ct) ?? throw new InvalidOperationException("The default portfolio could not be loaded.");
}
