namespace FinSight.Sentiment;

/// <summary>
/// Configuration of the sentiment engine, bound from the "Sentiment" section
/// (Sentiment:Engine, Sentiment:ModelPath, Sentiment:MaxTextLength, Sentiment:MaxEvidence).
/// </summary>
public sealed record SentimentOptions
{
    public const string SectionName = "Sentiment";
    public const string LinearEngine = "finsight-linear";
    public const int DefaultMaxTextLength = 4_000;
    public const int DefaultMaxEvidence = 5;

    /// <summary>Which engine to build; see <see cref="SentimentEngineRegistry"/>.</summary>
    public string Engine { get; init; } = LinearEngine;

    /// <summary>A model file to load instead of the embedded one; null or empty means embedded.</summary>
    public string? ModelPath { get; init; }

    /// <summary>Characters analysed per text; the rest is ignored (not an error).</summary>
    public int MaxTextLength { get; init; } = DefaultMaxTextLength;

    /// <summary>How many reasons to return per text; 0 disables explanations.</summary>
    public int MaxEvidence { get; init; } = DefaultMaxEvidence;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Engine))
        {
            throw new ArgumentException("Sentiment:Engine must name an engine.");
        }

        if (MaxTextLength is < 1 or > 100_000)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTextLength), MaxTextLength, "Sentiment:MaxTextLength must be in 1..100000.");
        }

        if (MaxEvidence is < 0 or > 50)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxEvidence), MaxEvidence, "Sentiment:MaxEvidence must be in 0..50.");
        }
    }
}
