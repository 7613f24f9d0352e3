namespace FinSight.Sentiment.Tests;

public class RegistryTests
{
    [Fact]
    public void Default_options_build_the_embedded_linear_engine()
    {
        var analyzer = SentimentEngineRegistry.Default.Create(new SentimentOptions());
        Assert.IsType<LinearSentimentAnalyzer>(analyzer);
        Assert.Equal(TestData.Analyzer.Value.ModelVersion, analyzer.ModelVersion);
    }

    [Fact]
    public void A_model_path_loads_that_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"finsight-{Guid.NewGuid():N}.fsm");
        File.WriteAllBytes(path, Model.LinearSentimentModel.LoadEmbedded().ToBytes());
        try
        {
            var analyzer = SentimentEngineRegistry.Default.Create(new SentimentOptions { ModelPath = path });
            Assert.Equal(TestData.Analyzer.Value.ModelVersion, analyzer.ModelVersion);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Another_engine_is_chosen_by_name_without_touching_callers()
    {
        var fake = new FixedAnalyzer();
        var registry = SentimentEngineRegistry.Default.With("finbert", _ => fake);
        Assert.Same(fake, registry.Create(new SentimentOptions { Engine = "FinBERT" }));
        Assert.Equal(["auto", "embedded", "finbert", "finsight-linear"], registry.Engines);
        Assert.DoesNotContain("finbert", SentimentEngineRegistry.Default.Engines); // registries are immutable
    }

    [Fact]
    public void Embedded_and_auto_name_the_linear_engine_when_no_model_is_installed()
    {
        Assert.Equal("auto", new SentimentOptions().Engine);
        foreach (var engine in new[] { "embedded", "auto", "finsight-linear", "AUTO" })
        {
            var analyzer = SentimentEngineRegistry.Default.Create(new SentimentOptions { Engine = engine });
            Assert.IsType<LinearSentimentAnalyzer>(analyzer);
            Assert.Equal(TestData.Analyzer.Value.ModelVersion, analyzer.ModelVersion);
        }
    }

    [Fact]
    public void Unknown_engines_and_bad_limits_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => SentimentEngineRegistry.Default.Create(new SentimentOptions { Engine = "nope" }));
        Assert.Throws<ArgumentOutOfRangeException>(() => SentimentEngineRegistry.Default.Create(new SentimentOptions { MaxTextLength = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => SentimentEngineRegistry.Default.Create(new SentimentOptions { MaxEvidence = -1 }));
    }

    private sealed class FixedAnalyzer : ISentimentAnalyzer
    {
        public string ModelVersion => "fixed";
        public SentimentResult Analyze(string text) => new(SentimentLabel.Neutral, new SentimentProbabilities(0, 0, 1), [], ModelVersion);
        public IReadOnlyList<SentimentResult> Analyze(IReadOnlyList<string> texts) => texts.Select(Analyze).ToArray();
    }
}
