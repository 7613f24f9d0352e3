using System.Globalization;
using System.Text.Json;
using FinSight.Web.Data;

namespace FinSight.Web.Features.Alerts;

/// <summary>
/// An alert rule as the API takes it. <c>threshold</c>'s unit depends on <c>kind</c>: a price for
/// price_above/price_below, a percentage (5 = 5 %) for daily_move, position_drawdown and
/// portfolio_drawdown, a net sentiment from −1 to 1 for news_negative, whole days (1–366) for
/// ex_dividend; pending_corporate_action takes none.
/// </summary>
/// <param name="Kind">price_above, price_below, daily_move, position_drawdown, portfolio_drawdown, news_negative, ex_dividend or pending_corporate_action.</param>
/// <param name="Symbol">The ticker watched; not used by portfolio_drawdown; optional for ex_dividend and pending_corporate_action (absent: any holding).</param>
/// <param name="PortfolioId">For position_drawdown, portfolio_drawdown, ex_dividend and pending_corporate_action: the portfolio (default: your default portfolio).</param>
/// <param name="Threshold">The level, in the kind's unit.</param>
/// <param name="RearmMargin">How far back past the threshold the value must go before the rule can fire again (same unit, default 0).</param>
/// <param name="NotifyEmail">Also send an email (the in-app list always gets the alert).</param>
/// <param name="NotifyWebhook">Also call your webhook (set its URL in the alert settings first).</param>
/// <param name="Enabled">Default true.</param>
public sealed record AlertRuleRequest(
    string? Kind, string? Symbol, Guid? PortfolioId, decimal? Threshold, decimal? RearmMargin,
    bool? NotifyEmail, bool? NotifyWebhook, bool? Enabled);

/// <param name="Armed">True when the rule can fire; false after it fired, until its condition clears by the margin.</param>
/// <param name="Description">The rule in words.</param>
public sealed record AlertRuleResponse(
    Guid Id, AlertKind Kind, string? Symbol, Guid? PortfolioId, decimal Threshold, decimal RearmMargin,
    bool NotifyEmail, bool NotifyWebhook, bool Enabled, bool Armed, string Description,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? LastFiredAt)
{
    public static AlertRuleResponse From(AlertRule r) => new(
        r.Id, r.Kind, r.Symbol, r.PortfolioId, r.Threshold, r.RearmMargin, r.NotifyEmail, r.NotifyWebhook, r.Enabled, r.Armed,
        AlertText.Describe(r.Kind, r.Symbol, r.Threshold), r.CreatedAt, r.UpdatedAt, r.LastFiredAt);
}

/// <summary>A headline behind a news alert.</summary>
/// <param name="Net">Its net sentiment, P(positive) − P(negative).</param>
public sealed record AlertHeadline(string Title, string Url, DateTimeOffset PublishedAt, double Net);

/// <summary>A dividend or corporate action an event alert (ex_dividend, pending_corporate_action) is about.</summary>
/// <param name="Key">Names the event: <c>ex_dividend:MSFT:2027-02</c> (symbol and ex-date month) or a corporate action's key (<c>split:AAPL:2020-08-31</c>).</param>
/// <param name="Kind">dividend or split.</param>
/// <param name="Symbol">The ticker.</param>
/// <param name="ExDate">The (expected) ex-date.</param>
/// <param name="AmountPerShare">A dividend's cash per share, in the stock's currency; null for a split.</param>
/// <param name="Shares">Shares held: today's for an upcoming dividend, those on the ex-date for a pending action.</param>
/// <param name="Amount">A dividend's cash for the position (shares × amount per share, to the cent); null for a split.</param>
/// <param name="Estimated">For an upcoming dividend: projected from last year's (true) or reported by market data (false); null for a pending action.</param>
/// <param name="Description">The item in one line.</param>
public sealed record AlertItem(
    string Key, string Kind, string Symbol, DateOnly ExDate, decimal? AmountPerShare, decimal? Shares, decimal? Amount, bool? Estimated, string Description);

/// <summary>A firing, with the values that triggered it.</summary>
/// <param name="Value">What was observed, in the threshold's unit (ex_dividend: days until the ex-date; pending_corporate_action: how many new actions).</param>
/// <param name="Simulated">The value came from the simulated market, not a live one.</param>
/// <param name="Items">The dividends or corporate actions of an ex_dividend or pending_corporate_action alert; empty for the other kinds.</param>
public sealed record AlertEventResponse(
    Guid Id, Guid? RuleId, AlertKind Kind, string? Symbol, decimal Threshold, decimal Value, string Message,
    IReadOnlyList<AlertHeadline> Headlines, IReadOnlyList<AlertItem> Items, bool Simulated, DateTimeOffset FiredAt, DateTimeOffset? ReadAt)
{
    public static AlertEventResponse From(AlertEvent e) => new(
        e.Id, e.RuleId, e.Kind, e.Symbol, e.Threshold, e.Value, e.Message, AlertText.Headlines(e.Headlines), AlertText.Items(e.Items), e.IsSimulated, e.FiredAt, e.ReadAt);
}

public sealed record AlertEventsResponse(int UnreadCount, IReadOnlyList<AlertEventResponse> Items);

/// <summary>One try to send, as the delivery log shows it.</summary>
/// <param name="StatusCode">The webhook's HTTP status, or the SMTP reply code; null when no answer came.</param>
public sealed record AlertAttemptResponse(DateTimeOffset AttemptedAt, bool Succeeded, int? StatusCode, string? Error, int DurationMs);

/// <param name="Status">pending (will be tried at next_attempt_at), delivered or failed (gave up; can be retried).</param>
public sealed record AlertDeliveryResponse(
    Guid Id, Guid? EventId, AlertChannel Channel, string Target, string Status, int Attempts, DateTimeOffset? NextAttemptAt,
    int? LastStatusCode, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt, string? Message,
    IReadOnlyList<AlertAttemptResponse> AttemptLog);

/// <summary>Where your alerts go, and when not.</summary>
/// <param name="Email">Alert emails go here; empty for your account's email.</param>
/// <param name="WebhookUrl">An http(s) URL that receives a POST per alert; empty for none.</param>
/// <param name="QuietStart">Start of the daily quiet hours (HH:mm, local time in time_zone); emails and webhook calls wait until quiet_end.</param>
/// <param name="TimeZone">IANA time zone of the quiet hours (default UTC).</param>
public sealed record AlertSettingsRequest(string? Email, string? WebhookUrl, string? QuietStart, string? QuietEnd, string? TimeZone);

/// <param name="WebhookSecret">Signs every webhook body (HMAC-SHA256); null until a webhook URL is set.</param>
/// <param name="SmtpConfigured">Whether this instance can send email.</param>
/// <param name="Smtp">How this instance sends email (never its password).</param>
public sealed record AlertSettingsResponse(
    string? Email, string EffectiveEmail, string? WebhookUrl, string? WebhookSecret, string? QuietStart, string? QuietEnd, string TimeZone, bool SmtpConfigured,
    SmtpStatusResponse Smtp);

/// <summary>The instance's SMTP settings as any user may see them: where and how, never the credentials.</summary>
/// <param name="Configured">False without <c>Alerts:Smtp:Host</c>: no email is sent.</param>
/// <param name="Host">The server; null when not configured.</param>
/// <param name="Port">Its port; null when not configured.</param>
/// <param name="Security">StartTls, SslOnConnect, None, Auto or StartTlsWhenAvailable (MailKit's names).</param>
/// <param name="Login">Whether it logs in (a username is set); the username and password are not shown.</param>
/// <param name="CertificatePinned">Whether a self-signed certificate is trusted by its fingerprint (<c>Alerts:Smtp:CertificateSha256</c>).</param>
/// <param name="From">The sender address.</param>
public sealed record SmtpStatusResponse(bool Configured, string? Host, int? Port, string? Security, bool Login, bool CertificatePinned, string? From)
{
    public static SmtpStatusResponse Of(SmtpOptions smtp) => smtp.IsConfigured
        ? new(true, smtp.Host, smtp.Port, smtp.Security.ToString(), !string.IsNullOrEmpty(smtp.Username), !string.IsNullOrWhiteSpace(smtp.CertificateSha256), smtp.From)
        : new(false, null, null, null, false, false, null);

    /// <summary>In words, for the pages.</summary>
    public string Describe()
    {
        if (!Configured)
        {
            return "No SMTP server is configured (Alerts:Smtp:Host): alerts are not emailed.";
        }
        var security = Security switch
        {
            "StartTls" => "STARTTLS",
            "SslOnConnect" => "TLS on connect",
            "None" => "no encryption",
            _ => Security + ": TLS when the server offers it",
        };
        var pinned = CertificatePinned ? ", its certificate pinned by fingerprint" : "";
        var login = Login ? "with a login" : "without a login";
        return $"Email goes through {Host}:{Port.GetValueOrDefault().ToString(CultureInfo.InvariantCulture)} ({security}{pinned}), {login}, from {From}.";
    }
}

public sealed record TestEmailResponse(string SentTo);

/// <summary>The words of an alert, shared by the in-app list, the email and the webhook.</summary>
public static class AlertText
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static string Describe(AlertKind kind, string? symbol, decimal threshold) => kind switch
    {
        AlertKind.PriceAbove => $"{symbol} at or above {Money(threshold, symbol)}",
        AlertKind.PriceBelow => $"{symbol} at or below {Money(threshold, symbol)}",
        AlertKind.DailyMove => $"{symbol} moves {Percent(threshold)} or more in a day (up or down)",
        AlertKind.PositionDrawdown => $"{symbol} position {Percent(threshold)} or more below its peak",
        AlertKind.PortfolioDrawdown => $"Portfolio {Percent(threshold)} or more below its peak",
        AlertKind.NewsNegative => $"{symbol} news over the last 24 h turns negative (net sentiment below {threshold.ToString("0.###", CultureInfo.InvariantCulture)})",
        AlertKind.ExDividend => $"{symbol ?? "A holding"} goes ex-dividend within {threshold.ToString("0", CultureInfo.InvariantCulture)} day(s)",
        AlertKind.PendingCorporateAction => $"A new split or dividend of {symbol ?? "any holding"} is missing from your history",
        _ => kind.ToString(),
    };

    /// <summary>An upcoming dividend in one line: symbol, ex-date, days to it, per share and for the position.</summary>
    public static string ExDividend(string symbol, DateOnly exDate, int days, decimal perShare, decimal shares, decimal amount, bool estimated) =>
        $"{symbol} goes ex-dividend on {exDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} (in {days.ToString(CultureInfo.InvariantCulture)} day(s)): {Number(perShare)} a share expected, {Number(amount)} on your {shares.ToString("#,##0.######", CultureInfo.InvariantCulture)} shares"
        + (estimated ? " (estimated from last year's dividend)" : "");

    /// <summary>What a pending-action alert says: how many are new, and each in a line.</summary>
    public static string PendingActions(IReadOnlyList<AlertItem> items, bool simulated)
    {
        var text = $"{items.Count} split(s) or dividend(s) from market data missing from your history (record or dismiss them on the corporate actions page): "
            + string.Join("; ", items.Select(i => i.Description));
        return simulated ? text + " (simulated market data)" : text;
    }

    /// <summary>What happened, with the value that triggered it.</summary>
    public static string Fired(AlertKind kind, string? symbol, decimal threshold, decimal value, bool simulated, int headlineCount = 0)
    {
        var text = kind switch
        {
            AlertKind.PriceAbove => $"{symbol} is at {Money(value, symbol)}, at or above your {Money(threshold, symbol)}",
            AlertKind.PriceBelow => $"{symbol} is at {Money(value, symbol)}, at or below your {Money(threshold, symbol)}",
            AlertKind.DailyMove => $"{symbol} moved {SignedPercent(value)} today, beyond your ±{Percent(threshold)}",
            AlertKind.PositionDrawdown => $"Your {symbol} position is {Percent(value)} below its peak (your limit {Percent(threshold)})",
            AlertKind.PortfolioDrawdown => $"Your portfolio is {Percent(value)} below its peak (your limit {Percent(threshold)})",
            AlertKind.NewsNegative => $"{symbol} news turned negative: net sentiment {value.ToString("0.###", CultureInfo.InvariantCulture)} over {headlineCount} headline(s) of the last 24 h, below your {threshold.ToString("0.###", CultureInfo.InvariantCulture)}",
            _ => kind.ToString(),
        };
        return simulated ? text + " (simulated market data)" : text;
    }

    public static string? SerializeItems(IReadOnlyList<AlertItem>? items) =>
        items is null or { Count: 0 } ? null : JsonSerializer.Serialize(items, Json);

    public static IReadOnlyList<AlertItem> Items(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<AlertItem[]>(json, Json) ?? [];

    public static string? SerializeHeadlines(IReadOnlyList<AlertHeadline>? headlines) =>
        headlines is null or { Count: 0 } ? null : JsonSerializer.Serialize(headlines, Json);

    public static IReadOnlyList<AlertHeadline> Headlines(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<AlertHeadline[]>(json, Json) ?? [];

    /// <summary>
    /// A price in the listing's currency (a London alert is in pounds, not dollars): "$", "€", "£" or "¥"
    /// before it, else the ISO code and a no-break space ("CHF 24.50"), the forms <c>UiFormat.MarkAmounts</c> marks for privacy mode.
    /// </summary>
    private static string Money(decimal value, string? symbol)
    {
        var currency = symbol is null ? "USD" : FinSight.MarketData.Currencies.Exchanges.CurrencyOf(symbol);
        var number = value.ToString("#,##0.00##", CultureInfo.InvariantCulture);
        return currency switch
        {
            "USD" => "$" + number,
            "EUR" => "€" + number,
            "GBP" => "£" + number,
            "JPY" => "¥" + number,
            _ => currency + "\u00A0" + number,
        };
    }

    private static string Number(decimal value) => value.ToString("#,##0.00##", CultureInfo.InvariantCulture);

    private static string Percent(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture) + " %";

    private static string SignedPercent(decimal value) => value.ToString("+0.##;-0.##;0", CultureInfo.InvariantCulture) + " %";

    /// <summary>The kind's API name (price_below).</summary>
    public static string Name(AlertKind kind) => JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString());

    /// <summary>The kind named by its API name (price_below), in any letter case; false for anything else.</summary>
    public static bool TryParseKind(string? name, out AlertKind kind)
    {
        foreach (var candidate in Enum.GetValues<AlertKind>())
        {
            if (string.Equals(Name(candidate), name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }
        kind = default;
        return false;
    }

    /// <summary>The status's API name (pending, delivered, failed).</summary>
    public static string StatusName(AlertDeliveryStatus status) => JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString());
}
