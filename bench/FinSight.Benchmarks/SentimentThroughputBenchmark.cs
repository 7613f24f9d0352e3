using BenchmarkDotNet.Attributes;
using FinSight.Sentiment;
using FinSight.Sentiment.Model;

namespace FinSight.Benchmarks;

/// <summary>
/// Headlines per second of the embedded sentiment engine on one thread (target: ≥ 20,000/s, i.e. ≤ 50 µs each).
/// Each invocation analyses a batch of 1,024 headlines; BenchmarkDotNet reports the time per headline.
/// Run: dotnet run -c Release --project bench/FinSight.Benchmarks -- --filter '*SentimentThroughput*'
/// </summary>
[MemoryDiagnoser]
public class SentimentThroughputBenchmark
{
    private const int BatchSize = 1024;

    private static readonly string[] Samples =
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

    private readonly string[] _batch = Enumerable.Range(0, BatchSize).Select(i => Samples[i % Samples.Length] + (i % 3 == 0 ? "" : $" ({i})")).ToArray();
    private LinearSentimentAnalyzer _withEvidence = null!;
    private LinearSentimentAnalyzer _labelsOnly = null!;

    [GlobalSetup]
    public void Setup()
    {
        var model = LinearSentimentModel.LoadEmbedded();
        _withEvidence = new LinearSentimentAnalyzer(model);
        _labelsOnly = new LinearSentimentAnalyzer(model, maxEvidence: 0);
    }

    [Benchmark(OperationsPerInvoke = BatchSize, Baseline = true, Description = "analyze headline (with explanation)")]
    public IReadOnlyList<SentimentResult> WithEvidence() => _withEvidence.Analyze(_batch);

    [Benchmark(OperationsPerInvoke = BatchSize, Description = "analyze headline (label + probabilities only)")]
    public IReadOnlyList<SentimentResult> LabelsOnly() => _labelsOnly.Analyze(_batch);
}
