using FinSight.Web.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FinSight.Web.Features.Portfolios;

/// <summary>
/// The portfolio a route works on, bound with <c>[AsParameters]</c>: <c>portfolio_id</c> from the
/// query string, or the user's default portfolio (created on first use) without one. Another
/// user's id is simply not found.
/// </summary>
/// <param name="PortfolioId">A portfolio of the signed-in user; null for the default one.</param>
/// <param name="Store">Finds it, for the signed-in user only.</param>
public sealed record PortfolioScope([FromQuery(Name = "portfolio_id")] Guid? PortfolioId, PortfolioStore Store)
{
    /// <summary>The portfolio, or null when it is not the user's.</summary>
    public Task<Portfolio?> FindAsync(CancellationToken ct) => Store.FindAsync(PortfolioId, ct);

    /// <summary>The answer when <see cref="FindAsync"/> found nothing: 404 problem details.</summary>
    public static ProblemHttpResult NotFound() => WriteProblem.NotFound("portfolio").ToResult();
}
