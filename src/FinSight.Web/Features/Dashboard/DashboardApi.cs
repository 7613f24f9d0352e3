using System.Globalization;
using FinSight.Domain;
using FinSight.Web.Features.Portfolios;
using FinSight.Web.Features.Settings;
using FinSight.Web.Features.Stocks;
using FinSight.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FinSight.Web.Features.Dashboard;

/// <summary>
/// The spec's <c>/api/dashboard/*</c> routes for the signed-in user's portfolio: adapters over
/// <see cref="DashboardQueries"/>. Each success is the spec's <c>{"status": "success", "data": ...}</c>;
/// each error an RFC 9457 problem details document.
/// </summary>
public static class DashboardApi
{
    public const int MaxTrades = 500;

    public static RouteGroupBuilder MapDashboardApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/api/dashboard", "Dashboard").RequireAuthorization();
        group.MapGet("/overview", Overview).WithName("DashboardOverview")
            .WithSummary("Headline figures: value, profit and loss, returns, risk and trade statistics")
            .WithDescription("Values at live quotes. Risk and return figures (twr, xirr, volatility, sharpe_ratio, sortino_ratio, max_drawdown, beta, alpha) "
                + "are those of /api/dashboard/performance for the same range (range: default ALL), benchmark and risk-free rate, as of the last closed US session. "
                + "Units: money rounded to cents; total_return_percent, twr, twr_annualized, xirr, volatility (annualized), max_drawdown (positive: a fall from peak), alpha and win_rate are percentages (12.00 = 12 %); "
                + "sharpe_ratio, sortino_ratio and beta are plain numbers. data.data lists prices that are stale, simulated or unavailable.");
        group.MapGet("/positions", Positions).WithName("DashboardPositions").WithSummary("Open positions with prices, day change, P&L, weight and company details");
        group.MapGet("/trades", Trades).WithName("DashboardTrades").WithSummary("Transaction history, newest first, with realized P&L on sells");
        group.MapGet("/quote/{symbol}", GetQuote).WithName("DashboardQuote").WithSummary("A quote, with whether it is live, stale or simulated");
        group.MapGet("/profile/{symbol}", GetProfile).WithName("DashboardProfile").WithSummary("A company profile");
        group.MapGet("/performance", Performance).WithName("DashboardPerformance")
            .WithSummary("Daily value, invested, time-weighted return index, benchmark index and drawdown for a range")
            .WithDescription("range: 1D, MTD, 1M, 3M, YTD, 1Y, 3Y, 5Y or ALL (default 1Y). benchmark: a symbol (default: the user's, else SPY). "
                + "One point per US trading day up to the last closed session. twr_index and benchmark_index are growth indices (1 = the range's baseline); "
                + "returns, volatility, alpha, max_drawdown.depth and a point's drawdown are percentages; sharpe_ratio, sortino_ratio, beta and correlation plain numbers.");
        return group;
    }

    public static async Task<Results<Ok<Success<DashboardOverview>>, ValidationProblem, ProblemHttpResult>> Overview(
        [AsParameters] PortfolioScope scope, string? range, DashboardQueries queries, UserSettingsService settings, WarmState warm, CancellationToken ct)
    {
        var wanted = PerformanceRange.All;
        if (range is not null && !PerformanceRanges.TryParse(range, out wanted))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["range"] = [RangeError] });
        }
        if (await scope.FindAsync(ct) is not { } portfolio)
        {
            return PortfolioScope.NotFound();
        }
        var mine = await settings.CurrentAsync(ct);
        return Ok(await warm.DashboardAsync(portfolio, string.Create(CultureInfo.InvariantCulture, $"overview:{wanted}:{mine.Benchmark}:{mine.RiskFreeRate:R}"),
            async () => await queries.OverviewAsync(await queries.ValueAsync(portfolio, CancellationToken.None), mine, CancellationToken.None, wanted), ct));
    }

    private const string RangeError = "Must be one of 1D, MTD, 1M, 3M, YTD, 1Y, 3Y, 5Y, ALL.";

    private static Ok<Success<T>> Ok<T>(T data) => TypedResults.Ok(new Success<T>(data));

    public static async Task<Results<Ok<Success<PositionsResponse>>, ProblemHttpResult>> Positions(
        [AsParameters] PortfolioScope scope, DashboardQueries queries, WarmState warm, CancellationToken ct) =>
        await scope.FindAsync(ct) is { } portfolio
            ? Ok(await warm.DashboardAsync(portfolio, "positions",
                async () => await queries.PositionsAsync(await queries.ValueAsync(portfolio, CancellationToken.None), CancellationToken.None), ct))
            : PortfolioScope.NotFound();

    public static async Task<Results<Ok<Success<TradesResponse>>, ValidationProblem, ProblemHttpResult>> Trades(
        [AsParameters] PortfolioScope scope, int? limit, DashboardQueries queries, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var page = Paging.Validate(limit, 0, MaxTrades, errors, defaultLimit: 50);
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        return await scope.FindAsync(ct) is { } portfolio ? Ok(await queries.TradesAsync(portfolio, page.Limit, ct)) : PortfolioScope.NotFound();
    }

    public static async Task<Results<Ok<Success<QuoteResponse>>, ValidationProblem, ProblemHttpResult>> GetQuote(string symbol, DashboardQueries queries, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (errors.RequireTicker("symbol", symbol) is not { } wanted)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var (quote, problem) = await queries.QuoteAsync(wanted, ct);
        return quote is not null ? Ok(quote) : problem!.ToResult();
    }

    public static async Task<Results<Ok<Success<ProfileResponse>>, ValidationProblem, ProblemHttpResult>> GetProfile(string symbol, DashboardQueries queries, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (errors.RequireTicker("symbol", symbol) is not { } wanted)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var (profile, problem) = await queries.ProfileAsync(wanted, ct);
        return profile is not null ? Ok(profile) : problem!.ToResult();
    }

    public static async Task<Results<Ok<Success<PerformanceResponse>>, ValidationProblem, ProblemHttpResult>> Performance(
        [AsParameters] PortfolioScope scope, string? range, string? benchmark,
        DashboardQueries queries, SymbolValidator symbols, UserSettingsService settings, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var wantedRange = PerformanceRange.OneYear;
        if (range is not null && !PerformanceRanges.TryParse(range, out wantedRange))
        {
            errors.Add("range", RangeError);
        }
        var mine = await settings.CurrentAsync(ct);
        var benchmarkSymbol = benchmark is null ? mine.Benchmark : errors.RequireTicker("benchmark", benchmark);
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        if (symbols.CheckListed(benchmarkSymbol!) is { } unknown)
        {
            return unknown.ToResult();
        }
        if (await scope.FindAsync(ct) is not { } portfolio)
        {
            return PortfolioScope.NotFound();
        }
        return Ok(await queries.PerformanceAsync(portfolio, wantedRange, benchmarkSymbol!, mine.RiskFreeRate, ct));
    }
}
