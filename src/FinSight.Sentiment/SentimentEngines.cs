using System.Collections.Concurrent;
using FinSight.Sentiment.Transformers;

namespace FinSight.Sentiment;

/// <summary>
/// Resolves Sentiment:Engine (<c>auto</c>, <c>embedded</c>, or an installed model's name) to an
/// analyzer and keeps one instance per engine, shared by every caller: one ONNX Runtime session per
/// model. <c>auto</c> is the best installed model (catalog order: finbert-tone, then finbert, then
/// others by name) and the embedded linear model when none is installed. Register one instance as a
/// singleton; after a model is re-pulled or removed, call <see cref="Evict"/> so the next request
/// loads the new files.
/// </summary>
public sealed class SentimentEngines : IDisposable
{
    public const string Auto = "auto";
    public const string Embedded = "embedded";

    private readonly SentimentOptions _options;
    private readonly ModelStore? _store;
    private readonly TransformerEngineOptions _transformerOptions;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Lazy<ISentimentAnalyzer>> _engines = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="options">Sentiment:Engine and the embedded model's settings.</param>
    /// <param name="store">Installed transformer models; null means only the embedded engine exists.</param>
    /// <param name="transformerOptions">Threads and batch size of transformer engines.</param>
    /// <param name="time">Clock for disposing evicted engines after in-flight requests finish.</param>
    public SentimentEngines(SentimentOptions options, ModelStore? store, TransformerEngineOptions? transformerOptions = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _store = store;
        _transformerOptions = (transformerOptions ?? new TransformerEngineOptions()) with { MaxTextLength = options.MaxTextLength };
        _time = time ?? TimeProvider.System;
    }

    /// <summary>How long an evicted engine stays alive for requests that already hold it.</summary>
    public static TimeSpan EvictionGrace { get; } = TimeSpan.FromMinutes(2);

    /// <summary>The engine names that work now: "embedded" and every ready model, best first.</summary>
    public IReadOnlyList<string> Available =>
        [Embedded, .. (_store?.List() ?? []).Where(m => m.Status == ModelStatus.Ready).Select(m => m.Manifest.Name)];

    /// <summary>The concrete engine a setting selects: "embedded" or a model name (<c>auto</c> resolved; the setting when null).</summary>
    /// <exception cref="ArgumentException">The name is neither auto, embedded nor an installed model.</exception>
    public string Resolve(string? engine = null) => ResolveName(engine ?? _options.Engine, _store);

    /// <summary>The shared analyzer for <paramref name="engine"/> (the configured engine when null), loading it on first use.</summary>
    /// <exception cref="ArgumentException">The name is neither auto, embedded nor an installed model.</exception>
    /// <exception cref="InvalidOperationException">The model is installed but cannot be loaded.</exception>
    public ISentimentAnalyzer Get(string? engine = null)
    {
        var name = Resolve(engine);
        var lazy = _engines.GetOrAdd(name, n => new Lazy<ISentimentAnalyzer>(() => Create(n), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch
        {
            _engines.TryRemove(new KeyValuePair<string, Lazy<ISentimentAnalyzer>>(name, lazy)); // let the next call retry
            throw;
        }
    }

    /// <summary>Forgets the loaded engine of that name (after a re-pull or removal); it is disposed once in-flight requests had time to finish.</summary>
    public void Evict(string name)
    {
        if (_engines.TryRemove(name, out var lazy) && lazy.IsValueCreated && lazy.Value is IDisposable disposable)
        {
            _ = DisposeLaterAsync(disposable);
        }
    }

    /// <summary>
    /// The one rule for engine names: "embedded" and "finsight-linear" are the linear model; "auto"
    /// is the best ready model in <paramref name="store"/>, else embedded; anything else must be a
    /// ready model.
    /// </summary>
    /// <exception cref="ArgumentException">The name is neither auto, embedded nor a ready model.</exception>
    public static string ResolveName(string engine, ModelStore? store)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(engine);
        if (string.Equals(engine, Embedded, StringComparison.OrdinalIgnoreCase) || string.Equals(engine, SentimentOptions.LinearEngine, StringComparison.OrdinalIgnoreCase))
        {
            return Embedded;
        }

        if (string.Equals(engine, Auto, StringComparison.OrdinalIgnoreCase))
        {
            return store?.List().FirstOrDefault(m => m.Status == ModelStatus.Ready)?.Manifest.Name ?? Embedded;
        }

        var name = engine.ToLowerInvariant();
        var status = store?.GetStatus(name) ?? ModelStatus.NotInstalled;
        return status == ModelStatus.Ready
            ? name
            : throw new ArgumentException(status switch
            {
                ModelStatus.Downloading => $"Sentiment engine \"{engine}\" is still downloading.",
                ModelStatus.Broken => $"Sentiment engine \"{engine}\" is incomplete; run `FinSight.Web models pull {name}` again.",
                _ => $"Unknown sentiment engine \"{engine}\": use auto, embedded or an installed model (`FinSight.Web models list`; install with `FinSight.Web models pull {name}`).",
            });
    }

    private ISentimentAnalyzer Create(string name) =>
        name == Embedded
            ? SentimentEngineRegistry.Default.Create(_options with { Engine = SentimentOptions.LinearEngine })
            : _store!.Open(name, _transformerOptions);

    private async Task DisposeLaterAsync(IDisposable engine)
    {
        await Task.Delay(EvictionGrace, _time).ConfigureAwait(false);
        engine.Dispose();
    }

    public void Dispose()
    {
        foreach (var lazy in _engines.Values)
        {
            if (lazy.IsValueCreated && lazy.Value is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }

        _engines.Clear();
    }
}
