using FinSight.Sentiment.Digest;

namespace FinSight.Sentiment.Tests;

public class DeduplicatorTests
{
    [Theory]
    [InlineData("Apple's Revenue Beats Estimates - Reuters", "apples revenue beats estimates")]
    [InlineData("  Apple’s revenue beats   estimates!  ", "apples revenue beats estimates")]
    [InlineData("Apple revenue beats estimates | Yahoo Finance", "apple revenue beats estimates")]
    [InlineData("Fed - what next", "fed what next")] // a short title keeps its tail
    public void Normalises_titles(string title, string expected) => Assert.Equal(expected, HeadlineDeduplicator.NormalizeTitle(title));

    [Theory]
    [InlineData("https://www.Example.com/news/story/?utm_source=x&id=7#top", "example.com/news/story?id=7")]
    [InlineData("http://example.com/news/story?id=7&fbclid=abc", "example.com/news/story?id=7")]
    [InlineData("not a url", null)]
    [InlineData("ftp://example.com/file", null)]
    [InlineData(null, null)]
    public void Normalises_urls(string? url, string? expected) => Assert.Equal(expected, HeadlineDeduplicator.NormalizeUrl(url));

    [Fact]
    public void Keeps_the_first_of_each_story_across_providers()
    {
        (string Title, string? Url, string Provider)[] items =
        [
            ("Acme quarterly revenue beats estimates - Reuters", "https://reuters.com/a?utm_medium=rss", "yahoo"),
            ("ACME QUARTERLY REVENUE BEATS ESTIMATES", null, "finnhub"),
            ("Different headline entirely here", "https://www.reuters.com/a", "finnhub"),
            ("Acme to hold annual meeting", "https://example.com/b", "finnhub"),
        ];
        var unique = HeadlineDeduplicator.Deduplicate(items, i => i.Title, i => i.Url);
        Assert.Equal(["yahoo", "finnhub"], unique.Select(i => i.Provider));
        Assert.Equal("Acme to hold annual meeting", unique[1].Title);
    }
}
