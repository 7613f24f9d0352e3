using FinSight.Sentiment;
using FinSight.Sentiment.Transformers;
using FinSight.Web.Features.Models;

namespace FinSight.Web.Features.News;

public static class NewsServiceCollectionExtensions
{
    /// <summary>
    /// The sentiment engine chosen by <c>Sentiment:Engine</c> (see <see cref="ModelsSetup"/>) and
    /// the news pipeline configured by <c>News:*</c>.
    /// </summary>
    public static IServiceCollection AddFinSightNews(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SentimentOptions>().Bind(configuration.GetSection(SentimentOptions.SectionName))
            .Validate(IsValid, "Sentiment:Engine must be auto, embedded or a model name (letters, digits, '.', '_', '-'), Sentiment:HubUrl an "
                + "http(s) URL, Sentiment:Threads 0..256, Sentiment:MaxTextLength 1..100000 and Sentiment:MaxEvidence 0..50.")
            .ValidateOnStart();
        services.AddFinSightSentimentEngines();
        services.AddOptions<NewsOptions>().Bind(configuration.GetSection(NewsOptions.Section))
            .Validate(o => o.IsValid(), $"News:HeadlinesPerSymbol must be 1..{NewsOptions.MaxHeadlinesPerSymbol}, News:AnalyzeMaxTexts 1..10000 and News:TrendDays 2..366.")
            .ValidateOnStart();
        services.AddScoped<HeadlineSentimentStore>();
        services.AddScoped<NewsSentimentService>();
        services.AddScoped<NewsQueries>();
        return services;
    }

    private static bool IsValid(SentimentOptions options)
    {
        try
        {
            options.Validate();
        }
        catch (ArgumentException)
        {
            return false;
        }
        // A model name need not be installed yet: the embedded engine labels until it is.
        return SentimentEngineRegistry.Default.Engines.Contains(options.Engine, StringComparer.OrdinalIgnoreCase)
            || ModelStore.IsValidName(options.Engine.ToLowerInvariant());
    }
}
