using FinSight.Sentiment;

namespace FinSight.Web.Data;

/// <summary>
/// A headline's sentiment as one model version computed it. Headlines are analysed once and read
/// back from here; a new model version (or an edited title) means a new analysis, and rows of
/// older versions are left alone so two instances on different versions during a rollout do not
/// overwrite each other.
/// </summary>
public sealed class HeadlineSentiment
{
    /// <summary>SHA-256 (hex) of the headline's normalised URL, or of its source id when it has no usable URL.</summary>
    public required string HeadlineKey { get; init; }
    public required string ModelVersion { get; init; }
    /// <summary>SHA-256 (hex) of the text that was analysed, so a vendor's edit to the title is noticed.</summary>
    public required string TextHash { get; set; }
    public SentimentLabel Label { get; set; }
    public double Positive { get; set; }
    public double Negative { get; set; }
    public double Neutral { get; set; }
    /// <summary>P(positive) − P(negative).</summary>
    public double Net { get; set; }
    /// <summary>The terms and rules behind the label, as a JSON array.</summary>
    public required string Evidence { get; set; }
    public DateTimeOffset AnalyzedAt { get; set; }
}
