namespace FinSight.Sentiment.Digest;

/// <summary>One headline of a symbol, with the sentiment already computed for it.</summary>
public sealed record DigestHeadline
{
    public DigestHeadline(string title, string? summary, DateTimeOffset publishedUtc, SentimentResult sentiment)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentNullException.ThrowIfNull(sentiment);
        Title = title;

        // Vendors often send the headline again as its summary; that summarises nothing.
        Summary = string.IsNullOrWhiteSpace(summary) || HeadlineDeduplicator.NormalizeTitle(summary) == HeadlineDeduplicator.NormalizeTitle(title)
            ? null
            : summary;
        PublishedUtc = publishedUtc.ToUniversalTime();
        Sentiment = sentiment;
    }

    public string Title { get; }

    /// <summary>The vendor's summary of the article when it has one; null when it has none or only repeats the title.</summary>
    public string? Summary { get; }

    public DateTimeOffset PublishedUtc { get; }
    public SentimentResult Sentiment { get; }
}

public sealed record LabelCounts(int Positive, int Negative, int Neutral)
{
    public int Total => Positive + Negative + Neutral;
}

/// <summary>Sentiment of one UTC day; <see cref="NetScore"/> is null when there was no headline that day.</summary>
public sealed record DailySentiment(DateOnly Day, int Count, double? NetScore);

public enum TrendDirection
{
    /// <summary>Fewer than two days in the window had headlines.</summary>
    Insufficient,
    Falling,
    Flat,
    Rising,
}

/// <param name="Days">One entry per day of the window, oldest first, ending on the as-of day.</param>
/// <param name="Slope">Least-squares change of the daily net score per day, over days with headlines; null when insufficient.</param>
/// <param name="Direction">Rising or falling when the slope moves the score by at least the threshold across the window.</param>
public sealed record SentimentTrend(IReadOnlyList<DailySentiment> Days, double? Slope, TrendDirection Direction);

/// <summary>What the news says about one symbol as of an instant.</summary>
/// <param name="AsOf">Headlines published after this instant were ignored.</param>
/// <param name="Counts">Headlines per predicted label.</param>
/// <param name="NetScore">Mean over headlines of P(positive) − P(negative), in [-1, 1]; 0 when there are none.
/// Probabilities rather than labels, so a hesitant call counts less than a confident one.</param>
/// <param name="Trend">Daily net scores over the trend window and their direction.</param>
/// <param name="Summary">
/// Two or three sentences taken verbatim from the articles' summaries, or from the headlines when no article has a
/// summary (fewer if there is less news).
/// </param>
/// <param name="SummarySource">Where <paramref name="Summary"/> comes from.</param>
public sealed record SentimentDigest(
    DateTimeOffset AsOf, LabelCounts Counts, double NetScore, SentimentTrend Trend, IReadOnlyList<string> Summary, DigestSource SummarySource);

/// <summary>What a digest's summary sentences were taken from.</summary>
public enum DigestSource
{
    /// <summary>There was no news to summarise.</summary>
    None,
    /// <summary>The articles' own summaries, as the providers sent them.</summary>
    Summaries,
    /// <summary>The headlines, because no article came with a summary.</summary>
    Headlines,
}

public sealed record DigestOptions
{
    public int TrendDays { get; init; } = 7;

    /// <summary>Minimum change of the fitted net score across the window to call a trend rising or falling.</summary>
    public double TrendThreshold { get; init; } = 0.15;

    public int SummarySentences { get; init; } = 3;

    /// <summary>A candidate sentence this similar (cosine) to one already chosen is skipped as repetitive.</summary>
    public double RedundancyThreshold { get; init; } = 0.5;

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(TrendDays, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(TrendDays, 366);
        if (TrendThreshold is < 0 or > 2)
        {
            throw new ArgumentOutOfRangeException(nameof(TrendThreshold), "TrendThreshold must be in [0, 2].");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(SummarySentences, 0);
        if (RedundancyThreshold is <= 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(RedundancyThreshold), "RedundancyThreshold must be in (0, 1].");
        }
    }
}
