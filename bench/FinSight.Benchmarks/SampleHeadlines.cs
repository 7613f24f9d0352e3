namespace FinSight.Benchmarks;

/// <summary>
/// The headlines every sentiment benchmark labels (typical length, 10–25 WordPiece tokens), so that the
/// engines are timed on the same texts.
/// </summary>
internal static class SampleHeadlines
{
    public static readonly string[] All =
    [
        "Quarterly revenue climbed 12% to $4.2 billion, ahead of estimates",
        "Shares slid after the retailer lowered its full-year guidance",
        "The board will meet on 15 March to approve the annual accounts",
        "$AAPL - Apple price target raised to $250 at Wedbush https://t.co/abcdef",
        "Net loss narrowed to $18 million from $45 million a year earlier",
        "JPMorgan cuts Ford to Neutral on weaker pricing outlook",
        "Chipmaker warns supply constraints could weigh on second-half margins",
        "Oil prices steady as traders await OPEC+ decision on output",
        "Regulators open probe into bank's overdraft fees; shares fall 4%",
        "Insurer posts record profit and lifts dividend by 10%",
        "The company did not beat analyst expectations for the third quarter",
        "Retail sales rose 0.4% in October, in line with forecasts",
        "Streaming giant adds 9 million subscribers, beating Wall Street estimates",
        "Automaker recalls 400,000 vehicles over faulty brake component",
        "Board appoints new chief financial officer effective January 1",
        "Bond yields edge higher ahead of Fed minutes",
    ];
}
