using FinSight.Web.Features.Alerts;
using Microsoft.Extensions.Options;

namespace FinSight.Web.Jobs;

/// <summary>Evaluates the alert rules every <see cref="AlertOptions.EvaluationInterval"/>, on the leading instance only.</summary>
public sealed class AlertEvaluationJob(
    AlertEvaluator evaluator, JobLeadership leadership, IOptions<AlertOptions> options, TimeProvider clock, ILogger<AlertEvaluationJob> logger) : BackgroundService
{
    public const long JobKey = 0x46_53_41_4C_45_52_54; // "FSALERT"

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        AlertJobLoop.RunAsync(options.Value.Enabled, options.Value.EvaluationInterval, JobKey, leadership, evaluator.EvaluateAsync, clock, logger, "Alert evaluation", stoppingToken);
}

/// <summary>Sends due alert deliveries every <see cref="AlertOptions.DeliveryInterval"/>, on the leading instance only (claims keep it once-only anyway).</summary>
public sealed class AlertDeliveryJob(
    AlertDispatcher dispatcher, JobLeadership leadership, IOptions<AlertOptions> options, TimeProvider clock, ILogger<AlertDeliveryJob> logger) : BackgroundService
{
    public const long JobKey = 0x46_53_41_44_45_4C_56; // "FSADELV"

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        AlertJobLoop.RunAsync(options.Value.Enabled, options.Value.DeliveryInterval, JobKey, leadership, dispatcher.DeliverDueAsync, clock, logger, "Alert delivery", stoppingToken);
}

internal static class AlertJobLoop
{
    public static async Task RunAsync(
        bool enabled, TimeSpan interval, long jobKey, JobLeadership leadership, Func<CancellationToken, Task<int>> work,
        TimeProvider clock, ILogger logger, string name, CancellationToken stoppingToken)
    {
        if (!enabled)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await leadership.IsLeaderAsync(jobKey, stoppingToken))
                {
                    await work(stoppingToken);
                }
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.LogWarning(error, "{Job} failed; will try again.", name);
            }
            await Task.Delay(interval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
