namespace FinSight.Sentiment.Transformers;

/// <summary>Where a model pull is.</summary>
public enum ModelPullPhase
{
    /// <summary>Asking the Hub which files the revision has, their sizes and hashes.</summary>
    Resolving,
    Downloading,
    /// <summary>Reading the weights and writing the ONNX model (CPU-bound, a minute or so for FinBERT).</summary>
    Preparing,
    Installed,
    Failed,
    Cancelled,
}

/// <summary>
/// A snapshot of a model pull for a progress bar. Byte counts cover all files of the pull, including
/// bytes kept from an interrupted earlier attempt; speed counts only bytes received in this attempt.
/// </summary>
/// <param name="Model">The model's name.</param>
/// <param name="Phase">What the pull is doing.</param>
/// <param name="File">The repository file being downloaded, or null outside <see cref="ModelPullPhase.Downloading"/>.</param>
/// <param name="BytesDone">Bytes on disk so far, all files together.</param>
/// <param name="BytesTotal">Total bytes of all files, when the Hub gave every size.</param>
/// <param name="BytesPerSecond">Recent download speed, in bytes per second (0 before the first bytes).</param>
/// <param name="Remaining">Estimated time to finish the download at that speed, when known.</param>
/// <param name="Message">The error of a failed pull, or a short note.</param>
public sealed record ModelPullProgress(
    string Model,
    ModelPullPhase Phase,
    string? File,
    long BytesDone,
    long? BytesTotal,
    double BytesPerSecond,
    TimeSpan? Remaining,
    string? Message = null)
{
    /// <summary>0–100, when the total is known.</summary>
    public double? Percent => BytesTotal is > 0 ? Math.Min(100, 100.0 * BytesDone / BytesTotal.Value) : null;
}

/// <summary>Turns byte counts into throttled <see cref="ModelPullProgress"/> reports with speed and time left.</summary>
internal sealed class PullProgressTracker(string model, IProgress<ModelPullProgress>? progress, TimeProvider time)
{
    private static readonly TimeSpan ReportEvery = TimeSpan.FromMilliseconds(200);
    // Speed is measured over windows of at least this long and smoothed, so the estimate neither
    // jumps with every packet nor reports nonsense from the first few bytes.
    private static readonly TimeSpan SpeedWindow = TimeSpan.FromMilliseconds(500);
    private long _lastReport;
    private bool _reported;
    private double _speed;
    private long _windowStart;
    private long _windowBytes;

    public long BytesDone { get; private set; }
    public long? BytesTotal { get; set; }
    public string? File { get; set; }
    public ModelPullPhase Phase { get; private set; } = ModelPullPhase.Resolving;

    public ModelPullProgress Snapshot(string? message = null)
    {
        TimeSpan? remaining = BytesTotal is { } total && _speed > 0 ? TimeSpan.FromSeconds(Math.Max(0, total - BytesDone) / _speed) : null;
        return new ModelPullProgress(model, Phase, Phase == ModelPullPhase.Downloading ? File : null, BytesDone, BytesTotal, _speed, remaining, message);
    }

    public void SetPhase(ModelPullPhase phase, string? message = null)
    {
        Phase = phase;
        _windowStart = 0; // a new file starts with a new request: do not count the gap as slowness
        progress?.Report(Snapshot(message));
        _lastReport = time.GetTimestamp();
        _reported = true;
    }

    /// <summary>Bytes already on disk from an earlier attempt (count toward done, not toward speed).</summary>
    public void AddExisting(long bytes) => BytesDone += bytes;

    public void AddReceived(long bytes)
    {
        BytesDone += bytes;
        var now = time.GetTimestamp();
        if (_windowStart == 0)
        {
            _windowStart = now;
            _windowBytes = 0;
        }
        else
        {
            _windowBytes += bytes;
        }

        var window = time.GetElapsedTime(_windowStart, now);
        if (window >= SpeedWindow)
        {
            var current = _windowBytes / window.TotalSeconds;
            _speed = _speed == 0 ? current : (0.7 * _speed) + (0.3 * current);
            _windowStart = now;
            _windowBytes = 0;
        }

        if (!_reported || time.GetElapsedTime(_lastReport, now) >= ReportEvery)
        {
            _lastReport = now;
            _reported = true;
            progress?.Report(Snapshot());
        }
    }
}
