using FinSight.Domain;
using FinSight.MarketData;
using FinSight.Web.Features.Dashboard;
using FinSight.Web.Features.Holdings;
using FinSight.Web.Features.News;
using FinSight.Web.Features.Portfolios;
using FinSight.Web.Features.Stocks;
using FinSight.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FinSight.Web.Pages.Stock;

/// <summary>One symbol: quote, a year of closes with the user's own buys and sells marked, profile, lots and news.</summary>
public sealed class IndexModel(
    PortfolioStore store, PortfolioAnalytics analytics, DashboardQueries queries, NewsQueries news, MarketDataService marketData,
    SymbolDirectory directory, TimeProvider clock) : PageModel
{
    public string Symbol { get; private set; } = "";
    public string? Name { get; private set; }
    public QuoteResponse? Quote { get; private set; }
    public string? QuoteProblem { get; private set; }
    public ProfileResponse? Profile { get; private set; }
    public SymbolHoldings? Holdings { get; private set; }
    public SymbolNewsView? News { get; private set; }
    public string? NewsProblem { get; private set; }
    public object Chart { get; private set; } = new { };
    public bool HistorySimulated { get; private set; }
    public int TradeCount { get; private set; }
    public string ChartYears { get; private set; } = "past year";

    /// <summary>The portfolio's base currency: the holding's average cost and cost basis are in it.</summary>
    public string BaseCurrency { get; private set; } = "USD";

    /// <summary>The currency the symbol trades in: its price, chart and market cap are in it.</summary>
    public string Currency { get; private set; } = "USD";

    /// <summary>Each lot's currency (the buy's), by transaction id.</summary>
    public IReadOnlyDictionary<Guid, string> LotCurrencies { get; private set; } = new Dictionary<Guid, string>();

    public async Task<IActionResult> OnGetAsync(string symbol, CancellationToken ct)
    {
        var errors = new Infrastructure.ValidationErrors();
        if (errors.RequireTicker("symbol", symbol) is not { } wanted)
        {
            return NotFound();
        }
        if (directory.Find(wanted) is null)
        {
            return NotFound(); // only listed symbols are fetched (fair use of the vendors' quota)
        }
        Symbol = wanted;

        (Quote, var quoteProblem) = await queries.QuoteAsync(wanted, ct);
        QuoteProblem = quoteProblem?.Detail;
        (Profile, _) = await queries.ProfileAsync(wanted, ct);
        var listing = directory.Find(wanted);
        if (Quote is null && Profile is null && listing is null)
        {
            return NotFound();
        }
        Name = Profile?.Name ?? listing?.Name;

        var portfolio = await store.FindAsync(null, ct) ?? throw new InvalidOperationException("The default portfolio could not be loaded.");
        var facts = await analytics.FactsAsync(portfolio, ct);
        BaseCurrency = portfolio.BaseCurrency;
        Currency = Quote?.Currency ?? Profile?.Currency ?? MarketData.Currencies.Exchanges.CurrencyOf(wanted);
        LotCurrencies = facts.Records.Where(r => r.Symbol == wanted).ToDictionary(r => r.Id, r => r.Currency);
        Holdings = SymbolHoldings.Of(wanted, facts, portfolio.CostBasisMethod);
        (News, var newsProblem) = await news.SymbolAsync(wanted, news.HeadlinesPerSymbol, ct);
        NewsProblem = newsProblem?.Detail;

        var trades = facts.Records.Where(t => t.Symbol == wanted && t.Type is TransactionType.Buy or TransactionType.Sell).ToList();
        // A year of closes, or back to the first trade so every marker has a place (at most five years).
        var today = MarketCalendar.ExchangeDate(clock.GetUtcNow());
        var from = today.AddYears(-1);
        if (trades.Count > 0 && trades.Min(t => t.Date) < from)
        {
            from = trades.Min(t => t.Date) > today.AddYears(-5) ? trades.Min(t => t.Date).AddDays(-7) : today.AddYears(-5);
        }
        ChartYears = from < today.AddYears(-1) ? "since your first trade" : "past year";
        var history = await marketData.GetDailyHistoryAsync(wanted, from, today, ct);
        HistorySimulated = history.Value?.IsSimulated == true;
        TradeCount = trades.Count;
        Chart = new
        {
            currency = Currency,
            baseCurrency = BaseCurrency,
            closes = (history.Value?.Bars ?? []).Select(b => new { time = UiFormat.Date(b.Date), value = b.Close }),
            trades = trades.Select(t => new
            {
                // A trade dated on a closed day sits on the last session before it, whose close values it.
                time = UiFormat.Date(MarketCalendar.TradingDayOnOrBefore(t.Date)),
                side = t.Type == TransactionType.Buy ? "buy" : "sell",
                text = $"{(t.Type == TransactionType.Buy ? "Buy" : "Sell")} {UiFormat.Quantity(t.Quantity)} @ {UiFormat.Money(t.Price, t.Currency)}{InTodaysShares(t, history.Value)}",
            }),
        };
        return Page();
    }

    /// <summary>
    /// The chart's closes are split-adjusted (one basis before and after a split, no cliff); a trade before a
    /// split also says its price in today's shares, so its marker reads on the same scale as the line.
    /// </summary>
    private static string InTodaysShares(Data.TransactionRecord trade, PriceHistory? history)
    {
        var factor = (history?.Splits ?? []).Where(s => s.Date > trade.Date).Aggregate(1m, (f, s) => f * s.Ratio);
        return factor == 1m || trade.Price is not { } price ? "" : $" ({UiFormat.Money(Math.Round(price / factor, 2, MidpointRounding.AwayFromZero), trade.Currency)} in today's shares)";
    }
}
