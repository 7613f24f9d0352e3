using FinSight.MarketData;
using FinSight.Web.Data;
using FinSight.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FinSight.Web.Features.Stocks;

public sealed record StockResponse(string Symbol, string Name, string Exchange, SecurityType Type, string? Sector, string? Industry)
{
    public static StockResponse From(StockRow s) => new(s.Symbol, s.Name, s.Exchange, s.Type, s.Sector, s.Industry);
}

public sealed record StockPage(IReadOnlyList<StockResponse> Items, int Total, int Offset, int Limit);

/// <summary>The symbol directory: US listed stocks and ETFs.</summary>
public static class StocksApi
{
    public const int MaxPageSize = 200;

    public static RouteGroupBuilder MapStocksApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/stocks", "Stocks").RequireAuthorization();
        group.MapGet("/symbols", Symbols).WithName("ListSymbols")
            .WithSummary("Search the symbol directory and the market data provider")
            .WithDescription("With q: the directory's ranked matches (exact symbol, symbol prefix, then company name words), then listings the configured provider's search finds that the directory lacks (directory matches alone when the provider is down). Without q: the directory in symbol order. Paged with limit and offset.");
        return group;
    }

    public static async Task<Results<Ok<StockPage>, ValidationProblem>> Symbols(
        SymbolDirectory directory, ListingSearch search, string? q, int? limit, int? offset, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var page = Paging.Validate(limit, offset, MaxPageSize, errors, defaultLimit: 20);
        if (q is { Length: > 100 })
        {
            errors.Add("q", "Must be at most 100 characters.");
        }
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        if (string.IsNullOrWhiteSpace(q))
        {
            var items = directory.All.Skip(page.Offset).Take(page.Limit).Select(StockResponse.From).ToArray();
            return TypedResults.Ok(new StockPage(items, directory.Count, page.Offset, page.Limit));
        }
        // Ranking needs the whole candidate list; a search box never pages far. The provider's other listings follow the directory's.
        var ranked = await search.SearchAsync(q, page.Offset + page.Limit, ct);
        return TypedResults.Ok(new StockPage([.. ranked.Skip(page.Offset).Select(StockResponse.From)], ranked.Count, page.Offset, page.Limit));
    }
}
