using FinSight.Sentiment.Digest;

namespace FinSight.Sentiment.Tests;

public class DigestTests
{
    private static readonly DateTimeOffset AsOf = new(2026, 3, 15, 18, 0, 0, TimeSpan.Zero);

    private static SentimentResult Result(double positive, double negative)
    {
        var label = positive > negative && positive > 0.5 ? SentimentLabel.Positive
            : negative > positive && negative > 0.5 ? SentimentLabel.Negative
            : SentimentLabel.Neutral;
        return new SentimentResult(label, new SentimentProbabilities(positive, negative, 1 - positive - negative), [], "test");
    }

    private static DigestHeadline Headline(string title, double daysAgo, double positive, double negative, string? summary = null) =>
        new(title, summary, AsOf.AddDays(-daysAgo), Result(positive, negative));

    [Fact]
    public void Counts_labels_and_averages_the_net_score()
    {
        var digest = SentimentDigestBuilder.Build(
            [Headline("Revenue beat estimates", 0.1, 0.9, 0.05), Headline("Costs rose", 1, 0.1, 0.8), Headline("AGM on Friday", 2, 0.1, 0.1)],
            AsOf);
        Assert.Equal(new LabelCounts(1, 1, 1), digest.Counts);
        Assert.Equal(((0.9 - 0.05) + (0.1 - 0.8) + 0.0) / 3, digest.NetScore, 12);
    }

    [Fact]
    public void Ignores_headlines_published_after_the_as_of_instant()
    {
        var digest = SentimentDigestBuilder.Build([Headline("From the future", -1, 0.9, 0.0)], AsOf);
        Assert.Equal(0, digest.Counts.Total);
        Assert.Equal(0, digest.NetScore);
        Assert.Empty(digest.Summary);
        Assert.Equal(TrendDirection.Insufficient, digest.Trend.Direction);
    }

    [Fact]
    public void Trend_covers_seven_days_ending_on_the_as_of_day()
    {
        var digest = SentimentDigestBuilder.Build([Headline("Old news is outside the window", 9, 0.9, 0)], AsOf);
        Assert.Equal(7, digest.Trend.Days.Count);
        Assert.Equal(new DateOnly(2026, 3, 9), digest.Trend.Days[0].Day);
        Assert.Equal(new DateOnly(2026, 3, 15), digest.Trend.Days[^1].Day);
        Assert.All(digest.Trend.Days, d => Assert.Null(d.NetScore));
        Assert.Equal(1, digest.Counts.Total); // counts cover every headline given, the trend only the window
    }

    [Fact]
    public void Improving_news_is_a_rising_trend_and_worsening_news_a_falling_one()
    {
        var rising = SentimentDigestBuilder.Build([Headline("a b c d", 6, 0.1, 0.8), Headline("e f g h", 3, 0.3, 0.3), Headline("i j k l", 0, 0.9, 0.05)], AsOf);
        var falling = SentimentDigestBuilder.Build([Headline("a b c d", 6, 0.9, 0.05), Headline("i j k l", 0, 0.1, 0.8)], AsOf);
        var flat = SentimentDigestBuilder.Build([Headline("a b c d", 6, 0.5, 0.2), Headline("i j k l", 0, 0.52, 0.2)], AsOf);
        Assert.Equal(TrendDirection.Rising, rising.Trend.Direction);
        Assert.True(rising.Trend.Slope > 0);
        Assert.Equal(TrendDirection.Falling, falling.Trend.Direction);
        Assert.Equal(TrendDirection.Flat, flat.Trend.Direction);
    }

    [Fact]
    public void Summary_picks_two_or_three_representative_non_repetitive_sentences()
    {
        DigestHeadline[] headlines =
        [
            Headline("Acme quarterly revenue beats estimates on strong cloud demand", 0.2, 0.9, 0.05,
                "Acme said cloud revenue grew 30% in the quarter. The company also raised its full-year revenue outlook."),
            Headline("Acme revenue beats estimates on strong cloud demand - Reuters", 0.3, 0.9, 0.05),
            Headline("Acme shares rise after cloud revenue beats estimates", 0.5, 0.8, 0.1),
            Headline("Acme to hold annual meeting in May", 2, 0.1, 0.1),
        ];
        var digest = SentimentDigestBuilder.Build(headlines, AsOf);
        Assert.InRange(digest.Summary.Count, 2, 3);
        Assert.Equal(digest.Summary.Count, digest.Summary.Distinct().Count());
        Assert.Contains(digest.Summary, s => s.Contains("revenue", StringComparison.OrdinalIgnoreCase));
        // The near-identical Reuters re-run of the first headline must not be picked alongside it.
        Assert.False(
            digest.Summary.Contains("Acme quarterly revenue beats estimates on strong cloud demand")
            && digest.Summary.Contains("Acme revenue beats estimates on strong cloud demand - Reuters"));
    }

    [Fact]
    public void Summary_quotes_the_articles_summaries_not_their_headlines()
    {
        DigestHeadline[] headlines =
        [
            Headline("Acme beats on cloud", 0.2, 0.9, 0.05,
                "Acme's cloud revenue grew 30% in the quarter as large customers moved workloads. The company raised its full-year outlook."),
            Headline("Acme shares jump after results", 0.4, 0.8, 0.1,
                "Shares of Acme rose 8% in early trading after the quarterly report."),
            Headline("Acme to hold annual meeting in May", 2, 0.1, 0.1),
        ];
        var digest = SentimentDigestBuilder.Build(headlines, AsOf);
        Assert.Equal(DigestSource.Summaries, digest.SummarySource);
        Assert.InRange(digest.Summary.Count, 2, 3);
        var summarySentences = headlines.Where(h => h.Summary is not null).SelectMany(h => ExtractiveSummarizer.SplitSentences(h.Summary!)).ToHashSet();
        Assert.All(digest.Summary, line => Assert.Contains(line, summarySentences));
        Assert.DoesNotContain(digest.Summary, line => headlines.Any(h => h.Title == line));
    }

    [Fact]
    public void Without_summaries_the_digest_falls_back_to_headlines()
    {
        DigestHeadline[] headlines =
        [
            Headline("Acme quarterly revenue beats estimates on strong cloud demand", 0.2, 0.9, 0.05),
            Headline("Acme to hold its annual meeting in Boston in May", 2, 0.1, 0.1),
        ];
        var digest = SentimentDigestBuilder.Build(headlines, AsOf);
        Assert.Equal(DigestSource.Headlines, digest.SummarySource);
        Assert.Equal(headlines.Select(h => h.Title).Order(), digest.Summary.Order());
        Assert.Equal(DigestSource.None, SentimentDigestBuilder.Build([], AsOf).SummarySource);
    }

    [Theory]
    [InlineData("Acme beats estimates", "Acme beats estimates")]
    [InlineData("Acme quarterly revenue beats estimates - Reuters", "ACME QUARTERLY REVENUE BEATS ESTIMATES!")]
    [InlineData("Acme beats estimates", "   ")]
    public void A_summary_that_only_repeats_the_title_is_no_summary(string title, string summary) =>
        Assert.Null(new DigestHeadline(title, summary, AsOf, Result(0.5, 0.2)).Summary);

    [Fact]
    public void Digest_does_not_depend_on_input_order()
    {
        var headlines = Enumerable.Range(0, 8)
            .Select(i => Headline($"Headline number {i} about margins and guidance item{i % 3}", i * 0.7, 0.1 * (i % 5), 0.05 * (i % 3)))
            .ToList();
        var a = SentimentDigestBuilder.Build(headlines, AsOf);
        var b = SentimentDigestBuilder.Build(Enumerable.Reverse(headlines), AsOf);
        Assert.Equal(a.Summary, b.Summary);
        Assert.Equal(a.NetScore, b.NetScore);
        Assert.Equal(a.Trend.Days, b.Trend.Days);
    }

    [Fact]
    public void Splits_summaries_into_sentences_without_breaking_numbers()
    {
        var sentences = ExtractiveSummarizer.SplitSentences("Sales rose 3.5% in the U.S. market. Margins fell to 12.1% this year! Short.").ToList();
        Assert.Equal(["Sales rose 3.5% in the U.S. market.", "Margins fell to 12.1% this year!"], sentences);
    }

    [Fact]
    public void Invalid_input_is_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => SentimentDigestBuilder.Build(null!, AsOf));
        Assert.Throws<ArgumentException>(() => SentimentDigestBuilder.Build([null!], AsOf));
        Assert.ThrowsAny<ArgumentException>(() => new DigestHeadline(" ", null, AsOf, Result(0.5, 0.2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => SentimentDigestBuilder.Build([], AsOf, new DigestOptions { TrendDays = 1 }));
    }
}
