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

    private static readonly string[] Samples = SampleHeadlines.All;

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
