namespace FinSight.Sentiment;

/// <summary>Class probabilities of one analysed text; they sum to 1.</summary>
public readonly record struct SentimentProbabilities
{
    public SentimentProbabilities(double positive, double negative, double neutral)
    {
        if (!IsProbability(positive) || !IsProbability(negative) || !IsProbability(neutral))
        {
            throw new ArgumentOutOfRangeException(nameof(positive), "Probabilities must lie in [0, 1].");
        }

        if (Math.Abs(positive + negative + neutral - 1.0) > 1e-6)
        {
            throw new ArgumentException("Probabilities must sum to 1.");
        }

        Positive = positive;
        Negative = negative;
        Neutral = neutral;
    }

    public double Positive { get; }
    public double Negative { get; }
    public double Neutral { get; }

    /// <summary>P(positive) − P(negative): a signed strength in [-1, 1] used by digests.</summary>
    public double Net => Positive - Negative;

    public double this[SentimentLabel label] => label switch
    {
        SentimentLabel.Positive => Positive,
        SentimentLabel.Negative => Negative,
        SentimentLabel.Neutral => Neutral,
        _ => throw new ArgumentOutOfRangeException(nameof(label)),
    };

    private static bool IsProbability(double p) => p is >= 0.0 and <= 1.0;
}

/// <summary>What kind of signal a piece of evidence is.</summary>
public enum EvidenceKind
{
    /// <summary>A single word the model learned from data.</summary>
    Word,
    /// <summary>A two-word phrase the model learned from data.</summary>
    Phrase,
    /// <summary>A direction word attached to what moved ("loss narrowed", "raised guidance").</summary>
    DirectionRule,
    /// <summary>A result against expectations ("beat estimates", "missed consensus").</summary>
    ExpectationRule,
    /// <summary>An analyst rating change ("upgraded", "downgrade").</summary>
    RatingRule,
    /// <summary>A word from the finance polarity lexicon ("bankruptcy", "record").</summary>
    LexiconRule,
}

/// <summary>
/// One reason behind a decision: a term or rule and how strongly it pushed toward <see cref="Supports"/>.
/// </summary>
/// <param name="Term">The words in the text, e.g. "loss narrowed".</param>
/// <param name="Kind">Whether this is a learned term or a hand-written finance rule.</param>
/// <param name="Supports">The label this evidence pushed toward (the predicted label).</param>
/// <param name="Weight">The logit contribution toward <see cref="Supports"/>, relative to the other labels; larger is stronger.</param>
/// <param name="Note">"negated" or "hedged" when the rule's polarity was flipped or damped; otherwise null.</param>
public sealed record SentimentEvidence(string Term, EvidenceKind Kind, SentimentLabel Supports, double Weight, string? Note = null);

/// <summary>The sentiment of one text.</summary>
/// <param name="Label">The most probable label.</param>
/// <param name="Probabilities">Probabilities of the three labels.</param>
/// <param name="Evidence">The strongest reasons for <paramref name="Label"/>, strongest first; empty when nothing in the text carried signal.</param>
/// <param name="ModelVersion">Version of the model that produced this result; store it to know when to recompute.</param>
public sealed record SentimentResult(
    SentimentLabel Label,
    SentimentProbabilities Probabilities,
    IReadOnlyList<SentimentEvidence> Evidence,
    string ModelVersion);
