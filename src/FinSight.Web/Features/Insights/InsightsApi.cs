using FinSight.Web.Features.Dashboard;
using FinSight.Web.Features.Portfolios;
using FinSight.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FinSight.Web.Features.Insights;

/// <summary>Why the portfolio moved today and its monthly returns (dashboard routes, in the spec's envelope), and its dividend income.</summary>
public static class InsightsApi
{
    public static IEndpointRouteBuilder MapInsightsApi(this IEndpointRouteBuilder app)
    {
        var dashboard = app.MapApiGroup("/api/dashboard", "Dashboard").RequireAuthorization();
        dashboard.MapGet("/day-move", DayMove).WithName("DashboardDayMove")
            .WithSummary("Why the portfolio moved today: the day's change by holding, with each holding's last-24-hour headlines and a value-weighted news score")
            .WithDescription("contribution = shares at the previous close × (price − previous close), plus (price − trade price) for shares bought today and "
                + "(sale price − price) for shares sold today, less their fees; the holdings' contributions plus today's dividends less today's fees add up to day_change to the cent. "
                + "Deposits and withdrawals of the day (net_deposits) are not part of it. news_score is each holding's mean net sentiment (−1 … 1) weighted by position value.");
        dashboard.MapGet("/monthly-returns", MonthlyReturns).WithName("DashboardMonthlyReturns")
            .WithSummary("Time-weighted return by month and by year (percentages), since the first trade, as of the last closed session");
        var income = app.MapApiGroup("/api/income", "Income").RequireAuthorization();
        income.MapGet("/", Income).WithName("Income")
            .WithSummary("Dividends received by month, year and holding; trailing-12-month income, yield and yield on cost; a 12-month forecast and its calendar")
            .WithDescription("The forecast repeats each holding's dividends of the last 365 days (market data, in today's shares) a year on, on the shares held today; "
                + "those ex-dates are marked estimated. pay_date is the pay date where a provider states it (Finnhub's dividends, Yahoo's next one; a year on when estimated), else null. Money to the cent; *_percent fields are percentages.");
        return app;
    }

    public static async Task<Results<Ok<Success<DayMoveResponse>>, ProblemHttpResult>> DayMove(
        [AsParameters] PortfolioScope scope, InsightsQueries queries, CancellationToken ct) =>
        await scope.FindAsync(ct) is { } portfolio
            ? TypedResults.Ok(new Success<DayMoveResponse>(await queries.DayMoveAsync(portfolio, ct)))
            : PortfolioScope.NotFound();

    public static async Task<Results<Ok<Success<MonthlyReturnsResponse>>, ProblemHttpResult>> MonthlyReturns(
        [AsParameters] PortfolioScope scope, InsightsQueries queries, CancellationToken ct) =>
        await scope.FindAsync(ct) is { } portfolio
            ? TypedResults.Ok(new Success<MonthlyReturnsResponse>(await queries.MonthlyReturnsAsync(portfolio, ct)))
            : PortfolioScope.NotFound();

    public static async Task<Results<Ok<IncomeResponse>, ProblemHttpResult>> Income(
        [AsParameters] PortfolioScope scope, InsightsQueries queries, CancellationToken ct) =>
        await scope.FindAsync(ct) is { } portfolio
            ? TypedResults.Ok(await queries.IncomeAsync(portfolio, ct))
            : PortfolioScope.NotFound();
}
