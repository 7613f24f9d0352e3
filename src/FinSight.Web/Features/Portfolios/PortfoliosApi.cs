using FinSight.Domain;
using FinSight.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using FinSight.Web.Data;

namespace FinSight.Web.Features.Portfolios;

/// <summary>A portfolio's name, cost basis method (<c>fifo</c> or <c>average_cost</c>) and base currency (ISO 4217; every figure is expressed in it).</summary>
public sealed record PortfolioRequest(string? Name, CostBasisMethod? CostBasisMethod, string? BaseCurrency = null)
{
    public const int NameMax = 100;

    /// <summary>The base currency asked for, upper-cased; null when not given (or invalid, with an error added).</summary>
    public string? ValidateCurrency(ValidationErrors errors)
    {
        if (BaseCurrency is null)
        {
            return null;
        }
        if (!Domain.Currency.TryParse(BaseCurrency, out var currency))
        {
            errors.Add("base_currency", Domain.Currency.Invalid(BaseCurrency));
            return null;
        }
        return currency.Code;
    }

    public string? Validate(ValidationErrors errors, bool nameRequired)
    {
        if (Name is null && !nameRequired)
        {
            return null;
        }
        return errors.RequireLength("name", Name, 1, NameMax) ? Name!.Trim() : null;
    }
}

public sealed record PortfolioResponse(Guid Id, string Name, bool IsDefault, CostBasisMethod CostBasisMethod, DateTimeOffset CreatedAt, string BaseCurrency)
{
    public static PortfolioResponse From(Portfolio p) => new(p.Id, p.Name, p.IsDefault, p.CostBasisMethod, p.CreatedAt, p.BaseCurrency);
}

/// <summary>Named portfolios. Every user has a default one; more may be created.</summary>
public static class PortfoliosApi
{
    public static RouteGroupBuilder MapPortfoliosApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/api/portfolios", "Portfolios").RequireAuthorization();
        group.MapGet("/", List).WithName("ListPortfolios").WithSummary("Your portfolios, the default first");
        group.MapPost("/", Create).WithName("CreatePortfolio").WithSummary("Create a named portfolio");
        group.MapPut("/{id:guid}", Update).WithName("UpdatePortfolio").WithSummary("Rename a portfolio or change its cost basis method or base currency (every figure is then re-expressed in it)");
        group.MapDelete("/{id:guid}", Delete).WithName("DeletePortfolio")
            .WithSummary("Delete a portfolio and its transactions")
            .WithDescription("The default portfolio cannot be deleted (409).");
        return group;
    }

    public static async Task<Ok<PortfolioResponse[]>> List(PortfolioStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.ListAsync(ct)).Select(PortfolioResponse.From).ToArray());

    public static async Task<Results<Created<PortfolioResponse>, ValidationProblem, ProblemHttpResult>> Create(
        PortfolioRequest request, PortfolioStore store, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var name = request.Validate(errors, nameRequired: true);
        var currency = request.ValidateCurrency(errors);
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var (created, problem) = await store.CreateAsync(name!, request.CostBasisMethod ?? CostBasisMethod.Fifo, ct, currency ?? "USD");
        return created is not null ? TypedResults.Created($"/api/portfolios/{created.Id}", PortfolioResponse.From(created)) : problem!.ToResult();
    }

    public static async Task<Results<Ok<PortfolioResponse>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, PortfolioRequest request, PortfolioStore store, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var name = request.Validate(errors, nameRequired: false);
        var currency = request.ValidateCurrency(errors);
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var (updated, problem) = await store.UpdateAsync(id, name, request.CostBasisMethod, ct, currency);
        return updated is not null ? TypedResults.Ok(PortfolioResponse.From(updated)) : problem!.ToResult();
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid id, PortfolioStore store, CancellationToken ct) =>
        await store.DeleteAsync(id, ct) is { } problem ? problem.ToResult() : TypedResults.NoContent();
}
