namespace FinSight.Sentiment;

/// <summary>
/// Market sentiment of a text. The numeric values match the label codes of the training data
/// (0 = bearish, 1 = bullish, 2 = neutral), so they can be stored and compared with labelled files as-is.
/// </summary>
public enum SentimentLabel
{
    Negative = 0,
    Positive = 1,
    Neutral = 2,
}
