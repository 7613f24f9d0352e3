using System.Globalization;
using System.Text;
using System.Text.Json;
using FinSight.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FinSight.Web.Features.Alerts;

/// <summary>
/// Sends what the outbox (<c>alert_deliveries</c>) holds. A delivery is claimed by a conditional
/// update (its attempt count moves on and its next try is pushed past a lease), so two instances
/// never send the same try; it is marked delivered right after the server accepts it. A failure
/// waits and is tried again with doubling back-off up to <see cref="AlertOptions.MaxAttempts"/>,
/// then stays visible as failed. A crash after the receiver accepted and before the mark is the
/// one case where a delivery is sent twice; webhook receivers can drop it by its
/// <c>X-FinSight-Delivery</c> id, and the email keeps its Message-Id.
/// </summary>
public sealed class AlertDispatcher(
    IServiceScopeFactory scopes, AlertSenders senders, AlertSecrets secrets, IOptions<AlertOptions> options, TimeProvider clock, ILogger<AlertDispatcher> logger)
{
    private const int Batch = 20;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Sends every delivery that is due; returns how many tries were made.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken ct)
    {
        var tried = 0;
        while (!ct.IsCancellationRequested)
        {
            List<AlertDelivery> due;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<FinSightDbContext>();
                var now = clock.GetUtcNow();
                due = await db.AlertDeliveries.AsNoTracking()
                    .Where(d => d.Status == AlertDeliveryStatus.Pending && d.NextAttemptAt <= now)
                    .OrderBy(d => d.NextAttemptAt).Take(Batch).ToListAsync(ct);
            }
            var sent = 0;
            foreach (var delivery in due)
            {
                if (await TryOneAsync(delivery, ct))
                {
                    sent++;
                }
            }
            tried += sent;
            if (due.Count < Batch || sent == 0)
            {
                return tried;
            }
        }
        return tried;
    }

    /// <summary>When the user's hourly limit frees up, or null when they may be sent to now.</summary>
    public static async Task<DateTimeOffset?> RateLimitedUntilAsync(FinSightDbContext db, Guid userId, AlertOptions options, DateTimeOffset now, CancellationToken ct)
    {
        var since = now.AddHours(-1);
        var recent = await db.AlertDeliveryAttempts.AsNoTracking().Where(a => a.UserId == userId && a.AttemptedAt > since)
            .OrderByDescending(a => a.AttemptedAt).Select(a => a.AttemptedAt).Take(Math.Max(1, options.MaxDeliveriesPerUserPerHour)).ToListAsync(ct);
        return recent.Count >= options.MaxDeliveriesPerUserPerHour ? recent[^1].AddHours(1) : null;
    }

    private async Task<bool> TryOneAsync(AlertDelivery delivery, CancellationToken ct)
    {
        var o = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FinSightDbContext>();
        var now = clock.StoredUtcNow();
        if (await RateLimitedUntilAsync(db, delivery.UserId, o, now, ct) is { } until)
        {
            // Waits for the user's hourly limit; never dropped.
            await db.AlertDeliveries.Where(d => d.Id == delivery.Id && d.Status == AlertDeliveryStatus.Pending && d.Attempts == delivery.Attempts)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, until).SetProperty(d => d.LastError, "Waiting: the hourly delivery limit is reached."), ct);
            return false;
        }
        var attempt = delivery.Attempts + 1;
        var lease = now + o.ClaimLease;
        var claimed = await db.AlertDeliveries
            .Where(d => d.Id == delivery.Id && d.Status == AlertDeliveryStatus.Pending && d.Attempts == delivery.Attempts && d.NextAttemptAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Attempts, attempt).SetProperty(d => d.NextAttemptAt, lease), ct);
        if (claimed == 0)
        {
            return false; // another instance took it, or it changed meanwhile
        }
        var firing = await db.AlertEvents.AsNoTracking().FirstOrDefaultAsync(e => e.Id == delivery.EventId, ct);
        SendOutcome outcome;
        if (firing is null)
        {
            outcome = new SendOutcome(false, null, "The alert was deleted.", 0);
        }
        else if (delivery.Channel == AlertChannel.Email)
        {
            outcome = await senders.SendEmailAsync(delivery.Target, "FinSight alert: " + Subject(firing), EmailBody(firing), delivery.Id.ToString("N"), ct);
        }
        else
        {
            var preferences = await db.AlertPreferences.AsNoTracking().FirstOrDefaultAsync(p => p.UserId == delivery.UserId, ct);
            outcome = preferences?.WebhookSecret is { } secret
                ? await senders.SendWebhookAsync(delivery.Target, secrets.Unprotect(secret), WebhookBody(firing, delivery), delivery.Id, clock.GetUtcNow(), ct)
                : new SendOutcome(false, null, "No webhook secret: set the webhook URL again.", 0);
        }
        var done = clock.StoredUtcNow();
        db.AlertDeliveryAttempts.Add(new AlertDeliveryAttempt
        {
            Id = Guid.NewGuid(), UserId = delivery.UserId, DeliveryId = delivery.Id, Channel = delivery.Channel, Target = delivery.Target,
            AttemptedAt = done, Succeeded = outcome.Succeeded, StatusCode = outcome.StatusCode, Error = outcome.Error, DurationMs = outcome.DurationMs,
        });
        await db.SaveChangesAsync(CancellationToken.None);
        var status = outcome.Succeeded ? AlertDeliveryStatus.Delivered : attempt >= o.MaxAttempts || firing is null ? AlertDeliveryStatus.Failed : AlertDeliveryStatus.Pending;
        var next = outcome.Succeeded ? done : done + Backoff(attempt, o);
        await db.AlertDeliveries.Where(d => d.Id == delivery.Id && d.Attempts == attempt).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Status, status)
            .SetProperty(d => d.NextAttemptAt, next)
            .SetProperty(d => d.LastStatusCode, outcome.StatusCode)
            .SetProperty(d => d.LastError, outcome.Error)
            .SetProperty(d => d.DeliveredAt, outcome.Succeeded ? done : null), CancellationToken.None);
        if (!outcome.Succeeded)
        {
            logger.LogWarning("Alert delivery {Delivery} by {Channel} failed (try {Attempt}): {Error}", delivery.Id, delivery.Channel, attempt, outcome.Error);
        }
        return true;
    }

    /// <summary>The wait after failed try <paramref name="attempt"/> (1-based): the retry delay, doubled per further failure, capped.</summary>
    public static TimeSpan Backoff(int attempt, AlertOptions options)
    {
        var factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        var wait = TimeSpan.FromTicks((long)Math.Min(options.RetryDelay.Ticks * factor, options.MaxRetryDelay.Ticks));
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    private static string Subject(AlertEvent e) => e.Kind switch
    {
        AlertKind.PortfolioDrawdown => "portfolio drawdown",
        AlertKind.ExDividend when AlertText.Items(e.Items) is [var item, ..] => $"{item.Symbol} ex-dividend on {item.ExDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}",
        AlertKind.PendingCorporateAction => $"{e.Value.ToString("0", CultureInfo.InvariantCulture)} new split(s) or dividend(s) to record",
        _ => $"{e.Symbol} {AlertText.Name(e.Kind).Replace('_', ' ')}",
    };

    /// <summary>The email's text: the message, the values, the headlines of a news alert.</summary>
    public static string EmailBody(AlertEvent e)
    {
        var text = new StringBuilder();
        text.AppendLine(e.Message).AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Value: {e.Value.ToString(CultureInfo.InvariantCulture)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Threshold: {e.Threshold.ToString(CultureInfo.InvariantCulture)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Fired at: {e.FiredAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC");
        if (e.IsSimulated)
        {
            text.AppendLine("Source: the simulated market (not live data).");
        }
        var items = AlertText.Items(e.Items);
        if (items.Count > 0)
        {
            text.AppendLine().AppendLine(e.Kind == AlertKind.ExDividend ? "Dividend:" : "Pending:");
            foreach (var item in items)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {item.Description} [{item.Key}]");
            }
        }
        var headlines = AlertText.Headlines(e.Headlines);
        if (headlines.Count > 0)
        {
            text.AppendLine().AppendLine("Headlines:");
            foreach (var h in headlines)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {h.Title} (net {h.Net.ToString("0.00", CultureInfo.InvariantCulture)}) {h.Url}");
            }
        }
        return text.ToString();
    }

    /// <summary>The webhook's JSON body (documented in the README).</summary>
    public static string WebhookBody(AlertEvent e, AlertDelivery delivery) => JsonSerializer.Serialize(new WebhookPayload(
        "alert.fired", e.Id, delivery.Id, e.RuleId, e.Kind, e.Symbol, e.Threshold, e.Value, e.Message, e.IsSimulated, e.FiredAt,
        AlertText.Headlines(e.Headlines), AlertText.Items(e.Items)), Json);

    private sealed record WebhookPayload(
        string Type, Guid EventId, Guid DeliveryId, Guid? RuleId, AlertKind Kind, string? Symbol, decimal Threshold, decimal Value,
        string Message, bool Simulated, DateTimeOffset FiredAt, IReadOnlyList<AlertHeadline> Headlines, IReadOnlyList<AlertItem> Items);
}
