using FinSight.MarketData;
using FinSight.Web.Features.Dashboard;
using FinSight.Web.Features.Settings;
using Microsoft.Extensions.Options;

namespace FinSight.Web.Ui;

/// <summary>The signed-in user's display choices, with the instance defaults where they chose nothing.</summary>
public sealed class UiSettings(IOptions<UiOptions> ui, IOptions<AnalyticsOptions> analytics, IOptions<MarketDataOptions> marketData)
{
    public const string ThemeAuto = "auto";

    public string Theme { get; private set; } = ThemeAuto;
    public int RefreshSeconds { get; private set; } = Math.Max(1, ui.Value.RefreshSeconds);
    public string Benchmark { get; private set; } = analytics.Value.Benchmark;
    public double RiskFreeRate { get; private set; } = analytics.Value.RiskFreeRate;

    /// <summary>Takes the signed-in user's choices (done for every page by a filter before its handler runs).</summary>
    public void Apply(EffectiveSettings settings)
    {
        Theme = settings.Theme;
        RefreshSeconds = settings.RefreshSeconds;
        Benchmark = settings.Benchmark;
        RiskFreeRate = settings.RiskFreeRate;
    }

    /// <summary>True when the instance runs on the simulated market only: every price shown is made up.</summary>
    public bool SimulatedOnly =>
        marketData.Value.Providers.All(p => string.Equals(p, "Simulated", StringComparison.OrdinalIgnoreCase));
}
