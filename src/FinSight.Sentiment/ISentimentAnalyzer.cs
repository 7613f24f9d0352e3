namespace FinSight.Sentiment;

/// <summary>
/// Classifies financial texts (headlines, announcements, tweets) as positive, negative or neutral.
/// Implementations are immutable and safe to share across threads; register one as a singleton.
/// </summary>
public interface ISentimentAnalyzer
{
    /// <summary>Identifies the model; changes whenever the model's weights change.</summary>
    string ModelVersion { get; }

    /// <summary>Analyses one text. Empty or whitespace text is neutral; overlong text is truncated.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    SentimentResult Analyze(string text);

    /// <summary>Analyses texts in order; the result list has one entry per input.</summary>
    /// <exception cref="ArgumentNullException">The list or one of its texts is null.</exception>
    IReadOnlyList<SentimentResult> Analyze(IReadOnlyList<string> texts);
}
