using FinSight.Domain;
using FinSight.Web.Data;
using FinSight.Web.Features.CorporateActions;
using FinSight.Web.Features.Portfolios;
using FinSight.Web.Ui;
using FinSight.MarketData.Currencies;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FinSight.Web.Pages.Actions;

/// <summary>
/// Splits and dividends from market data that the default portfolio lacks: apply one, all, or
/// automatically; dismiss one for good. Writes go through <see cref="CorporateActionService"/>, as the API's do.
/// </summary>
public sealed class IndexModel(PortfolioStore store, CorporateActionService actions) : PageModel
{
    /// <summary>
    /// The last write's outcome, shown once by the next plain GET of the page. Read from TempData in
    /// <c>OnGetAsync</c> only, not bound with [TempData]: that loads (and so spends) it in every handler
    /// of the page, and an htmx lookup of this page sent while the browser follows the write's
    /// redirect took the message before the page could show it.
    /// </summary>
    public string? Message { get; private set; }

    /// <summary>The last write's failure, shown once like <see cref="Message"/>.</summary>
    public string? Failure { get; private set; }

    public CorporateActionScan Scan { get; private set; } = null!;

    /// <summary>The portfolio's base currency: a dividend in its listing's currency says its code.</summary>
    public string BaseCurrency { get; private set; } = "USD";

    public async Task OnGetAsync(CancellationToken ct)
    {
        (Message, Failure) = (TempData[nameof(Message)] as string, TempData[nameof(Failure)] as string);
        var portfolio = await DefaultPortfolioAsync(ct);
        BaseCurrency = portfolio.BaseCurrency;
        Scan = await actions.ScanAsync(portfolio, ct);
    }

    /// <summary>The dashboard's notice: how many actions wait, loaded after the page so it never slows the dashboard down.</summary>
    public async Task<IActionResult> OnGetNoticeAsync(CancellationToken ct)
    {
        Scan = await actions.ScanAsync(await DefaultPortfolioAsync(ct), ct);
        return Partial("_ActionsNotice", Scan);
    }

    public async Task<IActionResult> OnPostApplyAsync(string? key, CancellationToken ct)
    {
        var keys = key is null ? null : CorporateActionsApi.ValidKeys([key], new Infrastructure.ValidationErrors(), required: true);
        if (key is not null && keys is null)
        {
            return BadRequest();
        }
        var (result, problem) = await actions.ApplyAsync(await DefaultPortfolioAsync(ct), keys, asOwner: false, ct);
        if (result is null)
        {
            TempData[nameof(Failure)] = problem!.Detail;
        }
        else
        {
            TempData[nameof(Message)] = result.Applied.Count switch
            {
                0 => "Nothing was pending any more: it is already recorded.",
                1 => "Recorded: " + result.Applied[0].Description + ".",
                var n => $"Recorded {n} corporate actions.",
            };
        }
        return Redirect("/actions");
    }

    public async Task<IActionResult> OnPostDismissAsync(string key, CancellationToken ct)
    {
        if (CorporateActionsApi.ValidKeys([key], new Infrastructure.ValidationErrors(), required: true) is not [var valid])
        {
            return BadRequest();
        }
        if (await actions.DismissAsync(await DefaultPortfolioAsync(ct), [valid], ct) is { } problem)
        {
            TempData[nameof(Failure)] = problem.Detail;
        }
        else
        {
            TempData[nameof(Message)] = "Dismissed: it will not be proposed again.";
        }
        return Redirect("/actions");
    }

    public async Task<IActionResult> OnPostAutoAsync(bool on, CancellationToken ct)
    {
        var (result, problem) = await actions.SetAutoApplyAsync(await DefaultPortfolioAsync(ct), on, ct);
        if (result is null)
        {
            TempData[nameof(Failure)] = problem!.Detail;
        }
        else
        {
            TempData[nameof(Message)] = on ? $"Splits and dividends are now recorded automatically ({result.Applied.Count} recorded now)." : "Automatic recording is off.";
        }
        return Redirect("/actions");
    }

    /// <summary>
    /// What recording it does, as <see cref="CorporateActionProposal.Description"/> says it, with its
    /// quantities and amounts marked (privacy mode hides them) and the cash in the listing's currency.
    /// </summary>
    public IHtmlContent Describe(CorporateActionProposal p)
    {
        var a = p.Action;
        var currency = Exchanges.CurrencyOf(a.Symbol);
        var html = new HtmlContentBuilder();
        if (a.Kind == CorporateActionKind.Dividend)
        {
            html.Append($"{a.Symbol} dividend ").AppendHtml(UiFormat.PerShare(a.AmountPerShare, currency, BaseCurrency))
                .Append($" per share (ex-date {UiFormat.Date(a.ExDate)}{(a.PayDate is { } pay ? ", paid " + UiFormat.Date(pay) : "")}) on ")
                .AppendHtml(UiFormat.Shares(p.SharesHeld)).Append(" shares: record ").AppendHtml(UiFormat.Amount(p.Amount, currency, BaseCurrency));
            return html;
        }
        html.Append($"{a.Symbol} {UiFormat.Quantity(a.Numerator)}-for-{UiFormat.Quantity(a.Denominator)} {(a.Numerator >= a.Denominator ? "split" : "reverse split")} on {UiFormat.Date(a.ExDate)}: ")
            .AppendHtml(UiFormat.Shares(p.SharesHeld)).Append(" shares become ").AppendHtml(UiFormat.Shares(p.SharesAfter));
        if (p.CashInLieuShares is { } fraction)
        {
            html.Append("; ").AppendHtml(UiFormat.Shares(fraction)).Append(" sold for cash in lieu at ")
                .AppendHtml(UiFormat.PerShare(p.CashInLieuPrice, currency, BaseCurrency)).Append(" = ").AppendHtml(UiFormat.Amount(p.CashInLieuAmount, currency, BaseCurrency));
        }
        return html;
    }

    /// <summary>A short name for the dashboard's notice, without amounts: "AAPL dividend (ex-date 2025-08-11)".</summary>
    public static string Name(CorporateActionProposal p) => $"{p.Action.Symbol} {Kind(p).ToLowerInvariant()} (ex-date {UiFormat.Date(p.Action.ExDate)})";

    public static string Kind(CorporateActionProposal p) => p.Action.Kind == CorporateActionKind.Split
        ? (p.Action.Numerator >= p.Action.Denominator ? "Split" : "Reverse split")
        : "Dividend";

    private async Task<Portfolio> DefaultPortfolioAsync(CancellationToken ct) =>
        await store.FindAsync(null, ct) ?? throw new InvalidOperationException("The default portfolio could not be loaded.");
}
