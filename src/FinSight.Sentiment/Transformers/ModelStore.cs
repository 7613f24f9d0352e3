using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using FinSight.Sentiment.Transformers.Hub;

namespace FinSight.Sentiment.Transformers;

/// <summary>Whether a model can be used.</summary>
public enum ModelStatus
{
    NotInstalled,
    /// <summary>A pull is running (in this process or another).</summary>
    Downloading,
    /// <summary>An interrupted pull left files that the next pull resumes.</summary>
    Partial,
    Ready,
    /// <summary>The folder exists but a file is missing or unreadable; pull again.</summary>
    Broken,
}

/// <summary>A downloaded repository file, as verified.</summary>
/// <param name="Path">Path in the repository.</param>
/// <param name="Size">Bytes.</param>
/// <param name="Sha256">SHA-256 of the bytes received (lower-case hex).</param>
/// <param name="VerifiedBy">"hub-sha256" (LFS hash from the Hub), "git-blob" (Git blob id from the Hub), "catalog" or "none".</param>
public sealed record ModelFileRecord(string Path, long Size, string Sha256, string VerifiedBy);

/// <summary>The manifest of an installed model (<c>model.json</c> in its folder).</summary>
public sealed record ModelManifest
{
    public required string Name { get; init; }
    /// <summary>"owner/name" on the Hub.</summary>
    public required string Repository { get; init; }
    /// <summary>The revision asked for (a commit, branch or tag).</summary>
    public required string Revision { get; init; }
    /// <summary>The commit that revision resolved to, when the Hub said.</summary>
    public string? Commit { get; init; }
    public required DateTimeOffset InstalledAt { get; init; }
    public required string WeightsFile { get; init; }
    public required string WeightsFormat { get; init; }
    public required string TokenizerSource { get; init; }
    public required IReadOnlyList<string> Labels { get; init; }
    public required int MaxTokens { get; init; }
    public required IReadOnlyList<ModelFileRecord> Files { get; init; }

    /// <summary>What results carry as their model version: the name and the first 12 characters of the commit (or the revision).</summary>
    [JsonIgnore]
    public string ModelVersion => $"{Name}+{(Commit is { Length: >= 12 } c ? c[..12] : Revision)}";
}

/// <summary>An installed model: its manifest, folder and size on disk.</summary>
public sealed record InstalledModel(ModelManifest Manifest, string Folder, long SizeOnDisk, ModelStatus Status);

/// <summary>
/// The transformer models in the app's data folder, one folder per model under <c>models/</c>:
/// pull (download, verify, prepare), list, open, remove. A pull works in <c>models/.partial/&lt;name&gt;</c>
/// (kept after a cut so the next pull resumes), prepares into a staging folder, and only then
/// swaps the finished folder into place, so a model is either complete or absent and a failed
/// re-pull leaves the installed version untouched. One pull per model at a time, across processes
/// (a lock file), so the command line and the web app cannot collide.
/// </summary>
public sealed partial class ModelStore
{
    public const string ManifestFile = "model.json";

    /// <summary>The models folder inside the app's data folder.</summary>
    public const string DataSubfolder = "models";
    private const string WorkFolder = ".partial";

    /// <summary>Names that select other engines and therefore cannot name a model.</summary>
    public static readonly IReadOnlyList<string> ReservedNames = [SentimentEngines.Auto, SentimentEngines.Embedded, SentimentOptions.LinearEngine];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly TimeProvider _time;

    /// <param name="folder">The models folder, normally <c>{data folder}/models</c>; created when first written.</param>
    /// <param name="time">Clock for install times and download speed.</param>
    public ModelStore(string folder, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Folder = Path.GetFullPath(folder);
        _time = time ?? TimeProvider.System;
    }

    public string Folder { get; }

    /// <summary>True when <paramref name="name"/> can name a model: 1–64 of a–z, 0–9, '.', '_', '-', starting with a letter or digit, and not reserved.</summary>
    public static bool IsValidName(string? name) =>
        name is not null && NamePattern().IsMatch(name) && !ReservedNames.Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The installed models (ready or broken), best first (catalog order, then by name).</summary>
    public IReadOnlyList<InstalledModel> List()
    {
        if (!Directory.Exists(Folder))
        {
            return [];
        }

        return Directory.EnumerateDirectories(Folder)
            .Select(Path.GetFileName)
            .Where(n => n is not null && !n.StartsWith('.') && IsValidName(n))
            .Select(n => Find(n!))
            .OfType<InstalledModel>()
            .OrderBy(m => ModelCatalog.Rank(m.Manifest.Name)).ThenBy(m => m.Manifest.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The installed model of that name, or null.</summary>
    public InstalledModel? Find(string name)
    {
        if (!IsValidName(name))
        {
            return null;
        }

        var folder = Path.Combine(Folder, name);
        var manifestPath = Path.Combine(folder, ManifestFile);
        if (!File.Exists(manifestPath))
        {
            return null;
        }

        ModelManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(manifestPath), Json);
        }
        catch (JsonException)
        {
            manifest = null;
        }

        if (manifest is null)
        {
            return null;
        }

        var complete = new[] { PreparedModelFiles.Model, PreparedModelFiles.Tokenizer, PreparedModelFiles.Config }.All(f => File.Exists(Path.Combine(folder, f)));
        var size = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        return new InstalledModel(manifest, folder, size, complete ? ModelStatus.Ready : ModelStatus.Broken);
    }

    /// <summary>The model's status, including pulls running in other processes and resumable leftovers.</summary>
    public ModelStatus GetStatus(string name)
    {
        if (!IsValidName(name))
        {
            return ModelStatus.NotInstalled;
        }

        if (IsPullRunning(name))
        {
            return ModelStatus.Downloading;
        }

        if (Find(name) is { } installed)
        {
            return installed.Status;
        }

        return Directory.Exists(WorkPath(name)) ? ModelStatus.Partial : ModelStatus.NotInstalled;
    }

    /// <summary>Opens the installed model as an analyzer; the caller owns (and disposes) it.</summary>
    /// <exception cref="InvalidOperationException">The model is not installed or not complete.</exception>
    public TransformerSentimentAnalyzer Open(string name, TransformerEngineOptions? options = null)
    {
        var model = Find(name);
        if (model is not { Status: ModelStatus.Ready })
        {
            throw new InvalidOperationException(model is null
                ? $"Model \"{name}\" is not installed; run `FinSight.Web models pull {name}`."
                : $"Model \"{name}\" is incomplete; run `FinSight.Web models pull {name}` again.");
        }

        try
        {
            return TransformerSentimentAnalyzer.Load(model.Folder, model.Manifest.ModelVersion, options);
        }
        catch (InvalidDataException error)
        {
            throw new InvalidOperationException($"Model \"{name}\" cannot be loaded ({error.Message}); run `FinSight.Web models pull {name}` again.", error);
        }
    }

    /// <summary>Deletes the model and any partial download of it.</summary>
    /// <returns>False when there was nothing to delete.</returns>
    /// <exception cref="InvalidOperationException">A pull of the model is running.</exception>
    public bool Remove(string name)
    {
        if (!IsValidName(name))
        {
            return false;
        }

        using var _ = Lock(name) ?? throw new InvalidOperationException($"A pull of \"{name}\" is running; cancel it first.");
        var removed = false;
        foreach (var folder in new[] { Path.Combine(Folder, name), WorkPath(name) })
        {
            if (Directory.Exists(folder))
            {
                // Move aside first so a half-deleted folder never looks like a model.
                var trash = Path.Combine(Folder, $".trash-{name}-{Guid.NewGuid():N}");
                Directory.Move(folder, trash);
                Directory.Delete(trash, recursive: true);
                removed = true;
            }
        }

        return removed;
    }

    /// <summary>
    /// Downloads <paramref name="source"/> (config.json; tokenizer.json or vocab.txt; tokenizer_config.json
    /// when present; the weights: onnx/model.onnx, model.safetensors or pytorch_model.bin, the first the
    /// repository has), verifies every file, prepares the model for ONNX Runtime and installs it as
    /// <paramref name="name"/>, replacing an installed model of that name only once the new one is ready.
    /// </summary>
    /// <exception cref="HubException">The Hub is unreachable, refuses, lacks a file, or a file fails verification.</exception>
    /// <exception cref="InvalidDataException">The repository is not a BERT sentiment classifier this engine can run.</exception>
    /// <exception cref="InvalidOperationException">The name is invalid or a pull of it is already running.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; downloaded bytes are kept for the next pull.</exception>
    public async Task<InstalledModel> PullAsync(string name, HubRepository source, HubClient hub, IReadOnlyList<PinnedFile>? pins = null,
        IProgress<ModelPullProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(hub);
        if (!IsValidName(name))
        {
            throw new InvalidOperationException($"\"{name}\" cannot name a model: use 1–64 lower-case letters, digits, '.', '_' or '-' (not {string.Join(", ", ReservedNames)}).");
        }

        Directory.CreateDirectory(Path.Combine(Folder, WorkFolder));
        using var pullLock = Lock(name) ?? throw new InvalidOperationException($"A pull of \"{name}\" is already running.");
        var tracker = new PullProgressTracker(name, progress, _time);
        tracker.SetPhase(ModelPullPhase.Resolving);

        // The commit the first file resolves to pins the others, so a branch moving mid-pull cannot mix revisions.
        var config = await hub.GetFileInfoAsync(source, "config.json", cancellationToken).ConfigureAwait(false)
            ?? throw new HubException(HubErrorKind.FileNotFound, $"{source} has no config.json: it is not a model repository, or the revision is wrong.");
        var pinned = config.Commit is { } commit && commit.Length == 40 ? source.At(commit) : source;
        if (pinned != source)
        {
            config = await hub.GetFileInfoAsync(pinned, "config.json", cancellationToken).ConfigureAwait(false)
                ?? throw new HubException(HubErrorKind.FileNotFound, $"config.json vanished from {pinned}.");
        }

        var files = new List<HubFileInfo> { config };
        var tokenizer = await hub.GetFileInfoAsync(pinned, "tokenizer.json", cancellationToken).ConfigureAwait(false)
            ?? await hub.GetFileInfoAsync(pinned, "vocab.txt", cancellationToken).ConfigureAwait(false)
            ?? throw new HubException(HubErrorKind.FileNotFound, $"{source} has neither tokenizer.json nor vocab.txt.");
        files.Add(tokenizer);
        if (await hub.GetFileInfoAsync(pinned, "tokenizer_config.json", cancellationToken).ConfigureAwait(false) is { } tokenizerConfig)
        {
            files.Add(tokenizerConfig);
        }

        HubFileInfo? weights = null;
        foreach (var candidate in TransformerModelPreparer.WeightFiles)
        {
            if ((weights = await hub.GetFileInfoAsync(pinned, candidate, cancellationToken).ConfigureAwait(false)) is not null)
            {
                break;
            }
        }

        files.Add(weights ?? throw new HubException(HubErrorKind.FileNotFound, $"{source} has no weights ({string.Join(", ", TransformerModelPreparer.WeightFiles)})."));
        CheckPins(files, pins);

        var work = WorkPath(name);
        var state = ReadWorkState(work);
        if (state is null || state.Repository != source.Id || state.Commit != (config.Commit ?? source.Revision))
        {
            // Leftovers of another repository or revision are never resumed.
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }

            state = new WorkState(source.Id, config.Commit ?? source.Revision, []);
        }

        Directory.CreateDirectory(work);
        WriteWorkState(work, state);
        tracker.BytesTotal = files.All(f => f.Size is not null) ? files.Sum(f => f.Size!.Value) : null;
        var records = new List<ModelFileRecord>();
        foreach (var file in files)
        {
            var destination = Path.Combine(work, file.Path.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            var pin = pins?.FirstOrDefault(p => p.Path == file.Path);
            if (state.Verified.TryGetValue(file.Path, out var done) && File.Exists(destination) && new FileInfo(destination).Length == done.Size)
            {
                tracker.AddExisting(done.Size);
                records.Add(done);
                continue;
            }

            var partial = destination + ".partial";
            tracker.AddExisting(File.Exists(partial) ? new FileInfo(partial).Length : 0);
            tracker.File = file.Path;
            tracker.SetPhase(ModelPullPhase.Downloading);
            var sha256 = await hub.DownloadAsync(file, partial, destination, pin?.Sha256, new BytesProgress(tracker), cancellationToken).ConfigureAwait(false);
            var record = new ModelFileRecord(file.Path, new FileInfo(destination).Length, sha256,
                file.Sha256 is not null ? "hub-sha256" : pin?.Sha256 is not null ? "catalog" : file.GitBlobSha1 is not null ? "git-blob" : "none");
            records.Add(record);
            state = state with { Verified = new Dictionary<string, ModelFileRecord>(state.Verified) { [file.Path] = record } };
            WriteWorkState(work, state);
        }

        tracker.SetPhase(ModelPullPhase.Preparing);
        var staging = Path.Combine(Folder, $".staging-{name}-{Guid.NewGuid():N}");
        try
        {
            var prepared = await Task.Run(() => TransformerModelPreparer.Prepare(work, staging, cancellationToken), cancellationToken).ConfigureAwait(false);
            var manifest = new ModelManifest
            {
                Name = name,
                Repository = source.Id,
                Revision = source.Revision,
                Commit = config.Commit,
                InstalledAt = _time.GetUtcNow(),
                WeightsFile = prepared.WeightsFile,
                WeightsFormat = prepared.WeightsFormat,
                TokenizerSource = prepared.TokenizerSource,
                Labels = prepared.Labels,
                MaxTokens = prepared.MaxTokens,
                Files = records,
            };
            File.WriteAllText(Path.Combine(staging, ManifestFile), JsonSerializer.Serialize(manifest, Json));
            Install(name, staging);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }

        Directory.Delete(work, recursive: true); // the weights now live in model.onnx
        tracker.SetPhase(ModelPullPhase.Installed);
        return Find(name) ?? throw new InvalidOperationException($"Model \"{name}\" vanished right after installing.");
    }

    private void Install(string name, string staging)
    {
        var target = Path.Combine(Folder, name);
        string? trash = null;
        if (Directory.Exists(target))
        {
            trash = Path.Combine(Folder, $".trash-{name}-{Guid.NewGuid():N}");
            Directory.Move(target, trash);
        }

        Directory.Move(staging, target);
        if (trash is not null)
        {
            Directory.Delete(trash, recursive: true);
        }
    }

    private static void CheckPins(IEnumerable<HubFileInfo> files, IReadOnlyList<PinnedFile>? pins)
    {
        foreach (var pin in pins ?? [])
        {
            var file = files.FirstOrDefault(f => f.Path == pin.Path);
            if (file is null)
            {
                continue;
            }

            if (pin.Sha256 is { } sha && file.Sha256 is { } hubSha && !string.Equals(sha, hubSha, StringComparison.OrdinalIgnoreCase))
            {
                throw new HubException(HubErrorKind.Corrupt, $"The Hub reports SHA-256 {hubSha} for {pin.Path}, but the catalog pins {sha}; nothing was downloaded.");
            }

            if (pin.Size is { } size && file.Size is { } hubSize && size != hubSize)
            {
                throw new HubException(HubErrorKind.Corrupt, $"The Hub reports {hubSize:N0} bytes for {pin.Path}, but the catalog pins {size:N0}; nothing was downloaded.");
            }
        }
    }

    private string WorkPath(string name) => Path.Combine(Folder, WorkFolder, name);

    private bool IsPullRunning(string name)
    {
        if (!IsValidName(name) || !File.Exists(LockPath(name)))
        {
            return false;
        }

        using var probe = TryLock(name);
        return probe is null;
    }

    private string LockPath(string name) => Path.Combine(Folder, WorkFolder, name + ".lock");

    // A status probe holds the lock for an instant: retry briefly rather than fail a pull for it.
    private FileStream? Lock(string name)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (TryLock(name) is { } acquired)
            {
                return acquired;
            }

            if (attempt == 10)
            {
                return null;
            }

            Thread.Sleep(20);
        }
    }

    private FileStream? TryLock(string name)
    {
        Directory.CreateDirectory(Path.Combine(Folder, WorkFolder));
        try
        {
            return new FileStream(LockPath(name), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private sealed record WorkState(string Repository, string Commit, Dictionary<string, ModelFileRecord> Verified);

    private static WorkState? ReadWorkState(string work)
    {
        var path = Path.Combine(work, "pull.json");
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<WorkState>(File.ReadAllText(path), Json) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void WriteWorkState(string work, WorkState state)
    {
        var path = Path.Combine(work, "pull.json");
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(state, Json));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    private sealed class BytesProgress(PullProgressTracker tracker) : IProgress<long>
    {
        public void Report(long value) => tracker.AddReceived(value);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();
}
