using FinSight.MarketData.Finnhub;
using FinSight.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace FinSight.Web.Features.Settings;

public static class SettingsSetup
{
    /// <summary>Per-user settings for the pages and the API, and the instance's stored Finnhub key.</summary>
    public static IServiceCollection AddFinSightSettings(this IServiceCollection services)
    {
        services.AddScoped<UserSettingsService>();
        services.AddSingleton<FinnhubKeyStore>();
        // Replaces the library's configuration-only default, whichever was registered first.
        services.AddSingleton<IFinnhubKeySource>(sp => sp.GetRequiredService<FinnhubKeyStore>());
        services.Configure<MvcOptions>(o => o.Filters.Add<LoadUiSettings>());
        return services;
    }
}

/// <summary>
/// Loads the signed-in user's settings into <see cref="UiSettings"/> before any page handler
/// runs, so the layout and pages read them synchronously.
/// </summary>
internal sealed class LoadUiSettings(UserSettingsService settings, UiSettings ui) : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ui.Apply(await settings.CurrentAsync(context.HttpContext.RequestAborted));
        await next();
    }
}
