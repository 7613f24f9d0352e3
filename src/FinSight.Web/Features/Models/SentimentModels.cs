using FinSight.Sentiment;
using FinSight.Sentiment.Transformers;
using FinSight.Web.Features.Portfolios;
using FinSight.Web.Jobs;

namespace FinSight.Web.Features.Models;

/// <summary>One row of the Models section: a catalog or installed model, with its running or last pull.</summary>
/// <param name="Entry">Name, source, revision, size on disk and status, as <c>models list</c> shows them.</param>
/// <param name="InUse">True for the engine labelling texts now.</param>
/// <param name="Pull">The model's running or last pull in this process, if any.</param>
public sealed record ModelView(ModelListEntry Entry, bool InUse, ModelPullProgress? Pull)
{
    /// <summary>True while a pull of this model runs (resolving, downloading or preparing).</summary>
    public bool Pulling => Pull is { Phase: ModelPullPhase.Resolving or ModelPullPhase.Downloading or ModelPullPhase.Preparing };

    /// <summary>Catalog models that are not ready (or broken) can be installed; a running pull cannot be started twice.</summary>
    public bool CanInstall => Entry.InCatalog && !Pulling && Entry.Status is not (ModelStatus.Ready or ModelStatus.Downloading);

    public bool CanRemove => Entry.Name != SentimentEngines.Embedded && !Pulling
        && Entry.Status is ModelStatus.Ready or ModelStatus.Broken or ModelStatus.Partial;

    /// <summary>The status to show: the pull's phase while it runs or when it failed, else the stored status.</summary>
    public string Status => Pull switch
    {
        { Phase: ModelPullPhase.Resolving } => "resolving files",
        { Phase: ModelPullPhase.Downloading } => "downloading",
        { Phase: ModelPullPhase.Preparing } => "preparing for ONNX Runtime",
        { Phase: ModelPullPhase.Failed } when Entry.Status != ModelStatus.Ready => "failed",
        { Phase: ModelPullPhase.Cancelled } when Entry.Status != ModelStatus.Ready => "cancelled",
        _ => Entry.StatusText,
    };
}

/// <summary>The Models section: the engine in use, every model with its status and pull, and the relabelling of stored headlines.</summary>
public sealed record ModelsOverview(EngineInUse Engine, IReadOnlyList<ModelView> Models, RelabelStatus Relabel)
{
    /// <summary>True while anything changes by itself (a pull or a relabel runs): the page keeps polling.</summary>
    public bool Busy => Relabel.Running || Models.Any(m => m.Pulling);
}

/// <summary>
/// Model management for the web app (the settings page; an API route would call the same): list the
/// catalog and installed models, install a catalog model as a background pull (never awaited by a
/// request; progress is read back with <see cref="Overview"/>), remove one. Each install or removal
/// re-resolves Sentiment:Engine, so <c>auto</c> switches to the best installed model and stored
/// labels are recomputed in the background.
/// </summary>
public sealed class SentimentModels
{
    private readonly ModelStore _store;
    private readonly ModelDownloads _downloads;
    private readonly SentimentEngineSelection _engine;
    private readonly SentimentRelabelJob _relabel;
    private readonly ILogger<SentimentModels> _logger;

    public SentimentModels(ModelStore store, ModelDownloads downloads, SentimentEngineSelection engine, SentimentRelabelJob relabel, ILogger<SentimentModels> logger)
    {
        (_store, _downloads, _engine, _relabel, _logger) = (store, downloads, engine, relabel, logger);
        // Raised on a pool thread when a background pull has installed its model.
        _downloads.Installed += (_, model) =>
        {
            _logger.LogInformation("Sentiment model {Model} installed ({Version}).", model.Manifest.Name, model.Manifest.ModelVersion);
            _engine.Refresh(model.Manifest.Name);
        };
    }

    /// <summary>Every model with its status and pull, and the engine in use (resolved again, so a model pulled with the command line shows up).</summary>
    public ModelsOverview Overview()
    {
        var engine = _engine.Refresh();
        var rows = ModelListing.Of(_store)
            .Select(e => new ModelView(e, e.Name == engine.Engine, _downloads.GetProgress(e.Name)))
            .ToList();
        return new ModelsOverview(engine, rows, _relabel.Status);
    }

    /// <summary>Starts installing a catalog model in the background; null when it started.</summary>
    public WriteProblem? Install(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || ModelCatalog.Find(name.Trim()) is not { } entry)
        {
            return Refused(StatusCodes.Status400BadRequest,
                $"Choose a catalog model ({string.Join(", ", ModelCatalog.Models.Select(m => m.Name))}); other Hub repositories are pulled with `FinSight.Web models pull <owner>/<repo>@<revision> --as <name>`.");
        }
        if (_store.GetStatus(entry.Name) == ModelStatus.Ready)
        {
            return Refused(StatusCodes.Status409Conflict, $"{entry.Name} is already installed; remove it first to download it again.");
        }
        if (!_downloads.TryStart(entry.Name, out var reason))
        {
            return Refused(StatusCodes.Status409Conflict, reason!);
        }
        _logger.LogInformation("Installing sentiment model {Model} from {Source} in the background.", entry.Name, entry.Source);
        return null;
    }

    // 400 a name that is no catalog model, 404 not installed, 409 busy or already there.
    private static WriteProblem Refused(int status, string detail) =>
        new(status, status == StatusCodes.Status404NotFound ? "Model not installed" : "The model action was refused", detail, new Dictionary<string, object?>());

    /// <summary>Removes an installed model (and any partial download of it); null when removed.</summary>
    public WriteProblem? Remove(string? name)
    {
        var model = name?.Trim().ToLowerInvariant();
        if (!ModelStore.IsValidName(model))
        {
            return Refused(StatusCodes.Status400BadRequest, $"\"{name}\" is not a model that can be removed.");
        }
        if (_downloads.GetProgress(model!) is { Phase: ModelPullPhase.Resolving or ModelPullPhase.Downloading or ModelPullPhase.Preparing })
        {
            return Refused(StatusCodes.Status409Conflict, $"{model} is being downloaded; wait for the download to end.");
        }
        try
        {
            if (!_store.Remove(model!))
            {
                return Refused(StatusCodes.Status404NotFound, $"{model} is not installed.");
            }
        }
        catch (InvalidOperationException error)
        {
            return Refused(StatusCodes.Status409Conflict, error.Message);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning(error, "Removing sentiment model {Model} failed.", model);
            return Refused(StatusCodes.Status409Conflict, $"{model} could not be removed: {error.Message}");
        }
        _logger.LogInformation("Sentiment model {Model} removed.", model);
        _engine.Refresh(model);
        return null;
    }
}
