using System.Diagnostics;
using System.Globalization;
using FinSight.Sentiment;
using FinSight.Sentiment.Model;
using FinSight.Sentiment.Training;

// Trains the embedded sentiment model. Run from anywhere inside the repository:
//   dotnet run --project tools/FinSight.SentimentTrainer -c Release
// Defaults: train on ../shared/data/sentiment/twitter-financial-news-train.csv, evaluate on the valid file and
// the two corporate-news sets, write src/FinSight.Sentiment/Model/finsight-sentiment.fsm.
// Evaluation files are only scored, never trained on.

var root = FindRepositoryRoot();
var train = new List<string>();
var eval = new List<string>();
string? output = null;
var options = new TrainingOptions();
var devEvery = 0;
var showErrors = 0;
var devFold = 0;

for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    double Number() => double.Parse(Next(), CultureInfo.InvariantCulture);
    switch (args[i])
    {
        case "--train": train.Add(Next()); break;
        case "--eval": eval.Add(Next()); break;
        case "--out": output = Next(); break;
        case "--name": options = options with { Name = Next() }; break;
        case "--term-l2": options = options with { TermL2 = Number() }; break;
        case "--rule-l2": options = options with { RuleL2 = Number() }; break;
        case "--min-count": options = options with { MinCount = (int)Number() }; break;
        case "--rule-prior": options = options with { RulePrior = Number() }; break;
        case "--training-prior": options = options with { TrainingPrior = Number() }; break;
        case "--class-balance": options = options with { ClassBalance = Number() }; break;
        case "--iterations": options = options with { MaxIterations = (int)Number() }; break;
        case "--dev-every": devEvery = (int)Number(); break;
        case "--dev-fold": devFold = (int)Number(); break;
        case "--errors": showErrors = (int)Number(); break;
        case "--help" or "-h":
            Console.WriteLine("""
                FinSight.SentimentTrainer [--train file.csv]... [--eval file.csv]... [--out model.fsm]
                  [--name finsight-linear] [--term-l2 0.0003] [--rule-l2 0.00001] [--min-count 2] [--iterations 300] [--class-balance 0.3] [--rule-prior 2] [--training-prior 1]
                  [--dev-every N]   hold out every Nth training row and report on it (for tuning; the written model then excludes it)
                  [--dev-fold K]    which rows to hold out: those with index % N == K (cross-validation)
                  [--errors N]      print up to N misclassified dev rows with their evidence
                CSV files have a header 'text,label' with labels 0 = negative, 1 = positive, 2 = neutral.
                """);
            return 0;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}' (try --help).");
            return 2;
    }
}

if (train.Count == 0)
{
    train.Add(Path.Combine(root, "..", "shared", "data", "sentiment", "twitter-financial-news-train.csv"));
}

if (eval.Count == 0)
{
    eval.Add(Path.Combine(root, "..", "shared", "data", "sentiment", "twitter-financial-news-valid.csv"));
    eval.Add(Path.Combine(root, "tests", "FinSight.Sentiment.Tests", "Data", "corporate-news-eval.csv"));
    eval.Add(Path.Combine(root, "tests", "FinSight.Sentiment.Tests", "Data", "corporate-news-holdout-2.csv"));
}

output ??= Path.Combine(root, "src", "FinSight.Sentiment", "Model", "finsight-sentiment.fsm");

var rows = train.SelectMany(LabelledCsv.ReadFile).ToList();
List<LabelledText> dev = [];
if (devEvery > 1)
{
    dev = rows.Where((_, i) => i % devEvery == devFold).ToList();
    rows = rows.Where((_, i) => i % devEvery != devFold).ToList();
}

// Only file names go into the model, so the bytes do not depend on where the repository lives.
var source = string.Join("+", train.Select(Path.GetFileName));
var watch = Stopwatch.StartNew();
var model = LinearModelTrainer.Train(rows, options, source, Console.WriteLine);
Console.WriteLine($"trained in {watch.Elapsed.TotalSeconds:F1}s; version {model.Version}");

var bytes = model.ToBytes();
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
File.WriteAllBytes(output, bytes);
Console.WriteLine($"wrote {output} ({bytes.Length:N0} bytes, {model.FeatureCount:N0} features)");

var analyzer = new LinearSentimentAnalyzer(model);
if (dev.Count > 0)
{
    Console.WriteLine($"--- dev (every {devEvery}th training row)");
    Console.Write(SentimentEvaluation.Evaluate(analyzer, dev));
    foreach (var row in dev.Where(r => analyzer.Analyze(r.Text).Label != r.Label).Take(showErrors))
    {
        var result = analyzer.Analyze(row.Text);
        var why = string.Join("; ", result.Evidence.Select(e => $"{e.Term} [{e.Kind}{(e.Note is null ? "" : " " + e.Note)}] {e.Weight:F2}"));
        Console.WriteLine($"  {row.Label} -> {result.Label} ({result.Probabilities.Positive:F2}/{result.Probabilities.Negative:F2}/{result.Probabilities.Neutral:F2}): {row.Text.ReplaceLineEndings(" ")}  ## {why}");
    }
}

foreach (var file in eval)
{
    Console.WriteLine($"--- {Path.GetFileName(file)}");
    Console.Write(SentimentEvaluation.Evaluate(analyzer, LabelledCsv.ReadFile(file)));
}

return 0;

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "FinSight.slnx")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("Run inside the FinSight repository (no FinSight.slnx found above the current directory).");
}
