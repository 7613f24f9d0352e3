namespace FinSight.Sentiment.Transformers;

/// <summary>Maps a classifier's label names (config.json <c>id2label</c>) to FinSight's three labels.</summary>
public static class SentimentLabels
{
    /// <summary>
    /// The FinSight label of each class id, from the names in id order: positive/negative/neutral in
    /// any case (also bullish/bearish and the pos/neg/neu abbreviations). Every name must map, and no
    /// label twice; a model with generic names (LABEL_0…) is refused, because guessing its order is
    /// exactly the mistake this check exists to prevent.
    /// </summary>
    /// <exception cref="InvalidDataException">The names do not identify sentiment labels.</exception>
    public static SentimentLabel[] FromNames(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count is < 2 or > 3)
        {
            throw new InvalidDataException(names.Count == 0
                ? "config.json has no id2label, so which output means positive, negative or neutral is unknown."
                : $"config.json's id2label has {names.Count} labels; a sentiment classifier has 2 or 3.");
        }

        var labels = new SentimentLabel[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            labels[i] = names[i].Trim().ToLowerInvariant() switch
            {
                "positive" or "pos" or "bullish" => SentimentLabel.Positive,
                "negative" or "neg" or "bearish" => SentimentLabel.Negative,
                "neutral" or "neu" => SentimentLabel.Neutral,
                _ => throw new InvalidDataException(
                    $"config.json's id2label ({string.Join(", ", names)}) does not name positive, negative and neutral, so the outputs cannot be told apart."),
            };
        }

        if (labels.Distinct().Count() != labels.Length)
        {
            throw new InvalidDataException($"config.json's id2label ({string.Join(", ", names)}) names a label twice.");
        }

        return labels;
    }
}
