using FinSight.Domain;
using FinSight.Web.Data;
using FinSight.Web.Features.Portfolios;
using FinSight.Web.Features.Transactions;
using FinSight.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FinSight.Web.Features.CorporateActions;

/// <summary>One pending split or dividend. Money in the portfolio's currency; quantities in shares.</summary>
/// <param name="Key">Names it in apply and dismiss requests: kind, symbol and ex-date (<c>split:AAPL:2020-08-31</c>).</param>
/// <param name="Kind">split or dividend.</param>
/// <param name="Symbol">The ticker.</param>
/// <param name="ExDate">Its ex-date.</param>
/// <param name="RecordDate">The date it would be recorded on (a dividend's pay date when known, else its ex-date).</param>
/// <param name="Numerator">A split's new shares per <paramref name="Denominator"/> old ones.</param>
/// <param name="Denominator">A split's old shares.</param>
/// <param name="AmountPerShare">A dividend's cash per share as the shares were on its ex-date.</param>
/// <param name="SharesHeld">Shares held at the end of the day before the ex-date (earlier pending splits counted as applied).</param>
/// <param name="SharesAfter">A split's shares after it.</param>
/// <param name="CashInLieuShares">The fraction of a share a split leaves that is sold for cash.</param>
/// <param name="CashInLieuPrice">Its price per share (the ex-date close).</param>
/// <param name="CashInLieuAmount">The cash paid for it.</param>
/// <param name="Amount">A dividend's cash: shares held × amount per share, in cents.</param>
/// <param name="Description">One line: "AAPL 4-for-1 split on 2020-08-31: 10 shares become 40".</param>
/// <param name="Source">The market-data provider that reported it.</param>
public sealed record CorporateActionResponse(
    string Key, string Kind, string Symbol, DateOnly ExDate, DateOnly RecordDate, decimal? Numerator, decimal? Denominator, decimal? AmountPerShare,
    decimal SharesHeld, decimal? SharesAfter, decimal? CashInLieuShares, decimal? CashInLieuPrice, decimal? CashInLieuAmount, decimal? Amount,
    string Description, string Source)
{
    public static CorporateActionResponse From(CorporateActionProposal p)
    {
        var a = p.Action;
        var split = a.Kind == CorporateActionKind.Split;
        return new(a.Key, split ? "split" : "dividend", a.Symbol, a.ExDate, p.RecordDate,
            split ? a.Numerator : null, split ? a.Denominator : null, split ? null : a.AmountPerShare,
            p.SharesHeld, p.SharesAfter, p.CashInLieuShares, p.CashInLieuPrice, p.CashInLieuAmount, p.Amount, p.Description, a.Source);
    }
}

/// <summary>The pending actions of a portfolio.</summary>
/// <param name="Pending">Oldest first.</param>
/// <param name="AutoApply">Whether they are recorded without asking.</param>
/// <param name="MissingHistory">Symbols no provider had a history for: their actions are unknown, not absent.</param>
/// <param name="IsSimulated">True when any of it comes from the simulated market (never live data).</param>
public sealed record CorporateActionsResponse(IReadOnlyList<CorporateActionResponse> Pending, bool AutoApply, IReadOnlyList<string> MissingHistory, bool IsSimulated);

/// <summary>Which actions to apply or dismiss.</summary>
/// <param name="PortfolioId">The portfolio; the default one when null.</param>
/// <param name="Keys">Action keys; for apply, null or absent means every pending action.</param>
public sealed record CorporateActionKeysRequest(Guid? PortfolioId, IReadOnlyList<string>? Keys);

/// <summary>What an apply recorded.</summary>
/// <param name="Applied">The actions recorded.</param>
/// <param name="Transactions">The transactions written for them.</param>
/// <param name="AlreadyRecorded">Keys asked for that were no longer pending: nothing was written for them.</param>
public sealed record CorporateActionApplyResponse(
    IReadOnlyList<CorporateActionResponse> Applied, IReadOnlyList<TransactionResponse> Transactions, IReadOnlyList<string> AlreadyRecorded)
{
    public static CorporateActionApplyResponse From(CorporateActionApplyResult r) =>
        new([.. r.Applied.Select(CorporateActionResponse.From)], [.. r.Transactions.Select(TransactionResponse.From)], r.AlreadyRecorded);
}

/// <summary>The portfolio's corporate-action setting.</summary>
/// <param name="PortfolioId">The portfolio; the default one when null.</param>
/// <param name="AutoApply">Record pending splits and dividends without asking (now, and daily after).</param>
public sealed record CorporateActionSettingsRequest(Guid? PortfolioId, bool? AutoApply);

/// <summary>Splits and dividends from market data that the user's history lacks: list, apply, dismiss, automate.</summary>
public static class CorporateActionsApi
{
    public const int MaxKeys = 500;

    public static RouteGroupBuilder MapCorporateActionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/api/corporate-actions", "Corporate actions").RequireAuthorization();
        group.MapGet("/", List).WithName("ListCorporateActions")
            .WithSummary("Splits and dividends market data reports for held symbols that the history lacks")
            .WithDescription("An action is pending when shares were held at the end of the day before its ex-date and no recorded split (same ratio, within 5 days) "
                + "or dividend (between ex-date − 5 days and pay date + 5 days, or ex-date + 45 days when no pay date is known; 70–102 % of the expected cash) records it, "
                + "and it was not dismissed. Dividends are per share as the shares were on the ex-date.");
        group.MapPost("/apply", Apply).WithName("ApplyCorporateActions")
            .WithSummary("Record pending actions: the ones named by keys, or all of them")
            .WithDescription("One all-or-nothing write. Idempotent: a key already recorded is listed under already_recorded and written nowhere. "
                + "A split that leaves a fraction of a whole-share holding sells the fraction for cash in lieu at the ex-date close.");
        group.MapPost("/dismiss", Dismiss).WithName("DismissCorporateActions").WithSummary("Never propose these actions for this portfolio again");
        group.MapDelete("/dismissed", Restore).WithName("RestoreCorporateAction").WithSummary("Propose a dismissed action again (key in the query string)");
        group.MapPut("/settings", Settings).WithName("CorporateActionSettings")
            .WithSummary("Record pending actions automatically (auto_apply)")
            .WithDescription("Turning it on records every pending action now; a daily job records new ones after that.");
        return group;
    }

    public static async Task<Results<Ok<CorporateActionsResponse>, ProblemHttpResult>> List(
        [AsParameters] PortfolioScope scope, CorporateActionService actions, CancellationToken ct)
    {
        if (await scope.FindAsync(ct) is not { } portfolio)
        {
            return PortfolioScope.NotFound();
        }
        var scan = await actions.ScanAsync(portfolio, ct);
        return TypedResults.Ok(new CorporateActionsResponse([.. scan.Pending.Select(CorporateActionResponse.From)], scan.AutoApply, scan.MissingHistory, scan.IsSimulated));
    }

    public static async Task<Results<Ok<CorporateActionApplyResponse>, ValidationProblem, ProblemHttpResult>> Apply(
        CorporateActionKeysRequest? request, PortfolioStore store, CorporateActionService actions, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var keys = ValidKeys(request?.Keys, errors, required: false);
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        if (await store.FindAsync(request?.PortfolioId, ct) is not { } portfolio)
        {
            return PortfolioScope.NotFound();
        }
        var (result, problem) = await actions.ApplyAsync(portfolio, keys, asOwner: false, ct);
        return result is not null ? TypedResults.Ok(CorporateActionApplyResponse.From(result)) : problem!.ToResult();
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Dismiss(
        CorporateActionKeysRequest request, PortfolioStore store, CorporateActionService actions, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var keys = ValidKeys(request.Keys, errors, required: true);
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        if (await store.FindAsync(request.PortfolioId, ct) is not { } portfolio)
        {
            return PortfolioScope.NotFound();
        }
        return await actions.DismissAsync(portfolio, keys!, ct) is { } problem ? problem.ToResult() : TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Restore(
        [AsParameters] PortfolioScope scope, string? key, CorporateActionService actions, CancellationToken ct)
    {
        // Another user's portfolio is 404 whatever the key.
        if (await scope.FindAsync(ct) is not { } portfolio)
        {
            return PortfolioScope.NotFound();
        }
        var errors = new ValidationErrors();
        var keys = ValidKeys(key is null ? null : [key], errors, required: true);
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        return await actions.RestoreAsync(portfolio, keys![0], ct)
            ? TypedResults.NoContent()
            : WriteProblem.NotFound("dismissed corporate action").ToResult();
    }

    public static async Task<Results<Ok<CorporateActionApplyResponse>, ValidationProblem, ProblemHttpResult>> Settings(
        CorporateActionSettingsRequest request, PortfolioStore store, CorporateActionService actions, CancellationToken ct)
    {
        if (request.AutoApply is not { } on)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["auto_apply"] = ["This field is required (true or false)."] });
        }
        if (await store.FindAsync(request.PortfolioId, ct) is not { } portfolio)
        {
            return PortfolioScope.NotFound();
        }
        var (result, problem) = await actions.SetAutoApplyAsync(portfolio, on, ct);
        return result is not null ? TypedResults.Ok(CorporateActionApplyResponse.From(result)) : problem!.ToResult();
    }

    /// <summary>Keys as <see cref="MarketCorporateAction.Key"/> writes them: <c>split|dividend:TICKER:YYYY-MM-DD</c>.</summary>
    internal static IReadOnlyList<string>? ValidKeys(IReadOnlyList<string>? keys, ValidationErrors errors, bool required)
    {
        if (keys is null)
        {
            if (required)
            {
                errors.Add("keys", "This field is required: a list of action keys such as split:AAPL:2020-08-31.");
            }
            return null;
        }
        if (keys.Count is 0 or > MaxKeys)
        {
            errors.Add("keys", $"Give between 1 and {MaxKeys} keys.");
            return null;
        }
        var valid = new List<string>(keys.Count);
        foreach (var key in keys)
        {
            var parts = (key ?? "").Split(':');
            if (parts.Length != 3 || parts[0] is not ("split" or "dividend") || !Ticker.TryParse(parts[1], out var ticker)
                || !DateOnly.TryParseExact(parts[2], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _)
                || (key ?? "").Length > CorporateActionDismissal.KeyMax)
            {
                errors.Add("keys", $"'{key}' is not an action key; keys look like split:AAPL:2020-08-31 or dividend:MSFT:2025-08-21.");
                return null;
            }
            valid.Add($"{parts[0]}:{ticker.Value}:{parts[2]}");
        }
        return valid;
    }
}
