using FinSight.Web.Features.Portfolios;
using FinSight.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FinSight.Web.Features.Alerts;

/// <summary>Alert rules, settings, firings (the bell) and the delivery log of the signed-in user.</summary>
public static class AlertsApi
{
    public static RouteGroupBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/api/alerts", "Alerts").RequireAuthorization();
        group.MapGet("/rules", ListRules).WithName("ListAlertRules").WithSummary("Your alert rules");
        group.MapPost("/rules", CreateRule).WithName("CreateAlertRule").WithSummary("Create an alert rule")
            .WithDescription("threshold is a price for price_above/price_below, a percentage for daily_move and the drawdowns, a net sentiment (-1…1) for news_negative. "
                + "409 when you have Alerts:MaxRulesPerUser rules already.");
        group.MapGet("/rules/{id:guid}", GetRule).WithName("GetAlertRule").WithSummary("One alert rule");
        group.MapPut("/rules/{id:guid}", UpdateRule).WithName("UpdateAlertRule").WithSummary("Replace an alert rule")
            .WithDescription("A changed condition re-arms the rule.");
        group.MapDelete("/rules/{id:guid}", DeleteRule).WithName("DeleteAlertRule").WithSummary("Delete an alert rule (its firings stay in the history)");
        group.MapGet("/settings", GetSettings).WithName("GetAlertSettings").WithSummary("Where your alerts go, and your quiet hours");
        group.MapPut("/settings", PutSettings).WithName("UpdateAlertSettings").WithSummary("Set the alert email, webhook URL and quiet hours")
            .WithDescription("The first webhook URL gets a signing secret (webhook_secret in the answer).");
        group.MapPost("/settings/webhook-secret", RotateSecret).WithName("RotateAlertWebhookSecret").WithSummary("Replace the webhook signing secret");
        group.MapGet("/events", ListEvents).WithName("ListAlertEvents").WithSummary("Your alerts, newest first, with the unread count");
        group.MapPost("/events/{id:guid}/read", MarkRead).WithName("MarkAlertRead").WithSummary("Mark one alert read");
        group.MapPost("/events/read", MarkAllRead).WithName("MarkAllAlertsRead").WithSummary("Mark every alert read");
        group.MapGet("/deliveries", ListDeliveries).WithName("ListAlertDeliveries").WithSummary("The delivery log: each email and webhook call with its tries and status codes");
        group.MapPost("/deliveries/{id:guid}/retry", Retry).WithName("RetryAlertDelivery").WithSummary("Send a failed delivery again");
        group.MapPost("/test-email", TestEmail).WithName("SendAlertTestEmail").WithSummary("Send a test email to your alert address")
            .WithDescription("409 when no SMTP server is configured, 429 beyond the hourly delivery limit, 502 when the SMTP server refuses.");
        return group;
    }

    public static async Task<Ok<AlertRuleResponse[]>> ListRules(AlertService alerts, CancellationToken ct) =>
        TypedResults.Ok((await alerts.RulesAsync(ct)).Select(AlertRuleResponse.From).ToArray());

    public static async Task<Results<Ok<AlertRuleResponse>, ProblemHttpResult>> GetRule(Guid id, AlertService alerts, CancellationToken ct) =>
        await alerts.RuleAsync(id, ct) is { } rule ? TypedResults.Ok(AlertRuleResponse.From(rule)) : WriteProblem.NotFound("alert rule").ToResult();

    public static async Task<Results<Created<AlertRuleResponse>, ValidationProblem, ProblemHttpResult>> CreateRule(
        AlertRuleRequest request, AlertService alerts, CancellationToken ct)
    {
        var (rule, errors, problem) = await alerts.CreateAsync(request, ct);
        return rule is not null ? TypedResults.Created($"/api/alerts/rules/{rule.Id}", AlertRuleResponse.From(rule))
            : errors is not null ? TypedResults.ValidationProblem(errors.ToDictionary()) : problem!.ToResult();
    }

    public static async Task<Results<Ok<AlertRuleResponse>, ValidationProblem, ProblemHttpResult>> UpdateRule(
        Guid id, AlertRuleRequest request, AlertService alerts, CancellationToken ct)
    {
        var (rule, errors, problem) = await alerts.UpdateAsync(id, request, ct);
        return rule is not null ? TypedResults.Ok(AlertRuleResponse.From(rule))
            : errors is not null ? TypedResults.ValidationProblem(errors.ToDictionary()) : problem!.ToResult();
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteRule(Guid id, AlertService alerts, CancellationToken ct) =>
        await alerts.DeleteAsync(id, ct) ? TypedResults.NoContent() : WriteProblem.NotFound("alert rule").ToResult();

    public static async Task<Ok<AlertSettingsResponse>> GetSettings(AlertService alerts, CancellationToken ct) => TypedResults.Ok(await alerts.SettingsAsync(ct));

    public static async Task<Results<Ok<AlertSettingsResponse>, ValidationProblem>> PutSettings(AlertSettingsRequest request, AlertService alerts, CancellationToken ct) =>
        await alerts.SaveSettingsAsync(request, ct) is { } errors ? TypedResults.ValidationProblem(errors.ToDictionary()) : TypedResults.Ok(await alerts.SettingsAsync(ct));

    public static async Task<Results<Ok<AlertSettingsResponse>, ProblemHttpResult>> RotateSecret(AlertService alerts, CancellationToken ct) =>
        await alerts.RotateSecretAsync(ct) is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "No webhook", detail: "Set a webhook URL first.")
            : TypedResults.Ok(await alerts.SettingsAsync(ct));

    /// <param name="unread">Only the unread ones.</param>
    /// <param name="limit">At most this many (default 50, at most 200).</param>
    public static async Task<Ok<AlertEventsResponse>> ListEvents(AlertService alerts, bool? unread, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await alerts.EventsAsync(unread ?? false, limit ?? 50, ct));

    public static async Task<Results<NoContent, ProblemHttpResult>> MarkRead(Guid id, AlertService alerts, CancellationToken ct) =>
        await alerts.MarkReadAsync(id, ct) ? TypedResults.NoContent() : WriteProblem.NotFound("alert").ToResult();

    public static async Task<NoContent> MarkAllRead(AlertService alerts, CancellationToken ct)
    {
        await alerts.MarkReadAsync(null, ct);
        return TypedResults.NoContent();
    }

    /// <param name="limit">At most this many deliveries (default 50, at most 200); the last 10 test emails come with them.</param>
    public static async Task<Ok<IReadOnlyList<AlertDeliveryResponse>>> ListDeliveries(AlertService alerts, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await alerts.DeliveriesAsync(limit ?? 50, ct));

    public static async Task<Results<Accepted, ProblemHttpResult>> Retry(Guid id, AlertService alerts, CancellationToken ct) =>
        await alerts.RetryAsync(id, ct) ? TypedResults.Accepted((string?)null) : WriteProblem.NotFound("failed delivery").ToResult();

    public static async Task<Results<Ok<TestEmailResponse>, ProblemHttpResult>> TestEmail(AlertService alerts, CancellationToken ct)
    {
        var (sentTo, problem) = await alerts.SendTestEmailAsync(ct);
        return sentTo is not null ? TypedResults.Ok(new TestEmailResponse(sentTo)) : problem!.ToResult();
    }
}
