using FinSight.Sentiment.Text;

namespace FinSight.Sentiment.Tests;

public class TokenizerTests
{
    [Fact]
    public void Drops_urls_cashtags_identity_and_handles_but_keeps_placeholders()
    {
        var tokens = FinancialTokenizer.Tokenize("$AAPL @jimcramer Apple beats https://t.co/abc123 www.example.com/x");
        Assert.Equal(["<ticker>", "apple", "beats", "<url>", "<url>"], tokens);
    }

    [Fact]
    public void Normalises_numbers_percents_and_money()
    {
        var tokens = FinancialTokenizer.Tokenize("Revenue climbed 12% to $4.2 billion, 3.5 percent above 2019's 1,200 units and €5m");
        Assert.Equal(
            ["revenue", "climbed", "<pct>", "to", "<money>", "billion", "<pct>", "above", "<num>", "<num>", "units", "and", "<money>"],
            tokens.Where(t => t != "s").ToArray());
    }

    [Fact]
    public void Lowercases_splits_hyphens_and_strips_possessives()
    {
        Assert.Equal(["the", "bank", "full", "year", "better", "than", "expected"], FinancialTokenizer.Tokenize("The Bank's full-year better-than-expected"));
    }

    [Fact]
    public void Keeps_contractions_and_dotted_acronyms_whole()
    {
        Assert.Equal(["sales", "didn't", "rise", "in", "the", "us", "market"], FinancialTokenizer.Tokenize("Sales didn’t rise in the U.S. market"));
    }

    [Fact]
    public void Marks_clause_breaks_once()
    {
        Assert.Equal(["shares", "fell", ",", "profit", "rose", ","], FinancialTokenizer.Tokenize("Shares fell,, profit rose.", includeBreaks: true));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("https://t.co/x")]
    public void Text_without_words_gives_no_words(string text)
    {
        Assert.DoesNotContain(FinancialTokenizer.Tokenize(text), t => !t.StartsWith('<'));
    }

    [Fact]
    public void Null_is_rejected() => Assert.Throws<ArgumentNullException>(() => FinancialTokenizer.Tokenize(null!));

    [Fact]
    public void Reads_figures_with_their_sign_scale_and_currency_code()
    {
        var buffer = new TokenBuffer();
        FinancialTokenizer.Tokenize("Profit EUR 13.1 mn vs EUR -4.3 mn, sales 1,200 and 3.500,5, shares (-8.7%) +4% $4.2bn, up 12 %", buffer);
        var figures = buffer.Tokens.Take(buffer.Count).Where(t => t.IsQuantity).Select(t => (t.Kind, t.Value, t.Mark)).ToList();
        Assert.Equal(
            [
                (TokenKind.Money, 13.1, '\0'), (TokenKind.Money, -4.3, '\0'), (TokenKind.Number, 1200, '\0'), (TokenKind.Number, 3500.5, '\0'),
                (TokenKind.Percent, -8.7, '-'), (TokenKind.Percent, 4, '+'), (TokenKind.Money, 4.2e9, '\0'), (TokenKind.Percent, 12, '\0'),
            ],
            figures);
    }

    [Fact]
    public void A_hyphen_inside_a_word_is_not_a_sign()
    {
        var buffer = new TokenBuffer();
        FinancialTokenizer.Tokenize("Q3-2019 results", buffer);
        Assert.DoesNotContain(buffer.Tokens.Take(buffer.Count), t => t.Mark is '-' or '+');
    }
}
