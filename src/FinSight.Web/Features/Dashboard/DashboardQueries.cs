using System.Globalization;
using FinSight.Domain;
using FinSight.MarketData;
using FinSight.MarketData.Caching;
using FinSight.Web.Data;
using FinSight.Web.Features.Portfolios;
using FinSight.Web.Features.Settings;
using FinSight.Web.Features.Stocks;
using ZiggyCreatures.Caching.Fusion;

namespace FinSight.Web.Features.Dashboard;

/// <summary>
/// The dashboard's figures, for the JSON routes and the dashboard page alike. The queries take a
/// portfolio the caller found for its user, or a <see cref="PortfolioView"/> of it, so a page that
/// shows several of them looks the portfolio up once and values it once.
/// </summary>
public sealed class DashboardQueries(PortfolioAnalytics analytics, MarketDataService marketData, SymbolDirectory directory, TimeProvider clock, IFusionCache cache,
    Microsoft.Extensions.Options.IOptions<AnalyticsOptions> defaults)
{
    /// <summary>The portfolio valued at live quotes: what <see cref="OverviewAsync"/>, <see cref="PositionsAsync"/> and <see cref="ProfitLoss"/> read.</summary>
    public Task<PortfolioView> ValueAsync(Portfolio portfolio, CancellationToken ct) => analytics.ViewAsync(portfolio, ct);

    /// <summary>
    /// Headline figures. Every risk and return figure is copied from <see cref="PerformanceAsync"/> for
    /// <paramref name="range"/> and the user's benchmark and risk-free rate, so the overview, the chart and
    /// <c>/api/dashboard/performance</c> can never disagree.
    /// </summary>
    public async Task<DashboardOverview> OverviewAsync(PortfolioView view, EffectiveSettings settings, CancellationToken ct, PerformanceRange range = PerformanceRange.All)
    {
        var performance = await PerformanceAsync(view.Portfolio, range, settings.Benchmark, settings.RiskFreeRate, ct);
        var hasHistory = performance.Series.Count > 0;
        var v = view.Valuation;
        var trades = view.Facts.Trades;
        var statuses = view.Facts.State.Positions.Select(p => PriceStatus.From(p.Symbol, view.Quotes.GetValueOrDefault(p.Symbol)));
        return new DashboardOverview(
            PortfolioId: view.Portfolio.Id,
            PortfolioName: view.Portfolio.Name,
            TotalValue: Round.Money(v.TotalValue),
            Cash: Round.Money(v.Cash),
            Invested: Round.Money(v.CostBasis),
            MarketValue: Round.Money(v.MarketValue),
            UnrealizedPnl: Round.Money(v.UnrealizedGain),
            UnrealizedPnlPercent: Round.Percent(v.UnrealizedGainRatio),
            RealizedPnl: Round.Money(v.RealizedGain),
            Dividends: Round.Money(v.Dividends),
            Fees: Round.Money(v.Fees),
            TotalReturn: Round.Money(v.TotalGain),
            TotalReturnPercent: Round.Percent(TotalReturnRatio(view)),
            SharpeRatio: performance.SharpeRatio,
            MaxDrawdown: performance.MaxDrawdown?.Depth,
            Volatility: performance.Volatility,
            Beta: performance.Beta,
            Alpha: performance.Alpha,
            WinRate: Round.Percent(trades.WinRate),
            TotalTrades: trades.Count,
            WinningTrades: trades.Winners,
            LosingTrades: trades.Losers,
            Twr: performance.Twr,
            TwrAnnualized: performance.TwrAnnualized,
            Xirr: performance.Xirr,
            SortinoRatio: performance.SortinoRatio,
            // The one day change (DayAttribution): the same figure as /api/dashboard/day-move's day_change.
            DayChange: view.Day.KnownChange,
            DayChangePercent: view.Day.KnownChange is null ? null : Round.Percent(view.Day.ChangeRatio),
            PositionCount: view.Facts.State.Positions.Count,
            Range: performance.Range,
            RangeStart: hasHistory ? performance.StartDate : null,
            RiskAsOf: hasHistory ? performance.EndDate : null,
            Benchmark: performance.Benchmark,
            RiskFreeRate: performance.RiskFreeRate,
            AsOf: clock.GetUtcNow(),
            Data: DataFreshness.From(statuses, clock.GetUtcNow()),
            Currency: view.Portfolio.BaseCurrency,
            // Rounded so that the two parts add up to the rounded total to the cent.
            PriceEffect: Round.Money(v.TotalGain) - Round.Money(v.CurrencyEffect),
            CurrencyEffect: Round.Money(v.CurrencyEffect),
            CurrencyAllocation: Allocation.ByCurrency(v).Select(s => new CurrencySlice(s.Key, Round.Money(s.Value), Round.Percent(s.Weight))).ToArray(),
            ExchangeRates: view.Rates.Select(r => new RateResponse(r.Key, r.Value.Rate, RateStatus(r.Value))).ToArray());
    }

    private static string RateStatus(MarketData.Currencies.RateQuote rate) =>
        rate.Rate is null ? "unavailable" : rate.Status == MarketDataStatus.Stale ? "stale" : rate.IsSimulated ? "simulated" : "live";

    /// <summary>Open positions with company details (one profile request per symbol, through the market-data cache).</summary>
    public async Task<PositionsResponse> PositionsAsync(PortfolioView view, CancellationToken ct)
    {
        var profiles = await Task.WhenAll(view.Valuation.Positions.Select(p => marketData.GetProfileAsync(p.Symbol, ct)));
        var positions = view.Valuation.Positions.Select((p, i) =>
        {
            var profile = profiles[i].Value;
            var listing = directory.Find(p.Symbol);
            return new PositionResponse(
                Symbol: p.Symbol,
                Name: profile?.Name ?? listing?.Name,
                LogoUrl: profile?.LogoUrl,
                Sector: profile?.Sector ?? listing?.Sector,
                Industry: profile?.Industry ?? listing?.Industry,
                Quantity: p.Quantity,
                AverageCost: Round.Money(p.AverageCost),
                CostBasis: Round.Money(p.CostBasis),
                Price: p.Price,
                PreviousClose: p.PreviousClose,
                // The holding's part of the day's change, as "why it moved" shows it (today's trades from their price).
                DayChange: view.Day.ContributionOf(p.Symbol),
                DayChangePercent: Round.Percent(p.DayChangeRatio),
                MarketValue: Round.Money(p.MarketValue),
                UnrealizedPnl: Round.Money(p.UnrealizedGain),
                UnrealizedPnlPercent: Round.Percent(p.UnrealizedGainRatio),
                Weight: Round.Percent(p.Weight),
                PriceStatus: PriceStatus.From(p.Symbol, view.Quotes.GetValueOrDefault(p.Symbol)),
                Currency: p.Currency.Code,
                Rate: p.Rate,
                LocalMarketValue: Round.Money(p.LocalMarketValue),
                PriceEffect: Round.Money(p.UnrealizedGain) - Round.Money(p.CurrencyEffect),
                CurrencyEffect: Round.Money(p.CurrencyEffect));
        }).ToArray();
        return new PositionsResponse(positions, clock.GetUtcNow(), DataFreshness.From(positions.Select(p => p.PriceStatus), clock.GetUtcNow()), view.Portfolio.BaseCurrency);
    }

    /// <summary>The spec's profit-and-loss table: every open position and the totals.</summary>
    public ProfitLossResponse ProfitLoss(PortfolioView view)
    {
        var v = view.Valuation;
        var lines = v.Positions.Select(p => new ProfitLossLine(
            Symbol: p.Symbol,
            Quantity: p.Quantity,
            PurchaseCost: Round.Money(p.AverageCost),
            CurrentPrice: p.Price,
            MarketValue: Round.Money(p.MarketValue),
            Cost: Round.Money(p.CostBasis),
            Gain: Round.Money(p.UnrealizedGain),
            GainPercent: Round.Percent(p.UnrealizedGainRatio),
            PriceStatus: PriceStatus.From(p.Symbol, view.Quotes.GetValueOrDefault(p.Symbol)))).ToArray();
        var totals = new ProfitLossTotals(
            MarketValue: Round.Money(v.MarketValue),
            Cost: Round.Money(v.CostBasis),
            Gain: Round.Money(v.UnrealizedGain),
            GainPercent: Round.Percent(v.UnrealizedGainRatio),
            RealizedGain: Round.Money(v.RealizedGain),
            Dividends: Round.Money(v.Dividends));
        return new ProfitLossResponse(lines, totals, clock.GetUtcNow(), DataFreshness.From(lines.Select(l => l.PriceStatus), clock.GetUtcNow()), view.Portfolio.BaseCurrency);
    }

    /// <summary>The newest <paramref name="limit"/> transactions with what each sell realized. Needs no prices: the replay says it.</summary>
    public async Task<TradesResponse> TradesAsync(Portfolio portfolio, int limit, CancellationToken ct)
    {
        var facts = await analytics.FactsAsync(portfolio, ct);
        var realized = facts.State.RealizedTrades.Where(t => t.TransactionId is not null).ToDictionary(t => t.TransactionId!, StringComparer.Ordinal);
        var items = facts.Records.Reverse().Take(limit).Select(r =>
        {
            var trade = realized.GetValueOrDefault(r.Id.ToString());
            return new TradeResponse(
                Id: r.Id, Type: r.Type, Symbol: r.Symbol, Quantity: r.Quantity, Price: r.Price, Fees: r.Fees, Amount: r.Amount,
                SplitNumerator: r.SplitNumerator, SplitDenominator: r.SplitDenominator, Date: r.Date, Notes: r.Notes,
                RealizedPnl: Round.Money(trade?.Gain), RealizedPnlPercent: Round.Percent(trade?.GainRatio),
                Currency: r.Type == TransactionType.Split ? null : r.Currency);
        }).ToArray();
        return new TradesResponse(items, facts.Records.Count, portfolio.BaseCurrency);
    }

    /// <summary>The daily series and the range's returns and risk, against <paramref name="benchmark"/> (a symbol already checked).</summary>
    /// <remarks>
    /// For the instance's benchmark and rate, kept per portfolio version, range and last closed session
    /// (it uses daily closes only), so the overview, which copies its figures, does not rebuild the
    /// series on every price change. A user's own benchmark or rate is built from the one report the
    /// analytics keep for it, never kept once per choice.
    /// </remarks>
    public async Task<PerformanceResponse> PerformanceAsync(
        Portfolio portfolio, PerformanceRange range, string benchmark, double riskFreeRate, CancellationToken ct)
    {
        if (benchmark != defaults.Value.Benchmark || riskFreeRate != defaults.Value.RiskFreeRate)
        {
            var own = await analytics.PerformanceAsync(portfolio, benchmark, ct, riskFreeRate);
            return (own is null ? Empty(range, benchmark, riskFreeRate) : ToResponse(own, range, riskFreeRate)) with { Currency = portfolio.BaseCurrency };
        }
        var asOf = MarketCalendar.LastClosedSession(clock.GetUtcNow());
        var key = string.Create(CultureInfo.InvariantCulture,
            $"dashboard:performance:{portfolio.Id}:{portfolio.Version}:{range}:{benchmark}:{riskFreeRate:R}:{asOf:yyyy-MM-dd}");
        return await cache.GetOrCreateSharedAsync(key, async () =>
        {
            var performance = await analytics.PerformanceAsync(portfolio, benchmark, CancellationToken.None, riskFreeRate);
            // The base currency is part of the portfolio's version, so a cached answer is never in another currency.
            var response = (performance is null ? Empty(range, benchmark, riskFreeRate) : ToResponse(performance, range, riskFreeRate)) with { Currency = portfolio.BaseCurrency };
            // An incomplete report (a history or the benchmark missing) is asked for again soon, as the analytics cache does.
            var complete = performance is null or { MissingHistory.Count: 0, Benchmark: not null };
            return new Cached<PerformanceResponse>(response, complete ? TimeSpan.FromHours(1) : TimeSpan.FromMinutes(1), 1 + response.Series.Count);
        }, ct);
    }

    /// <summary>A quote, or why there is none: 404 when no provider knows the symbol, 503 when all failed and none is stored.</summary>
    public async Task<(QuoteResponse? Quote, WriteProblem? Problem)> QuoteAsync(string symbol, CancellationToken ct)
    {
        if (directory.Unlisted(symbol, "price") is { } unlisted)
        {
            return (null, unlisted);
        }
        var result = await marketData.GetQuoteAsync(symbol, ct);
        return result.Value is { } quote
            ? (QuoteResponse.From(quote, PriceStatus.From(symbol, result), clock.GetUtcNow()), null)
            : (null, NoData(symbol, result, "price"));
    }

    /// <summary>A company profile, or why there is none (as for <see cref="QuoteAsync"/>).</summary>
    public async Task<(ProfileResponse? Profile, WriteProblem? Problem)> ProfileAsync(string symbol, CancellationToken ct)
    {
        if (directory.Unlisted(symbol, "company profile") is { } unlisted)
        {
            return (null, unlisted);
        }
        var result = await marketData.GetProfileAsync(symbol, ct);
        return result.Value is { } p
            ? (new ProfileResponse(
                Symbol: p.Symbol, Name: p.Name, LogoUrl: p.LogoUrl, Sector: p.Sector, Industry: p.Industry, MarketCap: p.MarketCap,
                Exchange: p.Exchange, Currency: p.Currency, Website: p.Website, Source: p.Source, IsSimulated: p.IsSimulated,
                IsStale: result.IsStale, AsOf: p.AsOf), null)
            : (null, NoData(symbol, result, "company profile"));
    }

    private static PerformanceResponse ToResponse(PerformanceData data, PerformanceRange range, double riskFreeRate)
    {
        var r = data.Report[range];
        var points = data.History.Rebased(r.StartDate);
        var benchmarkIndex = data.Benchmark is null ? null : PerformanceMetrics.BenchmarkIndex(data.Benchmark, points);
        var series = points.Select((p, i) => new PerformancePoint(
            Date: p.Date,
            Value: Round.Money(p.TotalValue),
            Invested: Round.Money(p.CostBasis),
            NetContributions: Round.Money(p.NetContributions),
            TwrIndex: Round.Index(p.TwrIndex),
            BenchmarkIndex: benchmarkIndex?[i] is { } b ? Round.Index(b) : null,
            Drawdown: Round.Fall(p.Drawdown)!.Value)).ToArray();
        var benchmarkReturn = series.Length > 0 && series[^1].BenchmarkIndex is { } last && series[0].BenchmarkIndex is { } first && first != 0
            ? Round.Percent((last / first) - 1) : null;
        var dd = r.Risk.MaxDrawdown;
        return new PerformanceResponse(
            Range: range.ToCode(),
            StartDate: r.StartDate,
            EndDate: r.EndDate,
            IsPartial: r.IsPartial,
            Benchmark: data.BenchmarkSymbol,
            StartValue: Round.Money(r.StartValue),
            EndValue: Round.Money(r.EndValue),
            Gain: Round.Money(r.Gain),
            Twr: Round.Percent(r.TimeWeightedReturn),
            TwrAnnualized: Round.Percent(r.AnnualizedTimeWeightedReturn),
            Xirr: Round.Percent(r.AnnualizedMoneyWeightedReturn),
            SimpleReturn: Round.Percent(r.SimpleReturn),
            Volatility: Round.Percent(r.Risk.Volatility),
            SharpeRatio: Round.Number(r.Risk.SharpeRatio),
            SortinoRatio: Round.Number(r.Risk.SortinoRatio),
            MaxDrawdown: dd is null ? null : new DrawdownResponse(Depth: Round.Fall(dd.Depth)!.Value, Peak: dd.Peak, Trough: dd.Trough, Recovery: dd.Recovery),
            Beta: Round.Number(r.Risk.Beta),
            Alpha: Round.Percent(r.Risk.Alpha),
            Correlation: Round.Number(r.Risk.Correlation),
            BenchmarkReturn: benchmarkReturn,
            RiskFreeRate: Round.Percent(riskFreeRate)!.Value,
            Series: series,
            MissingHistory: data.MissingHistory,
            IsSimulated: data.IsSimulated);
    }

    /// <summary>An empty portfolio's performance: no dates, no figures (null, never 0 returns).</summary>
    private static PerformanceResponse Empty(PerformanceRange range, string benchmark, double riskFreeRate) => new(
        Range: range.ToCode(), StartDate: default, EndDate: default, IsPartial: true, Benchmark: benchmark,
        StartValue: 0m, EndValue: 0m, Gain: 0m, Twr: null, TwrAnnualized: null, Xirr: null, SimpleReturn: null,
        Volatility: null, SharpeRatio: null, SortinoRatio: null, MaxDrawdown: null, Beta: null, Alpha: null, Correlation: null,
        BenchmarkReturn: null, RiskFreeRate: Round.Percent(riskFreeRate)!.Value, Series: [], MissingHistory: [], IsSimulated: false);

    /// <summary>Total gain as a share of the money put in (<see cref="PortfolioFacts.PaidIn"/>, cached per portfolio version).</summary>
    private static decimal? TotalReturnRatio(PortfolioView view) =>
        view.Facts.PaidIn > 0m ? view.Valuation.TotalGain / view.Facts.PaidIn : null;

    private static WriteProblem NoData<T>(string symbol, MarketDataResult<T> result, string what) where T : class => result.Status == MarketDataStatus.NotFound
        ? new(StatusCodes.Status404NotFound, $"No {what} for {symbol}", result.Reason ?? $"{symbol} is not known to any market data provider.", new Dictionary<string, object?>())
        : new(StatusCodes.Status503ServiceUnavailable, $"No {what} available for {symbol} right now",
            $"Every market data provider failed and nothing is stored yet. {result.Reason}", new Dictionary<string, object?>());
}
