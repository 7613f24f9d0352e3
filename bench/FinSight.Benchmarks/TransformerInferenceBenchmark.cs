using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using FinSight.Sentiment;
using FinSight.Sentiment.Transformers;

namespace FinSight.Benchmarks;

/// <summary>
/// Issue 14's target: at most 80 ms per headline on one core for a FinBERT-sized model (BERT-base:
/// 768 hidden, 12 layers). Milliseconds per headline at batch 1 and batch 32 (one ONNX Runtime call
/// for 32 headlines, padded to the longest), one thread (IntraOpNumThreads = 1, process pinned to one
/// core), for the real all-MiniLM-L6-v2 and a random-weight BERT-base classifier written by FinSight's
/// exporter. The time includes tokenizing, batching and (for the classifier) softmax and labels.
/// Memory: BenchmarkDotNet reports managed allocations; the process's working set after loading
/// the model and after inference (native ONNX Runtime memory included) is printed by the setup.
/// Run: dotnet run -c Release --project bench/FinSight.Benchmarks -- --filter '*TransformerInference*'
/// The first run writes the 420 MB random model to the temp folder (finsight-bench), later runs reuse it.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class TransformerInferenceBenchmark
{
    private ISentimentAnalyzer? _classifier;
    private BertSession? _encoder;
    private WordPieceTokenizer? _tokenizer;
    private readonly string[] _one = [SampleHeadlines.All[0]];
    private readonly string[] _thirtyTwo = Enumerable.Range(0, 32).Select(i => SampleHeadlines.All[i % SampleHeadlines.All.Length]).ToArray();

    [Params("MiniLM-L6", "BERT-base")]
    public string Model { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var before = WorkingSet();
        if (Model == "MiniLM-L6")
        {
            var folder = TransformerModels.MiniLm();
            _tokenizer = WordPieceTokenizer.Load(Path.Combine(folder, PreparedModelFiles.Tokenizer));
            _encoder = new BertSession(Path.Combine(folder, PreparedModelFiles.Model), intraOpThreads: 1);
        }
        else
        {
            _classifier = TransformerSentimentAnalyzer.Load(TransformerModels.BertBase(), "bert-base-random",
                new TransformerEngineOptions { IntraOpThreads = 1, BatchSize = 32 });
        }

        var loaded = WorkingSet();
        Run(_thirtyTwo);
        using var process = Process.GetCurrentProcess();
        Console.WriteLine($"// {Model}: working set {before / 1048576.0:F0} MB before loading, {loaded / 1048576.0:F0} MB loaded, " +
                          $"{WorkingSet() / 1048576.0:F0} MB after the first inference; peak {process.PeakWorkingSet64 / 1048576.0:F0} MB");
        // On a shared machine wall time includes waiting for the core; CPU time per headline does not.
        Console.WriteLine($"// {Model}: CPU time per headline {CpuMilliseconds(_one, 20):F1} ms at batch 1, {CpuMilliseconds(_thirtyTwo, 3) / 32:F1} ms at batch 32");
    }

    private double CpuMilliseconds(string[] headlines, int runs)
    {
        using var process = Process.GetCurrentProcess();
        var start = process.TotalProcessorTime;
        for (var i = 0; i < runs; i++)
        {
            Run(headlines);
        }

        process.Refresh();
        return (process.TotalProcessorTime - start).TotalMilliseconds / runs;
    }

    [Benchmark(OperationsPerInvoke = 1, Description = "ms per headline, batch 1")]
    public object Batch1() => Run(_one);

    [Benchmark(OperationsPerInvoke = 32, Description = "ms per headline, batch 32")]
    public object Batch32() => Run(_thirtyTwo);

    private object Run(string[] headlines)
    {
        if (_classifier is not null)
        {
            return _classifier.Analyze(headlines);
        }

        var batch = TokenBatch.Pad(headlines.Select(_tokenizer!.Encode).ToArray(), _tokenizer.PadId);
        return _encoder!.Run(batch, "last_hidden_state");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        (_classifier as IDisposable)?.Dispose();
        _encoder?.Dispose();
        _tokenizer?.Dispose();
    }

    private static long WorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    /// <summary>One core; few iterations, because one BERT-base batch of 32 takes about a second; a generous build timeout for a busy machine.</summary>
    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithAffinity(1).WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10).WithId("OneCore"));
            WithBuildTimeout(TimeSpan.FromMinutes(10));
        }
    }
}
