using System.Collections.Immutable;
using FinSight.Sentiment.Model;

namespace FinSight.Sentiment;

/// <summary>
/// Maps engine names (the Sentiment:Engine setting) to factories for engines that need no
/// installed files. Callers depend only on <see cref="ISentimentAnalyzer"/>; another engine is
/// added with <see cref="With"/> and selected by configuration. Transformer models installed in the
/// data folder, and "auto" choosing among them, are resolved by <see cref="SentimentEngines"/>;
/// here, without a model store, "auto" is the embedded engine by that same rule.
/// </summary>
public sealed class SentimentEngineRegistry
{
    private readonly ImmutableDictionary<string, Func<SentimentOptions, ISentimentAnalyzer>> _factories;

    private SentimentEngineRegistry(ImmutableDictionary<string, Func<SentimentOptions, ISentimentAnalyzer>> factories) =>
        _factories = factories;

    /// <summary>The built-in engines: "embedded" (the linear model; also by its old name "finsight-linear") and "auto".</summary>
    public static SentimentEngineRegistry Default { get; } = new(
        ImmutableDictionary.Create<string, Func<SentimentOptions, ISentimentAnalyzer>>(StringComparer.OrdinalIgnoreCase)
            .Add(SentimentEngines.Embedded, CreateLinear)
            .Add(SentimentOptions.LinearEngine, CreateLinear)
            .Add(SentimentEngines.Auto, CreateAuto));

    public IEnumerable<string> Engines => _factories.Keys.Order(StringComparer.Ordinal);

    /// <summary>Returns a registry that also knows <paramref name="engine"/> (replacing an existing one of that name).</summary>
    public SentimentEngineRegistry With(string engine, Func<SentimentOptions, ISentimentAnalyzer> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(engine);
        ArgumentNullException.ThrowIfNull(factory);
        return new SentimentEngineRegistry(_factories.SetItem(engine, factory));
    }

    /// <exception cref="ArgumentException">The options are invalid or name an unknown engine.</exception>
    public ISentimentAnalyzer Create(SentimentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return _factories.TryGetValue(options.Engine, out var factory)
            ? factory(options)
            : throw new ArgumentException($"Unknown sentiment engine '{options.Engine}'. Known: {string.Join(", ", Engines)}.", nameof(options));
    }

    private static ISentimentAnalyzer CreateAuto(SentimentOptions options) =>
        SentimentEngines.ResolveName(SentimentEngines.Auto, store: null) == SentimentEngines.Embedded
            ? CreateLinear(options)
            : throw new InvalidOperationException("auto resolved to a model without a model store.");

    private static LinearSentimentAnalyzer CreateLinear(SentimentOptions options)
    {
        var model = string.IsNullOrWhiteSpace(options.ModelPath)
            ? LinearSentimentModel.LoadEmbedded()
            : LinearSentimentModel.Load(options.ModelPath);
        return new LinearSentimentAnalyzer(model, options.MaxTextLength, options.MaxEvidence);
    }
}
