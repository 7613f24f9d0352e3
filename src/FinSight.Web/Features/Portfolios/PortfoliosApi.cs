using FinSight.Domain;
using FinSight.Web.Auth;
using FinSight.Web.Data;
using FinSight.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace FinSight.Web.Features.Portfolios;

/// <summary>A portfolio's name and cost basis method (<c>fifo</c> or <c>average_cost</c>).</summary>
public sealed record PortfolioRequest(string? Name, CostBasisMethod? CostBasisMethod)
{
    public const int NameMax = 100;

    public string? Validate(ValidationErrors errors, bool nameRequired)
    {
        if (Name is null && !nameRequired)
        {
            return null;
        }
        return errors.RequireLength("name", Name, 1, NameMax) ? Name!.Trim() : null;
    }
}

public sealed record PortfolioResponse(Guid Id, string Name, bool IsDefault, CostBasisMethod CostBasisMethod, DateTimeOffset CreatedAt)
{
    public static PortfolioResponse From(Portfolio p) => new(p.Id, p.Name, p.IsDefault, p.CostBasisMethod, p.CreatedAt);
}

/// <summary>Named portfolios. Every user has a default one; more may be created.</summary>
public static class PortfoliosApi
{
    public static RouteGroupBuilder MapPortfoliosApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/portfolios").WithTags("Portfolios").RequireAuthorization();
        group.MapGet("/", List).WithName("ListPortfolios").WithSummary("Your portfolios, the default first");
        group.MapPost("/", Create).WithName("CreatePortfolio").WithSummary("Create a named portfolio");
        group.MapPut("/{id:guid}", Update).WithName("UpdatePortfolio").WithSummary("Rename a portfolio or change its cost basis method");
        group.MapDelete("/{id:guid}", Delete).WithName("DeletePortfolio")
            .WithSummary("Delete a portfolio and its transactions")
            .WithDescription("The default portfolio cannot be deleted (409).");
        return group;
    }

    public static async Task<Ok<PortfolioResponse[]>> List(PortfolioStore store, FinSightDbContext db, CurrentUser user, CancellationToken ct)
    {
        await store.FindAsync(null, ct); // makes sure the default exists
        var userId = user.Id;
        var portfolios = await db.Portfolios.AsNoTracking().Where(p => p.UserId == userId).ToListAsync(ct);
        return TypedResults.Ok(portfolios.OrderByDescending(p => p.IsDefault).ThenBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
            .Select(PortfolioResponse.From).ToArray());
    }

    public static async Task<Results<Created<PortfolioResponse>, ValidationProblem, ProblemHttpResult>> Create(
        PortfolioRequest request, FinSightDbContext db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var name = request.Validate(errors, nameRequired: true);
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var now = clock.StoredUtcNow();
        var portfolio = new Portfolio
        {
            Id = Guid.CreateVersion7(now),
            UserId = user.Id,
            Name = name!,
            CostBasisMethod = request.CostBasisMethod ?? CostBasisMethod.Fifo,
            CreatedAt = now,
        };
        db.Portfolios.Add(portfolio);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return NameTaken();
        }
        return TypedResults.Created($"/api/portfolios/{portfolio.Id}", PortfolioResponse.From(portfolio));
    }

    public static async Task<Results<Ok<PortfolioResponse>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, PortfolioRequest request, FinSightDbContext db, CurrentUser user, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var name = request.Validate(errors, nameRequired: false);
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var userId = user.Id;
        var portfolio = await db.Portfolios.SingleOrDefaultAsync(p => p.Id == id && p.UserId == userId, ct);
        if (portfolio is null)
        {
            return WriteProblem.NotFound("portfolio").ToResult();
        }
        portfolio.Name = name ?? portfolio.Name;
        // The method changes how sells are costed, not what is held, so no replay can start failing.
        portfolio.CostBasisMethod = request.CostBasisMethod ?? portfolio.CostBasisMethod;
        portfolio.Version++;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The portfolio changed meanwhile", detail: "Reload it and try again.");
        }
        catch (DbUpdateException)
        {
            return NameTaken();
        }
        return TypedResults.Ok(PortfolioResponse.From(portfolio));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid id, FinSightDbContext db, CurrentUser user, CancellationToken ct)
    {
        var userId = user.Id;
        var portfolio = await db.Portfolios.SingleOrDefaultAsync(p => p.Id == id && p.UserId == userId, ct);
        if (portfolio is null)
        {
            return WriteProblem.NotFound("portfolio").ToResult();
        }
        if (portfolio.IsDefault)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The default portfolio cannot be deleted",
                detail: "Delete its transactions instead, or keep it empty.");
        }
        db.Portfolios.Remove(portfolio);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult NameTaken() => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
        title: "That portfolio name is already used", detail: "Each of your portfolios needs its own name.",
        extensions: new Dictionary<string, object?> { ["field"] = "name" });
}
