namespace FinSight.Sentiment.Transformers;

/// <summary>Tuning of the transformer engine.</summary>
public sealed record TransformerEngineOptions
{
    /// <summary>Threads one inference may use; 0 lets ONNX Runtime use every core.</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Texts per ONNX Runtime call; each batch is padded to its longest text.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Characters read per text before tokenizing (the tokenizer truncates to the model's length anyway).</summary>
    public int MaxTextLength { get; init; } = SentimentOptions.DefaultMaxTextLength;

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(IntraOpThreads);
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTextLength, 1);
    }
}

/// <summary>
/// A BERT sequence classifier (FinBERT and the like) as an <see cref="ISentimentAnalyzer"/>: texts
/// are tokenized by the model's own WordPiece vocabulary, sorted by length and run in batches
/// padded to their longest text; softmax over the logits gives the probabilities, mapped to
/// positive/negative/neutral by the label names of the model's config. One instance holds one
/// ONNX Runtime session and is safe to share by all requests; dispose it to free the model.
/// Results carry no evidence: a transformer has no per-word weights to show.
/// </summary>
public sealed class TransformerSentimentAnalyzer : ISentimentAnalyzer, IDisposable
{
    private readonly BertSession _session;
    private readonly WordPieceTokenizer _tokenizer;
    private readonly SentimentLabel[] _classes;
    private readonly string _logits;
    private readonly TransformerEngineOptions _options;
    private readonly SentimentResult _emptyResult;

    private TransformerSentimentAnalyzer(BertSession session, WordPieceTokenizer tokenizer, BertConfig config, SentimentLabel[] classes, string logits, string modelVersion, TransformerEngineOptions options)
    {
        _session = session;
        _tokenizer = tokenizer;
        _classes = classes;
        _logits = logits;
        _options = options;
        Config = config;
        ModelVersion = modelVersion;
        _emptyResult = new SentimentResult(SentimentLabel.Neutral, new SentimentProbabilities(0, 0, 1), [], modelVersion);
    }

    /// <summary>Identifies the model: its name and the repository revision it came from, e.g. "finbert-tone+4921590d3c0c".</summary>
    public string ModelVersion { get; }

    public BertConfig Config { get; }

    /// <summary>Loads a prepared model folder (config.json, tokenizer.json, model.onnx; see <see cref="TransformerModelPreparer"/>).</summary>
    /// <exception cref="InvalidDataException">A file is missing or unusable.</exception>
    public static TransformerSentimentAnalyzer Load(string preparedFolder, string modelVersion, TransformerEngineOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelVersion);
        options ??= new TransformerEngineOptions();
        options.Validate();
        var config = BertConfig.Load(Path.Combine(preparedFolder, PreparedModelFiles.Config));
        var classes = SentimentLabels.FromNames(config.Labels);
        var modelPath = Path.Combine(preparedFolder, PreparedModelFiles.Model);
        if (!File.Exists(modelPath))
        {
            throw new InvalidDataException($"{modelPath} is missing; pull the model again.");
        }

        var tokenizer = WordPieceTokenizer.Load(Path.Combine(preparedFolder, PreparedModelFiles.Tokenizer));
        if (tokenizer.MaxLength > config.MaxPositions)
        {
            tokenizer.Dispose();
            throw new InvalidDataException($"tokenizer.json truncates at {tokenizer.MaxLength} tokens but the model has {config.MaxPositions} positions; prepare the model again.");
        }

        BertSession? session = null;
        try
        {
            session = new BertSession(modelPath, options.IntraOpThreads);
            var logits = session.OutputNames.Contains("logits") ? "logits" : session.OutputNames[0];
            return new TransformerSentimentAnalyzer(session, tokenizer, config, classes, logits, modelVersion, options);
        }
        catch
        {
            session?.Dispose();
            tokenizer.Dispose();
            throw;
        }
    }

    public SentimentResult Analyze(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Analyze([text])[0];
    }

    public IReadOnlyList<SentimentResult> Analyze(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var results = new SentimentResult[texts.Count];
        var pending = new List<(int Index, int[] Ids)>(texts.Count);
        for (var i = 0; i < texts.Count; i++)
        {
            var text = texts[i] ?? throw new ArgumentNullException(nameof(texts), $"Text at index {i} is null.");
            if (string.IsNullOrWhiteSpace(text))
            {
                results[i] = _emptyResult;
                continue;
            }

            pending.Add((i, _tokenizer.Encode(Truncate(text, _options.MaxTextLength))));
        }

        // Similar lengths together, so each batch pads little.
        pending.Sort((a, b) => a.Ids.Length.CompareTo(b.Ids.Length));
        for (var start = 0; start < pending.Count; start += _options.BatchSize)
        {
            var chunk = pending.GetRange(start, Math.Min(_options.BatchSize, pending.Count - start));
            var (logits, shape) = _session.Run(TokenBatch.Pad(chunk.Select(c => c.Ids).ToArray(), _tokenizer.PadId), _logits);
            if (shape is not [_, var classes] || classes != _classes.Length)
            {
                throw new InvalidOperationException($"The model returned logits of shape [{string.Join(", ", shape)}]; expected [batch, {_classes.Length}].");
            }

            for (var row = 0; row < chunk.Count; row++)
            {
                results[chunk[row].Index] = ToResult(logits.AsSpan(row * _classes.Length, _classes.Length));
            }
        }

        return results;
    }

    /// <summary>Token ids as the model sees them (for diagnostics and tests).</summary>
    public int[] Tokenize(string text) => _tokenizer.Encode(Truncate(text, _options.MaxTextLength));

    private SentimentResult ToResult(ReadOnlySpan<float> logits)
    {
        // Softmax in double so the three probabilities sum to 1 within SentimentProbabilities' tolerance.
        var max = double.NegativeInfinity;
        foreach (var l in logits)
        {
            max = Math.Max(max, l);
        }

        Span<double> p = stackalloc double[3];
        double sum = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            var e = Math.Exp(logits[i] - max);
            p[(int)_classes[i]] += e;
            sum += e;
        }

        var positive = p[(int)SentimentLabel.Positive] / sum;
        var negative = p[(int)SentimentLabel.Negative] / sum;
        var neutral = Math.Max(0, 1 - positive - negative);
        var label = positive >= negative && positive >= neutral ? SentimentLabel.Positive
            : negative >= neutral ? SentimentLabel.Negative
            : SentimentLabel.Neutral;
        return new SentimentResult(label, new SentimentProbabilities(positive, negative, neutral), [], ModelVersion);
    }

    private static string Truncate(string text, int maxLength)
    {
        if (text.Length <= maxLength)
        {
            return text;
        }

        // Never split a surrogate pair: half an emoji would become U+FFFD.
        var end = char.IsHighSurrogate(text[maxLength - 1]) ? maxLength - 1 : maxLength;
        return text[..end];
    }

    public void Dispose()
    {
        _session.Dispose();
        _tokenizer.Dispose();
    }
}

/// <summary>The files of a prepared model folder.</summary>
public static class PreparedModelFiles
{
    public const string Config = "config.json";
    public const string Tokenizer = "tokenizer.json";
    public const string Model = "model.onnx";
}
