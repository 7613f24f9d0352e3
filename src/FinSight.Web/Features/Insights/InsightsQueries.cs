using System.Globalization;
using FinSight.Domain;
using FinSight.MarketData;
using FinSight.Web.Data;
using FinSight.Web.Features.Dashboard;
using FinSight.Web.Features.News;

namespace FinSight.Web.Features.Insights;

/// <summary>
/// "Why did my portfolio move today", dividend income with its forecast, and monthly returns: for the
/// JSON routes and the pages alike, over a portfolio the caller found for its user.
/// </summary>
public sealed class InsightsQueries(PortfolioAnalytics analytics, MarketDataService marketData, NewsSentimentService news, TimeProvider clock)
{
    /// <summary>Headlines this recent count for the day's news.</summary>
    public static readonly TimeSpan NewsWindow = TimeSpan.FromHours(24);

    private const int DrivingHeadlines = 5;

    /// <summary>The day's change by holding (see <see cref="DayAttribution"/>), each with its last-24-hour headlines, and the value-weighted news score.</summary>
    public async Task<DayMoveResponse> DayMoveAsync(Portfolio portfolio, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // The view's attribution, so this answer and the overview's day change are one figure.
        var view = await analytics.ViewAsync(portfolio, ct);
        var day = view.Day;
        var session = view.Session;
        var previous = MarketCalendar.PreviousTradingDay(session);
        var quotes = view.Quotes;

        var symbols = day.Holdings.Select(h => h.Symbol).ToArray();
        var feeds = symbols.Length == 0 ? [] : await news.ForSymbolsAsync(symbols, news.HeadlinesPerSymbol, ct);
        var since = now - NewsWindow;
        var recent = feeds.ToDictionary(f => f.Symbol, f => f.Latest.Where(h => h.Headline.PublishedAt >= since && h.Headline.PublishedAt <= now).ToArray(), StringComparer.Ordinal);
        double? Score(string symbol) => recent.TryGetValue(symbol, out var list) && list.Length > 0 ? list.Average(h => h.Sentiment.Result.Probabilities.Net) : null;

        var withNews = day.Holdings.Where(h => Score(h.Symbol) is not null && h.Shares * h.Price > 0).ToArray();
        var newsValue = withNews.Sum(h => h.Shares * h.Price);
        double Weight(HoldingDayChange h) => newsValue > 0 ? (double)(h.Shares * h.Price / newsValue) : 0;
        double? portfolioScore = withNews.Length == 0 ? null : Math.Round(withNews.Sum(h => Weight(h) * Score(h.Symbol)!.Value), 4);
        var driving = withNews
            .SelectMany(h => recent[h.Symbol].Select(a => new DrivingHeadline(h.Symbol, Math.Round(Weight(h), 4),
                Math.Round(Weight(h) * a.Sentiment.Result.Probabilities.Net / recent[h.Symbol].Length, 4), HeadlineView.From(a))))
            .OrderByDescending(d => Math.Abs(d.Impact)).Take(DrivingHeadlines).ToArray();

        var holdings = day.Holdings.Select(h => new HoldingMoveResponse(
            h.Symbol, h.Contribution, Round.Percent(h.ChangeRatio)!.Value, h.SharesAtPreviousClose, h.Shares, h.Price, h.PreviousClose, h.TradedToday,
            PriceStatus.From(h.Symbol, quotes[h.Symbol]), Score(h.Symbol) is { } s ? Math.Round(s, 4) : null,
            [.. recent.GetValueOrDefault(h.Symbol, []).Select(HeadlineView.From)],
            feeds.FirstOrDefault(f => f.Symbol == h.Symbol) is { } feed ? NewsStatusView.From(feed.Result) : new NewsStatusView(NewsStatusView.Unavailable, false, false, null, null, null)))
            .ToArray();
        var statuses = quotes.Select(q => PriceStatus.From(q.Key, q.Value));
        return new DayMoveResponse(
            session, previous, day.Change, Round.Percent(day.ChangeRatio), day.PreviousMarketValue, day.Dividends, day.Fees, day.NetDeposits,
            holdings, day.Unpriced, portfolioScore, driving, DataFreshness.From(statuses, now));
    }

    /// <summary>Time-weighted returns by month and year since the first trade, as of the last closed session.</summary>
    public async Task<MonthlyReturnsResponse> MonthlyReturnsAsync(Portfolio portfolio, CancellationToken ct)
    {
        var performance = await analytics.PerformanceAsync(portfolio, null, ct);
        if (performance is null || performance.History.Points.Count == 0)
        {
            return new MonthlyReturnsResponse([], null, false);
        }
        var points = performance.History.Points;
        var years = MonthlyReturns.From([.. points.Select(p => (p.Date, p.TwrIndex))]);
        return new MonthlyReturnsResponse(
            [.. years.Select(y => new YearReturnsResponse(y.Year, [.. y.Months.Select(m => m is { } r ? (decimal?)(decimal)Round.Percent(r)!.Value : null)], (decimal)Round.Percent(y.Total)!.Value))],
            points[^1].Date, performance.IsSimulated);
    }

    /// <summary>Dividends received, trailing income and yields, and the next 12 months' forecast with its calendar.</summary>
    public async Task<IncomeResponse> IncomeAsync(Portfolio portfolio, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var today = MarketCalendar.ExchangeDate(now);
        var yearAgo = today.AddYears(-1);
        var view = await analytics.ViewAsync(portfolio, ct);
        var dividends = view.Facts.Records.Where(r => r.Type == TransactionType.Dividend && r.Amount is not null && r.Date <= today).ToArray();
        // Every figure is in the portfolio's base currency: a dividend at its day's rate, as the replay counts it.
        var rates = view.Facts.State.Rates;
        decimal InBase(TransactionRecord d) => d.Amount!.Value * rates.Rate(d.Currency, d.Date);

        var byMonth = new List<IncomePeriod>();
        if (dividends.Length > 0)
        {
            var sums = dividends.GroupBy(d => new DateOnly(d.Date.Year, d.Date.Month, 1)).ToDictionary(g => g.Key, g => g.Sum(InBase));
            for (var month = sums.Keys.Min(); month <= new DateOnly(today.Year, today.Month, 1); month = month.AddMonths(1))
            {
                byMonth.Add(new IncomePeriod(month.ToString("yyyy-MM", CultureInfo.InvariantCulture), Round.Money(sums.GetValueOrDefault(month))));
            }
        }
        var byYear = dividends.GroupBy(d => d.Date.Year).OrderBy(g => g.Key)
            .Select(g => new IncomePeriod(g.Key.ToString(CultureInfo.InvariantCulture), Round.Money(g.Sum(InBase)))).ToArray();

        // The forecast: every dividend of each holding's last year, a year on, on today's shares. Vendor
        // amounts are in today's shares already (divided by every later split).
        var positions = view.Valuation.Positions;
        var histories = await Task.WhenAll(positions.Select(p => marketData.GetDailyHistoryAsync(p.Symbol, yearAgo.AddDays(1), today, ct)));
        // Pay dates where a provider states them (Finnhub's dividends, Yahoo's next one); never required.
        var reports = await Task.WhenAll(positions.Select(p => marketData.GetCorporateActionsAsync(p.Symbol, yearAgo.AddDays(1), today, ct)));
        var upcoming = new List<UpcomingDividend>();
        var missing = new List<string>();
        for (var i = 0; i < positions.Count; i++)
        {
            if (histories[i].Value is not { } history)
            {
                missing.Add(positions[i].Symbol);
                continue;
            }
            var next = reports[i].Value?.PayDates.Where(p => p.ExDate > today).ToArray() ?? [];
            foreach (var d in history.With(reports[i].Value).Dividends.Where(d => d.ExDate > yearAgo))
            {
                var future = d.ExDate > today;
                var shares = positions[i].Quantity;
                var (exDate, payDate) = future ? (d.ExDate, d.PayDate) : (d.ExDate.AddYears(1), d.PayDate?.AddYears(1));
                // The next dividend a provider has announced replaces last year's within a month of it: its dates are known.
                var announced = future ? null : next.FirstOrDefault(n => Math.Abs(n.ExDate.DayNumber - exDate.DayNumber) <= 31);
                // Per share in the listing's currency; for the position in the base currency at today's rate.
                var amount = Round.Money(d.Amount * shares * positions[i].Rate);
                upcoming.Add(announced is not null
                    ? new UpcomingDividend(positions[i].Symbol, announced.ExDate, false, announced.PayDate, d.Amount, shares, amount)
                    : new UpcomingDividend(positions[i].Symbol, exDate, !future, payDate, d.Amount, shares, amount));
            }
        }
        var horizon = today.AddYears(1);
        var forecast = upcoming.Where(u => u.ExDate > today && u.ExDate <= horizon).OrderBy(u => u.ExDate).ThenBy(u => u.Symbol, StringComparer.Ordinal).ToArray();
        var forecastByMonth = Enumerable.Range(1, 12).Select(k => new DateOnly(today.Year, today.Month, 1).AddMonths(k - 1))
            .Select(m => new IncomePeriod(m.ToString("yyyy-MM", CultureInfo.InvariantCulture),
                forecast.Where(u => u.ExDate.Year == m.Year && u.ExDate.Month == m.Month).Sum(u => u.Amount)))
            .ToArray();

        var ttm = dividends.Where(d => d.Date > yearAgo).ToArray();
        var symbols = dividends.Select(d => d.Symbol!).Concat(positions.Select(p => p.Symbol)).Distinct(StringComparer.Ordinal);
        var byHolding = symbols.Select(symbol =>
        {
            var position = positions.FirstOrDefault(p => p.Symbol == symbol);
            var trailing = ttm.Where(d => d.Symbol == symbol).Sum(InBase);
            return new HoldingIncome(symbol,
                Round.Money(dividends.Where(d => d.Symbol == symbol).Sum(InBase)),
                Round.Money(trailing),
                position is { MarketValue: > 0 } ? Round.Percent(trailing / position.MarketValue) : null,
                position is { CostBasis: > 0 } ? Round.Percent(trailing / position.CostBasis) : null,
                forecast.Where(u => u.Symbol == symbol).Sum(u => u.Amount));
        }).OrderByDescending(h => h.TrailingTwelveMonths).ThenByDescending(h => h.Forecast).ThenBy(h => h.Symbol, StringComparer.Ordinal).ToArray();

        var trailingTotal = ttm.Sum(InBase);
        var heldTrailing = ttm.Where(d => positions.Any(p => p.Symbol == d.Symbol)).Sum(InBase);
        var marketValue = view.Valuation.MarketValue;
        var cost = positions.Sum(p => p.CostBasis);
        return new IncomeResponse(
            byMonth, byYear, byHolding,
            Round.Money(dividends.Sum(InBase)), Round.Money(trailingTotal),
            marketValue > 0 ? Round.Percent(heldTrailing / marketValue) : null,
            cost > 0 ? Round.Percent(heldTrailing / cost) : null,
            forecast.Sum(u => u.Amount), forecastByMonth, forecast,
            histories.Any(h => h.Value?.IsSimulated == true), missing);
    }
}
