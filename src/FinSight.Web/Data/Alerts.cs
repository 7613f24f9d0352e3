namespace FinSight.Web.Data;

/// <summary>What an alert rule watches. Units of <see cref="AlertRule.Threshold"/> per kind are in the README's alerts section.</summary>
public enum AlertKind
{
    /// <summary>Price at or above the threshold (in the quote's currency).</summary>
    PriceAbove,
    /// <summary>Price at or below the threshold (in the quote's currency).</summary>
    PriceBelow,
    /// <summary>The day's move against the previous close, up or down, at or beyond ±threshold percent.</summary>
    DailyMove,
    /// <summary>A held position's price at or more than threshold percent below its highest close since it was opened.</summary>
    PositionDrawdown,
    /// <summary>The portfolio's time-weighted index at or more than threshold percent below its peak (as of the last close).</summary>
    PortfolioDrawdown,
    /// <summary>The mean net sentiment (P(positive) − P(negative), −1…1) of a symbol's headlines of the last 24 hours strictly below the threshold.</summary>
    NewsNegative,
    /// <summary>
    /// A holding's next ex-dividend date (from the income calendar: reported, or last year's a year on) is
    /// threshold days away or fewer. Fires once per dividend (symbol and ex-date month), not per evaluation.
    /// </summary>
    ExDividend,
    /// <summary>A split or dividend found in market data is missing from the portfolio's history. Fires once per action; threshold unused (0).</summary>
    PendingCorporateAction,
}

/// <summary>Where a firing is sent besides the in-app list, which always has it.</summary>
public enum AlertChannel
{
    Email,
    Webhook,
}

/// <summary>Where a delivery stands. Pending ones are retried with back-off; failed ones stay visible until retried by hand.</summary>
public enum AlertDeliveryStatus
{
    Pending,
    Delivered,
    /// <summary>Gave up after <c>Alerts:MaxAttempts</c>; the user can send it again.</summary>
    Failed,
}

/// <summary>
/// One user's alert rule. <see cref="Armed"/> is the fire-once state: a rule fires when its
/// condition becomes true while armed (which disarms it) and re-arms once the condition is clear
/// by <see cref="RearmMargin"/>, so a value that hovers at the threshold fires once.
/// </summary>
public sealed class AlertRule
{
    public Guid Id { get; init; }
    public Guid UserId { get; init; }
    public AlertKind Kind { get; set; }
    /// <summary>
    /// The watched ticker (normalized); null for <see cref="AlertKind.PortfolioDrawdown"/>, and for "any holding"
    /// with <see cref="AlertKind.ExDividend"/> and <see cref="AlertKind.PendingCorporateAction"/>.
    /// </summary>
    public string? Symbol { get; set; }
    /// <summary>The portfolio a drawdown, ex-dividend or corporate-action rule reads; null for the other kinds.</summary>
    public Guid? PortfolioId { get; set; }
    public decimal Threshold { get; set; }
    /// <summary>How far past the threshold, back on the clear side, the value must go to re-arm; same unit as the threshold, ≥ 0.</summary>
    public decimal RearmMargin { get; set; }
    public bool NotifyEmail { get; set; }
    public bool NotifyWebhook { get; set; }
    public bool Enabled { get; set; } = true;
    public bool Armed { get; set; } = true;
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? LastFiredAt { get; set; }
}

/// <summary>
/// A firing: written once, in the same transaction that disarms its rule and queues its deliveries,
/// with the values that triggered it. It is the in-app notification (unread until <see cref="ReadAt"/>).
/// </summary>
public sealed class AlertEvent
{
    public Guid Id { get; init; }
    public Guid UserId { get; init; }
    /// <summary>Null once the rule is deleted; the history stays.</summary>
    public Guid? RuleId { get; set; }
    public AlertKind Kind { get; init; }
    public string? Symbol { get; init; }
    public decimal Threshold { get; init; }
    /// <summary>The observed value, in the threshold's unit.</summary>
    public decimal Value { get; init; }
    public required string Message { get; init; }
    /// <summary>The headlines behind a news alert, as a JSON array; null for other kinds.</summary>
    public string? Headlines { get; init; }
    /// <summary>The dividends or corporate actions an event alert is about (ex-dividend, pending action), as a JSON array; null for other kinds.</summary>
    public string? Items { get; init; }
    /// <summary>True when the value came from the simulated market: never to be taken for a live price.</summary>
    public bool IsSimulated { get; init; }
    public DateTimeOffset FiredAt { get; init; }
    public DateTimeOffset? ReadAt { get; set; }
}

/// <summary>
/// One event (an ex-dividend date, a pending split or dividend) a rule has fired for, written in the
/// firing's transaction. Its primary key makes "once per event" hold however many instances evaluate.
/// </summary>
public sealed class AlertRuleOccurrence
{
    public Guid RuleId { get; init; }
    /// <summary>The event's key: <c>ex_dividend:MSFT:2027-02</c>, or a corporate action's key (<c>dividend:MSFT:2026-11-10</c>).</summary>
    public required string Key { get; init; }
    public Guid EventId { get; init; }
    public DateTimeOffset FiredAt { get; init; }
}

/// <summary>
/// An outbox row: one firing to send on one channel, written with the firing, so a restart between
/// firing and sending still sends it, and a sent one is never sent again.
/// </summary>
public sealed class AlertDelivery
{
    public Guid Id { get; init; }
    public Guid EventId { get; init; }
    public Guid UserId { get; init; }
    public AlertChannel Channel { get; init; }
    /// <summary>The address or URL at firing time.</summary>
    public required string Target { get; init; }
    public AlertDeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    /// <summary>When it may be tried next: after quiet hours, a back-off, or a claim's lease.</summary>
    public DateTimeOffset NextAttemptAt { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? DeliveredAt { get; set; }
}

/// <summary>One try to send (a delivery's, or a test email), as the user's delivery log shows it.</summary>
public sealed class AlertDeliveryAttempt
{
    public Guid Id { get; init; }
    public Guid UserId { get; init; }
    /// <summary>Null for a test email.</summary>
    public Guid? DeliveryId { get; init; }
    public AlertChannel Channel { get; init; }
    public required string Target { get; init; }
    public DateTimeOffset AttemptedAt { get; init; }
    public bool Succeeded { get; init; }
    /// <summary>The webhook's HTTP status, or the SMTP reply code.</summary>
    public int? StatusCode { get; init; }
    public string? Error { get; init; }
    public int DurationMs { get; init; }
}

/// <summary>One user's alert delivery settings.</summary>
public sealed class AlertPreferences
{
    public Guid UserId { get; init; }
    /// <summary>Where alert emails go; null means the account's email.</summary>
    public string? Email { get; set; }
    public string? WebhookUrl { get; set; }
    /// <summary>The webhook signing secret, protected with Data Protection.</summary>
    public string? WebhookSecret { get; set; }
    /// <summary>Quiet hours start (local time in <see cref="TimeZone"/>); with <see cref="QuietEnd"/>, or neither.</summary>
    public TimeOnly? QuietStart { get; set; }
    public TimeOnly? QuietEnd { get; set; }
    /// <summary>IANA time zone of the quiet hours.</summary>
    public string TimeZone { get; set; } = "UTC";
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Limits shared by the schema and validation.</summary>
public static class AlertLimits
{
    public const int SymbolMax = 20;
    public const int MessageMax = 1000;
    public const int TargetMax = 500;
    public const int ErrorMax = 500;
    public const int TimeZoneMax = 64;
    public const int OccurrenceKeyMax = 100;
}
