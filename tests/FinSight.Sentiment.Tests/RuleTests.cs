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

    [Theory]
    [InlineData("The automaker is recalling 80,000 vehicles", -1)]
    [InlineData("Shareholders filed a lawsuit against the company", -1)]
    [InlineData("The company announced plans to lay off 2,000 employees", -1)]
    [InlineData("The group issued a profit warning", -1)]
    [InlineData("The airline returned to profit", 1)]
    [InlineData("The group swung to a net loss", -1)]
    [InlineData("The contractor won a $2 billion defence contract", 1)]
    [InlineData("The supplier lost its largest customer", -1)]
    [InlineData("The company failed to win the contract", -1)]
    [InlineData("The board suspended the dividend", -1)]
    [InlineData("Impairment charges were sharply lower", 1)]
    public void News_is_polar_without_a_direction_word(string text, int expected) => Assert.Equal(expected, Polarity(text));

    [Theory]
    [InlineData("The record date for the dividend is 3 June")]
    [InlineData("The deal is subject to regulatory approval")]
    [InlineData("Results were in line with guidance")]
    [InlineData("He added that the meeting went well")]
    public void Neutral_uses_of_polar_words_fire_no_rules(string text) => Assert.Empty(Rules(text));

    [Fact]
    public void A_negated_expectation_is_a_firm_statement()
    {
        // "no longer expects growth" says growth is off: negated, at full strength, not weakened as a hedge.
        var rule = Rules("The company no longer expects revenue growth").Single();
        Assert.Equal(RuleNote.Negated, rule.Note);
        Assert.True(rule.Prior < 0);
        Assert.Equal(Rules("The company did not report revenue growth").Single().Prior, rule.Prior);
    }

    [Fact]
    public void Company_outlook_weakens_a_rule_less_than_speculation()
    {
        var outlook = Rules("The company expects to cut its dividend").Single();
        var speculation = Rules("The company may cut its dividend").Single();
        Assert.True(Math.Abs(outlook.Prior) > Math.Abs(speculation.Prior));
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

    [Theory]
    [InlineData("Quarterly operating profit at Brellin Oy was EUR 4.6 mn (EUR 2.9 mn).", 1)]
    [InlineData("Quarterly operating profit at Brellin Oy was EUR 2.1 mn (EUR 2.9 mn).", -1)]
    [InlineData("Earnings per share were EUR 0.41, versus EUR 0.27 a year earlier.", 1)]
    [InlineData("Costs of goods sold amounted to USD 88 mn, compared with USD 61 mn.", -1)]
    [InlineData("The operating loss was EUR 1.2 mn, compared with a profit of EUR 0.8 mn.", -1)]
    [InlineData("The unit posted a profit of SEK 14 mn, compared with a loss of SEK 3 mn.", 1)]
    [InlineData("Deliveries grew from 1.4 to 2.6 million units.", 1)]
    [InlineData("The ferry line carried 15 % more passengers than in 2019.", 1)]
    [InlineData("Invoicing for the spring was 22 % lower than a year before.", -1)]
    public void Figures_compared_with_earlier_figures_give_the_direction(string text, int expected)
    {
        Assert.Equal(expected, Polarity(text));
        Assert.Contains(Rules(text), f => f.Kind == EvidenceKind.DirectionRule);
    }

    [Theory]
    [InlineData("Revenue in the first half grew by 8 %.", 1)]
    [InlineData("Turnover came to EUR 40.2 mn, a fall of 3.1 %.", -1)]
    [InlineData("Analysts' price targets trimmed on weaker demand", -1)]
    [InlineData("The dividend was cut to EUR 0.10 per share", -1)]
    [InlineData("Customers reduce their energy costs with the new boilers", 1)]
    public void The_quantity_that_moved_is_found_before_or_after_the_verb(string text, int expected) => Assert.Equal(expected, Polarity(text));

    [Theory]
    [InlineData("The group will close its bottling plant in Ghent", -1)]
    [InlineData("The chain opened four new stores in Poland", 1)]
    [InlineData("Orrtec signed a supply agreement with a Danish utility", 1)]
    public void Sites_and_deals_are_news(string text, int expected) => Assert.Equal(expected, Polarity(text));

    [Theory]
    [InlineData("Net sales in the period were EUR 31.0 mn (EUR 31.0 mn).")]
    [InlineData("The plan allows the board to issue up to 2 million new shares.")]
    [InlineData("The figures for 2021 (2020) are unaudited.")]
    [InlineData("The offer period runs from 3 May to 24 May.")]
    public void Unchanged_figures_years_and_dates_fire_no_rules(string text) => Assert.Empty(Rules(text));
}
