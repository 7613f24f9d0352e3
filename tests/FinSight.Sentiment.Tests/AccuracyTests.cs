using FinSight.Sentiment.Training;
using Xunit.Abstractions;

namespace FinSight.Sentiment.Tests;

/// <summary>Floors on held-out data, so a change that makes the shipped model worse fails the build.</summary>
public class AccuracyTests(ITestOutputHelper output)
{
    [Fact]
    public void Tweet_validation_split_accuracy_is_at_least_85_percent()
    {
        var path = TestData.SharedSentimentFile("twitter-financial-news-valid.csv");
        Assert.True(File.Exists(path), $"Validation data not found at {path} (see ../shared/data/README.md).");
        var report = SentimentEvaluation.Evaluate(TestData.Analyzer.Value, LabelledCsv.ReadFile(path));
        output.WriteLine(report.ToString());
        Assert.Equal(2388, report.Count);
        Assert.True(report.Accuracy >= 0.85, $"accuracy {report.Accuracy:P2} < 85%");
        Assert.True(report.MacroF1 >= 0.78, $"macro-F1 {report.MacroF1:F4} < 0.78");
    }

    [Fact]
    public void Corporate_news_accuracy_is_at_least_80_percent()
    {
        var data = LabelledCsv.ReadFile(TestData.CorporateNewsFile);
        var report = SentimentEvaluation.Evaluate(TestData.Analyzer.Value, data);
        output.WriteLine(report.ToString());
        Assert.InRange(report.Count, 140, 200);
        Assert.True(report.Accuracy >= 0.80, $"accuracy {report.Accuracy:P2} < 80%");
    }

    [Fact]
    public void Unseen_corporate_news_holdout_accuracy_is_at_least_80_percent()
    {
        var data = LabelledCsv.ReadFile(TestData.CorporateNewsHoldoutFile);
        var report = SentimentEvaluation.Evaluate(TestData.Analyzer.Value, data);
        output.WriteLine(report.ToString());
        Assert.Equal(204, report.Count);
        Assert.True(report.Accuracy >= 0.80, $"accuracy {report.Accuracy:P2} < 80%");
    }
}
