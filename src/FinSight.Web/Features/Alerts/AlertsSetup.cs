using FinSight.Web.Jobs;
using Microsoft.Extensions.Options;

namespace FinSight.Web.Features.Alerts;

public static class AlertsSetup
{
    /// <summary>Alert rules, their evaluation and delivery jobs, and the email and webhook senders.</summary>
    public static IServiceCollection AddFinSightAlerts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AlertOptions>().Bind(configuration.GetSection(AlertOptions.Section))
            .Validate(o => o.MaxRulesPerUser >= 0 && o.MaxDeliveriesPerUserPerHour >= 1 && o.MaxAttempts >= 1, "Alerts: limits must be positive.")
            .Validate(o => o.EvaluationInterval > TimeSpan.Zero && o.DeliveryInterval > TimeSpan.Zero, "Alerts: intervals must be positive.")
            .Validate(o => !o.Smtp.SendsPasswordInClear,
                "Alerts:Smtp: a Username with Security None would send the password in clear text; use StartTls or SslOnConnect (or a server on this machine).")
            .ValidateOnStart();
        services.AddHttpClient(AlertSenders.WebhookClient)
            .ConfigurePrimaryHttpMessageHandler(sp => AlertSenders.Handler(sp.GetRequiredService<IOptions<AlertOptions>>().Value.AllowPrivateWebhookAddresses));
        services.AddSingleton<AlertSenders>();
        services.AddSingleton<AlertSecrets>();
        services.AddSingleton<AlertEvaluator>();
        services.AddSingleton<AlertDispatcher>();
        services.AddScoped<AlertService>();
        services.AddHostedService<AlertEvaluationJob>();
        services.AddHostedService<AlertDeliveryJob>();
        return services;
    }
}
