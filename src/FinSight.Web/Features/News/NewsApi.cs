using FinSight.MarketData;
using FinSight.Sentiment;
using FinSight.Web.Features.Dashboard;
using FinSight.Web.Features.Portfolios;
using FinSight.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FinSight.Web.Features.News;

/// <summary>
/// Headlines with sentiment for the holdings (<c>/holdings/news-sentiment</c>, mapped with the
/// holdings routes) and for any symbol, and the analyzer itself for arbitrary texts.
/// </summary>
public static class NewsApi
{
    public static IEndpointRouteBuilder MapNewsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/news").WithTags("News").RequireAuthorization()
            .MapGet("/{symbol}", ForSymbol).WithName("SymbolNews")
            .WithSummary("The latest headlines of a symbol with their sentiment, and its digest")
            .WithDescription("limit: 1..50 headlines (default News:HeadlinesPerSymbol). The digest covers every headline of the "
                + "lookback window. 'news' says whether the headlines are live, simulated or stale (with their time).");
        app.MapGroup("/api/sentiment").WithTags("Sentiment").RequireAuthorization()
            .MapPost("/analyze", Analyze).WithName("AnalyzeSentiment")
            .WithSummary("Label texts positive, negative or neutral, with probabilities and the terms and rules behind each label")
            .WithDescription("Body: {\"texts\": [...]}, one result per text in order. Up to News:AnalyzeMaxTexts texts (default 256) of "
                + "at most Sentiment:MaxTextLength characters each (default 4,000); longer texts are refused, not truncated.");
        return app;
    }

    /// <summary>GET /holdings/news-sentiment: every open position's headlines, sentiment and digest.</summary>
    public static async Task<Results<Ok<HoldingsNewsResponse>, ProblemHttpResult>> HoldingsNewsSentiment(
        [FromQuery(Name = "portfolio_id")] Guid? portfolioId, PortfolioStore store, PortfolioAnalytics analytics,
        NewsSentimentService news, TimeProvider clock, CancellationToken ct)
    {
        if (await store.FindAsync(portfolioId, ct) is not { } portfolio)
        {
            return WriteProblem.NotFound("portfolio").ToResult();
        }
        // Which symbols are held needs no prices, so no quote is fetched for the news page.
        var facts = await analytics.FactsAsync(portfolio, ct);
        var symbols = facts.State.Positions.Select(p => p.Symbol).Distinct(StringComparer.Ordinal).ToArray();
        var holdings = (await news.ForSymbolsAsync(symbols, news.HeadlinesPerSymbol, ct)).Select(SymbolNewsView.From).ToArray();
        return TypedResults.Ok(new HoldingsNewsResponse(portfolio.Id, news.ModelVersion, clock.GetUtcNow(), holdings, NewsFreshness.From(holdings)));
    }

    public static async Task<Results<Ok<SymbolNewsView>, ValidationProblem, ProblemHttpResult>> ForSymbol(
        string symbol, int? limit, NewsSentimentService news, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var wanted = errors.RequireTicker("symbol", symbol);
        var page = Paging.Validate(limit, null, NewsOptions.MaxHeadlinesPerSymbol, errors, defaultLimit: news.HeadlinesPerSymbol);
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var result = (await news.ForSymbolsAsync([wanted!], page.Limit, ct))[0];
        return result.Result.Status switch
        {
            MarketDataStatus.NotFound => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No news for {wanted}",
                detail: result.Result.Reason ?? $"{wanted} is not known to any market data provider."),
            MarketDataStatus.Unavailable => TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
                title: $"No news available for {wanted} right now", detail: $"Every market data provider failed and nothing is stored yet. {result.Result.Reason}"),
            _ => TypedResults.Ok(SymbolNewsView.From(result)),
        };
    }

    public static Results<Ok<AnalyzeResponse>, ValidationProblem> Analyze(
        AnalyzeRequest? request, ISentimentAnalyzer analyzer, IOptions<NewsOptions> options, IOptions<SentimentOptions> sentimentOptions)
    {
        var errors = new ValidationErrors();
        var texts = Validate(request?.Texts, options.Value.AnalyzeMaxTexts, sentimentOptions.Value.MaxTextLength, errors);
        if (texts is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The texts cannot be analysed");
        }
        var results = analyzer.Analyze(texts);
        return TypedResults.Ok(new AnalyzeResponse(analyzer.ModelVersion, [.. results.Select((r, i) => new AnalyzeResultView(
            i, r.Label, new(r.Probabilities.Positive, r.Probabilities.Negative, r.Probabilities.Neutral), r.Probabilities.Net, EvidenceView.From(r.Evidence)))]));
    }

    /// <summary>The texts when all are acceptable; otherwise null with every problem named by its index (texts[3]).</summary>
    private static string[]? Validate(IReadOnlyList<string?>? texts, int maxTexts, int maxLength, ValidationErrors errors)
    {
        if (texts is null || texts.Count == 0)
        {
            errors.Add("texts", "Give at least one text.");
            return null;
        }
        if (texts.Count > maxTexts)
        {
            errors.Add("texts", $"At most {maxTexts} texts per request; got {texts.Count}.");
            return null;
        }
        for (var i = 0; i < texts.Count; i++)
        {
            if (texts[i] is null)
            {
                errors.Add($"texts[{i}]", "Must be a string, not null.");
            }
            else if (texts[i]!.Length > maxLength)
            {
                errors.Add($"texts[{i}]", $"Must be at most {maxLength} characters; this one has {texts[i]!.Length}.");
            }
        }
        return errors.IsEmpty ? [.. texts.Select(t => t!)] : null;
    }
}
