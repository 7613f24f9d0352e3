using System.Text.RegularExpressions;
using FinSight.Sentiment.Model;

namespace FinSight.Sentiment.Tests;

public class AnalyzerTests
{
    private static LinearSentimentAnalyzer Analyzer => TestData.Analyzer.Value;

    [Fact]
    public void Embedded_model_loads_with_a_content_derived_version()
    {
        var model = LinearSentimentModel.LoadEmbedded();
        Assert.Matches(new Regex("^finsight-linear\\+[0-9a-f]{12}$"), model.Version);
        Assert.Equal(model.Version, Analyzer.ModelVersion);
        Assert.Contains("twitter-financial-news-train.csv", model.Metadata, StringComparison.Ordinal);
        Assert.InRange(model.ToBytes().Length, 1, 10 * 1024 * 1024);
    }

    [Theory]
    [InlineData("Quarterly revenue climbed 12% to $4.2 billion, ahead of estimates", SentimentLabel.Positive)]
    [InlineData("Shares slid after the retailer lowered its full-year guidance", SentimentLabel.Negative)]
    [InlineData("The board will meet on 15 March to approve the annual accounts", SentimentLabel.Neutral)]
    [InlineData("Net loss narrowed to $18 million from $45 million", SentimentLabel.Positive)]
    [InlineData("Net loss widened to $310 million", SentimentLabel.Negative)]
    [InlineData("The company did not beat analyst expectations", SentimentLabel.Negative)]
    public void Labels_the_issue_examples(string text, SentimentLabel expected) => Assert.Equal(expected, Analyzer.Analyze(text).Label);

    /// <summary>Issue #14: positive corporate results used to come out neutral. The evidence quotes the text as written.</summary>
    [Theory]
    [InlineData("Operating profit rose to EUR 13.1 mn", "profit rose")]
    [InlineData("Net sales increased 12 %", "sales increased")]
    [InlineData("Tarvo Marine won an order worth EUR 30 mn from a Norwegian shipowner.", "won an order")]
    [InlineData("Quarterly operating profit at Brellin Oy was EUR 4.6 mn (EUR 2.9 mn).", "EUR 4.6 mn (EUR 2.9 mn)")]
    public void Positive_corporate_results_are_positive_with_their_evidence(string text, string evidence)
    {
        var result = Analyzer.Analyze(text);
        Assert.Equal(SentimentLabel.Positive, result.Label);
        Assert.Contains(result.Evidence, e => e.Term.Contains(evidence, StringComparison.Ordinal) && e.Supports == SentimentLabel.Positive);
    }

    [Fact]
    public void Probabilities_sum_to_one_and_the_label_is_the_most_probable()
    {
        foreach (var result in Analyzer.Analyze(["Revenue rose", "Costs rose", "Meeting on Friday", "$TSLA"]))
        {
            var p = result.Probabilities;
            Assert.Equal(1.0, p.Positive + p.Negative + p.Neutral, 9);
            Assert.True(p[result.Label] >= Math.Max(p.Positive, Math.Max(p.Negative, p.Neutral)) - 1e-12);
        }
    }

    [Fact]
    public void Explains_a_decision_with_the_rule_that_drove_it()
    {
        var result = Analyzer.Analyze("Net loss narrowed sharply");
        var top = result.Evidence[0];
        Assert.Equal("loss narrowed", top.Term);
        Assert.Equal(EvidenceKind.DirectionRule, top.Kind);
        Assert.Equal(SentimentLabel.Positive, top.Supports);
        Assert.True(top.Weight > 0);
        Assert.True(result.Evidence.Count <= SentimentOptions.DefaultMaxEvidence);
        Assert.Equal(result.Evidence.OrderByDescending(e => e.Weight), result.Evidence);
    }

    [Fact]
    public void Explanations_carry_negation_notes()
    {
        var evidence = Analyzer.Analyze("The company did not beat estimates").Evidence;
        Assert.Contains(evidence, e => e.Kind == EvidenceKind.ExpectationRule && e.Note == "negated");
    }

    [Fact]
    public void Batch_returns_one_result_per_text_in_order()
    {
        string[] texts = ["Revenue rose", "Costs rose", "The AGM is on Friday"];
        var batch = Analyzer.Analyze(texts);
        Assert.Equal(texts.Select(t => Describe(Analyzer.Analyze(t))), batch.Select(Describe));
        Assert.Empty(Analyzer.Analyze(Array.Empty<string>()));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \t\n")]
    public void Empty_text_is_neutral_with_certainty(string text)
    {
        var result = Analyzer.Analyze(text);
        Assert.Equal(SentimentLabel.Neutral, result.Label);
        Assert.Equal(1.0, result.Probabilities.Neutral);
        Assert.Empty(result.Evidence);
    }

    [Fact]
    public void Null_text_is_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => Analyzer.Analyze((string)null!));
        Assert.Throws<ArgumentNullException>(() => Analyzer.Analyze((IReadOnlyList<string>)null!));
        Assert.Throws<ArgumentNullException>(() => Analyzer.Analyze(["fine", null!]));
    }

    [Fact]
    public void Very_long_text_is_truncated_not_rejected()
    {
        var analyzer = new LinearSentimentAnalyzer(LinearSentimentModel.LoadEmbedded(), maxTextLength: 100);
        var lead = "Net loss widened to $310 million. ";
        var result = analyzer.Analyze(lead + string.Concat(Enumerable.Repeat("Revenue beat estimates and rose strongly. ", 50_000)));
        Assert.Equal(analyzer.Analyze(lead + "Revenue beat estimates and rose strongly. ").Label, result.Label);
        Assert.NotNull(Analyzer.Analyze(new string('x', 2_000_000)));
    }

    [Fact]
    public void Is_safe_to_share_across_threads()
    {
        var texts = Enumerable.Range(0, 400).Select(i => i % 2 == 0 ? $"Revenue rose {i}% as costs fell" : $"Loss widened for the {i}th quarter, shares slid").ToArray();
        var expected = texts.Select(t => Describe(Analyzer.Analyze(t))).ToArray();
        var actual = new string[texts.Length];
        Parallel.For(0, texts.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => actual[i] = Describe(Analyzer.Analyze(texts[i])));
        Assert.Equal(expected, actual);
    }

    // Results hold evidence lists, which records compare by reference; compare their content instead.
    private static string Describe(SentimentResult r) => $"{r.Label} {r.Probabilities} {string.Join(" | ", r.Evidence)}";
}
