using System.Diagnostics;
using System.Globalization;
using FinSight.Sentiment;
using FinSight.Sentiment.Model;
using FinSight.Sentiment.Training;

// Trains the embedded sentiment model. Run from anywhere inside the repository:
//   dotnet run --project tools/FinSight.SentimentTrainer -c Release
// Defaults: train on ../shared/data/sentiment/twitter-financial-news-train.csv (Twitter Financial News Sentiment,
// MIT licence) plus Data/corporate-news-train.csv (company-news sentences written for FinSight), evaluate on the tweets'
// valid file and the three corporate-news sets in tests/, write src/FinSight.Sentiment/Model/finsight-sentiment.fsm.
// Evaluation files are only scored, never trained on.

// The company-news sentences are a tenth as many as the tweets but are what users read about their holdings. Chosen by
// 5-fold cross-validation on the two training files (--dev-every 5 --dev-fold k), not on any evaluation file.
const double DefaultCorporateWeight = 2.0;

var root = FindRepositoryRoot();
var train = new List<(string Path, double Weight)>();
var eval = new List<string>();
string? output = null;
var options = new TrainingOptions();
var devEvery = 0;
var showErrors = 0;
var devFold = 0;
string? errorsIn = null;
string? modelPath = null;
var show = new List<string>();
var evalErrors = 0;

for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    double Number() => double.Parse(Next(), CultureInfo.InvariantCulture);
    switch (args[i])
    {
        case "--train": train.Add((Next(), 1.0)); break;
        case "--weight":
            if (train.Count == 0)
            {
                throw new ArgumentException("--weight applies to the --train file before it");
            }

            train[^1] = train[^1] with { Weight = Number() };
            break;
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
        case "--errors-in": errorsIn = Next(); break;
        case "--model": modelPath = Next(); break;
        case "--show": show.Add(Next()); break;
        case "--eval-errors": evalErrors = (int)Number(); break;
        case "--help" or "-h":
            Console.WriteLine("""
                FinSight.SentimentTrainer [--train file.csv [--weight W]]... [--eval file.csv]... [--out model.fsm]
                  [--name finsight-linear] [--term-l2 0.0003] [--rule-l2 0.00001] [--min-count 2] [--iterations 300] [--class-balance 0.3] [--rule-prior 2] [--training-prior 1.5]
                  [--dev-every N]   hold out every Nth training row and report on it (for tuning; the written model then excludes it)
                  [--dev-fold K]    which rows to hold out: those with index % N == K (cross-validation)
                  [--errors N]      print up to N misclassified dev rows with their evidence
                  [--errors-in S]   only from training (or, with --eval-errors, evaluation) files whose name contains S
                  [--eval-errors N] print up to N misclassified rows of each evaluation file (never tune on a validation set)
                  [--model file]    evaluate this model instead of training one
                  [--show text]...  print the label and evidence of a text
                Without --train: the tweets plus Data/corporate-news-train.csv with weight 2.
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
    train.Add((Path.Combine(root, "..", "shared", "data", "sentiment", "twitter-financial-news-train.csv"), 1.0));
    train.Add((Path.Combine(root, "tools", "FinSight.SentimentTrainer", "Data", "corporate-news-train.csv"), DefaultCorporateWeight));
}

if (eval.Count == 0)
{
    eval.Add(Path.Combine(root, "..", "shared", "data", "sentiment", "twitter-financial-news-valid.csv"));
    eval.Add(Path.Combine(root, "tests", "FinSight.Sentiment.Tests", "Data", "corporate-news-eval.csv"));
    eval.Add(Path.Combine(root, "tests", "FinSight.Sentiment.Tests", "Data", "corporate-news-holdout-2.csv"));
    eval.Add(Path.Combine(root, "tests", "FinSight.Sentiment.Tests", "Data", "corporate-news-validation.csv"));
}

output ??= Path.Combine(root, "src", "FinSight.Sentiment", "Model", "finsight-sentiment.fsm");

if (modelPath is not null)
{
    Report(new LinearSentimentAnalyzer(LinearSentimentModel.Load(modelPath)), eval, show, evalErrors, errorsIn);
    return 0;
}

var rows = train.SelectMany(t => LabelledCsv.ReadFile(t.Path).Select(r => (Row: r, t.Weight, File: Path.GetFileName(t.Path)))).ToList();
List<(LabelledText Row, double Weight, string File)> dev = [];
if (devEvery > 1)
{
    dev = rows.Where((_, i) => i % devEvery == devFold).ToList();
    rows = rows.Where((_, i) => i % devEvery != devFold).ToList();
}

// Only file names go into the model, so the bytes do not depend on where the repository lives.
var source = string.Join("+", train.Select(t => t.Weight == 1.0 ? Path.GetFileName(t.Path) : FormattableString.Invariant($"{Path.GetFileName(t.Path)}*{t.Weight:R}")));
var watch = Stopwatch.StartNew();
var model = LinearModelTrainer.Train(rows.Select(r => r.Row).ToList(), options, source, Console.WriteLine, rows.Select(r => r.Weight).ToList());
Console.WriteLine($"trained in {watch.Elapsed.TotalSeconds:F1}s; version {model.Version}");

var bytes = model.ToBytes();
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
File.WriteAllBytes(output, bytes);
Console.WriteLine($"wrote {output} ({bytes.Length:N0} bytes, {model.FeatureCount:N0} features)");

var analyzer = new LinearSentimentAnalyzer(model);
if (dev.Count > 0)
{
    foreach (var group in dev.GroupBy(d => d.File))
    {
        Console.WriteLine($"--- dev (every {devEvery}th training row) of {group.Key}");
        Console.Write(SentimentEvaluation.Evaluate(analyzer, group.Select(d => d.Row).ToList()));
    }

    var errorRows = dev.Where(d => errorsIn is null || d.File.Contains(errorsIn, StringComparison.OrdinalIgnoreCase)).Select(d => d.Row);
    foreach (var row in errorRows.Where(r => analyzer.Analyze(r.Text).Label != r.Label).Take(showErrors))
    {
        Console.WriteLine($"  {row.Label} -> {Describe(analyzer, row.Text)}");
    }
}

Report(analyzer, eval, show, evalErrors, errorsIn);
return 0;

static string Describe(LinearSentimentAnalyzer analyzer, string text)
{
    var result = analyzer.Analyze(text);
    var why = string.Join("; ", result.Evidence.Select(e => $"{e.Term} [{e.Kind}{(e.Note is null ? "" : " " + e.Note)}] {e.Weight:F2}"));
    return $"{result.Label} ({result.Probabilities.Positive:F2}/{result.Probabilities.Negative:F2}/{result.Probabilities.Neutral:F2}): {text.ReplaceLineEndings(" ")}  ## {why}";
}

static void Report(LinearSentimentAnalyzer analyzer, List<string> eval, List<string> show, int evalErrors, string? errorsIn)
{
    foreach (var file in eval)
    {
        var data = LabelledCsv.ReadFile(file);
        Console.WriteLine($"--- {Path.GetFileName(file)}");
        Console.Write(SentimentEvaluation.Evaluate(analyzer, data));
        var clearCut = data.Where(r => r.ClearCut == true).ToList();
        if (clearCut.Count > 0)
        {
            Console.WriteLine($"--- {Path.GetFileName(file)}, clear-cut rows only");
            Console.Write(SentimentEvaluation.Evaluate(analyzer, clearCut));
        }

        if (evalErrors > 0 && (errorsIn is null || Path.GetFileName(file).Contains(errorsIn, StringComparison.OrdinalIgnoreCase)))
        {
            foreach (var row in data.Where(r => analyzer.Analyze(r.Text).Label != r.Label).Take(evalErrors))
            {
                Console.WriteLine($"  {row.Label} -> {Describe(analyzer, row.Text)}");
            }
        }
    }

    foreach (var text in show)
    {
        Console.WriteLine($"  {Describe(analyzer, text)}");
    }
}

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
