using System.Globalization;
using System.Text.Json.Nodes;

namespace FinSight.Sentiment.Tests.Transformers;

/// <summary>A generated tiny BERT sequence classifier: random weights in Hugging Face's state-dict naming, plus its config and vocabulary.</summary>
internal sealed class TinyBert
{
    public const int Hidden = 8;
    public const int Heads = 2;
    public const int Layers = 2;
    public const int Intermediate = 16;
    public const int MaxPositions = 24;
    public const int TypeVocab = 2;
    public const double LayerNormEps = 1e-12;

    /// <summary>A small real-word vocabulary, so texts tokenize into something other than [UNK].</summary>
    public static readonly string[] Vocabulary =
    [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "company", "profit", "rose", "fell", "loss", "shares", "revenue", "beat",
        "estimates", "missed", "sales", "up", "down", "net", "growth", "weak", "strong", "quarter", "record", "cut", "jobs", ".", ",",
        "%", "$", "1", "2", "##s", "##ed", "##ing", "guidance", "as", "to", "in",
    ];

    private TinyBert(IReadOnlyList<string> labels, Dictionary<string, Weight> weights)
    {
        Labels = labels;
        Weights = weights;
    }

    public IReadOnlyList<string> Labels { get; }

    /// <summary>State dict: "bert.embeddings.word_embeddings.weight" → [rows, columns] row-major.</summary>
    public Dictionary<string, Weight> Weights { get; }

    public sealed record Weight(long[] Shape, float[] Values);

    public static TinyBert Random(int seed, IReadOnlyList<string> labels)
    {
        var random = new Random(seed);
        var weights = new Dictionary<string, Weight>(StringComparer.Ordinal);
        void Add(string name, params long[] shape)
        {
            var count = (int)shape.Aggregate(1L, (a, b) => a * b);
            var isNorm = name.Contains("LayerNorm", StringComparison.Ordinal);
            var values = new float[count];
            for (var i = 0; i < count; i++)
            {
                // LayerNorm weights near 1 and biases near 0, everything else spread enough to make the outputs differ.
                values[i] = isNorm && name.EndsWith(".weight", StringComparison.Ordinal)
                    ? 1f + (float)((random.NextDouble() - 0.5) * 0.2)
                    : (float)((random.NextDouble() - 0.5) * 0.8);
            }

            weights[name] = new Weight(shape, values);
        }

        Add("bert.embeddings.word_embeddings.weight", Vocabulary.Length, Hidden);
        Add("bert.embeddings.position_embeddings.weight", MaxPositions, Hidden);
        Add("bert.embeddings.token_type_embeddings.weight", TypeVocab, Hidden);
        Add("bert.embeddings.LayerNorm.weight", Hidden);
        Add("bert.embeddings.LayerNorm.bias", Hidden);
        for (var l = 0; l < Layers; l++)
        {
            var p = $"bert.encoder.layer.{l}.";
            foreach (var part in new[] { "attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense" })
            {
                Add(p + part + ".weight", Hidden, Hidden);
                Add(p + part + ".bias", Hidden);
            }

            Add(p + "attention.output.LayerNorm.weight", Hidden);
            Add(p + "attention.output.LayerNorm.bias", Hidden);
            Add(p + "intermediate.dense.weight", Intermediate, Hidden);
            Add(p + "intermediate.dense.bias", Intermediate);
            Add(p + "output.dense.weight", Hidden, Intermediate);
            Add(p + "output.dense.bias", Hidden);
            Add(p + "output.LayerNorm.weight", Hidden);
            Add(p + "output.LayerNorm.bias", Hidden);
        }

        Add("bert.pooler.dense.weight", Hidden, Hidden);
        Add("bert.pooler.dense.bias", Hidden);
        Add("classifier.weight", labels.Count, Hidden);
        Add("classifier.bias", labels.Count);
        return new TinyBert(labels, weights);
    }

    public string ConfigJson(string hiddenAct = "gelu")
    {
        var id2label = new JsonObject();
        var label2id = new JsonObject();
        for (var i = 0; i < Labels.Count; i++)
        {
            id2label[i.ToString(CultureInfo.InvariantCulture)] = Labels[i];
            label2id[Labels[i]] = i;
        }

        return new JsonObject
        {
            ["architectures"] = new JsonArray("BertForSequenceClassification"),
            ["model_type"] = "bert",
            ["hidden_act"] = hiddenAct,
            ["hidden_size"] = Hidden,
            ["num_attention_heads"] = Heads,
            ["num_hidden_layers"] = Layers,
            ["intermediate_size"] = Intermediate,
            ["max_position_embeddings"] = MaxPositions,
            ["type_vocab_size"] = TypeVocab,
            ["vocab_size"] = Vocabulary.Length,
            ["layer_norm_eps"] = LayerNormEps,
            ["pad_token_id"] = 0,
            ["id2label"] = id2label,
            ["label2id"] = label2id,
        }.ToJsonString();
    }

    /// <summary>Writes config.json, vocab.txt and tokenizer_config.json into <paramref name="folder"/> (weights are written separately).</summary>
    public void WriteRepositoryFiles(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), ConfigJson());
        File.WriteAllText(Path.Combine(folder, "vocab.txt"), string.Join("\n", Vocabulary) + "\n");
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), """{"do_lower_case": true, "model_max_length": 512}""");
    }

    /// <summary>
    /// BertForSequenceClassification in plain double-precision C#, written from the BERT paper and
    /// Hugging Face's modeling code, independently of the ONNX graph: the logits for one input.
    /// </summary>
    public double[] Logits(int[] ids, int[]? mask = null, int[]? types = null, string hiddenAct = "gelu")
    {
        var n = ids.Length;
        mask ??= ids.Select(_ => 1).ToArray();
        types ??= new int[n];
        var x = new double[n][];
        for (var t = 0; t < n; t++)
        {
            x[t] = new double[Hidden];
            for (var j = 0; j < Hidden; j++)
            {
                x[t][j] = W("bert.embeddings.word_embeddings.weight")[ids[t] * Hidden + j]
                        + W("bert.embeddings.position_embeddings.weight")[t * Hidden + j]
                        + W("bert.embeddings.token_type_embeddings.weight")[types[t] * Hidden + j];
            }

            x[t] = Norm(x[t], "bert.embeddings.LayerNorm");
        }

        var headSize = Hidden / Heads;
        for (var l = 0; l < Layers; l++)
        {
            var p = $"bert.encoder.layer.{l}.";
            var q = x.Select(v => Linear(v, p + "attention.self.query")).ToArray();
            var k = x.Select(v => Linear(v, p + "attention.self.key")).ToArray();
            var v = x.Select(r => Linear(r, p + "attention.self.value")).ToArray();
            var context = new double[n][];
            for (var t = 0; t < n; t++)
            {
                context[t] = new double[Hidden];
                for (var h = 0; h < Heads; h++)
                {
                    var scores = new double[n];
                    for (var s = 0; s < n; s++)
                    {
                        double dot = 0;
                        for (var d = 0; d < headSize; d++)
                        {
                            dot += q[t][h * headSize + d] * k[s][h * headSize + d];
                        }

                        scores[s] = mask[s] == 1 ? dot / Math.Sqrt(headSize) : double.NegativeInfinity;
                    }

                    var max = scores.Max();
                    var weights = scores.Select(sc => Math.Exp(sc - max)).ToArray();
                    var sum = weights.Sum();
                    for (var s = 0; s < n; s++)
                    {
                        for (var d = 0; d < headSize; d++)
                        {
                            context[t][h * headSize + d] += weights[s] / sum * v[s][h * headSize + d];
                        }
                    }
                }
            }

            var x1 = new double[n][];
            for (var t = 0; t < n; t++)
            {
                x1[t] = Norm(Add(Linear(context[t], p + "attention.output.dense"), x[t]), p + "attention.output.LayerNorm");
                var intermediate = Linear(x1[t], p + "intermediate.dense").Select(z => Activation(z, hiddenAct)).ToArray();
                x[t] = Norm(Add(Linear(intermediate, p + "output.dense"), x1[t]), p + "output.LayerNorm");
            }
        }

        var pooled = Linear(x[0], "bert.pooler.dense").Select(Math.Tanh).ToArray();
        return Linear(pooled, "classifier");
    }

    private float[] W(string name) => Weights[name].Values;

    private double[] Linear(double[] input, string prefix)
    {
        var weight = Weights[prefix + ".weight"];
        var outputs = (int)weight.Shape[0];
        var inputs = (int)weight.Shape[1];
        var bias = W(prefix + ".bias");
        var result = new double[outputs];
        for (var o = 0; o < outputs; o++)
        {
            double sum = bias[o];
            for (var i = 0; i < inputs; i++)
            {
                sum += weight.Values[o * inputs + i] * input[i];
            }

            result[o] = sum;
        }

        return result;
    }

    private double[] Norm(double[] input, string prefix)
    {
        var mean = input.Average();
        var variance = input.Select(z => (z - mean) * (z - mean)).Average();
        var gamma = W(prefix + ".weight");
        var beta = W(prefix + ".bias");
        return input.Select((z, i) => (z - mean) / Math.Sqrt(variance + LayerNormEps) * gamma[i] + beta[i]).ToArray();
    }

    private static double[] Add(double[] a, double[] b) => a.Select((z, i) => z + b[i]).ToArray();

    private static double Activation(double z, string hiddenAct) => hiddenAct switch
    {
        "relu" => Math.Max(0, z),
        "gelu_new" => 0.5 * z * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (z + 0.044715 * z * z * z))),
        _ => 0.5 * z * (1 + Erf(z / Math.Sqrt(2))),
    };

    // Abramowitz–Stegun 7.1.26 is only 1e-7 accurate; this series/continued-fraction pair is ~1e-15.
    private static double Erf(double x)
    {
        var sign = Math.Sign(x);
        x = Math.Abs(x);
        if (x < 3)
        {
            double sum = x, term = x;
            for (var n = 1; n < 200; n++)
            {
                term *= -x * x / n;
                sum += term / (2 * n + 1);
                if (Math.Abs(term) < 1e-17)
                {
                    break;
                }
            }

            return sign * 2 / Math.Sqrt(Math.PI) * sum;
        }

        // erfc continued fraction (Lentz) for large x.
        double f = x, c = x, d = 0;
        for (var n = 1; n < 200; n++)
        {
            var a = n / 2.0;
            d = x + a * d;
            d = 1 / d;
            c = x + a / c;
            var delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16)
            {
                break;
            }
        }

        return sign * (1 - Math.Exp(-x * x) / (f * Math.Sqrt(Math.PI)));
    }
}
