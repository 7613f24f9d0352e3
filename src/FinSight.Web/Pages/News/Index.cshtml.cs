using FinSight.Web.Features.News;
using FinSight.Web.Features.Portfolios;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FinSight.Web.Pages.News;

/// <summary>News and sentiment for every holding (what <c>/holdings/news-sentiment</c> answers), optionally filtered by label.</summary>
public sealed class IndexModel(PortfolioStore store, NewsQueries news) : PageModel
{
    public static readonly string[] Labels = ["all", "positive", "neutral", "negative"];

    public HoldingsNewsResponse? News { get; private set; }
    public string Label { get; private set; } = "all";

    public async Task OnGetAsync(string? label, CancellationToken ct)
    {
        Label = label is not null && Labels.Contains(label) ? label : "all";
        var portfolio = await store.FindAsync(null, ct) ?? throw new InvalidOperationException("The default portfolio could not be loaded.");
        News = await news.HoldingsAsync(portfolio, ct);
    }

    /// <summary>The symbol's news with only the chosen label's headlines (the digest still counts them all).</summary>
    public SymbolNewsView Filtered(SymbolNewsView view) => Label == "all"
        ? view
        : view with { Headlines = [.. view.Headlines.Where(h => string.Equals(h.Sentiment.Label.ToString(), Label, StringComparison.OrdinalIgnoreCase))] };
}
