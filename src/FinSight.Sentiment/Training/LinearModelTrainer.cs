using FinSight.Sentiment.Model;
using FinSight.Sentiment.Text;

namespace FinSight.Sentiment.Training;

/// <summary>
/// Fits the multinomial logistic regression behind <see cref="LinearSentimentAnalyzer"/> with full-batch
/// L-BFGS. Everything is sequential and in a fixed order (texts as given, features sorted by hash), so the
/// arithmetic and therefore the model bytes are reproducible.
/// </summary>
public static class LinearModelTrainer
{
    private const int Classes = LinearSentimentModel.Classes;
    private const int History = 10;

    /// <param name="data">Training texts; never include evaluation data.</param>
    /// <param name="options">Hyper-parameters.</param>
    /// <param name="source">Describes the data (e.g. file names) for the model's metadata; avoid machine-specific paths.</param>
    /// <param name="log">Receives progress lines; optional.</param>
    /// <param name="sampleWeights">
    /// How much each text counts (one positive number per text, e.g. more for a small set of company news next to
    /// thousands of tweets); null counts every text once. Applied on top of <see cref="TrainingOptions.ClassBalance"/>.
    /// </param>
    public static LinearSentimentModel Train(
        IReadOnlyList<LabelledText> data, TrainingOptions options, string source, Action<string>? log = null, IReadOnlyList<double>? sampleWeights = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(source);
        options.Validate();
        if (data.Count == 0)
        {
            throw new ArgumentException("No training data.", nameof(data));
        }

        if (sampleWeights is not null && (sampleWeights.Count != data.Count || sampleWeights.Any(w => !(w > 0) || !double.IsFinite(w))))
        {
            throw new ArgumentException("Sample weights must be one finite positive number per text.", nameof(sampleWeights));
        }

        var problem = Problem.Build(data, options, sampleWeights);
        log?.Invoke($"{data.Count} texts, {problem.Hashes.Length} features ({problem.RuleFeatureCount} rule features)");
        var x = new double[(problem.Hashes.Length * Classes) + Classes];
        var iterations = Minimise(problem, x, options, log);

        var weights = new float[problem.Hashes.Length * Classes];
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)x[i];
        }

        var bias = new float[Classes];
        for (var c = 0; c < Classes; c++)
        {
            bias[c] = (float)x[weights.Length + c];
        }

        var metadata = $"data={source};texts={data.Count};{options.Describe()};iterations={iterations}";
        return new LinearSentimentModel(options.Name, metadata, bias, problem.Hashes, weights, (float)options.RulePrior);
    }

    private static int Minimise(Problem problem, double[] x, TrainingOptions options, Action<string>? log)
    {
        var n = x.Length;
        var g = new double[n];
        var f = problem.Evaluate(x, g);
        var s = new double[History][];
        var y = new double[History][];
        var rho = new double[History];
        var alpha = new double[History];
        var direction = new double[n];
        var xNext = new double[n];
        var gNext = new double[n];
        var stored = 0;
        var iteration = 0;
        while (iteration < options.MaxIterations)
        {
            iteration++;
            // Two-loop recursion: direction = -H·g from the last few (s, y) pairs.
            Array.Copy(g, direction, n);
            for (var k = stored - 1; k >= 0; k--)
            {
                alpha[k] = rho[k] * Dot(s[k], direction);
                Axpy(-alpha[k], y[k], direction);
            }

            var gamma = stored > 0 ? Dot(s[stored - 1], y[stored - 1]) / Dot(y[stored - 1], y[stored - 1]) : 1.0 / Math.Sqrt(Dot(g, g));
            Scale(direction, gamma);
            for (var k = 0; k < stored; k++)
            {
                var beta = rho[k] * Dot(y[k], direction);
                Axpy(alpha[k] - beta, s[k], direction);
            }

            Scale(direction, -1);
            var slope = Dot(g, direction);
            if (slope >= 0)
            {
                // Not a descent direction (curvature information went stale): restart from steepest descent.
                stored = 0;
                Array.Copy(g, direction, n);
                Scale(direction, -1.0 / Math.Sqrt(Dot(g, g)));
                slope = Dot(g, direction);
            }

            // Backtracking line search with the Armijo condition.
            var step = 1.0;
            double fNext;
            while (true)
            {
                for (var i = 0; i < n; i++)
                {
                    xNext[i] = x[i] + (step * direction[i]);
                }

                fNext = problem.Evaluate(xNext, gNext);
                if (fNext <= f + (1e-4 * step * slope) || step < 1e-10)
                {
                    break;
                }

                step *= 0.5;
            }

            var sk = stored < History ? (s[stored] ??= new double[n]) : Rotate(s);
            var yk = stored < History ? (y[stored] ??= new double[n]) : Rotate(y);
            if (stored == History)
            {
                Array.Copy(rho, 1, rho, 0, History - 1);
            }

            for (var i = 0; i < n; i++)
            {
                sk[i] = xNext[i] - x[i];
                yk[i] = gNext[i] - g[i];
            }

            var sy = Dot(sk, yk);
            var improvement = (f - fNext) / Math.Max(1.0, Math.Abs(f));
            Array.Copy(xNext, x, n);
            Array.Copy(gNext, g, n);
            f = fNext;
            if (sy > 1e-12)
            {
                rho[Math.Min(stored, History - 1)] = 1.0 / sy;
                stored = Math.Min(stored + 1, History);
            }

            if (iteration % 25 == 0)
            {
                log?.Invoke(FormattableString.Invariant($"iteration {iteration}: objective {f:F6}"));
            }

            if (improvement < options.Tolerance)
            {
                break;
            }
        }

        log?.Invoke(FormattableString.Invariant($"stopped after {iteration} iterations: objective {f:F6}"));
        return iteration;
    }

    /// <summary>Moves the oldest vector to the end for reuse as the newest.</summary>
    private static double[] Rotate(double[][] vectors)
    {
        var oldest = vectors[0];
        Array.Copy(vectors, 1, vectors, 0, vectors.Length - 1);
        vectors[^1] = oldest;
        return oldest;
    }

    private static double Dot(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static void Axpy(double a, double[] x, double[] y)
    {
        for (var i = 0; i < x.Length; i++)
        {
            y[i] += a * x[i];
        }
    }

    private static void Scale(double[] x, double a)
    {
        for (var i = 0; i < x.Length; i++)
        {
            x[i] *= a;
        }
    }

    /// <summary>The training set as a sparse matrix (CSR) with per-feature penalties.</summary>
    private sealed class Problem
    {
        public required ulong[] Hashes { get; init; }
        public required double[] Penalty { get; init; }
        public required int[] RowStart { get; init; }
        public required int[] Columns { get; init; }
        public required float[] Values { get; init; }
        public required int[] Labels { get; init; }
        public required double[] RowWeights { get; init; }

        /// <summary>
        /// Per text, the logits the hand-set rule prior adds at scoring time (negative, positive, neutral). Training sees
        /// them too, so learned weights fit what the rules leave unexplained instead of counting the rules twice.
        /// </summary>
        public required double[] PriorOffsets { get; init; }
        public int RuleFeatureCount { get; init; }

        public static Problem Build(IReadOnlyList<LabelledText> data, TrainingOptions options, IReadOnlyList<double>? sampleWeights)
        {
            var tokens = new TokenBuffer();
            var features = new FeatureBuffer();
            var documentFrequency = new Dictionary<ulong, int>();
            var isRule = new HashSet<ulong>();
            var rows = new List<(ulong Hash, float Value)[]>(data.Count);
            var offsets = new double[data.Count * Classes];
            foreach (var item in data)
            {
                FinancialTokenizer.Tokenize(item.Text, tokens);
                FeatureExtractor.Extract(tokens, features);
                var row = new (ulong, float)[features.Count];
                var seen = new HashSet<ulong>();
                for (var i = 0; i < features.Count; i++)
                {
                    var feature = features.Items[i];
                    row[i] = (feature.Hash, feature.Value);
                    if (feature.Prior != 0)
                    {
                        // As in LinearSentimentAnalyzer, the prior raises one polar logit.
                        offsets[(rows.Count * Classes) + (feature.Prior > 0 ? 1 : 0)] += options.TrainingPrior * Math.Abs(feature.Prior);
                    }

                    if (seen.Add(feature.Hash))
                    {
                        documentFrequency[feature.Hash] = documentFrequency.GetValueOrDefault(feature.Hash) + 1;
                    }

                    if (feature.Kind is not (EvidenceKind.Word or EvidenceKind.Phrase))
                    {
                        isRule.Add(feature.Hash);
                    }
                }

                rows.Add(row);
            }

            // Sorting by hash fixes the parameter order independently of dictionary iteration order.
            var hashes = documentFrequency
                .Where(kv => isRule.Contains(kv.Key) || kv.Value >= options.MinCount)
                .Select(kv => kv.Key)
                .Order()
                .ToArray();
            var index = new Dictionary<ulong, int>(hashes.Length);
            for (var i = 0; i < hashes.Length; i++)
            {
                index[hashes[i]] = i;
            }

            var rowStart = new int[rows.Count + 1];
            var columns = new List<int>();
            var values = new List<float>();
            for (var r = 0; r < rows.Count; r++)
            {
                rowStart[r] = columns.Count;
                foreach (var (hash, value) in rows[r])
                {
                    if (index.TryGetValue(hash, out var column))
                    {
                        columns.Add(column);
                        values.Add(value);
                    }
                }
            }

            rowStart[rows.Count] = columns.Count;
            return new Problem
            {
                Hashes = hashes,
                Penalty = hashes.Select(h => isRule.Contains(h) ? options.RuleL2 : options.TermL2).ToArray(),
                RowStart = rowStart,
                Columns = [.. columns],
                Values = [.. values],
                Labels = data.Select(d => (int)d.Label).ToArray(),
                RowWeights = RowWeightsOf(data, options.ClassBalance, sampleWeights),
                PriorOffsets = offsets,
                RuleFeatureCount = hashes.Count(isRule.Contains),
            };
        }

        private static double[] RowWeightsOf(IReadOnlyList<LabelledText> data, double balance, IReadOnlyList<double>? sampleWeights)
        {
            double Sample(int i) => sampleWeights?[i] ?? 1.0;
            var counts = new double[Classes];
            var total = 0.0;
            for (var i = 0; i < data.Count; i++)
            {
                counts[(int)data[i].Label] += Sample(i);
                total += Sample(i);
            }

            var perClass = counts.Select(c => c == 0 ? 0 : Math.Pow(total / (Classes * c), balance)).ToArray();
            var weights = data.Select((d, i) => perClass[(int)d.Label] * Sample(i)).ToArray();
            // Normalise so the weights average 1 and the L2 penalties keep their meaning.
            var mean = weights.Sum() / weights.Length;
            return weights.Select(w => w / mean).ToArray();
        }

        /// <summary>Mean cross-entropy plus L2 penalties; writes the gradient into <paramref name="gradient"/>.</summary>
        public double Evaluate(double[] x, double[] gradient)
        {
            Array.Clear(gradient);
            var biasOffset = Hashes.Length * Classes;
            Span<double> logits = stackalloc double[Classes];
            var loss = 0.0;
            var count = Labels.Length;
            for (var r = 0; r < count; r++)
            {
                for (var c = 0; c < Classes; c++)
                {
                    logits[c] = x[biasOffset + c] + PriorOffsets[(r * Classes) + c];
                }

                for (var k = RowStart[r]; k < RowStart[r + 1]; k++)
                {
                    var offset = Columns[k] * Classes;
                    var v = Values[k];
                    logits[0] += v * x[offset];
                    logits[1] += v * x[offset + 1];
                    logits[2] += v * x[offset + 2];
                }

                var max = Math.Max(logits[0], Math.Max(logits[1], logits[2]));
                var sum = 0.0;
                for (var c = 0; c < Classes; c++)
                {
                    logits[c] = Math.Exp(logits[c] - max);
                    sum += logits[c];
                }

                var label = Labels[r];
                var weight = RowWeights[r];
                loss -= weight * Math.Log(logits[label] / sum);
                for (var c = 0; c < Classes; c++)
                {
                    // d(loss)/d(logit) = p - onehot, scaled by 1/N for the mean.
                    var delta = weight * ((logits[c] / sum) - (c == label ? 1.0 : 0.0)) / count;
                    gradient[biasOffset + c] += delta;
                    for (var k = RowStart[r]; k < RowStart[r + 1]; k++)
                    {
                        gradient[(Columns[k] * Classes) + c] += Values[k] * delta;
                    }
                }
            }

            loss /= count;
            for (var j = 0; j < Hashes.Length; j++)
            {
                var lambda = Penalty[j];
                for (var c = 0; c < Classes; c++)
                {
                    var w = x[(j * Classes) + c];
                    loss += 0.5 * lambda * w * w;
                    gradient[(j * Classes) + c] += lambda * w;
                }
            }

            return loss;
        }
    }
}
