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

    /// <summary>
    /// The validation set of company news written from scratch (never trained on, no near-copies in the training file:
    /// see <see cref="DataSeparationTests"/>). Floors at what the shipped model measured (90.4 % and 95.0 %), well above
    /// the targets of 75 % overall and 86 % on the unambiguous sentences.
    /// </summary>
    [Fact]
    public void Corporate_news_validation_accuracy_is_at_least_90_percent_and_94_5_percent_when_clear_cut()
    {
        var data = LabelledCsv.ReadFile(TestData.CorporateNewsValidationFile);
        var report = SentimentEvaluation.Evaluate(TestData.Analyzer.Value, data);
        output.WriteLine("corporate-news-validation.csv, all rows");
        output.WriteLine(report.ToString());
        Assert.Equal(855, report.Count);
        Assert.True(report.Accuracy >= 0.90, $"accuracy {report.Accuracy:P2} < 90%");
        Assert.True(report.Recall(SentimentLabel.Positive) >= 0.80, $"positive recall {report.Recall(SentimentLabel.Positive):P2} < 80%");

        var clearCut = SentimentEvaluation.Evaluate(TestData.Analyzer.Value, data.Where(r => r.ClearCut == true).ToList());
        output.WriteLine("clear-cut rows only");
        output.WriteLine(clearCut.ToString());
        Assert.Equal(653, clearCut.Count);
        Assert.True(clearCut.Accuracy >= 0.945, $"clear-cut accuracy {clearCut.Accuracy:P2} < 94.5%");
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
