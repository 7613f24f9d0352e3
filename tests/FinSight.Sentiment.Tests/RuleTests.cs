using FinSight.Sentiment.Text;

namespace FinSight.Sentiment.Tests;

/// <summary>The hand-written rules, checked on their own (independently of the trained weights).</summary>
public class RuleTests
{
    private static List<Feature> Rules(string text)
    {
        var tokens = new TokenBuffer();
        var features = new FeatureBuffer();
        FinancialTokenizer.Tokenize(text, tokens);
        FeatureExtractor.Extract(tokens, features);
        return features.Items.Take(features.Count).Where(f => f.Prior != 0).ToList();
    }

    private static int Polarity(string text) => Math.Sign(Rules(text).Sum(f => f.Prior));

    [Theory]
    [InlineData("Net loss narrowed to $18 million", 1)]
    [InlineData("Net loss widened to $310 million", -1)]
    [InlineData("Operating costs rose 9%", -1)]
    [InlineData("Operating costs fell 9%", 1)]
    [InlineData("Revenue climbed 12% to $4.2 billion", 1)]
    [InlineData("Operating margin widened to 21%", 1)]
    [InlineData("Gross margin narrowed to 31%", -1)]
    [InlineData("The company raised its full-year guidance", 1)]
    [InlineData("The company cut its full-year guidance", -1)]
    [InlineData("The miner cut its net debt by a third", 1)]
    [InlineData("Earnings beat estimates", 1)]
    [InlineData("Earnings missed estimates", -1)]
    [InlineData("Sales came in ahead of estimates", 1)]
    [InlineData("Barclays upgraded the stock", 1)]
    [InlineData("BTIG cuts to Neutral", -1)]
    [InlineData("Maxim Group ups to Buy", 1)]
    [InlineData("The retailer filed for bankruptcy", -1)]
    [InlineData("The company posted a smaller-than-expected loss", 1)]
    public void Direction_is_read_against_what_moved(string text, int expected) => Assert.Equal(expected, Polarity(text));

    [Theory]
    [InlineData("The company did not beat expectations", -1)]
    [InlineData("The company didn't beat expectations", -1)]
    [InlineData("The company no longer expects revenue growth", -1)]
    [InlineData("The company no longer expects a decline in sales", 1)]
    [InlineData("The brewer raised prices without losing volume", 1)]
    public void Negation_flips_polarity(string text, int expected)
    {
        Assert.Equal(expected, Polarity(text));
        Assert.Contains(Rules(text), f => f.Note is RuleNote.Negated or RuleNote.NegatedHedged);
    }

    [Fact]
    public void Negation_does_not_cross_a_clause_break()
    {
        Assert.DoesNotContain(Rules("Not a surprise, revenue rose"), f => f.Note != RuleNote.None);
    }

    [Fact]
    public void Hedges_halve_the_rule_strength()
    {
        var plain = Rules("The company cut its dividend").Single();
        var hedged = Rules("The company may cut its dividend").Single();
        Assert.Equal(RuleNote.Hedged, hedged.Note);
        Assert.Equal(plain.Prior / 2, hedged.Prior);
    }

    [Fact]
    public void Better_than_expected_is_a_result_not_a_hedge()
    {
        Assert.All(Rules("Better-than-expected results lifted the shares"), f => Assert.Equal(RuleNote.None, f.Note));
    }

    [Theory]
    [InlineData("The board will meet on 15 March to approve the annual accounts")]
    [InlineData("The company will report results on 28 July")]
    public void Routine_announcements_fire_no_rules(string text) => Assert.Empty(Rules(text));
}
