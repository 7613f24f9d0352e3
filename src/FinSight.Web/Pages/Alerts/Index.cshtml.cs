using System.Globalization;
using FinSight.Web.Data;
using FinSight.Web.Features.Alerts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FinSight.Web.Pages.Alerts;

/// <summary>
/// The alerts page: the user's alerts (the bell's list, mark read), their rules (create from a
/// holding's page with the symbol filled in, delete), where alerts go (email, webhook, quiet hours,
/// a test email) and the delivery log. Everything goes through <see cref="AlertService"/>, as the API does.
/// </summary>
public sealed class IndexModel(AlertService alerts, Features.Portfolios.PortfolioStore store) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public RuleForm Rule { get; set; } = new();

    [BindProperty]
    public SettingsForm Settings { get; set; } = new();

    public AlertEventsResponse Events { get; private set; } = new(0, []);
    public List<AlertRule> Rules { get; private set; } = [];
    public AlertSettingsResponse Current { get; private set; } = null!;
    public IReadOnlyList<AlertDeliveryResponse> Deliveries { get; private set; } = [];
    public string? Flash { get; private set; }
    public string? Error { get; private set; }

    /// <summary>The portfolio's base currency: a price threshold in another (its listing's) says its code.</summary>
    public string BaseCurrency { get; private set; } = "USD";

    /// <summary>A price alert's figure in its listing's currency; a move or drawdown as a percentage; a sentiment as it is.</summary>
    public Microsoft.AspNetCore.Html.IHtmlContent Figure(AlertKind kind, string? symbol, decimal value) => kind switch
    {
        AlertKind.PriceAbove or AlertKind.PriceBelow =>
            Ui.UiFormat.Amount(value, symbol is null ? BaseCurrency : MarketData.Currencies.Exchanges.CurrencyOf(symbol), BaseCurrency),
        AlertKind.NewsNegative => new Microsoft.AspNetCore.Html.HtmlString(Ui.UiFormat.Number(value)),
        _ => new Microsoft.AspNetCore.Html.HtmlString(Ui.UiFormat.Percent(value, signed: false)),
    };

    /// <summary>The rule being edited (from <c>?edit=</c>), or null when the form makes a new one.</summary>
    public Guid? Editing { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? saved, Guid? edit, CancellationToken ct)
    {
        if (edit is { } id)
        {
            if (await alerts.RuleAsync(id, ct) is not { } rule)
            {
                return NotFound();
            }
            Editing = id;
            Rule = RuleForm.From(rule);
        }
        Flash = saved switch
        {
            "rule" => "Alert rule created.",
            "updated" => "Alert rule saved.",
            "deleted" => "Alert rule deleted.",
            "settings" => "Alert settings saved.",
            "retry" => "The delivery will be tried again.",
            "secret" => "A new webhook signing secret was made; update your receiver.",
            { Length: > 5 } s when s.StartsWith("test:", StringComparison.Ordinal) => $"Test email sent to {s[5..]}.",
            _ => null,
        };
        await LoadAsync(ct, fillSettings: true);
        return Page();
    }

    /// <summary>The bell alone, polled by htmx on every page.</summary>
    public async Task<IActionResult> OnGetBellAsync(CancellationToken ct) => Partial("_AlertBell", await alerts.UnreadCountAsync(ct));

    /// <summary>Creates a rule, or with <paramref name="id"/> replaces that one (as <c>PUT /api/alerts/rules/{id}</c> does).</summary>
    public async Task<IActionResult> OnPostCreateRuleAsync(Guid? id, CancellationToken ct)
    {
        var errors = new Infrastructure.ValidationErrors();
        var request = Rule.ToRequest(errors);
        Editing = id;
        if (request is not null)
        {
            var (rule, invalid, problem) = id is { } existing ? await alerts.UpdateAsync(existing, request, ct) : await alerts.CreateAsync(request, ct);
            if (rule is not null)
            {
                return Redirect(id is null ? "/alerts?saved=rule#rules" : "/alerts?saved=updated#rules");
            }
            invalid?.AddTo(ModelState, nameof(Rule));
            problem?.AddTo(ModelState, nameof(Rule));
            Response.StatusCode = problem?.Status ?? StatusCodes.Status400BadRequest;
        }
        else
        {
            errors.AddTo(ModelState, nameof(Rule));
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        await LoadAsync(ct, fillSettings: true);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteRuleAsync(Guid id, CancellationToken ct) =>
        await alerts.DeleteAsync(id, ct) ? Redirect("/alerts?saved=deleted#rules") : NotFound();

    /// <summary>Marks one alert (or all, without an id) read; an htmx request gets the list back, others a redirect.</summary>
    public async Task<IActionResult> OnPostReadAsync(Guid? id, CancellationToken ct)
    {
        if (!await alerts.MarkReadAsync(id, ct))
        {
            return NotFound();
        }
        if (Request.Headers.ContainsKey("HX-Request"))
        {
            Events = await alerts.EventsAsync(false, 50, ct);
            BaseCurrency = (await store.FindAsync(null, ct))?.BaseCurrency ?? BaseCurrency;
            return Partial("_AlertList", this);
        }
        return Redirect("/alerts");
    }

    public async Task<IActionResult> OnPostSettingsAsync(CancellationToken ct)
    {
        if (await alerts.SaveSettingsAsync(Settings.ToRequest(), ct) is { } errors)
        {
            errors.AddTo(ModelState, nameof(Settings));
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync(ct, fillSettings: false);
            return Page();
        }
        return Redirect("/alerts?saved=settings#settings");
    }

    public async Task<IActionResult> OnPostRotateSecretAsync(CancellationToken ct) =>
        await alerts.RotateSecretAsync(ct) is null ? BadRequest() : Redirect("/alerts?saved=secret#settings");

    public async Task<IActionResult> OnPostTestEmailAsync(CancellationToken ct)
    {
        var (sentTo, problem) = await alerts.SendTestEmailAsync(ct);
        if (sentTo is not null)
        {
            return Redirect("/alerts?saved=" + Uri.EscapeDataString("test:" + sentTo) + "#settings");
        }
        Error = problem!.Detail;
        Response.StatusCode = problem.Status;
        await LoadAsync(ct, fillSettings: true);
        return Page();
    }

    public async Task<IActionResult> OnPostRetryAsync(Guid id, CancellationToken ct) =>
        await alerts.RetryAsync(id, ct) ? Redirect("/alerts?saved=retry#log") : NotFound();

    private async Task LoadAsync(CancellationToken ct, bool fillSettings)
    {
        Events = await alerts.EventsAsync(false, 50, ct);
        BaseCurrency = (await store.FindAsync(null, ct))?.BaseCurrency ?? BaseCurrency;
        Rules = await alerts.RulesAsync(ct);
        Current = await alerts.SettingsAsync(ct);
        Deliveries = await alerts.DeliveriesAsync(50, ct);
        if (fillSettings)
        {
            Settings = new SettingsForm
            {
                Email = Current.Email, WebhookUrl = Current.WebhookUrl, QuietStart = Current.QuietStart, QuietEnd = Current.QuietEnd, TimeZone = Current.TimeZone,
            };
        }
    }

    /// <summary>The new-rule form; <see cref="Symbol"/> may come in the query string (from a holding's page).</summary>
    public sealed class RuleForm
    {
        public AlertKind Kind { get; set; } = AlertKind.PriceBelow;
        public string? Symbol { get; set; }
        public string? Threshold { get; set; }
        public string? RearmMargin { get; set; }
        public bool NotifyEmail { get; set; }
        public bool NotifyWebhook { get; set; }

        public static RuleForm From(AlertRule rule) => new()
        {
            Kind = rule.Kind, Symbol = rule.Symbol, Threshold = rule.Threshold.ToString(CultureInfo.InvariantCulture),
            RearmMargin = rule.RearmMargin.ToString(CultureInfo.InvariantCulture), NotifyEmail = rule.NotifyEmail, NotifyWebhook = rule.NotifyWebhook,
        };

        public AlertRuleRequest? ToRequest(Infrastructure.ValidationErrors errors)
        {
            var threshold = Number("threshold", Threshold, errors, required: Kind != AlertKind.PendingCorporateAction);
            var margin = Number("rearm_margin", RearmMargin, errors, required: false);
            return errors.IsEmpty
                ? new AlertRuleRequest(AlertText.Name(Kind), Kind == AlertKind.PortfolioDrawdown ? null : Symbol, null, threshold, margin, NotifyEmail, NotifyWebhook, true)
                : null;
        }

        private static decimal? Number(string field, string? text, Infrastructure.ValidationErrors errors, bool required)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                if (required)
                {
                    errors.Add(field, "This field is required.");
                }
                return null;
            }
            if (!decimal.TryParse(text.Trim().TrimStart('$').TrimEnd('%').Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
            {
                errors.Add(field, "Enter a number, e.g. 250 or -0.3.");
                return null;
            }
            return value;
        }
    }

    public sealed class SettingsForm
    {
        public string? Email { get; set; }
        public string? WebhookUrl { get; set; }
        public string? QuietStart { get; set; }
        public string? QuietEnd { get; set; }
        public string? TimeZone { get; set; }

        public AlertSettingsRequest ToRequest() => new(Email, WebhookUrl, QuietStart, QuietEnd, TimeZone);
    }
}
