using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using FinSight.Sentiment.Transformers;
using FinSight.Sentiment.Transformers.Hub;

namespace FinSight.Sentiment.Cli;

/// <summary>
/// The command-line contract of the sentiment engines, run by the host (FinSight.Web) before it
/// builds the web app:
/// <code>
/// models pull &lt;name&gt;                                   a catalog model (finbert-tone, finbert)
/// models pull &lt;owner&gt;/&lt;repo&gt;@&lt;revision&gt; --as &lt;name&gt;    any Hub BERT sequence classifier
/// models list                                          name, source, revision, size, status
/// models remove &lt;name&gt;
/// sentiment [--engine &lt;name&gt;] [--json] &lt;text&gt;...        one result per text (JSON: one object per line)
/// </code>
/// Exit codes: 0 success, 1 failure (message on stderr), 2 usage error, 130 cancelled.
/// </summary>
public static class SentimentCommandLine
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    public const int Cancelled = 130;

    private const string UsageText = """
        Usage:
          FinSight.Web models pull <name>                                  (catalog: finbert-tone, finbert)
          FinSight.Web models pull <owner>/<repo>@<revision> --as <name>   (any Hugging Face BERT classifier)
          FinSight.Web models list
          FinSight.Web models remove <name>
          FinSight.Web sentiment [--engine auto|embedded|<name>] [--json] <text>...
        """;

    private static readonly JsonSerializerOptions JsonText = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>True when the first argument that is not a <c>--key=value</c> setting (or <c>--demo</c>) is "models" or "sentiment".</summary>
    public static bool IsRequested(string[] args) => CommandIndex(args) >= 0;

    /// <summary>Runs with the console: Ctrl+C cancels (a pull keeps its bytes for the next run).</summary>
    public static async Task<int> RunConsoleAsync(string[] args, SentimentOptions options, string dataFolder)
    {
        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return await RunAsync(args, options, dataFolder, Console.Out, Console.Error, http: null, cancellation.Token).ConfigureAwait(false);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <param name="args">The process arguments (settings such as <c>--FinSight:DataDirectory=x</c> before the command are skipped).</param>
    /// <param name="options">The Sentiment section: engine, Hub URL and token, threads.</param>
    /// <param name="dataFolder">The app's data folder; models live in its <c>models</c> subfolder.</param>
    /// <param name="output">Results (stdout).</param>
    /// <param name="error">Progress and errors (stderr).</param>
    /// <param name="http">The client for the Hub; null creates one (see <see cref="HubClient.CreateHttpClient"/>).</param>
    /// <param name="cancellationToken">Cancels a pull or an analysis.</param>
    /// <returns>The process exit code.</returns>
    public static async Task<int> RunAsync(string[] args, SentimentOptions options, string dataFolder, TextWriter output, TextWriter error,
        HttpClient? http = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var start = CommandIndex(args);
        if (start < 0)
        {
            await error.WriteLineAsync(UsageText).ConfigureAwait(false);
            return Usage;
        }

        try
        {
            options.Validate();
        }
        catch (ArgumentException problem)
        {
            await error.WriteLineAsync("Configuration error: " + problem.Message).ConfigureAwait(false);
            return Usage;
        }

        var store = new ModelStore(Path.Combine(dataFolder, ModelStore.DataSubfolder));
        var rest = args[(start + 1)..];
        var command = args[start].ToLowerInvariant();
        try
        {
            return (command, rest.FirstOrDefault()?.ToLowerInvariant()) switch
            {
                ("sentiment", _) => await AnalyzeAsync(rest, options, store, output, error, cancellationToken).ConfigureAwait(false),
                ("models", "list") when rest.Length == 1 => await ListAsync(store, output).ConfigureAwait(false),
                ("models", "remove") when rest.Length == 2 => await RemoveAsync(rest[1], store, output, error).ConfigureAwait(false),
                ("models", "pull") => await PullAsync(rest[1..], options, store, output, error, http, cancellationToken).ConfigureAwait(false),
                _ => await UsageAsync(error).ConfigureAwait(false),
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("Cancelled. Downloaded bytes are kept: run the same command to resume.").ConfigureAwait(false);
            return Cancelled;
        }
    }

    private static async Task<int> PullAsync(string[] args, SentimentOptions options, ModelStore store, TextWriter output, TextWriter error, HttpClient? http, CancellationToken cancellationToken)
    {
        string? name = null;
        HubRepository? source = null;
        IReadOnlyList<PinnedFile>? pins = null;
        var catalog = false;
        if (args is [var only] && ModelCatalog.Find(only) is { } entry)
        {
            (name, source, pins, catalog) = (entry.Name, entry.Source, entry.Files, true);
        }
        else if (args is [var repository, "--as", var alias] && HubRepository.TryParse(repository, out var parsed))
        {
            (name, source) = (alias, parsed!);
        }
        else if (args is [var installed] && store.Find(installed.ToLowerInvariant()) is { } existing)
        {
            // Pulling an installed custom model again: same repository and revision.
            name = existing.Manifest.Name;
            source = new HubRepository(existing.Manifest.Repository.Split('/')[0], existing.Manifest.Repository.Split('/')[1], existing.Manifest.Revision);
        }
        else
        {
            await error.WriteLineAsync(args is [var unknown] && !unknown.Contains('/', StringComparison.Ordinal)
                ? $"\"{unknown}\" is not a catalog model ({string.Join(", ", ModelCatalog.Models.Select(m => m.Name))}); pull any Hub repository with: models pull <owner>/<repo>@<revision> --as <name>"
                : UsageText).ConfigureAwait(false);
            return Usage;
        }

        if (!ModelStore.IsValidName(name))
        {
            await error.WriteLineAsync($"\"{name}\" cannot name a model: use lower-case letters, digits, '.', '_' or '-' (not auto, embedded or finsight-linear).").ConfigureAwait(false);
            return Usage;
        }

        using var ownClient = http is null ? HubClient.CreateHttpClient() : null;
        var hub = new HubClient(http ?? ownClient!, new Uri(options.HubUrl), options.HubToken);
        var printer = new ProgressPrinter(error);
        await error.WriteLineAsync($"Pulling {name} from {source} ({hub.BaseUrl.GetLeftPart(UriPartial.Authority)})…").ConfigureAwait(false);
        try
        {
            var model = await store.PullAsync(name, source, hub, pins, printer, cancellationToken).ConfigureAwait(false);
            var m = model.Manifest;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Installed {m.Name}: {m.Repository}@{m.Commit ?? m.Revision}, {m.WeightsFile} ({m.WeightsFormat}) prepared for ONNX Runtime, {FormatBytes(model.SizeOnDisk)}, labels {string.Join("/", m.Labels)}.")).ConfigureAwait(false);
            return Success;
        }
        catch (HubException problem)
        {
            var hint = catalog && problem.Kind is HubErrorKind.RevisionNotFound or HubErrorKind.FileNotFound
                ? $" The catalog's pinned revision may be wrong (it could not be checked against the Hub); pull a branch instead: models pull {source.Id}@main --as {name}"
                : "";
            await error.WriteLineAsync($"Pull of {name} failed: {problem.Message}{hint}").ConfigureAwait(false);
            return Failure;
        }
        catch (Exception problem) when (problem is InvalidDataException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"Pull of {name} failed: {problem.Message}").ConfigureAwait(false);
            return Failure;
        }
    }

    private static async Task<int> ListAsync(ModelStore store, TextWriter output)
    {
        var rows = new List<string[]> { new[] { "NAME", "SOURCE", "REVISION", "SIZE", "STATUS" } };
        rows.AddRange(ModelListing.Of(store).Select(m => new[]
        {
            m.Name, m.Source, m.Revision ?? "-", m.SizeBytes is { } size ? FormatBytes(size) : "-", m.StatusText,
        }));

        var widths = Enumerable.Range(0, 5).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            await output.WriteLineAsync(string.Join("  ", row.Select((cell, c) => c == 4 ? cell : cell.PadRight(widths[c]))).TrimEnd()).ConfigureAwait(false);
        }

        return Success;
    }

    private static async Task<int> RemoveAsync(string name, ModelStore store, TextWriter output, TextWriter error)
    {
        try
        {
            if (!store.Remove(name.ToLowerInvariant()))
            {
                await error.WriteLineAsync($"Model \"{name}\" is not installed.").ConfigureAwait(false);
                return Failure;
            }
        }
        catch (Exception problem) when (problem is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"Cannot remove {name}: {problem.Message}").ConfigureAwait(false);
            return Failure;
        }

        await output.WriteLineAsync($"Removed {name.ToLowerInvariant()}.").ConfigureAwait(false);
        return Success;
    }

    private static async Task<int> AnalyzeAsync(string[] args, SentimentOptions options, ModelStore store, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        string? engine = null;
        var json = false;
        var texts = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--engine" when i + 1 < args.Length:
                    engine = args[++i];
                    break;
                case "--json":
                    json = true;
                    break;
                case "--":
                    texts.AddRange(args[(i + 1)..]);
                    i = args.Length;
                    break;
                case var option when option.StartsWith("--", StringComparison.Ordinal):
                    await error.WriteLineAsync($"Unknown option {option}.\n{UsageText}").ConfigureAwait(false);
                    return Usage;
                default:
                    texts.Add(args[i]);
                    break;
            }
        }

        if (texts.Count == 0)
        {
            await error.WriteLineAsync("Give at least one text to analyse.\n" + UsageText).ConfigureAwait(false);
            return Usage;
        }

        using var engines = new SentimentEngines(options, store, new TransformerEngineOptions { IntraOpThreads = options.Threads });
        ISentimentAnalyzer analyzer;
        try
        {
            analyzer = engines.Get(engine);
        }
        catch (ArgumentException problem)
        {
            await error.WriteLineAsync(problem.Message).ConfigureAwait(false);
            return Failure;
        }
        catch (Exception problem) when (problem is InvalidOperationException or InvalidDataException or PlatformNotSupportedException)
        {
            await error.WriteLineAsync($"The {engine ?? options.Engine} engine cannot start: {problem.Message}").ConfigureAwait(false);
            return Failure;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var results = analyzer.Analyze(texts);
        for (var i = 0; i < results.Count; i++)
        {
            var r = results[i];
            await output.WriteLineAsync(json ? ToJson(r) : string.Create(CultureInfo.InvariantCulture,
                $"{Label(r.Label),-8}  +{r.Probabilities.Positive:0.000} -{r.Probabilities.Negative:0.000} ={r.Probabilities.Neutral:0.000}  {texts[i]}")).ConfigureAwait(false);
        }

        if (!json)
        {
            await error.WriteLineAsync($"Engine: {results.FirstOrDefault()?.ModelVersion ?? analyzer.ModelVersion}").ConfigureAwait(false);
        }

        return Success;
    }

    /// <summary>The contract's object: <c>{"label": "...", "probabilities": {"positive": p, "negative": p, "neutral": p}}</c>.</summary>
    internal static string ToJson(SentimentResult result) => string.Create(CultureInfo.InvariantCulture,
        $"{{\"label\": {JsonSerializer.Serialize(Label(result.Label), JsonText)}, \"probabilities\": {{\"positive\": {Number(result.Probabilities.Positive)}, \"negative\": {Number(result.Probabilities.Negative)}, \"neutral\": {Number(result.Probabilities.Neutral)}}}}}");

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Label(SentimentLabel label) => label switch
    {
        SentimentLabel.Positive => "positive",
        SentimentLabel.Negative => "negative",
        _ => "neutral",
    };

    private static async Task<int> UsageAsync(TextWriter error)
    {
        await error.WriteLineAsync(UsageText).ConfigureAwait(false);
        return Usage;
    }

    private static string FormatBytes(double bytes) => ModelListing.FormatBytes(bytes);

    // The command comes first, after any --key=value settings or --demo the host itself reads.
    private static int CommandIndex(string[] args)
    {
        var i = 0;
        while (i < args.Length && args[i].StartsWith("--", StringComparison.Ordinal)
               && (args[i].Contains('=', StringComparison.Ordinal) || string.Equals(args[i], "--demo", StringComparison.OrdinalIgnoreCase)))
        {
            i++;
        }

        return i < args.Length && args[i].ToLowerInvariant() is "models" or "sentiment" ? i : -1;
    }

    /// <summary>Prints a pull's progress to stderr: a line per phase, and per second while downloading.</summary>
    private sealed class ProgressPrinter(TextWriter error) : IProgress<ModelPullProgress>
    {
        private readonly object _gate = new();
        private ModelPullPhase? _phase;
        private string? _file;
        private long _lastLine;

        public void Report(ModelPullProgress value)
        {
            lock (_gate)
            {
                var now = Environment.TickCount64;
                var changed = value.Phase != _phase || value.File != _file;
                if (value.Phase == ModelPullPhase.Installed || (!changed && now - _lastLine < 1000))
                {
                    return;
                }

                (_phase, _file, _lastLine) = (value.Phase, value.File, now);
                var line = new StringBuilder();
                line.Append(value.Phase switch
                {
                    ModelPullPhase.Resolving => "Resolving files",
                    ModelPullPhase.Downloading => $"Downloading {value.File}",
                    ModelPullPhase.Preparing => "Preparing the model for ONNX Runtime",
                    ModelPullPhase.Installed => "Installed",
                    _ => value.Phase.ToString(),
                });
                if (value.Phase == ModelPullPhase.Downloading)
                {
                    line.Append(": ").Append(FormatBytes(value.BytesDone));
                    if (value.BytesTotal is { } total)
                    {
                        line.Append(CultureInfo.InvariantCulture, $" / {FormatBytes(total)} ({value.Percent:0}%)");
                    }

                    if (value.BytesPerSecond > 0)
                    {
                        line.Append(CultureInfo.InvariantCulture, $" at {FormatBytes(value.BytesPerSecond)}/s");
                    }

                    if (value.Remaining is { } left)
                    {
                        line.Append(CultureInfo.InvariantCulture, $", {(int)left.TotalHours}:{left:mm\\:ss} left");
                    }
                }

                error.WriteLine(line.ToString());
            }
        }
    }
}
