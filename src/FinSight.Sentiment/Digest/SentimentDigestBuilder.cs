namespace FinSight.Sentiment.Digest;

/// <summary>Builds a <see cref="SentimentDigest"/> from a symbol's headlines. Pure and deterministic: no clock, no network.</summary>
public static class SentimentDigestBuilder
{
    public static SentimentDigest Build(IEnumerable<DigestHeadline> headlines, DateTimeOffset asOf, DigestOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(headlines);
        options ??= new DigestOptions();
        options.Validate();
        asOf = asOf.ToUniversalTime();

        // Newest first, ties broken by title, so the same set always yields the same digest whatever the input order.
        var known = headlines
            .Select(h => h ?? throw new ArgumentException("Headlines must not contain null.", nameof(headlines)))
            .Where(h => h.PublishedUtc <= asOf)
            .OrderByDescending(h => h.PublishedUtc)
            .ThenBy(h => h.Title, StringComparer.Ordinal)
            .ToList();

        var counts = new LabelCounts(
            known.Count(h => h.Sentiment.Label == SentimentLabel.Positive),
            known.Count(h => h.Sentiment.Label == SentimentLabel.Negative),
            known.Count(h => h.Sentiment.Label == SentimentLabel.Neutral));
        var net = known.Count == 0 ? 0.0 : Math.Clamp(known.Average(h => h.Sentiment.Probabilities.Net), -1, 1);
        // Summarise what the articles say, not their headlines: re-listing titles next to the headline list tells the
        // reader nothing new. Headlines are the fallback when no provider sent a summary.
        var source = DigestSource.Summaries;
        var summary = ExtractiveSummarizer.Summarize(
            known.Where(h => h.Summary is not null).Select(h => h.Summary!), options.SummarySentences, options.RedundancyThreshold);
        if (summary.Count == 0)
        {
            source = DigestSource.Headlines;
            summary = ExtractiveSummarizer.Summarize(known.Select(h => h.Title), options.SummarySentences, options.RedundancyThreshold);
        }

        if (summary.Count == 0)
        {
            source = DigestSource.None;
        }

        return new SentimentDigest(asOf, counts, net, Trend(known, asOf, options), summary, source);
    }

    private static SentimentTrend Trend(List<DigestHeadline> headlines, DateTimeOffset asOf, DigestOptions options)
    {
        var last = DateOnly.FromDateTime(asOf.UtcDateTime);
        var first = last.AddDays(-(options.TrendDays - 1));
        var days = new List<DailySentiment>(options.TrendDays);
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            var nets = headlines
                .Where(h => DateOnly.FromDateTime(h.PublishedUtc.UtcDateTime) == day)
                .Select(h => h.Sentiment.Probabilities.Net)
                .ToList();
            days.Add(new DailySentiment(day, nets.Count, nets.Count == 0 ? null : nets.Average()));
        }

        var points = days
            .Select((d, i) => (X: (double)i, d.NetScore))
            .Where(p => p.NetScore.HasValue)
            .Select(p => (p.X, Y: p.NetScore!.Value))
            .ToList();
        if (points.Count < 2)
        {
            return new SentimentTrend(days, null, TrendDirection.Insufficient);
        }

        var meanX = points.Average(p => p.X);
        var meanY = points.Average(p => p.Y);
        var slope = points.Sum(p => (p.X - meanX) * (p.Y - meanY)) / points.Sum(p => (p.X - meanX) * (p.X - meanX));
        var change = slope * (options.TrendDays - 1);
        var direction = change >= options.TrendThreshold ? TrendDirection.Rising
            : change <= -options.TrendThreshold ? TrendDirection.Falling
            : TrendDirection.Flat;
        return new SentimentTrend(days, slope, direction);
    }
}
