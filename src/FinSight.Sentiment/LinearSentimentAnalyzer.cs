using System.Text;
using FinSight.Sentiment.Model;
using FinSight.Sentiment.Text;

namespace FinSight.Sentiment;

/// <summary>
/// The default engine: finance-aware features scored by a trained linear model. Immutable and
/// thread-safe; per-thread scratch buffers keep the hot path free of allocations apart from the
/// result and its evidence strings.
/// </summary>
public sealed class LinearSentimentAnalyzer : ISentimentAnalyzer
{
    [ThreadStatic]
    private static Scratch? t_scratch;

    private readonly LinearSentimentModel _model;
    private readonly int _maxTextLength;
    private readonly int _maxEvidence;
    private readonly SentimentResult _emptyResult;

    public LinearSentimentAnalyzer(LinearSentimentModel model, int maxTextLength = SentimentOptions.DefaultMaxTextLength, int maxEvidence = SentimentOptions.DefaultMaxEvidence)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTextLength, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxEvidence);
        _model = model;
        _maxTextLength = maxTextLength;
        _maxEvidence = maxEvidence;
        _emptyResult = new SentimentResult(SentimentLabel.Neutral, new SentimentProbabilities(0, 0, 1), [], model.Version);
    }

    public string ModelVersion => _model.Version;

    public SentimentResult Analyze(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return AnalyzeCore(text, t_scratch ??= new Scratch());
    }

    public IReadOnlyList<SentimentResult> Analyze(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var scratch = t_scratch ??= new Scratch();
        var results = new SentimentResult[texts.Count];
        for (var i = 0; i < results.Length; i++)
        {
            var text = texts[i] ?? throw new ArgumentNullException(nameof(texts), $"Text at index {i} is null.");
            results[i] = AnalyzeCore(text, scratch);
        }

        return results;
    }

    private SentimentResult AnalyzeCore(string text, Scratch scratch)
    {
        var span = text.AsSpan();
        if (span.Length > _maxTextLength)
        {
            span = span[.._maxTextLength]; // headlines are short; the lead of a long text carries its tone
        }

        if (span.IsWhiteSpace())
        {
            return _emptyResult;
        }

        FinancialTokenizer.Tokenize(span, scratch.Tokens);
        FeatureExtractor.Extract(scratch.Tokens, scratch.Features);
        Span<double> logits = stackalloc double[LinearSentimentModel.Classes];
        var features = scratch.Features;
        var weights = _model.Weights;
        for (var c = 0; c < logits.Length; c++)
        {
            logits[c] = _model.Bias[c];
        }

        if (scratch.Offsets.Length < features.Count)
        {
            scratch.Offsets = new int[features.Items.Length];
        }

        for (var f = 0; f < features.Count; f++)
        {
            ref readonly var feature = ref features.Items[f];
            if (feature.Prior != 0)
            {
                logits[feature.Prior > 0 ? 1 : 0] += _model.RulePrior * Math.Abs(feature.Prior);
            }

            var offset = _model.Find(feature.Hash);
            scratch.Offsets[f] = offset;
            if (offset >= 0)
            {
                logits[0] += feature.Value * weights[offset];
                logits[1] += feature.Value * weights[offset + 1];
                logits[2] += feature.Value * weights[offset + 2];
            }
        }

        var probabilities = Softmax(logits);
        var label = (SentimentLabel)ArgMax(logits);
        var evidence = _maxEvidence == 0 ? [] : Explain(span, scratch, (int)label);
        return new SentimentResult(label, probabilities, evidence, _model.Version);
    }

    private static SentimentProbabilities Softmax(ReadOnlySpan<double> logits)
    {
        var max = Math.Max(logits[0], Math.Max(logits[1], logits[2]));
        var e0 = Math.Exp(logits[0] - max);
        var e1 = Math.Exp(logits[1] - max);
        var e2 = Math.Exp(logits[2] - max);
        var sum = e0 + e1 + e2;
        var negative = e0 / sum;
        var positive = e1 / sum;
        // Derive the last from the others so the three sum to exactly 1 despite rounding.
        var neutral = Math.Max(0.0, 1.0 - negative - positive);
        return new SentimentProbabilities(positive, negative, neutral);
    }

    private static int ArgMax(ReadOnlySpan<double> logits)
    {
        // Ties go to neutral: with no evidence either way, make no claim.
        var best = 2;
        for (var c = 1; c >= 0; c--)
        {
            if (logits[c] > logits[best])
            {
                best = c;
            }
        }

        return best;
    }

    /// <summary>
    /// Ranks the text's features by how much they favoured the chosen label over the other two,
    /// merging a rule's specific and generic features into one item.
    /// </summary>
    private SentimentEvidence[] Explain(ReadOnlySpan<char> text, Scratch scratch, int label)
    {
        var features = scratch.Features;
        var weights = _model.Weights;
        var candidates = scratch.Candidates;
        candidates.Clear();
        for (var f = 0; f < features.Count; f++)
        {
            var offset = scratch.Offsets[f];
            ref readonly var feature = ref features.Items[f];
            if (offset < 0 && feature.Prior == 0)
            {
                continue;
            }

            var contribution = 0.0;
            if (offset >= 0)
            {
                var others = 0.0;
                for (var c = 0; c < LinearSentimentModel.Classes; c++)
                {
                    others += c == label ? 0 : weights[offset + c];
                }

                contribution = feature.Value * (weights[offset + label] - (others / 2));
            }

            if (feature.Prior != 0)
            {
                // The prior adds to one polar logit; relative to the other two labels that is +p toward it, −p/2 otherwise.
                var prior = _model.RulePrior * Math.Abs(feature.Prior);
                var toward = feature.Prior > 0 ? 1 : 0;
                contribution += label == toward ? prior : -prior / 2;
            }
            var merged = false;
            for (var k = 0; k < candidates.Count; k++)
            {
                var existing = candidates[k];
                if (existing.Kind == feature.Kind && existing.From == feature.From && existing.To == feature.To)
                {
                    candidates[k] = existing with { Contribution = existing.Contribution + contribution };
                    merged = true;
                    break;
                }
            }

            if (!merged)
            {
                candidates.Add(new Candidate(feature.Kind, feature.From, feature.To, feature.Note, contribution));
            }
        }

        // Sort by strength, then position, so equal weights explain in reading order (deterministic).
        candidates.Sort(static (a, b) => b.Contribution != a.Contribution ? b.Contribution.CompareTo(a.Contribution) : a.From.CompareTo(b.From));
        var count = 0;
        while (count < candidates.Count && count < _maxEvidence && candidates[count].Contribution > 0.05)
        {
            count++;
        }

        var result = new SentimentEvidence[count];
        for (var k = 0; k < count; k++)
        {
            var candidate = candidates[k];
            result[k] = new SentimentEvidence(
                TermText(text, scratch.Tokens, candidate.From, candidate.To),
                candidate.Kind,
                (SentimentLabel)label,
                Math.Round(candidate.Contribution, 4),
                candidate.Note switch
                {
                    RuleNote.Negated => "negated",
                    RuleNote.Hedged => "hedged",
                    RuleNote.NegatedHedged => "negated, hedged",
                    _ => null,
                });
        }

        return result;
    }

    /// <summary>The words as written, from the first token to the last ("EUR 12.6 mn (EUR 8.1 mn)"), on one line.</summary>
    private static string TermText(ReadOnlySpan<char> text, TokenBuffer tokens, int from, int to)
    {
        var start = tokens.Tokens[from].SourceStart;
        var end = tokens.Tokens[to].SourceEnd;
        var builder = new StringBuilder(end - start);
        var space = false;
        foreach (var c in text[start..end])
        {
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    private readonly record struct Candidate(EvidenceKind Kind, int From, int To, RuleNote Note, double Contribution);

    private sealed class Scratch
    {
        public readonly TokenBuffer Tokens = new();
        public readonly FeatureBuffer Features = new();
        public readonly List<Candidate> Candidates = new(64);
        public int[] Offsets = new int[128];
    }
}
