using System.Globalization;
using System.Text;

namespace FinSight.Sentiment.Training;

/// <summary>Accuracy, macro-F1 and the confusion matrix of an analyzer on labelled texts.</summary>
public sealed class EvaluationReport
{
    private readonly int[] _confusion;

    internal EvaluationReport(int[] confusion)
    {
        _confusion = confusion;
        Count = confusion.Sum();
        var correct = 0;
        var f1 = 0.0;
        for (var c = 0; c < 3; c++)
        {
            correct += confusion[(c * 3) + c];
            f1 += F1((SentimentLabel)c);
        }

        Accuracy = Count == 0 ? 0 : (double)correct / Count;
        MacroF1 = f1 / 3;
    }

    public int Count { get; }
    public double Accuracy { get; }

    /// <summary>Unweighted mean of the three per-label F1 scores, so the minority labels count as much as neutral.</summary>
    public double MacroF1 { get; }

    /// <summary>How many texts of label <paramref name="actual"/> were predicted as <paramref name="predicted"/>.</summary>
    public int Confusion(SentimentLabel actual, SentimentLabel predicted) => _confusion[((int)actual * 3) + (int)predicted];

    public double Precision(SentimentLabel label)
    {
        var predicted = 0;
        for (var a = 0; a < 3; a++)
        {
            predicted += _confusion[(a * 3) + (int)label];
        }

        return predicted == 0 ? 0 : (double)Confusion(label, label) / predicted;
    }

    public double Recall(SentimentLabel label)
    {
        var actual = 0;
        for (var p = 0; p < 3; p++)
        {
            actual += _confusion[((int)label * 3) + p];
        }

        return actual == 0 ? 0 : (double)Confusion(label, label) / actual;
    }

    public double F1(SentimentLabel label)
    {
        var p = Precision(label);
        var r = Recall(label);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    public override string ToString()
    {
        var labels = new[] { SentimentLabel.Negative, SentimentLabel.Positive, SentimentLabel.Neutral };
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"n={Count} accuracy={Accuracy:P2} macro-F1={MacroF1:F4}");
        text.AppendLine("actual \\ predicted   Negative  Positive   Neutral   F1");
        foreach (var actual in labels)
        {
            text.Append(CultureInfo.InvariantCulture, $"{actual,-18}");
            foreach (var predicted in labels)
            {
                text.Append(CultureInfo.InvariantCulture, $"{Confusion(actual, predicted),10}");
            }

            text.AppendLine(CultureInfo.InvariantCulture, $"   {F1(actual):F3}");
        }

        return text.ToString();
    }
}

public static class SentimentEvaluation
{
    public static EvaluationReport Evaluate(ISentimentAnalyzer analyzer, IReadOnlyList<LabelledText> data)
    {
        ArgumentNullException.ThrowIfNull(analyzer);
        ArgumentNullException.ThrowIfNull(data);
        var results = analyzer.Analyze(data.Select(d => d.Text).ToArray());
        var confusion = new int[9];
        for (var i = 0; i < data.Count; i++)
        {
            confusion[((int)data[i].Label * 3) + (int)results[i].Label]++;
        }

        return new EvaluationReport(confusion);
    }
}
