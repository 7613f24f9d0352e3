using FinSight.Sentiment;
using FinSight.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FinSight.Web.Features.News;

/// <summary>Headlines with sentiment for any symbol, and the analyzer itself for arbitrary texts (the holdings' news is a holdings route).</summary>
public static class NewsApi
{
    public static IEndpointRouteBuilder MapNewsApi(this IEndpointRouteBuilder app)
    {
        app.MapApiGroup("/api/news", "News").RequireAuthorization()
            .MapGet("/{symbol}", ForSymbol).WithName("SymbolNews")
            .WithSummary("The latest headlines of a symbol with their sentiment, and its digest")
            .WithDescription("limit: 1..50 headlines (default News:HeadlinesPerSymbol). The digest covers every headline of the "
                + "lookback window. 'news' says whether the headlines are live, simulated or stale (with their time).");
        app.MapApiGroup("/api/sentiment", "Sentiment").RequireAuthorization()
            .MapPost("/analyze", Analyze).WithName("AnalyzeSentiment")
            .WithSummary("Label texts positive, negative or neutral, with probabilities and the terms and rules behind each label")
            .WithDescription("Body: {\"texts\": [...]}, one result per text in order. Up to News:AnalyzeMaxTexts texts (default 256) of "
                + "at most Sentiment:MaxTextLength characters each (default 4,000); longer texts are refused, not truncated.");
        return app;
    }

    public static async Task<Results<Ok<SymbolNewsView>, ValidationProblem, ProblemHttpResult>> ForSymbol(
        string symbol, int? limit, NewsQueries news, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var wanted = errors.RequireTicker("symbol", symbol);
        var page = Paging.Validate(limit, null, NewsOptions.MaxHeadlinesPerSymbol, errors, defaultLimit: news.HeadlinesPerSymbol);
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var (view, problem) = await news.SymbolAsync(wanted!, page.Limit, ct);
        return view is not null ? TypedResults.Ok(view) : problem!.ToResult();
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
        // The results' own version: the engine may change between reading it and analysing.
        return TypedResults.Ok(new AnalyzeResponse(results[0].ModelVersion, [.. results.Select((r, i) => new AnalyzeResultView(
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
