using System.Collections.Concurrent;
using FinSight.Sentiment.Transformers.Hub;

namespace FinSight.Sentiment.Transformers;

/// <summary>
/// Model pulls running in the background of a long-lived process (the web app): start one per model,
/// read its latest progress at any time (a settings page polls it for the progress bar), cancel it.
/// A pull never blocks the caller; the finished or failed state stays readable until the next pull
/// of that model starts. <see cref="Installed"/> fires when a model is ready, so the host can reload
/// the engine and re-label stored headlines.
/// </summary>
public sealed class ModelDownloads : IDisposable
{
    private readonly ModelStore _store;
    private readonly HubClient _hub;
    private readonly ConcurrentDictionary<string, Pull> _pulls = new(StringComparer.OrdinalIgnoreCase);

    public ModelDownloads(ModelStore store, HubClient hub)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(hub);
        _store = store;
        _hub = hub;
    }

    /// <summary>Raised on a pool thread when a pull has installed its model.</summary>
    public event EventHandler<InstalledModel>? Installed;

    /// <summary>Starts pulling a catalog model in the background.</summary>
    /// <returns>False, with the reason, when the name is not in the catalog or a pull of it is running.</returns>
    public bool TryStart(string catalogName, out string? reason)
    {
        var entry = ModelCatalog.Find(catalogName);
        if (entry is null)
        {
            reason = $"\"{catalogName}\" is not in the catalog ({string.Join(", ", ModelCatalog.Models.Select(m => m.Name))}).";
            return false;
        }

        return TryStart(entry.Name, entry.Source, entry.Files, out reason);
    }

    /// <summary>Starts pulling <paramref name="source"/> as <paramref name="name"/> in the background.</summary>
    /// <returns>False, with the reason, when the name is invalid or a pull of it is running.</returns>
    public bool TryStart(string name, HubRepository source, IReadOnlyList<PinnedFile>? pins, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!ModelStore.IsValidName(name))
        {
            reason = $"\"{name}\" cannot name a model.";
            return false;
        }

        var pull = new Pull(name);
        while (true)
        {
            if (_pulls.TryGetValue(name, out var current))
            {
                if (!current.Task.IsCompleted)
                {
                    reason = $"A pull of \"{name}\" is already running.";
                    return false;
                }

                if (!_pulls.TryUpdate(name, pull, current))
                {
                    continue;
                }
            }
            else if (!_pulls.TryAdd(name, pull))
            {
                continue;
            }

            break;
        }

        _ = Task.Run(() => RunAsync(pull, source, pins));
        reason = null;
        return true;
    }

    /// <summary>The latest progress of the model's current or last pull in this process, or null when none was started.</summary>
    public ModelPullProgress? GetProgress(string name) => _pulls.TryGetValue(name, out var pull) ? pull.Latest : null;

    /// <summary>Every pull started in this process (running or finished), by model name.</summary>
    public IReadOnlyList<ModelPullProgress> All => _pulls.Values.Select(p => p.Latest).OrderBy(p => p.Model, StringComparer.Ordinal).ToList();

    /// <summary>Requests cancellation of a running pull; its downloaded bytes are kept for the next one.</summary>
    public bool Cancel(string name)
    {
        if (_pulls.TryGetValue(name, out var pull) && !pull.Task.IsCompleted)
        {
            pull.Cancellation.Cancel();
            return true;
        }

        return false;
    }

    /// <summary>Completes when the model's current pull has ended (at once when none runs).</summary>
    public Task WaitAsync(string name) => _pulls.TryGetValue(name, out var pull) ? pull.Task : Task.CompletedTask;

    private async Task RunAsync(Pull pull, HubRepository source, IReadOnlyList<PinnedFile>? pins)
    {
        try
        {
            var model = await _store.PullAsync(pull.Name, source, _hub, pins, pull, pull.Cancellation.Token).ConfigureAwait(false);
            Installed?.Invoke(this, model);
        }
        catch (OperationCanceledException)
        {
            pull.Report(pull.Latest with { Phase = ModelPullPhase.Cancelled, File = null, Message = "Cancelled; the downloaded bytes are kept for the next pull." });
        }
        catch (Exception error) when (error is HubException or InvalidDataException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            pull.Report(pull.Latest with { Phase = ModelPullPhase.Failed, File = null, Message = error.Message });
        }
        finally
        {
            pull.Done.TrySetResult();
        }
    }

    public void Dispose()
    {
        foreach (var pull in _pulls.Values)
        {
            pull.Cancellation.Cancel();
        }

        Task.WaitAll(_pulls.Values.Select(p => p.Task).ToArray(), TimeSpan.FromSeconds(10));
        foreach (var pull in _pulls.Values)
        {
            pull.Cancellation.Dispose();
        }
    }

    // Progress is stored, not posted to a synchronization context: readers poll Latest.
    private sealed class Pull(string name) : IProgress<ModelPullProgress>
    {
        private ModelPullProgress _latest = new(name, ModelPullPhase.Resolving, null, 0, null, 0, null);

        public string Name { get; } = name;
        public CancellationTokenSource Cancellation { get; } = new();
        /// <summary>Completed when the pull has ended, however it ended; not completed from creation on, so a second start sees it running.</summary>
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Task Task => Done.Task;
        public ModelPullProgress Latest => Volatile.Read(ref _latest);

        public void Report(ModelPullProgress value) => Volatile.Write(ref _latest, value);
    }
}
