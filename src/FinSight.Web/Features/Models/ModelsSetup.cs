using FinSight.Sentiment;
using FinSight.Sentiment.Transformers;
using FinSight.Sentiment.Transformers.Hub;
using FinSight.Web.Infrastructure;
using FinSight.Web.Jobs;
using Microsoft.Extensions.Options;

namespace FinSight.Web.Features.Models;

public static class ModelsSetup
{
    private const string HubHttpClient = "hub";

    /// <summary>
    /// The sentiment engines: the models installed under <c>{data folder}/models</c>, the Hub client
    /// and background pulls (Sentiment:HubUrl, Sentiment:HubToken), the engine Sentiment:Engine selects
    /// (the <see cref="ISentimentAnalyzer"/> every caller gets, one shared instance per model), the
    /// job that relabels stored headlines when it changes, and the settings page's model management.
    /// </summary>
    public static IServiceCollection AddFinSightSentimentEngines(this IServiceCollection services)
    {
        services.AddSingleton(sp => new ModelStore(
            Path.Combine(sp.GetRequiredService<DataDirectory>().Path, ModelStore.DataSubfolder), sp.GetRequiredService<TimeProvider>()));
        // Its own handler: no automatic redirects (the token must not follow to the CDN), no overall timeout.
        services.AddKeyedSingleton(HubHttpClient, (_, _) => HubClient.CreateHttpClient());
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SentimentOptions>>().Value;
            return new HubClient(sp.GetRequiredKeyedService<HttpClient>(HubHttpClient), new Uri(options.HubUrl), options.HubToken);
        });
        services.AddSingleton<ModelDownloads>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SentimentOptions>>().Value;
            return new SentimentEngines(options, sp.GetRequiredService<ModelStore>(),
                new TransformerEngineOptions { IntraOpThreads = options.Threads }, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<SentimentEngineSelection>();
        services.AddSingleton<ISentimentAnalyzer>(sp => sp.GetRequiredService<SentimentEngineSelection>());
        services.AddSingleton<SentimentRelabelJob>();
        services.AddHostedService(sp => sp.GetRequiredService<SentimentRelabelJob>());
        services.AddSingleton<SentimentModels>();
        return services;
    }
}
