using FinSight.Domain;
using FinSight.Web.Data;
using FinSight.Web.Features.Dashboard;
using FinSight.Web.Features.News;
using FinSight.Web.Features.Portfolios;
using FinSight.Web.Features.Transactions;
using FinSight.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FinSight.Web.Features.Holdings;

/// <summary>
/// A purchase as the spec's holdings routes see it: symbol, cost per share, quantity and date.
/// The date defaults to today; fees default to 0.
/// </summary>
public sealed record HoldingRequest(string? Symbol, decimal? PurchaseCost, decimal? Quantity, DateOnly? Date, decimal? Fees, string? Notes, Guid? PortfolioId)
{
    public TransactionDraft? Validate(DateTimeOffset now, ValidationErrors errors)
    {
        var symbol = errors.RequireTicker("symbol", Symbol);
        TransactionDraft.Range("quantity", Quantity, errors, 0m, exclusiveMin: true, TransactionDraft.MaxQuantity);
        TransactionDraft.Range("purchase_cost", PurchaseCost, errors, 0m, exclusiveMin: false, TransactionDraft.MaxPrice);
        if (Fees is not null)
        {
            TransactionDraft.Range("fees", Fees, errors, 0m, exclusiveMin: false, TransactionDraft.MaxAmount);
        }
        var date = TransactionDraft.ValidateDate(Date ?? DateOnly.FromDateTime(now.UtcDateTime), now, errors);
        var notes = string.IsNullOrWhiteSpace(Notes) ? null : Notes.Trim();
        if (notes is { Length: > TransactionDraft.NotesMax })
        {
            errors.Add("notes", $"Must be at most {TransactionDraft.NotesMax} characters.");
        }
        return errors.IsEmpty
            ? new TransactionDraft(TransactionType.Buy, symbol, Quantity, PurchaseCost, Fees ?? 0m, null, null, null, date, notes) { Currency = MarketData.Currencies.Exchanges.CurrencyOf(symbol!), CurrencyFromSuffix = true }
            : null;
    }
}

/// <summary>One purchase (a BUY lot). <c>remaining_quantity</c> is what is still held from it after later sells.</summary>
public sealed record HoldingResponse(
    Guid Id, Guid PortfolioId, string Symbol, decimal Quantity, decimal PurchaseCost, decimal Fees, decimal CostBasis,
    DateOnly Date, string? Notes, decimal? RemainingQuantity, DateTimeOffset CreatedAt)
{
    public static HoldingResponse From(TransactionRecord r, decimal? remaining = null) => new(
        Id: r.Id, PortfolioId: r.PortfolioId, Symbol: r.Symbol!, Quantity: r.Quantity!.Value, PurchaseCost: r.Price!.Value, Fees: r.Fees ?? 0m,
        CostBasis: (r.Quantity.Value * r.Price.Value) + (r.Fees ?? 0m), Date: r.Date, Notes: r.Notes, RemainingQuantity: remaining, CreatedAt: r.CreatedAt);
}

/// <summary>A symbol's purchases and what is held of it now.</summary>
public sealed record SymbolHoldings(string Symbol, decimal QuantityHeld, decimal? AverageCost, decimal CostBasis, IReadOnlyList<HoldingResponse> Lots)
{
    /// <summary>The purchases of <paramref name="symbol"/>, newest first; under FIFO each says what remains of it.</summary>
    public static SymbolHoldings Of(string symbol, PortfolioFacts facts, CostBasisMethod method)
    {
        var position = facts.State.FindPosition(symbol);
        // Under FIFO each open lot names the buy it came from; under average cost the pool does not.
        var remaining = position?.Lots.Where(l => l.TransactionId is not null)
            .GroupBy(l => l.TransactionId!)
            .ToDictionary(g => g.Key, g => g.Sum(l => l.Quantity)) ?? [];
        var byLot = method == CostBasisMethod.Fifo;
        var lots = facts.Records
            .Where(r => r.Type == TransactionType.Buy && r.Symbol == symbol)
            .OrderByDescending(r => r.Date).ThenByDescending(r => r.CreatedAt)
            .Select(r => HoldingResponse.From(r, byLot ? remaining.GetValueOrDefault(r.Id.ToString()) : null))
            .ToList();
        return new SymbolHoldings(symbol, QuantityHeld: position?.Quantity ?? 0m, AverageCost: position?.AverageCost, CostBasis: position?.CostBasis ?? 0m, lots);
    }
}

/// <summary>The spec's <c>/holdings/*</c> routes: purchases added, edited and removed one by one.</summary>
public static class HoldingsApi
{
    public static RouteGroupBuilder MapHoldingsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/holdings", "Holdings").RequireAuthorization();
        group.MapPost("/add", Add).WithName("AddHolding").WithSummary("Record a purchase (a BUY lot)");
        group.MapPut("/update/{id:guid}", Update).WithName("UpdateHolding")
            .WithSummary("Edit a purchase")
            .WithDescription("Refused with 409 when a later sell depends on the shares it provided.");
        group.MapDelete("/delete/{id:guid}", Delete).WithName("DeleteHolding")
            .WithSummary("Delete a purchase")
            .WithDescription("Refused with 409 when a later sell depends on the shares it provided.");
        group.MapGet("/profit-loss", ProfitLoss).WithName("ProfitLoss")
            .WithSummary("Every open position with current price, market value, cost, gain and gain %, plus totals");
        group.MapGet("/news-sentiment", NewsSentiment).WithName("HoldingsNewsSentiment").WithSummary("For every stock you hold: its latest headlines with sentiment and why, and a digest of its news").WithDescription("Headlines say whether they are live, simulated or stale; the digest covers the lookback window (MarketData:NewsLookbackDays).");
        group.MapGet("/by-symbol", BySymbol).WithName("HoldingsBySymbol").WithSummary("Your purchases of one symbol, with what remains of each");
        return group;
    }

    public static async Task<Results<Created<HoldingResponse>, ValidationProblem, ProblemHttpResult>> Add(
        HoldingRequest request, TransactionWriter writer, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (request.Validate(clock.GetUtcNow(), errors) is not { } draft)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var (created, problem) = await writer.AddAsync(request.PortfolioId, draft, ct);
        return created is not null ? TypedResults.Created($"/api/transactions/{created.Id}", HoldingResponse.From(created)) : problem!.ToResult();
    }

    public static async Task<Results<Ok<HoldingResponse>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, HoldingRequest request, TransactionWriter writer, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (request.Validate(clock.GetUtcNow(), errors) is not { } draft)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var (updated, problem) = await writer.ReplaceAsync(id, draft, "holding", IsBuy, ct);
        return updated is not null ? TypedResults.Ok(HoldingResponse.From(updated)) : problem!.ToResult();
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid id, TransactionWriter writer, CancellationToken ct) =>
        await writer.DeleteAsync(id, "holding", IsBuy, ct) is { } problem ? problem.ToResult() : TypedResults.NoContent();

    public static async Task<Results<Ok<SymbolHoldings>, ValidationProblem, ProblemHttpResult>> BySymbol(
        string? symbol, [AsParameters] PortfolioScope scope, PortfolioAnalytics analytics, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (errors.RequireTicker("symbol", symbol) is not { } wanted)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        return await scope.FindAsync(ct) is { } portfolio
            ? TypedResults.Ok(SymbolHoldings.Of(wanted, await analytics.FactsAsync(portfolio, ct), portfolio.CostBasisMethod))
            : PortfolioScope.NotFound();
    }

    public static async Task<Results<Ok<ProfitLossResponse>, ProblemHttpResult>> ProfitLoss(
        [AsParameters] PortfolioScope scope, DashboardQueries queries, WarmState warm, CancellationToken ct) =>
        await scope.FindAsync(ct) is { } portfolio
            ? TypedResults.Ok(await warm.DashboardAsync(portfolio, "profit-loss",
                async () => queries.ProfitLoss(await queries.ValueAsync(portfolio, CancellationToken.None)), ct))
            : PortfolioScope.NotFound();

    public static async Task<Results<Ok<HoldingsNewsResponse>, ProblemHttpResult>> NewsSentiment(
        [AsParameters] PortfolioScope scope, NewsQueries news, CancellationToken ct) =>
        await scope.FindAsync(ct) is { } portfolio ? TypedResults.Ok(await news.HoldingsAsync(portfolio, ct)) : PortfolioScope.NotFound();

    private static bool IsBuy(TransactionRecord record) => record.Type == TransactionType.Buy;
}
