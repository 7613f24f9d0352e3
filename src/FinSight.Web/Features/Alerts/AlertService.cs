using System.Globalization;
using System.Security.Cryptography;
using FinSight.Web.Auth;
using FinSight.Web.Data;
using FinSight.Web.Features.Portfolios;
using FinSight.Web.Features.Stocks;
using FinSight.Web.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace FinSight.Web.Features.Alerts;

/// <summary>
/// The signed-in user's alerts: rules, settings, firings (the bell) and the delivery log, for the
/// API and the alerts page alike. Every query is filtered by the current user, so another user's
/// ids are simply not found.
/// </summary>
public sealed class AlertService(
    FinSightDbContext db, CurrentUser currentUser, PortfolioStore portfolios, SymbolValidator symbols,
    AlertSecrets secrets, AlertSenders senders, IOptions<AlertOptions> options, TimeProvider clock)
{
    public const int MaxListed = 200;

    public async Task<List<AlertRule>> RulesAsync(CancellationToken ct) =>
        await db.AlertRules.AsNoTracking().Where(r => r.UserId == currentUser.Id).OrderBy(r => r.CreatedAt).ToListAsync(ct);

    public Task<AlertRule?> RuleAsync(Guid id, CancellationToken ct) =>
        db.AlertRules.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id && r.UserId == currentUser.Id, ct);

    /// <summary>Creates a rule; field errors, a portfolio not found, or the per-user limit are refused with nothing written.</summary>
    public async Task<(AlertRule? Rule, ValidationErrors? Errors, WriteProblem? Problem)> CreateAsync(AlertRuleRequest request, CancellationToken ct)
    {
        var (valid, errors, problem) = await ValidateAsync(request, ct);
        if (valid is null)
        {
            return (null, errors, problem);
        }
        var userId = currentUser.Id;
        if (await db.AlertRules.CountAsync(r => r.UserId == userId, ct) >= options.Value.MaxRulesPerUser)
        {
            return (null, null, new WriteProblem(StatusCodes.Status409Conflict, "Too many alert rules",
                $"You have {options.Value.MaxRulesPerUser} alert rules, the most allowed; delete one first.",
                new Dictionary<string, object?> { ["code"] = "rule_limit", ["limit"] = options.Value.MaxRulesPerUser }));
        }
        var now = clock.StoredUtcNow();
        var rule = new AlertRule { Id = Guid.NewGuid(), UserId = userId, CreatedAt = now, UpdatedAt = now };
        valid.ApplyTo(rule);
        db.AlertRules.Add(rule);
        await db.SaveChangesAsync(ct);
        return (rule, null, null);
    }

    /// <summary>Replaces a rule. A changed condition re-arms it, so the new condition can fire.</summary>
    public async Task<(AlertRule? Rule, ValidationErrors? Errors, WriteProblem? Problem)> UpdateAsync(Guid id, AlertRuleRequest request, CancellationToken ct)
    {
        var rule = await db.AlertRules.FirstOrDefaultAsync(r => r.Id == id && r.UserId == currentUser.Id, ct);
        if (rule is null)
        {
            return (null, null, WriteProblem.NotFound("alert rule"));
        }
        var (valid, errors, problem) = await ValidateAsync(request, ct);
        if (valid is null)
        {
            return (null, errors, problem);
        }
        var conditionChanged = rule.Kind != valid.Kind || rule.Symbol != valid.Symbol || rule.Threshold != valid.Threshold || rule.PortfolioId != valid.PortfolioId;
        valid.ApplyTo(rule);
        if (conditionChanged || !rule.Enabled)
        {
            rule.Armed = true;
        }
        rule.UpdatedAt = clock.StoredUtcNow();
        await db.SaveChangesAsync(ct);
        return (rule, null, null);
    }

    public async Task<bool> DeleteAsync(Guid id, CancellationToken ct) =>
        await db.AlertRules.Where(r => r.Id == id && r.UserId == currentUser.Id).ExecuteDeleteAsync(ct) > 0;

    private sealed record ValidRule(AlertKind Kind, string? Symbol, Guid? PortfolioId, decimal Threshold, decimal Margin, bool Email, bool Webhook, bool Enabled)
    {
        public void ApplyTo(AlertRule rule)
        {
            rule.Kind = Kind;
            rule.Symbol = Symbol;
            rule.PortfolioId = PortfolioId;
            rule.Threshold = Threshold;
            rule.RearmMargin = Margin;
            rule.NotifyEmail = Email;
            rule.NotifyWebhook = Webhook;
            rule.Enabled = Enabled;
        }
    }

    private async Task<(ValidRule? Rule, ValidationErrors? Errors, WriteProblem? Problem)> ValidateAsync(AlertRuleRequest request, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (!AlertText.TryParseKind(request.Kind, out var kind))
        {
            errors.Add("kind", "Choose price_above, price_below, daily_move, position_drawdown, portfolio_drawdown, news_negative, ex_dividend or pending_corporate_action.");
            return (null, errors, null);
        }
        var eventKind = AlertEvaluator.IsEventKind(kind);
        string? symbol = null;
        if (kind == AlertKind.PortfolioDrawdown)
        {
            if (!string.IsNullOrWhiteSpace(request.Symbol))
            {
                errors.Add("symbol", "A portfolio drawdown rule watches the whole portfolio: leave the symbol out.");
            }
        }
        else if (eventKind && string.IsNullOrWhiteSpace(request.Symbol))
        {
            // Any holding of the portfolio.
        }
        else if (errors.RequireTicker("symbol", request.Symbol) is { } ticker)
        {
            if (await symbols.CheckAsync(ticker, ct) is { } unknown)
            {
                errors.Add("symbol", unknown.Detail);
            }
            symbol = ticker;
        }
        var threshold = request.Threshold;
        var margin = request.RearmMargin ?? 0m;
        if (kind == AlertKind.PendingCorporateAction)
        {
            if (threshold is not (null or 0m))
            {
                errors.Add("threshold", "A pending corporate action rule has no threshold: leave it out.");
            }
            threshold = 0m;
        }
        else if (kind == AlertKind.ExDividend)
        {
            if (threshold is not { } days)
            {
                errors.Add("threshold", "This field is required.");
            }
            else if (days < 1 || days > 366 || decimal.Truncate(days) != days)
            {
                errors.Add("threshold", "Must be a whole number of days from 1 to 366.");
            }
        }
        else
        {
            var (min, max, unit) = kind switch
            {
                AlertKind.PriceAbove or AlertKind.PriceBelow => (0m, 1_000_000_000m, "a price"),
                AlertKind.DailyMove => (0m, 100m, "a percentage"),
                AlertKind.PositionDrawdown or AlertKind.PortfolioDrawdown => (0m, 100m, "a percentage"),
                _ => (-1m, 1m, "a net sentiment"),
            };
            var exclusiveMin = kind != AlertKind.NewsNegative;
            if (threshold is not { } t)
            {
                errors.Add("threshold", "This field is required.");
            }
            else if ((exclusiveMin ? t <= min : t < min) || t > max || (kind is AlertKind.PositionDrawdown or AlertKind.PortfolioDrawdown && t >= max))
            {
                errors.Add("threshold", kind == AlertKind.NewsNegative
                    ? "Must be a net sentiment from -1 to 1 (e.g. -0.3)."
                    : $"Must be {unit} greater than {min.ToString(CultureInfo.InvariantCulture)} and {(kind is AlertKind.PositionDrawdown or AlertKind.PortfolioDrawdown ? "below" : "at most")} {max.ToString(CultureInfo.InvariantCulture)}.");
            }
            else if (margin < 0 || (kind != AlertKind.NewsNegative && margin >= t) || (kind == AlertKind.NewsNegative && margin > 2))
            {
                errors.Add("rearm_margin", kind == AlertKind.NewsNegative ? "Must be from 0 to 2." : "Must be 0 or more and less than the threshold.");
            }
        }
        if (eventKind && margin != 0m)
        {
            errors.Add("rearm_margin", "This rule fires once per event and has no re-arm margin: leave it out.");
        }
        if (threshold is { } exact && decimal.Round(exact, 6) != exact)
        {
            errors.Add("threshold", "At most 6 decimal places.");
        }
        if (decimal.Round(margin, 6) != margin)
        {
            errors.Add("rearm_margin", "At most 6 decimal places.");
        }
        Guid? portfolioId = null;
        if (kind is AlertKind.PositionDrawdown or AlertKind.PortfolioDrawdown || eventKind)
        {
            var portfolio = await portfolios.FindAsync(request.PortfolioId, ct);
            if (portfolio is null)
            {
                return (null, null, WriteProblem.NotFound("portfolio"));
            }
            portfolioId = portfolio.Id;
        }
        else if (request.PortfolioId is not null)
        {
            errors.Add("portfolio_id", "Only drawdown, ex-dividend and corporate-action rules read a portfolio.");
        }
        var webhook = request.NotifyWebhook ?? false;
        if (webhook && string.IsNullOrEmpty((await PreferencesAsync(ct))?.WebhookUrl))
        {
            errors.Add("notify_webhook", "Set a webhook URL in the alert settings first.");
        }
        if (request.NotifyEmail == true && !senders.EmailConfigured)
        {
            errors.Add("notify_email", "This instance has no SMTP server configured (Alerts:Smtp:Host), so it cannot send email.");
        }
        return errors.IsEmpty
            ? (new ValidRule(kind, symbol, portfolioId, threshold!.Value, margin, request.NotifyEmail ?? false, webhook, request.Enabled ?? true), null, null)
            : (null, errors, null);
    }

    public Task<AlertPreferences?> PreferencesAsync(CancellationToken ct) =>
        db.AlertPreferences.AsNoTracking().FirstOrDefaultAsync(p => p.UserId == currentUser.Id, ct);

    public async Task<AlertSettingsResponse> SettingsAsync(CancellationToken ct)
    {
        var p = await PreferencesAsync(ct);
        var account = await db.Users.AsNoTracking().Where(u => u.Id == currentUser.Id).Select(u => u.Email).FirstAsync(ct);
        return new AlertSettingsResponse(
            p?.Email, p?.Email ?? account, p?.WebhookUrl, p?.WebhookSecret is { } s ? secrets.Unprotect(s) : null,
            p?.QuietStart?.ToString("HH:mm", CultureInfo.InvariantCulture), p?.QuietEnd?.ToString("HH:mm", CultureInfo.InvariantCulture),
            p?.TimeZone ?? "UTC", senders.EmailConfigured, SmtpStatusResponse.Of(options.Value.Smtp));
    }

    /// <summary>Saves the settings; a webhook URL set for the first time gets a new signing secret.</summary>
    public async Task<ValidationErrors?> SaveSettingsAsync(AlertSettingsRequest request, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        string? email = string.IsNullOrWhiteSpace(request.Email) ? null : request.Email.Trim();
        if (email is not null && (email.Length > UserLimits.EmailMax || !MailboxAddress.TryParse(email, out var parsed) || parsed.Address != email || !email.Contains('@')))
        {
            errors.Add("email", "Not a valid email address.");
        }
        string? url = string.IsNullOrWhiteSpace(request.WebhookUrl) ? null : request.WebhookUrl.Trim();
        if (url is not null && (url.Length > AlertLimits.TargetMax || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.UserInfo)))
        {
            errors.Add("webhook_url", "Must be an absolute http or https URL (no user name or password in it).");
        }
        var start = ParseTime("quiet_start", request.QuietStart, errors);
        var end = ParseTime("quiet_end", request.QuietEnd, errors);
        if ((start is null) != (end is null))
        {
            errors.Add("quiet_end", "Give both the start and the end of the quiet hours, or neither.");
        }
        var zone = string.IsNullOrWhiteSpace(request.TimeZone) ? "UTC" : request.TimeZone.Trim();
        if (zone.Length > AlertLimits.TimeZoneMax || !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            errors.Add("time_zone", "Not a known time zone (use an IANA name such as Europe/Berlin).");
        }
        if (!errors.IsEmpty)
        {
            return errors;
        }
        var userId = currentUser.Id;
        var p = await db.AlertPreferences.FirstOrDefaultAsync(x => x.UserId == userId, ct);
        if (p is null)
        {
            p = new AlertPreferences { UserId = userId };
            db.AlertPreferences.Add(p);
        }
        p.Email = email;
        p.WebhookUrl = url;
        if (url is not null && p.WebhookSecret is null)
        {
            p.WebhookSecret = secrets.Protect(NewSecret());
        }
        p.QuietStart = start;
        p.QuietEnd = end;
        p.TimeZone = zone;
        p.UpdatedAt = clock.StoredUtcNow();
        if (url is null)
        {
            // Rules cannot call a webhook that is gone; they keep their other channels.
            await db.AlertRules.Where(r => r.UserId == userId && r.NotifyWebhook).ExecuteUpdateAsync(s => s.SetProperty(r => r.NotifyWebhook, false), ct);
        }
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>Replaces the webhook signing secret; null when no webhook is set.</summary>
    public async Task<string?> RotateSecretAsync(CancellationToken ct)
    {
        var p = await db.AlertPreferences.FirstOrDefaultAsync(x => x.UserId == currentUser.Id, ct);
        if (p?.WebhookUrl is null)
        {
            return null;
        }
        var secret = NewSecret();
        p.WebhookSecret = secrets.Protect(secret);
        p.UpdatedAt = clock.StoredUtcNow();
        await db.SaveChangesAsync(ct);
        return secret;
    }

    private static string NewSecret() => "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    private static TimeOnly? ParseTime(string field, string? text, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (!TimeOnly.TryParseExact(text.Trim(), ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            errors.Add(field, "Use 24-hour HH:mm, e.g. 22:00.");
            return null;
        }
        return time;
    }

    public async Task<AlertEventsResponse> EventsAsync(bool unreadOnly, int limit, CancellationToken ct)
    {
        var userId = currentUser.Id;
        var query = db.AlertEvents.AsNoTracking().Where(e => e.UserId == userId);
        var unread = await query.CountAsync(e => e.ReadAt == null, ct);
        if (unreadOnly)
        {
            query = query.Where(e => e.ReadAt == null);
        }
        var items = await query.OrderByDescending(e => e.FiredAt).Take(Math.Clamp(limit, 1, MaxListed)).ToListAsync(ct);
        return new AlertEventsResponse(unread, items.Select(AlertEventResponse.From).ToArray());
    }

    public Task<int> UnreadCountAsync(CancellationToken ct)
    {
        var userId = currentUser.Id;
        return db.AlertEvents.CountAsync(e => e.UserId == userId && e.ReadAt == null, ct);
    }

    /// <summary>Marks one firing (or, with null, all of them) read; false when the id is not the user's.</summary>
    public async Task<bool> MarkReadAsync(Guid? id, CancellationToken ct)
    {
        var userId = currentUser.Id;
        var now = clock.StoredUtcNow();
        var query = db.AlertEvents.Where(e => e.UserId == userId);
        if (id is { } one)
        {
            if (!await query.AnyAsync(e => e.Id == one, ct))
            {
                return false;
            }
            query = query.Where(e => e.Id == one);
        }
        await query.Where(e => e.ReadAt == null).ExecuteUpdateAsync(s => s.SetProperty(e => e.ReadAt, now), ct);
        return true;
    }

    public async Task<IReadOnlyList<AlertDeliveryResponse>> DeliveriesAsync(int limit, CancellationToken ct)
    {
        var userId = currentUser.Id;
        var deliveries = await db.AlertDeliveries.AsNoTracking().Where(d => d.UserId == userId)
            .OrderByDescending(d => d.CreatedAt).Take(Math.Clamp(limit, 1, MaxListed)).ToListAsync(ct);
        var ids = deliveries.Select(d => d.Id).ToList();
        var eventIds = deliveries.Select(d => d.EventId).Distinct().ToList();
        var messages = await db.AlertEvents.AsNoTracking().Where(e => eventIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, e => e.Message, ct);
        var attempts = (await db.AlertDeliveryAttempts.AsNoTracking().Where(a => a.UserId == userId && a.DeliveryId != null && ids.Contains(a.DeliveryId.Value)).ToListAsync(ct))
            .ToLookup(a => a.DeliveryId!.Value);
        var tests = await db.AlertDeliveryAttempts.AsNoTracking().Where(a => a.UserId == userId && a.DeliveryId == null)
            .OrderByDescending(a => a.AttemptedAt).Take(10).ToListAsync(ct);
        return deliveries.Select(d => new AlertDeliveryResponse(
                d.Id, d.EventId, d.Channel, d.Target, AlertText.StatusName(d.Status), d.Attempts,
                d.Status == AlertDeliveryStatus.Pending ? d.NextAttemptAt : null, d.LastStatusCode, d.LastError, d.CreatedAt, d.DeliveredAt,
                messages.GetValueOrDefault(d.EventId),
                attempts[d.Id].OrderBy(a => a.AttemptedAt).Select(ToResponse).ToArray()))
            .Concat(tests.Select(a => new AlertDeliveryResponse(
                a.Id, null, a.Channel, a.Target, a.Succeeded ? "delivered" : "failed", 1, null, a.StatusCode, a.Error, a.AttemptedAt,
                a.Succeeded ? a.AttemptedAt : null, "Test email", [ToResponse(a)])))
            .OrderByDescending(d => d.CreatedAt)
            .ToArray();
    }

    private static AlertAttemptResponse ToResponse(AlertDeliveryAttempt a) => new(a.AttemptedAt, a.Succeeded, a.StatusCode, a.Error, a.DurationMs);

    /// <summary>Puts a failed delivery back in the queue; false when it is not the user's or not failed.</summary>
    public async Task<bool> RetryAsync(Guid id, CancellationToken ct)
    {
        var userId = currentUser.Id;
        var now = clock.StoredUtcNow();
        return await db.AlertDeliveries.Where(d => d.Id == id && d.UserId == userId && d.Status == AlertDeliveryStatus.Failed)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, AlertDeliveryStatus.Pending).SetProperty(d => d.Attempts, 0).SetProperty(d => d.NextAttemptAt, now), ct) > 0;
    }

    /// <summary>Sends a test email to the user's alert address now, counted against their hourly delivery limit and logged.</summary>
    public async Task<(string? SentTo, WriteProblem? Problem)> SendTestEmailAsync(CancellationToken ct)
    {
        if (!senders.EmailConfigured)
        {
            return (null, new WriteProblem(StatusCodes.Status409Conflict, "Email is not configured",
                "This instance has no SMTP server configured (Alerts:Smtp:Host).", new Dictionary<string, object?>()));
        }
        var userId = currentUser.Id;
        if (await AlertDispatcher.RateLimitedUntilAsync(db, userId, options.Value, clock.GetUtcNow(), ct) is { } until)
        {
            return (null, new WriteProblem(StatusCodes.Status429TooManyRequests, "Too many deliveries",
                $"You reached {options.Value.MaxDeliveriesPerUserPerHour} emails and webhook calls this hour; try again after {until:HH:mm} UTC.",
                new Dictionary<string, object?> { ["retry_after"] = until }));
        }
        var settings = await SettingsAsync(ct);
        var outcome = await senders.SendEmailAsync(settings.EffectiveEmail, "FinSight test email",
            "This is a test email from FinSight. Alert emails will arrive like this one.", $"test-{Guid.NewGuid():N}", ct);
        db.AlertDeliveryAttempts.Add(new AlertDeliveryAttempt
        {
            Id = Guid.NewGuid(), UserId = userId, Channel = AlertChannel.Email, Target = settings.EffectiveEmail, AttemptedAt = clock.StoredUtcNow(),
            Succeeded = outcome.Succeeded, StatusCode = outcome.StatusCode, Error = outcome.Error, DurationMs = outcome.DurationMs,
        });
        await db.SaveChangesAsync(ct);
        return outcome.Succeeded
            ? (settings.EffectiveEmail, null)
            : (null, new WriteProblem(StatusCodes.Status502BadGateway, "The SMTP server refused the email", outcome.Error ?? "No reason given.", new Dictionary<string, object?>()));
    }
}

/// <summary>Protects webhook secrets at rest, as the stored Finnhub key is.</summary>
public sealed class AlertSecrets(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("FinSight.Alerts.WebhookSecret");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string stored) => _protector.Unprotect(stored);
}
