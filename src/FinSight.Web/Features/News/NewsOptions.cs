namespace FinSight.Web.Features.News;

/// <summary>Settings under <c>News</c>. The engine's own settings are under <c>Sentiment</c>.</summary>
public sealed class NewsOptions
{
    public const string Section = "News";
    public const int MaxHeadlinesPerSymbol = 50;

    /// <summary>Headlines listed per held symbol (the spec's 5), and the default <c>limit</c> of /api/news/{symbol}.</summary>
    public int HeadlinesPerSymbol { get; set; } = 5;

    /// <summary>
    /// Texts per POST /api/sentiment/analyze. 256 texts at the default Sentiment:MaxTextLength of
    /// 4,000 characters still fit the 1 MiB body limit, so a full batch is never refused for size.
    /// </summary>
    public int AnalyzeMaxTexts { get; set; } = 256;

    /// <summary>Days in a digest's daily trend, ending today.</summary>
    public int TrendDays { get; set; } = 7;

    public bool IsValid() =>
        HeadlinesPerSymbol is >= 1 and <= MaxHeadlinesPerSymbol
        && AnalyzeMaxTexts is >= 1 and <= 10_000
        && TrendDays is >= 2 and <= 366;
}
