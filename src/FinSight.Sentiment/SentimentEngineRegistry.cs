using System.Collections.Immutable;
using FinSight.Sentiment.Model;

namespace FinSight.Sentiment;

/// <summary>
/// Maps engine names (the Sentiment:Engine setting) to factories. Callers depend only on
/// <see cref="ISentimentAnalyzer"/>; a stronger engine (e.g. a FinBERT port) is added with
/// <see cref="With"/> and selected by configuration.
/// </summary>
public sealed class SentimentEngineRegistry
{
    private readonly ImmutableDictionary<string, Func<SentimentOptions, ISentimentAnalyzer>> _factories;

    private SentimentEngineRegistry(ImmutableDictionary<string, Func<SentimentOptions, ISentimentAnalyzer>> factories) =>
        _factories = factories;

    /// <summary>The built-in engines: "finsight-linear".</summary>
    public static SentimentEngineRegistry Default { get; } = new(
        ImmutableDictionary.Create<string, Func<SentimentOptions, ISentimentAnalyzer>>(StringComparer.OrdinalIgnoreCase)
            .Add(SentimentOptions.LinearEngine, CreateLinear));

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

    private static LinearSentimentAnalyzer CreateLinear(SentimentOptions options)
    {
        var model = string.IsNullOrWhiteSpace(options.ModelPath)
            ? LinearSentimentModel.LoadEmbedded()
            : LinearSentimentModel.Load(options.ModelPath);
        return new LinearSentimentAnalyzer(model, options.MaxTextLength, options.MaxEvidence);
    }
}
