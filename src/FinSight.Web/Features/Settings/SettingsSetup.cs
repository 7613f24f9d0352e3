using FinSight.MarketData.Finnhub;

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
        return services;
    }
}
