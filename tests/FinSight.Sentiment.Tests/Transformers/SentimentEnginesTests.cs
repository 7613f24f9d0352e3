using System.Text.Json;
using FinSight.Sentiment.Transformers;

namespace FinSight.Sentiment.Tests.Transformers;

/// <summary>Sentiment:Engine = auto | embedded | model name, resolved against the installed models.</summary>
public sealed class SentimentEnginesTests : IDisposable
{
    private readonly string _models = Path.Combine(Path.GetTempPath(), "finsight-tests", "engines-" + Guid.NewGuid().ToString("N"), "models");

    [Fact]
    public void Auto_is_embedded_until_a_model_is_installed_then_the_best_one()
    {
        var store = new ModelStore(_models);
        using (var engines = new SentimentEngines(new SentimentOptions(), store))
        {
            Assert.Equal("embedded", engines.Resolve());
            Assert.IsType<LinearSentimentAnalyzer>(engines.Get());
            Assert.Equal(["embedded"], engines.Available);
        }

        Install(store, "zeta-custom");
        Install(store, "finbert");
        using (var engines = new SentimentEngines(new SentimentOptions(), store))
        {
            Assert.Equal("finbert", engines.Resolve()); // a catalog model ranks above others
            Assert.Equal(["embedded", "finbert", "zeta-custom"], engines.Available);
            var analyzer = engines.Get("auto");
            Assert.IsType<TransformerSentimentAnalyzer>(analyzer);
            Assert.Same(analyzer, engines.Get("finbert")); // one session per model, shared
            Assert.Equal("finbert+0123456789ab", analyzer.ModelVersion);
            Assert.Equal("zeta-custom", engines.Resolve("ZETA-custom"));
            Assert.IsType<LinearSentimentAnalyzer>(engines.Get("finsight-linear"));

            engines.Evict("finbert");
            Assert.NotSame(analyzer, engines.Get("finbert"));
        }

        Install(store, "finbert-tone");
        Assert.Equal("finbert-tone", SentimentEngines.ResolveName("auto", store));
    }

    [Fact]
    public void A_name_that_is_not_installed_or_incomplete_is_refused_with_the_fix()
    {
        var store = new ModelStore(_models);
        using var engines = new SentimentEngines(new SentimentOptions { Engine = "finbert-tone" }, store);
        var missing = Assert.Throws<ArgumentException>(() => engines.Get());
        Assert.Contains("models pull finbert-tone", missing.Message, StringComparison.Ordinal);

        Install(store, "finbert-tone");
        File.Delete(Path.Combine(_models, "finbert-tone", PreparedModelFiles.Model));
        var broken = Assert.Throws<ArgumentException>(() => engines.Get());
        Assert.Contains("incomplete", broken.Message, StringComparison.Ordinal);
        Assert.Equal("embedded", engines.Resolve("auto")); // auto skips a broken model
    }

    private static void Install(ModelStore store, string name)
    {
        var source = Path.Combine(Path.GetDirectoryName(store.Folder)!, "source-" + name);
        var model = TinyBert.Random(seed: name.Length, ["positive", "negative", "neutral"]);
        model.WriteRepositoryFiles(source);
        CheckpointWriters.WriteSafetensors(Path.Combine(source, "model.safetensors"), model.Weights);
        var folder = Path.Combine(store.Folder, name);
        var prepared = TransformerModelPreparer.Prepare(source, folder);
        var manifest = new ModelManifest
        {
            Name = name,
            Repository = "acme/" + name,
            Revision = "main",
            Commit = HubFixtures.Commit,
            InstalledAt = DateTimeOffset.UnixEpoch,
            WeightsFile = prepared.WeightsFile,
            WeightsFormat = prepared.WeightsFormat,
            TokenizerSource = prepared.TokenizerSource,
            Labels = prepared.Labels,
            MaxTokens = prepared.MaxTokens,
            Files = [],
        };
        File.WriteAllText(Path.Combine(folder, ModelStore.ManifestFile), JsonSerializer.Serialize(manifest, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
    }

    public void Dispose()
    {
        var root = Path.GetDirectoryName(_models)!;
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
