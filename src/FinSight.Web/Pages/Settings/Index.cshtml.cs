using System.ComponentModel.DataAnnotations;
using System.Globalization;
using FinSight.Domain;
using FinSight.Web.Data;
using FinSight.Web.Features.Models;
using FinSight.Web.Features.Portfolios;
using FinSight.Web.Features.Settings;
using FinSight.Web.Features.Stocks;
using FinSight.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FinSight.Web.Pages.Settings;

/// <summary>
/// The user's own settings (blank = the instance default) and the default portfolio's cost basis
/// method; for the instance admin also the Finnhub API key, which is never shown back, and the
/// sentiment models (install in the background with a polled progress bar, remove).
/// </summary>
public sealed class IndexModel(
    UserSettingsService settings, FinnhubKeyStore finnhub, PortfolioStore store, SymbolValidator symbols, SentimentModels models,
    Microsoft.Extensions.Options.IOptions<Features.Alerts.AlertOptions> alertOptions) : PageModel
{
    /// <summary>How this instance sends alert email (never its password), shown to every user.</summary>
    public Features.Alerts.SmtpStatusResponse Smtp => Features.Alerts.SmtpStatusResponse.Of(alertOptions.Value.Smtp);

    [BindProperty, Display(Name = "Benchmark symbol")]
    public string? Benchmark { get; set; }

    [BindProperty, Display(Name = "Risk-free rate (% a year)")]
    public string? RiskFreeRatePercent { get; set; }

    [BindProperty, Display(Name = "Live refresh interval (seconds)")]
    public string? RefreshSeconds { get; set; }

    [BindProperty]
    public string Theme { get; set; } = EffectiveSettings.ThemeAuto;

    [BindProperty, Display(Name = "Privacy mode: hide amounts and quantities")]
    public bool PrivacyMode { get; set; }

    [BindProperty, Display(Name = "Cost basis method")]
    public CostBasisMethod CostBasisMethod { get; set; }

    [BindProperty, Display(Name = "Base currency")]
    public string? BaseCurrency { get; set; }

    [BindProperty, DataType(DataType.Password), Display(Name = "Finnhub API key")]
    public string? FinnhubApiKey { get; set; }

    public EffectiveSettings Defaults => settings.Defaults;
    public FinnhubKeyStatus Finnhub { get; private set; } = new(FinnhubKeySource.None, null);
    public bool IsAdmin { get; private set; }
    public string? Saved { get; private set; }

    /// <summary>The Models section; null for everyone but the instance admin.</summary>
    public ModelsOverview? Models { get; private set; }

    /// <summary>Why the last model action was refused.</summary>
    public string? ModelsError { get; private set; }

    public async Task OnGetAsync(string? saved, CancellationToken ct)
    {
        var current = await settings.CurrentAsync(ct);
        Benchmark = current.Stored?.Benchmark;
        RiskFreeRatePercent = current.Stored?.RiskFreeRate is { } rate ? (rate * 100).ToString("0.###", CultureInfo.InvariantCulture) : null;
        RefreshSeconds = current.Stored?.RefreshSeconds?.ToString(CultureInfo.InvariantCulture);
        Theme = current.Theme;
        PrivacyMode = current.PrivacyMode;
        var main = (await store.FindAsync(null, ct))!;
        CostBasisMethod = main.CostBasisMethod;
        BaseCurrency = main.BaseCurrency;
        Saved = saved switch
        {
            "settings" => "Settings saved.",
            "finnhub" => "Finnhub API key saved.",
            "finnhub-cleared" => "Finnhub API key removed.",
            "model-install" => "The model is downloading in the background; the sentiment engine in use keeps working meanwhile.",
            "model-removed" => "Model removed.",
            _ => null,
        };
        await LoadInstanceAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var errors = new ValidationErrors();
        string? benchmark = null;
        if (!string.IsNullOrWhiteSpace(Benchmark) && errors.RequireTicker(nameof(Benchmark), Benchmark) is { } symbol)
        {
            if (await symbols.CheckAsync(symbol, ct) is { } unknown)
            {
                errors.Add(nameof(Benchmark), unknown.Detail);
            }
            benchmark = symbol;
        }
        var rate = ParseRate(RiskFreeRatePercent, errors);
        var refresh = ParseRefresh(RefreshSeconds, errors);
        if (!SettingsLimits.Themes.Contains(Theme))
        {
            errors.Add(nameof(Theme), "Choose light, dark or automatic.");
        }
        if (!Enum.IsDefined(CostBasisMethod))
        {
            errors.Add(nameof(CostBasisMethod), "Choose FIFO or average cost.");
        }
        string? baseCurrency = null;
        if (!string.IsNullOrWhiteSpace(BaseCurrency))
        {
            if (Currency.TryParse(BaseCurrency, out var parsed))
            {
                baseCurrency = parsed.Code;
            }
            else
            {
                errors.Add(nameof(BaseCurrency), Currency.Invalid(BaseCurrency));
            }
        }
        if (!errors.IsEmpty)
        {
            return await InvalidAsync(errors, ct);
        }
        var portfolio = (await store.FindAsync(null, ct))!;
        if (portfolio.CostBasisMethod != CostBasisMethod || (baseCurrency is not null && baseCurrency != portfolio.BaseCurrency))
        {
            // The store's own update, so the page and PUT /api/portfolios/{id} cannot disagree.
            var (_, problem) = await store.UpdateAsync(portfolio.Id, name: null, CostBasisMethod, ct, baseCurrency);
            if (problem is not null)
            {
                errors.Add(nameof(CostBasisMethod), problem.Detail);
                return await InvalidAsync(errors, ct);
            }
        }
        await settings.SaveAsync(benchmark, rate, refresh, Theme, PrivacyMode, ct);
        return Redirect("/settings?saved=settings");
    }

    /// <summary>
    /// The header's theme and privacy toggles: one choice at a time, kept with the user's settings. The
    /// page's script posts it in the background (204); without script the browser comes back to the page
    /// it was on.
    /// </summary>
    public async Task<IActionResult> OnPostDisplayAsync(string? theme, string? privacy, CancellationToken ct)
    {
        if (theme is not null && !SettingsLimits.Themes.Contains(theme))
        {
            return BadRequest("theme must be light, dark or auto.");
        }
        bool? privacyMode = privacy switch
        {
            null => null,
            "on" => true,
            "off" => false,
            _ => null,
        };
        if (privacy is not null && privacyMode is null)
        {
            return BadRequest("privacy must be on or off.");
        }
        if (theme is null && privacyMode is null)
        {
            return BadRequest("Send theme (light, dark or auto) or privacy (on or off).");
        }
        await settings.SaveDisplayAsync(theme, privacyMode, ct);
        if (Request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return new NoContentResult();
        }
        var back = Request.Headers.Referer.ToString();
        return LocalRedirect(Uri.TryCreate(back, UriKind.Absolute, out var uri) && uri.Authority == Request.Host.Value ? uri.PathAndQuery : "/");
    }

    public async Task<IActionResult> OnPostFinnhubAsync(string? clear, CancellationToken ct)
    {
        if (!await settings.IsAdminAsync(ct))
        {
            // Not Forbid(): the cookie scheme would turn it into a redirect; the 403 page explains.
            return StatusCode(StatusCodes.Status403Forbidden);
        }
        var remove = clear is not null;
        if (!remove && string.IsNullOrWhiteSpace(FinnhubApiKey))
        {
            ModelState.AddModelError(nameof(FinnhubApiKey), "Enter a key, or use Remove to clear the stored one.");
            await OnGetAsync(null, ct);
            return Page();
        }
        if (!remove && (FinnhubApiKey!.Trim().Length > 200 || FinnhubApiKey.Trim().Any(char.IsWhiteSpace)))
        {
            ModelState.AddModelError(nameof(FinnhubApiKey), "That does not look like a Finnhub API key (no spaces, at most 200 characters).");
            await OnGetAsync(null, ct);
            return Page();
        }
        await finnhub.SetAsync(remove ? null : FinnhubApiKey, ct);
        return Redirect(remove ? "/settings?saved=finnhub-cleared" : "/settings?saved=finnhub");
    }

    /// <summary>The Models section alone, polled by htmx while a download or a relabel runs.</summary>
    public async Task<IActionResult> OnGetModelsAsync(CancellationToken ct)
    {
        if (!await settings.IsAdminAsync(ct))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }
        return Partial("_Models", models.Overview());
    }

    /// <summary>Starts a background download of a catalog model and returns at once.</summary>
    public Task<IActionResult> OnPostInstallModelAsync(string? model, CancellationToken ct) =>
        ModelActionAsync(() => models.Install(model), "model-install", ct);

    public Task<IActionResult> OnPostRemoveModelAsync(string? model, CancellationToken ct) =>
        ModelActionAsync(() => models.Remove(model), "model-removed", ct);

    private async Task<IActionResult> ModelActionAsync(Func<WriteProblem?> action, string saved, CancellationToken ct)
    {
        if (!await settings.IsAdminAsync(ct))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }
        if (action() is { } problem)
        {
            await OnGetAsync(null, ct);
            ModelsError = problem.Detail;
            Response.StatusCode = problem.Status;
            return Page();
        }
        return Redirect($"/settings?saved={saved}#models");
    }

    private async Task<IActionResult> InvalidAsync(ValidationErrors errors, CancellationToken ct)
    {
        errors.AddTo(ModelState);
        await LoadInstanceAsync(ct);
        return Page();
    }

    private async Task LoadInstanceAsync(CancellationToken ct)
    {
        Finnhub = await finnhub.StatusAsync(ct);
        IsAdmin = await settings.IsAdminAsync(ct);
        Models = IsAdmin ? models.Overview() : null;
        FinnhubApiKey = null; // never sent back to the browser
    }

    private static double? ParseRate(string? text, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var min = SettingsLimits.MinRiskFreeRate * 100;
        var max = SettingsLimits.MaxRiskFreeRate * 100;
        if (!decimal.TryParse(text.Trim().TrimEnd('%'), NumberStyles.Number, CultureInfo.InvariantCulture, out var percent) || percent < (decimal)min || percent > (decimal)max)
        {
            errors.Add(nameof(RiskFreeRatePercent), $"Enter a percentage between {min} and {max}, e.g. 4.5.");
            return null;
        }
        // Via decimal, so 4.5 % is stored as 0.045 and not 0.045000000000000005.
        return (double)(percent / 100m);
    }

    private static int? ParseRefresh(string? text, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds < SettingsLimits.MinRefreshSeconds || seconds > SettingsLimits.MaxRefreshSeconds)
        {
            errors.Add(nameof(RefreshSeconds), $"Enter a whole number of seconds between {SettingsLimits.MinRefreshSeconds} and {SettingsLimits.MaxRefreshSeconds}.");
            return null;
        }
        return seconds;
    }
}
