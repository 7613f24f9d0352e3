using FinSight.Domain;
using FinSight.MarketData;
using FinSight.Web.Features.Portfolios;
using FinSight.Web.Features.Settings;
using FinSight.Web.Features.Stocks;
using FinSight.Web.Features.Transactions;
using FinSight.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FinSight.Web.Features.Dashboard;

/// <summary>The spec's <c>/api/dashboard/*</c> routes and <c>/holdings/profit-loss</c>, for the signed-in user's portfolio.</summary>
public static class DashboardApi
{
    public const int MaxTrades = 500;

    public static RouteGroupBuilder MapDashboardApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/dashboard").WithTags("Dashboard").RequireAuthorization();
        group.MapGet("/overview", Overview).WithName("DashboardOverview")
            .WithSummary("Headline figures: value, profit and loss, returns, risk and trade statistics")
            .WithDescription("Values at live quotes; risk figures are as of the last closed session. 'data' lists prices that are stale, simulated or unavailable.");
        group.MapGet("/positions", Positions).WithName("DashboardPositions").WithSummary("Open positions with prices, day change, P&L, weight and company details");
        group.MapGet("/trades", Trades).WithName("DashboardTrades").WithSummary("Transaction history, newest first, with realized P&L on sells");
        group.MapGet("/quote/{symbol}", GetQuote).WithName("DashboardQuote").WithSummary("A quote, with whether it is live, stale or simulated");
        group.MapGet("/profile/{symbol}", GetProfile).WithName("DashboardProfile").WithSummary("A company profile");
        group.MapGet("/performance", Performance).WithName("DashboardPerformance")
            .WithSummary("Daily value, invested, time-weighted return index, benchmark index and drawdown for a range")
            .WithDescription("range: 1M, 3M, YTD, 1Y, 3Y, 5Y or ALL (default 1Y). benchmark: a symbol (default SPY).");
        return group;
    }

    public static async Task<Results<Ok<DashboardOverview>, ProblemHttpResult>> Overview(
        [FromQuery(Name = "portfolio_id")] Guid? portfolioId, PortfolioStore store, PortfolioAnalytics analytics, UserSettingsService settings,
        TimeProvider clock, CancellationToken ct)
    {
        if (await store.FindAsync(portfolioId, ct) is not { } portfolio)
        {
            return WriteProblem.NotFound("portfolio").ToResult();
        }
        var view = await analytics.ViewAsync(portfolio, ct);
        var mine = await settings.CurrentAsync(ct);
        var snapshot = await analytics.SnapshotAsync(portfolio, ct, mine.Benchmark, mine.RiskFreeRate);
        var v = view.Valuation;
        var trades = view.Trades;
        var statuses = view.State.Positions.Select(p => PriceStatus.From(p.Symbol, view.Quotes.GetValueOrDefault(p.Symbol)));
        var previousValue = v.DayChange is { } change ? v.MarketValue - change : 0m;
        return TypedResults.Ok(new DashboardOverview(
            portfolio.Id, portfolio.Name,
            Round.Money(v.TotalValue), Round.Money(v.Cash), Round.Money(v.CostBasis), Round.Money(v.MarketValue),
            Round.Money(v.UnrealizedGain), Round.Percent(v.UnrealizedGainRatio), Round.Money(v.RealizedGain),
            Round.Money(v.Dividends), Round.Money(v.Fees),
            Round.Money(v.TotalGain), Round.Percent(TotalReturnRatio(view)),
            Round.Fraction(snapshot?.TimeWeightedReturn), Round.Fraction(snapshot?.AnnualizedTimeWeightedReturn), Round.Fraction(snapshot?.MoneyWeightedReturn),
            Round.Fraction(snapshot?.SharpeRatio), Round.Fraction(snapshot?.SortinoRatio), Round.Fraction(snapshot?.MaxDrawdown),
            Round.Fraction(snapshot?.Volatility), Round.Fraction(snapshot?.Beta), Round.Fraction(snapshot?.Alpha),
            Round.Fraction(trades.WinRate), trades.Count, trades.Winners, trades.Losers,
            Round.Money(v.DayChange), previousValue > 0 ? Round.Percent(v.DayChange / previousValue) : null,
            view.State.Positions.Count, snapshot?.Benchmark ?? analytics.DefaultBenchmark, snapshot?.Date,
            clock.GetUtcNow(), DataFreshness.From(statuses)));
    }

    public static async Task<Results<Ok<PositionsResponse>, ProblemHttpResult>> Positions(
        [FromQuery(Name = "portfolio_id")] Guid? portfolioId, PortfolioStore store, PortfolioAnalytics analytics,
        MarketDataService marketData, SymbolDirectory directory, TimeProvider clock, CancellationToken ct)
    {
        if (await store.FindAsync(portfolioId, ct) is not { } portfolio)
        {
            return WriteProblem.NotFound("portfolio").ToResult();
        }
        var view = await analytics.ViewAsync(portfolio, ct);
        var profiles = await Task.WhenAll(view.Valuation.Positions.Select(p => marketData.GetProfileAsync(p.Symbol, ct)));
        var positions = view.Valuation.Positions.Select((p, i) =>
        {
            var profile = profiles[i].Value;
            var listing = directory.Find(p.Symbol);
            var status = PriceStatus.From(p.Symbol, view.Quotes.GetValueOrDefault(p.Symbol));
            return new PositionResponse(
                p.Symbol, profile?.Name ?? listing?.Name, profile?.LogoUrl, profile?.Sector ?? listing?.Sector, profile?.Industry ?? listing?.Industry,
                p.Quantity, Round.Money(p.AverageCost), Round.Money(p.CostBasis), p.Price, p.PreviousClose,
                Round.Money(p.DayChange), Round.Percent(p.DayChangeRatio), Round.Money(p.MarketValue),
                Round.Money(p.UnrealizedGain), Round.Percent(p.UnrealizedGainRatio), Round.Fraction(p.Weight), status);
        }).ToArray();
        return TypedResults.Ok(new PositionsResponse(positions, clock.GetUtcNow(), DataFreshness.From(positions.Select(p => p.PriceStatus))));
    }

    public static async Task<Results<Ok<ProfitLossResponse>, ProblemHttpResult>> ProfitLoss(
        [FromQuery(Name = "portfolio_id")] Guid? portfolioId, PortfolioStore store, PortfolioAnalytics analytics, TimeProvider clock, CancellationToken ct)
    {
        if (await store.FindAsync(portfolioId, ct) is not { } portfolio)
        {
            return WriteProblem.NotFound("portfolio").ToResult();
        }
        var view = await analytics.ViewAsync(portfolio, ct);
        var v = view.Valuation;
        var lines = v.Positions.Select(p => new ProfitLossLine(
            p.Symbol, p.Quantity, Round.Money(p.AverageCost), p.Price, Round.Money(p.MarketValue), Round.Money(p.CostBasis),
            Round.Money(p.UnrealizedGain), Round.Percent(p.UnrealizedGainRatio), PriceStatus.From(p.Symbol, view.Quotes.GetValueOrDefault(p.Symbol)))).ToArray();
        var totals = new ProfitLossTotals(Round.Money(v.MarketValue), Round.Money(v.CostBasis), Round.Money(v.UnrealizedGain),
            Round.Percent(v.UnrealizedGainRatio), Round.Money(v.RealizedGain), Round.Money(v.Dividends));
        return TypedResults.Ok(new ProfitLossResponse(lines, totals, clock.GetUtcNow(), DataFreshness.From(lines.Select(l => l.PriceStatus))));
    }

    public static async Task<Results<Ok<TradesResponse>, ValidationProblem, ProblemHttpResult>> Trades(
        [FromQuery(Name = "portfolio_id")] Guid? portfolioId, int? limit, PortfolioStore store, PortfolioAnalytics analytics, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var page = Paging.Validate(limit, 0, MaxTrades, errors, defaultLimit: 50);
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        if (await store.FindAsync(portfolioId, ct) is not { } portfolio)
        {
            return WriteProblem.NotFound("portfolio").ToResult();
        }
        // Trades need no prices: the replay alone says what each sell realized.
        var facts = await analytics.FactsAsync(portfolio, ct);
        var realized = facts.State.RealizedTrades.Where(t => t.TransactionId is not null).ToDictionary(t => t.TransactionId!, StringComparer.Ordinal);
        var items = facts.Records.Reverse().Take(page.Limit).Select(r =>
        {
            var trade = realized.GetValueOrDefault(r.Id.ToString());
            return new TradeResponse(r.Id, r.Type, r.Symbol, r.Quantity, r.Price, r.Fees, r.Amount, r.SplitNumerator, r.SplitDenominator,
                r.Date, r.Notes, Round.Money(trade?.Gain), Round.Percent(trade?.GainRatio));
        }).ToArray();
        return TypedResults.Ok(new TradesResponse(items, facts.Records.Count));
    }

    public static async Task<Results<Ok<QuoteResponse>, ValidationProblem, ProblemHttpResult>> GetQuote(string symbol, MarketDataService marketData, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (errors.RequireTicker("symbol", symbol) is not { } wanted)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var result = await marketData.GetQuoteAsync(wanted, ct);
        return result.Value is { } quote
            ? TypedResults.Ok(QuoteResponse.From(quote, PriceStatus.From(wanted, result)))
            : NoData(wanted, result.Status, result.Reason, "price");
    }

    public static async Task<Results<Ok<ProfileResponse>, ValidationProblem, ProblemHttpResult>> GetProfile(string symbol, MarketDataService marketData, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (errors.RequireTicker("symbol", symbol) is not { } wanted)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var result = await marketData.GetProfileAsync(wanted, ct);
        return result.Value is { } p
            ? TypedResults.Ok(new ProfileResponse(p.Symbol, p.Name, p.LogoUrl, p.Sector, p.Industry, p.MarketCap, p.Exchange, p.Currency,
                p.Website, p.Source, p.IsSimulated, result.IsStale, p.AsOf))
            : NoData(wanted, result.Status, result.Reason, "company profile");
    }

    public static async Task<Results<Ok<PerformanceResponse>, ValidationProblem, ProblemHttpResult>> Performance(
        [FromQuery(Name = "portfolio_id")] Guid? portfolioId, string? range, string? benchmark,
        PortfolioStore store, PortfolioAnalytics analytics, SymbolValidator symbols, UserSettingsService settings, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var wantedRange = PerformanceRange.OneYear;
        if (range is not null && !PerformanceRanges.TryParse(range, out wantedRange))
        {
            errors.Add("range", "Must be one of 1M, 3M, YTD, 1Y, 3Y, 5Y, ALL.");
        }
        var mine = await settings.CurrentAsync(ct);
        var benchmarkSymbol = benchmark is null ? mine.Benchmark : errors.RequireTicker("benchmark", benchmark);
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        if (await symbols.CheckAsync(benchmarkSymbol!, ct) is { } unknown)
        {
            return unknown.ToResult();
        }
        if (await store.FindAsync(portfolioId, ct) is not { } portfolio)
        {
            return WriteProblem.NotFound("portfolio").ToResult();
        }
        var performance = await analytics.PerformanceAsync(portfolio, benchmarkSymbol, ct, mine.RiskFreeRate);
        return TypedResults.Ok(performance is null ? Empty(wantedRange, benchmarkSymbol!) : ToResponse(performance, wantedRange));
    }

    private static PerformanceResponse ToResponse(PerformanceData data, PerformanceRange range)
    {
        var r = data.Report[range];
        var points = data.History.Rebased(r.StartDate);
        var benchmarkIndex = data.Benchmark is null ? null : PerformanceMetrics.BenchmarkIndex(data.Benchmark, points);
        var series = points.Select((p, i) => new PerformancePoint(
            p.Date, Round.Money(p.TotalValue), Round.Money(p.CostBasis), Round.Money(p.NetContributions),
            Math.Round(p.TwrIndex, 6), Round.Fraction(benchmarkIndex?[i]), Math.Round(p.Drawdown, 6))).ToArray();
        var benchmarkReturn = series.Length > 0 && series[^1].BenchmarkIndex is { } last && series[0].BenchmarkIndex is { } first && first != 0
            ? Round.Fraction((last / first) - 1) : null;
        var dd = r.Risk.MaxDrawdown;
        return new PerformanceResponse(
            range.ToCode(), r.StartDate, r.EndDate, r.IsPartial, data.BenchmarkSymbol,
            Round.Money(r.StartValue), Round.Money(r.EndValue), Round.Money(r.Gain),
            Round.Fraction(r.TimeWeightedReturn), Round.Fraction(r.AnnualizedTimeWeightedReturn), Round.Fraction(r.AnnualizedMoneyWeightedReturn),
            Round.Fraction(r.SimpleReturn), Round.Fraction(r.Risk.Volatility), Round.Fraction(r.Risk.SharpeRatio), Round.Fraction(r.Risk.SortinoRatio),
            dd is null ? null : new DrawdownResponse(Math.Round(dd.Depth, 6), dd.Peak, dd.Trough, dd.Recovery),
            Round.Fraction(r.Risk.Beta), Round.Fraction(r.Risk.Alpha), Round.Fraction(r.Risk.Correlation), benchmarkReturn,
            series, data.MissingHistory, data.IsSimulated);
    }

    private static PerformanceResponse Empty(PerformanceRange range, string benchmark) => new(
        range.ToCode(), default, default, true, benchmark, 0m, 0m, 0m, null, null, null, null, null, null, null, null, null, null, null, null, [], [], false);

    /// <summary>Total gain as a share of the money put in (<see cref="PortfolioView.PaidIn"/>, cached per portfolio version).</summary>
    private static decimal? TotalReturnRatio(PortfolioView view) =>
        view.PaidIn > 0m ? view.Valuation.TotalGain / view.PaidIn : null;

    private static ProblemHttpResult NoData(string symbol, MarketDataStatus status, string? reason, string what) => status == MarketDataStatus.NotFound
        ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No {what} for {symbol}", detail: reason ?? $"{symbol} is not known to any market data provider.")
        : TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: $"No {what} available for {symbol} right now",
            detail: $"Every market data provider failed and nothing is stored yet. {reason}");
}
