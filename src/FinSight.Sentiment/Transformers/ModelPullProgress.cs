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
    private readonly long _started = time.GetTimestamp();
    private long _lastReport = long.MinValue;
    private long _received;
    private double _speed;
    private long _speedMark;
    private long _speedBytes;

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
        progress?.Report(Snapshot(message));
        _lastReport = time.GetTimestamp();
    }

    /// <summary>Bytes already on disk from an earlier attempt (count toward done, not toward speed).</summary>
    public void AddExisting(long bytes) => BytesDone += bytes;

    public void AddReceived(long bytes)
    {
        BytesDone += bytes;
        _received += bytes;
        var now = time.GetTimestamp();
        if (_speedMark == 0)
        {
            _speedMark = now;
        }

        // Speed over windows of at least a second, smoothed, so the estimate neither jumps nor lags minutes behind.
        _speedBytes += bytes;
        var window = time.GetElapsedTime(_speedMark, now);
        if (window >= TimeSpan.FromSeconds(1))
        {
            var current = _speedBytes / window.TotalSeconds;
            _speed = _speed == 0 ? current : (0.7 * _speed) + (0.3 * current);
            _speedMark = now;
            _speedBytes = 0;
        }
        else if (_speed == 0 && time.GetElapsedTime(_started, now) > TimeSpan.Zero)
        {
            _speed = _received / time.GetElapsedTime(_started, now).TotalSeconds;
        }

        if (_lastReport == long.MinValue || time.GetElapsedTime(_lastReport, now) >= ReportEvery)
        {
            _lastReport = now;
            progress?.Report(Snapshot());
        }
    }
}
