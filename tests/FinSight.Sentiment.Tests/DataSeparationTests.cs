using System.Text.RegularExpressions;
using FinSight.Sentiment.Training;

namespace FinSight.Sentiment.Tests;

/// <summary>
/// The corporate-news evaluation sets only measure the model if no training sentence is a near-copy of one of them:
/// a paraphrase that keeps most words and word pairs would make the accuracy tests measure memory, not reading.
/// </summary>
public partial class DataSeparationTests
{
    /// <summary>The most a training sentence may share with an evaluation sentence (Jaccard of words and word pairs).</summary>
    private const double MaxSimilarity = 0.45;

    public static TheoryData<string> EvaluationFiles => new()
    {
        TestData.CorporateNewsValidationFile, TestData.CorporateNewsFile, TestData.CorporateNewsHoldoutFile,
    };

    [Theory]
    [MemberData(nameof(EvaluationFiles))]
    public void No_training_sentence_is_a_near_duplicate_of_an_evaluation_sentence(string evaluationFile)
    {
        var training = LabelledCsv.ReadFile(TestData.CorporateNewsTrainingFile);
        Assert.True(training.Count > 500, $"training data not found or too small at {TestData.CorporateNewsTrainingFile}");
        var evaluation = LabelledCsv.ReadFile(evaluationFile).Select(r => (r.Text, Features: Features(r.Text))).ToList();

        var closest = training
            .Select(t => (t.Text, Features: Features(t.Text)))
            .Select(t => evaluation.Select(e => (Train: t.Text, Eval: e.Text, Similarity: Jaccard(t.Features, e.Features))).MaxBy(p => p.Similarity))
            .Where(p => p.Similarity > MaxSimilarity)
            .Select(p => $"{p.Similarity:P0}: \"{p.Train}\" ~ \"{p.Eval}\"")
            .ToList();
        Assert.True(closest.Count == 0, $"near-duplicates of {Path.GetFileName(evaluationFile)}:\n{string.Join('\n', closest)}");
    }

    [Fact]
    public void The_similarity_measure_flags_a_paraphrase_and_passes_a_different_sentence()
    {
        var original = Features("Operating profit rose to EUR 21.4 mn from EUR 15.9 mn in the first half of the year.");
        Assert.True(Jaccard(original, Features("Operating profit rose to EUR 19.0 mn from EUR 15.9 mn in the first half of the year.")) > MaxSimilarity);
        Assert.True(Jaccard(original, Features("Alvena's operating result improved to EUR 8.9 million, against EUR 5.3 million.")) <= MaxSimilarity);
    }

    /// <summary>Lower-cased words and figures, and each pair of neighbours.</summary>
    private static HashSet<string> Features(string text)
    {
        var words = WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value).ToList();
        var features = new HashSet<string>(words);
        for (var i = 1; i < words.Count; i++)
        {
            features.Add(words[i - 1] + " " + words[i]);
        }

        return features;
    }

    private static double Jaccard(HashSet<string> a, HashSet<string> b)
    {
        var shared = a.Count(b.Contains);
        var union = a.Count + b.Count - shared;
        return union == 0 ? 0 : (double)shared / union;
    }

    [GeneratedRegex(@"[a-z]+|\d+(?:[.,]\d+)*")]
    private static partial Regex WordPattern();
}
