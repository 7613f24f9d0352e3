using FinSight.MarketData;
using FinSight.MarketData.Simulated;
using FinSight.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FinSight.Web.Features.Demo;

/// <summary>Where the demo's simulated market now closes a symbol.</summary>
/// <param name="Symbol">The ticker.</param>
/// <param name="Session">The session whose close was moved: today's while the market is open, else the last closed one.</param>
/// <param name="Close">The close it now has, in the stock's currency.</param>
public sealed record DemoMarketMoveResponse(string Symbol, DateOnly Session, decimal Close);

/// <param name="Price">The close to move to, &gt; 0.</param>
public sealed record DemoMarketMoveRequest(decimal? Price);

/// <summary>
/// Demo mode only (never mapped otherwise): moves the simulated market, so a price alert's crossing
/// can be watched at any hour. Outside US trading hours the simulated price stands at the last close.
/// </summary>
public static class DemoApi
{
    public static RouteGroupBuilder MapDemoApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/api/demo", "Demo").RequireAuthorization();
        group.MapPost("/market/{symbol}", Move).WithName("DemoMoveMarket")
            .WithSummary("Demo mode only: re-draw the simulated market so the symbol closes at a price")
            .WithDescription("The session moved is today's while the US market is open (the price heads there by the close), else the last closed one (the quote "
                + "shows it once the quote cache, MarketData:QuoteCacheDuration, expires). The demo trades' prices stay where they were. Not mapped outside demo mode.");
        return group;
    }

    public static Results<Ok<DemoMarketMoveResponse>, ValidationProblem> Move(
        string symbol, DemoMarketMoveRequest request, SimulatedMarketProvider market, TimeProvider clock)
    {
        var errors = new ValidationErrors();
        var ticker = errors.RequireTicker("symbol", symbol);
        if (request.Price is not { } price || price <= 0 || price > 1_000_000m || decimal.Round(price, 4) != price)
        {
            errors.Add("price", "Must be a price greater than 0 (at most 4 decimal places).");
        }
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var session = DemoMode.Move(market, ticker!, request.Price!.Value, clock.GetUtcNow());
        return TypedResults.Ok(new DemoMarketMoveResponse(ticker!, session, request.Price.Value));
    }
}
