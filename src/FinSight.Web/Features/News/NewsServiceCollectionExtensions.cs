using FinSight.Sentiment;
using Microsoft.Extensions.Options;

namespace FinSight.Web.Features.News;

public static class NewsServiceCollectionExtensions
{
    /// <summary>
    /// The sentiment engine chosen by <c>Sentiment:Engine</c> (one shared, immutable instance;
    /// its model loads on first use) and the news pipeline configured by <c>News:*</c>.
    /// </summary>
    public static IServiceCollection AddFinSightNews(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SentimentOptions>().Bind(configuration.GetSection(SentimentOptions.SectionName))
            .Validate(IsValid, "Sentiment:Engine must name a known engine ("
                + string.Join(", ", SentimentEngineRegistry.Default.Engines) + "), Sentiment:MaxTextLength be 1..100000 and Sentiment:MaxEvidence 0..50.")
            .ValidateOnStart();
        services.AddSingleton<ISentimentAnalyzer>(sp => SentimentEngineRegistry.Default.Create(sp.GetRequiredService<IOptions<SentimentOptions>>().Value));
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
        return SentimentEngineRegistry.Default.Engines.Contains(options.Engine, StringComparer.OrdinalIgnoreCase);
    }
}
