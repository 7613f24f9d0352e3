using FinSight.Sentiment;
using FinSight.Web.Data;
using FinSight.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace FinSight.Web.Tests.News;

/// <summary>
/// The app with its real sentiment engine wrapped, so tests can count what gets analysed and
/// pretend a new model version was deployed.
/// </summary>
public class NewsApp(DatabaseProvider provider) : FinSightApp(provider)
{
    public CountingAnalyzer Analyzer => (CountingAnalyzer)Services.GetRequiredService<ISentimentAnalyzer>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            var real = services.Last(d => d.ServiceType == typeof(ISentimentAnalyzer));
            services.Remove(real);
            services.AddSingleton<ISentimentAnalyzer>(sp => new CountingAnalyzer((ISentimentAnalyzer)real.ImplementationFactory!(sp)));
        });
    }
}

public sealed class NewsSqliteApp() : NewsApp(DatabaseProvider.Sqlite);

public sealed class NewsPostgresApp() : NewsApp(DatabaseProvider.Postgres);

/// <summary>The real analyzer, counting the texts it labels, with a version a test may override.</summary>
public sealed class CountingAnalyzer(ISentimentAnalyzer inner) : ISentimentAnalyzer
{
    private long _analyzed;

    public string? VersionOverride { get; set; }

    public long Analyzed => Interlocked.Read(ref _analyzed);

    public string ModelVersion => VersionOverride ?? inner.ModelVersion;

    public SentimentResult Analyze(string text) => Analyze([text])[0];

    public IReadOnlyList<SentimentResult> Analyze(IReadOnlyList<string> texts)
    {
        Interlocked.Add(ref _analyzed, texts.Count);
        var version = ModelVersion;
        return [.. inner.Analyze(texts).Select(r => r with { ModelVersion = version })];
    }
}
