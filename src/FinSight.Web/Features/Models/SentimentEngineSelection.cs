using System.Threading.Channels;
using FinSight.Sentiment;
using FinSight.Sentiment.Transformers;
using Microsoft.Extensions.Options;

namespace FinSight.Web.Features.Models;

/// <summary>The engine in use: what Sentiment:Engine selects among the models installed right now.</summary>
/// <param name="Configured">The setting as given (auto, embedded or a model name).</param>
/// <param name="Engine">The engine that labels texts: "embedded" or an installed model's name.</param>
/// <param name="ModelVersion">What labels carry (e.g. finbert-tone+4921590d3c0c).</param>
/// <param name="Problem">Why the configured model is not the one in use (not installed, cannot load); null when it is.</param>
public sealed record EngineInUse(string Configured, string Engine, string ModelVersion, string? Problem);

/// <summary>
/// The sentiment analyzer every caller gets (the news pipeline, POST /api/sentiment/analyze, the
/// relabel job): it delegates to the engine Sentiment:Engine selects and is re-resolved when a model
/// is installed or removed, so <c>auto</c> moves to a newly installed model without a restart. A
/// configured model that is missing or cannot load never stops the app: the embedded engine labels
/// meanwhile and <see cref="Current"/> says why. Each change of model version is signalled on
/// <see cref="Changes"/> (and once at start), which the relabel job reads.
/// </summary>
public sealed class SentimentEngineSelection : ISentimentAnalyzer
{
    private readonly SentimentEngines _engines;
    private readonly SentimentOptions _options;
    private readonly ILogger<SentimentEngineSelection> _logger;
    private readonly Lock _refreshing = new();
    private readonly Channel<string> _changes = Channel.CreateBounded<string>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
    private Selected _current;

    public SentimentEngineSelection(SentimentEngines engines, IOptions<SentimentOptions> options, ILogger<SentimentEngineSelection> logger)
    {
        _engines = engines;
        _options = options.Value;
        _logger = logger;
        _current = Select(previous: null);
        LogProblem(_current);
        _changes.Writer.TryWrite(_current.Analyzer.ModelVersion);
    }

    /// <summary>The engine in use now.</summary>
    public EngineInUse Current
    {
        get
        {
            var current = Volatile.Read(ref _current);
            return new EngineInUse(_options.Engine, current.Engine, current.Analyzer.ModelVersion, current.Problem);
        }
    }

    /// <summary>The model version in use after each change (the latest one only, when several come quickly).</summary>
    public ChannelReader<string> Changes => _changes.Reader;

    public string ModelVersion => Volatile.Read(ref _current).Analyzer.ModelVersion;

    public SentimentResult Analyze(string text) => Volatile.Read(ref _current).Analyzer.Analyze(text);

    public IReadOnlyList<SentimentResult> Analyze(IReadOnlyList<string> texts) => Volatile.Read(ref _current).Analyzer.Analyze(texts);

    /// <summary>Resolves the setting again (after an install or removal); <paramref name="changed"/> is a model whose loaded engine is stale.</summary>
    public EngineInUse Refresh(string? changed = null)
    {
        lock (_refreshing)
        {
            if (changed is not null)
            {
                _engines.Evict(changed);
            }

            var previous = _current;
            var next = Select(previous);
            Volatile.Write(ref _current, next);
            if (next.Problem != previous.Problem)
            {
                LogProblem(next); // once per change: the settings page refreshes every second while it polls
            }
            if (next.Analyzer.ModelVersion != previous.Analyzer.ModelVersion)
            {
                _logger.LogInformation("Sentiment engine is now {Engine} ({Version}); stored labels will be recomputed in the background.",
                    next.Engine, next.Analyzer.ModelVersion);
                _changes.Writer.TryWrite(next.Analyzer.ModelVersion);
            }

            return Current;
        }
    }

    private Selected Select(Selected? previous)
    {
        string? problem = null;
        string engine;
        try
        {
            engine = _engines.Resolve();
        }
        catch (ArgumentException error)
        {
            engine = SentimentEngines.Embedded;
            problem = error.Message + " The embedded engine labels texts meanwhile.";
        }

        if (engine != SentimentEngines.Embedded)
        {
            try
            {
                return new Selected(engine, _engines.Get(engine), null);
            }
            catch (ArgumentException) when (previous is not null)
            {
                // Listed as ready a moment ago but its pull still holds the lock (it is finishing, or
                // the command line re-pulls it): keep the engine in use; the pull's end refreshes again.
                return previous;
            }
            catch (Exception error) when (error is InvalidOperationException or InvalidDataException or IOException or PlatformNotSupportedException or ArgumentException)
            {
                // Logged by the caller when the problem is new, not on every refresh.
                (engine, problem) = (SentimentEngines.Embedded, $"Model \"{engine}\" cannot be loaded: {error.Message} The embedded engine labels texts meanwhile.");
            }
        }

        return new Selected(SentimentEngines.Embedded, _engines.Get(SentimentEngines.Embedded), problem);
    }

    private void LogProblem(Selected selected)
    {
        if (selected.Problem is not null)
        {
            _logger.LogWarning("Sentiment:Engine = {Configured}: {Problem}", _options.Engine, selected.Problem);
        }
    }

    private sealed record Selected(string Engine, ISentimentAnalyzer Analyzer, string? Problem);
}
