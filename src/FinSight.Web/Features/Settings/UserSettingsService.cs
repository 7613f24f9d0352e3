using FinSight.Web.Auth;
using FinSight.Web.Data;
using FinSight.Web.Features.Dashboard;
using FinSight.Web.Ui;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FinSight.Web.Features.Settings;

/// <summary>A user's settings with the instance defaults filled in where they chose nothing.</summary>
/// <param name="Benchmark">The benchmark symbol of the performance figures.</param>
/// <param name="RiskFreeRate">Annual, as a fraction (0.04 = 4 %).</param>
/// <param name="RefreshSeconds">Seconds between the dashboard's live refreshes.</param>
/// <param name="Theme"><c>light</c>, <c>dark</c> or <see cref="ThemeAuto"/> (the browser's preference).</param>
/// <param name="Stored">What the user chose, or null when they chose nothing.</param>
public sealed record EffectiveSettings(string Benchmark, double RiskFreeRate, int RefreshSeconds, string Theme, UserSettings? Stored)
{
    /// <summary>Money amounts and quantities hidden on every page (percentages stay); off by default.</summary>
    public bool PrivacyMode => Stored?.PrivacyMode == true;

    public const string ThemeAuto = "auto";
}

/// <summary>
/// Reads and writes the signed-in user's settings: read once per request (the layout, the pages
/// and the API all ask this scoped service) and kept for the rest of it.
/// </summary>
public sealed class UserSettingsService(
    FinSightDbContext db, CurrentUser user, IOptions<AnalyticsOptions> analytics, IOptions<UiOptions> ui, TimeProvider clock, Infrastructure.WarmState warm)
{
    private EffectiveSettings? _current;

    public EffectiveSettings Defaults => new(
        analytics.Value.Benchmark, analytics.Value.RiskFreeRate, Math.Max(1, ui.Value.RefreshSeconds), EffectiveSettings.ThemeAuto, null);

    /// <summary>The signed-in user's settings, or the instance defaults for an anonymous request.</summary>
    public async Task<EffectiveSettings> CurrentAsync(CancellationToken ct)
    {
        if (_current is not null)
        {
            return _current;
        }
        if (user.Principal.Identity?.IsAuthenticated != true)
        {
            return Defaults;
        }
        var userId = user.Id;
        var stored = await warm.UserAsync(userId, "settings", d => d.UserSettings.AsNoTracking().SingleOrDefaultAsync(s => s.UserId == userId, CancellationToken.None), ct);
        var defaults = Defaults;
        _current = new EffectiveSettings(
            stored?.Benchmark ?? defaults.Benchmark, stored?.RiskFreeRate ?? defaults.RiskFreeRate,
            stored?.RefreshSeconds ?? defaults.RefreshSeconds, stored?.Theme ?? defaults.Theme, stored);
        return _current;
    }

    /// <summary>Stores validated choices; a null keeps (or returns to) the instance default.</summary>
    public async Task SaveAsync(string? benchmark, double? riskFreeRate, int? refreshSeconds, string? theme, bool privacyMode, CancellationToken ct)
    {
        var userId = user.Id;
        var row = await db.UserSettings.SingleOrDefaultAsync(s => s.UserId == userId, ct);
        if (row is null)
        {
            row = new UserSettings { UserId = userId };
            db.UserSettings.Add(row);
        }
        row.Benchmark = benchmark;
        row.RiskFreeRate = riskFreeRate;
        row.RefreshSeconds = refreshSeconds;
        // "auto" is the default: storing null keeps the user on whatever the instance does.
        row.Theme = theme == EffectiveSettings.ThemeAuto ? null : theme;
        row.PrivacyMode = privacyMode;
        row.UpdatedAt = clock.StoredUtcNow();
        await db.SaveChangesAsync(ct);
        _current = null;
    }

    /// <summary>
    /// The header's display toggles: stores the theme and/or privacy mode alone (a null leaves it as it
    /// is), keeping the rest of the user's choices.
    /// </summary>
    public async Task SaveDisplayAsync(string? theme, bool? privacyMode, CancellationToken ct)
    {
        var userId = user.Id;
        var row = await db.UserSettings.SingleOrDefaultAsync(s => s.UserId == userId, ct);
        if (row is null)
        {
            row = new UserSettings { UserId = userId };
            db.UserSettings.Add(row);
        }
        if (theme is not null)
        {
            row.Theme = theme == EffectiveSettings.ThemeAuto ? null : theme;
        }
        if (privacyMode is { } privacy)
        {
            row.PrivacyMode = privacy;
        }
        row.UpdatedAt = clock.StoredUtcNow();
        await db.SaveChangesAsync(ct);
        _current = null;
    }

    /// <summary>
    /// The instance administrator is the first account created (earliest created_at, then id), as
    /// in Ghostfolio: whoever installs FinSight signs up first. Only they may change instance-wide settings.
    /// </summary>
    public async Task<bool> IsAdminAsync(CancellationToken ct)
    {
        if (user.Principal.Identity?.IsAuthenticated != true)
        {
            return false;
        }
        var first = await db.Users.AsNoTracking().OrderBy(u => u.CreatedAt).ThenBy(u => u.Id).Select(u => u.Id).FirstOrDefaultAsync(ct);
        return first == user.Id;
    }
}
