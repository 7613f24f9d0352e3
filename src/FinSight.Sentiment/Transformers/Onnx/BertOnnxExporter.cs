using System.Runtime.InteropServices;
using FinSight.Sentiment.Transformers.Checkpoints;

namespace FinSight.Sentiment.Transformers.Onnx;

/// <summary>What a BERT graph computes on top of its encoder.</summary>
public enum BertHead
{
    /// <summary>Only the encoder: <c>last_hidden_state</c>.</summary>
    Encoder,
    /// <summary>A label per token (<c>BertForTokenClassification</c>): <c>logits</c> [batch, sequence, labels].</summary>
    TokenClassification,
    /// <summary>A label per text (<c>BertForSequenceClassification</c>): pooler + classifier, <c>logits</c> [batch, labels].</summary>
    SequenceClassification,
}

/// <summary>
/// Writes a BERT model (embeddings, N encoder layers, optional pooler and classifier) as an ONNX
/// graph of standard opset-17 operators, with the checkpoint's weights as initializers, so ONNX
/// Runtime can run the official weights without Python or a converter. The graph matches Hugging
/// Face's BertModel in eval mode: post-layer-norm residual blocks, additive attention mask
/// (finfo.min where the mask is 0), GELU by <c>hidden_act</c>, tanh pooler on the first token.
/// Inputs: <c>input_ids</c>, <c>attention_mask</c>, <c>token_type_ids</c> (int64 [batch, sequence]).
/// Outputs: <c>last_hidden_state</c> (float [batch, sequence, hidden]) and, with a head, <c>logits</c>.
/// </summary>
internal static class BertOnnxExporter
{
    public const string InputIds = "input_ids";
    public const string AttentionMask = "attention_mask";
    public const string TokenTypeIds = "token_type_ids";
    public const string HiddenStates = "last_hidden_state";
    public const string Logits = "logits";

    /// <summary>The head the checkpoint's weights and the config's architecture describe.</summary>
    public static BertHead DetectHead(BertConfig config, IReadOnlyDictionary<string, CheckpointTensor> tensors)
    {
        var names = tensors.Keys.Select(Normalize).ToHashSet(StringComparer.Ordinal);
        var hasClassifier = names.Contains("classifier.weight");
        if (config.Architecture.EndsWith("ForTokenClassification", StringComparison.Ordinal) && hasClassifier)
        {
            return BertHead.TokenClassification;
        }

        return hasClassifier && names.Contains("pooler.dense.weight") ? BertHead.SequenceClassification : BertHead.Encoder;
    }

    /// <summary>Writes the ONNX model to <paramref name="output"/>, reading each weight once while writing.</summary>
    /// <exception cref="InvalidDataException">A weight is missing or its shape does not match the config.</exception>
    public static void Export(BertConfig config, IReadOnlyDictionary<string, CheckpointTensor> tensors, BertHead head, Stream output, string description)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Writing ONNX weights needs a little-endian machine.");
        }

        var weights = new Dictionary<string, CheckpointTensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in tensors)
        {
            weights[Normalize(name)] = tensor;
        }

        var builder = new Builder(config, weights);
        builder.Build(head);
        builder.Graph.WriteTo(output, "FinSight", description);
    }

    /// <summary>State-dict names without the "bert." prefix, with TF-era LayerNorm "gamma"/"beta" as "weight"/"bias".</summary>
    internal static string Normalize(string name)
    {
        if (name.StartsWith("bert.", StringComparison.Ordinal))
        {
            name = name["bert.".Length..];
        }

        if (name.Contains("LayerNorm.", StringComparison.Ordinal))
        {
            name = name.Replace("LayerNorm.gamma", "LayerNorm.weight", StringComparison.Ordinal)
                       .Replace("LayerNorm.beta", "LayerNorm.bias", StringComparison.Ordinal);
        }

        return name;
    }

    private sealed class Builder(BertConfig config, Dictionary<string, CheckpointTensor> weights)
    {
        public OnnxGraph Graph { get; } = new("bert");

        public void Build(BertHead head)
        {
            if (head != BertHead.Encoder && config.Labels.Count == 0 && !weights.ContainsKey("classifier.weight"))
            {
                throw new InvalidDataException("The checkpoint has no classifier weights.");
            }

            var g = Graph;
            var ids = g.Input(InputIds, OnnxType.Int64, "batch", "sequence");
            var mask = g.Input(AttentionMask, OnnxType.Int64, "batch", "sequence");
            var types = g.Input(TokenTypeIds, OnnxType.Int64, "batch", "sequence");
            int h = config.HiddenSize;

            // Embeddings: word + token type + position (positions 0..S-1 sliced from the table).
            var words = g.Node("Gather", [Matrix("embeddings.word_embeddings.weight", config.VocabSize, h), ids]);
            var typeRows = g.Node("Gather", [Matrix("embeddings.token_type_embeddings.weight", config.TypeVocabSize, h), types]);
            var length = g.Node("Shape", [ids], null, OnnxAttribute.Of("start", 1L), OnnxAttribute.Of("end", 2L));
            var positions = g.Node("Slice", [Matrix("embeddings.position_embeddings.weight", config.MaxPositions, h), g.Int64s("zero", 0), length, g.Int64s("axis0", 0)]);
            var sum = g.Node("Add", [g.Node("Add", [words, typeRows]), positions]);
            var x = LayerNorm(sum, "embeddings.LayerNorm");

            // Additive mask [batch, 1, 1, sequence]: 0 where attended, float.MinValue where padded.
            var maskFloat = g.Node("Cast", [mask], null, OnnxAttribute.Of("to", (long)OnnxType.Float));
            var masked = g.Node("Sub", [g.Scalar("one", 1f), maskFloat]);
            var bias = g.Node("Mul", [masked, g.Scalar("mask_value", float.MinValue)]);
            var maskBias = g.Node("Unsqueeze", [bias, g.Int64s("mask_axes", 1, 2)]);

            var headShape = g.Int64s("head_shape", 0, 0, config.Heads, config.HeadSize);
            var hiddenShape = g.Int64s("hidden_shape", 0, 0, h);
            var qkvSplit = g.Int64s("qkv_split", h, h, h);
            var scale = g.Scalar("attention_scale", 1f / MathF.Sqrt(config.HeadSize));
            for (var layer = 0; layer < config.Layers; layer++)
            {
                var p = $"encoder.layer.{layer}.";
                // One [hidden, 3·hidden] product for query, key and value, then split.
                var qkv = g.Node("Add", [g.Node("MatMul", [x, FusedQkv(p + "attention.self.")]), FusedQkvBias(p + "attention.self.")]);
                var parts = g.Nodes("Split", [qkv, qkvSplit], [null, null, null], OnnxAttribute.Of("axis", -1L));
                var q = g.Node("Transpose", [g.Node("Reshape", [parts[0], headShape])], null, OnnxAttribute.Of("perm", 0, 2, 1, 3));
                var k = g.Node("Transpose", [g.Node("Reshape", [parts[1], headShape])], null, OnnxAttribute.Of("perm", 0, 2, 3, 1));
                var v = g.Node("Transpose", [g.Node("Reshape", [parts[2], headShape])], null, OnnxAttribute.Of("perm", 0, 2, 1, 3));
                var scores = g.Node("Add", [g.Node("Mul", [g.Node("MatMul", [q, k]), scale]), maskBias]);
                var probabilities = g.Node("Softmax", [scores], null, OnnxAttribute.Of("axis", -1L));
                var context = g.Node("Reshape", [g.Node("Transpose", [g.Node("MatMul", [probabilities, v])], null, OnnxAttribute.Of("perm", 0, 2, 1, 3)), hiddenShape]);
                var attention = Linear(context, p + "attention.output.dense", h, h);
                var x1 = LayerNorm(g.Node("Add", [attention, x]), p + "attention.output.LayerNorm");
                var intermediate = Activation(Linear(x1, p + "intermediate.dense", config.IntermediateSize, h));
                var output = Linear(intermediate, p + "output.dense", h, config.IntermediateSize);
                x = LayerNorm(g.Node("Add", [output, x1]), p + "output.LayerNorm", layer == config.Layers - 1 ? HiddenStates : null);
            }

            g.Output(HiddenStates, OnnxType.Float, "batch", "sequence", h);
            if (head == BertHead.Encoder)
            {
                return;
            }

            var labels = weights.TryGetValue("classifier.weight", out var classifier) ? (int)classifier.Shape[0] : 0;
            if (config.Labels.Count > 0 && labels != config.Labels.Count)
            {
                throw new InvalidDataException($"The classifier has {labels} outputs but config.json's id2label names {config.Labels.Count} labels.");
            }

            if (head == BertHead.TokenClassification)
            {
                Linear(x, "classifier", labels, h, Logits);
                g.Output(Logits, OnnxType.Float, "batch", "sequence", labels);
                return;
            }

            var first = g.Node("Gather", [x, ScalarIndex()], null, OnnxAttribute.Of("axis", 1L));
            var pooled = g.Node("Tanh", [Linear(first, "pooler.dense", h, h)]);
            Linear(pooled, "classifier", labels, h, Logits);
            g.Output(Logits, OnnxType.Float, "batch", labels);
        }

        private string ScalarIndex()
        {
            var bytes = BitConverter.GetBytes(0L);
            return Graph.Initializer("first_token", OnnxType.Int64, [], bytes.Length, s => s.Write(bytes));
        }

        private string Activation(string input)
        {
            var g = Graph;
            switch (config.HiddenActivation)
            {
                case "relu":
                    return g.Node("Relu", [input]);
                case "gelu":
                {
                    // 0.5·x·(1 + erf(x/√2)), the exact GELU of BertModel; ONNX Runtime fuses the pattern.
                    var erf = g.Node("Erf", [g.Node("Div", [input, Constant("sqrt2", MathF.Sqrt(2f))])]);
                    return g.Node("Mul", [g.Node("Mul", [input, g.Node("Add", [erf, Constant("one_f", 1f)])]), Constant("half", 0.5f)]);
                }
                default:
                {
                    // gelu_new / gelu_pytorch_tanh: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
                    var cube = g.Node("Mul", [g.Node("Mul", [input, input]), input]);
                    var inner = g.Node("Mul", [g.Node("Add", [input, g.Node("Mul", [cube, Constant("gelu_c", 0.044715f)])]), Constant("gelu_k", MathF.Sqrt(2f / MathF.PI))]);
                    var tanh = g.Node("Tanh", [inner]);
                    return g.Node("Mul", [g.Node("Mul", [input, g.Node("Add", [tanh, Constant("one_f", 1f)])]), Constant("half", 0.5f)]);
                }
            }
        }

        private readonly HashSet<string> _constants = new(StringComparer.Ordinal);

        private string Constant(string name, float value)
        {
            if (_constants.Add(name))
            {
                Graph.Scalar(name, value);
            }

            return name;
        }

        private string LayerNorm(string input, string prefix, string? output = null) =>
            Graph.Node("LayerNormalization", [input, Vector(prefix + ".weight", config.HiddenSize), Vector(prefix + ".bias", config.HiddenSize)], output,
                OnnxAttribute.Of("axis", -1L), OnnxAttribute.Of("epsilon", (float)config.LayerNormEpsilon));

        /// <summary>x·Wᵀ + b for a PyTorch Linear weight [outputs, inputs]: the weight is stored transposed.</summary>
        private string Linear(string input, string prefix, int outputs, int inputs, string? output = null)
        {
            var weight = Require(prefix + ".weight", outputs, inputs);
            var name = Graph.Initializer(prefix + ".weight_t", OnnxType.Float, [inputs, outputs], 4L * inputs * outputs,
                s => WriteFloats(s, Transpose(weight.ReadFloat32(), outputs, inputs)));
            return Graph.Node("Add", [Graph.Node("MatMul", [input, name]), Vector(prefix + ".bias", outputs)], output);
        }

        private string FusedQkv(string prefix)
        {
            int h = config.HiddenSize;
            var parts = new[] { "query", "key", "value" }.Select(n => Require($"{prefix}{n}.weight", h, h)).ToArray();
            return Graph.Initializer(prefix + "qkv.weight_t", OnnxType.Float, [h, 3L * h], 12L * h * h, s =>
            {
                var fused = new float[3 * h * h];
                for (var part = 0; part < 3; part++)
                {
                    var w = parts[part].ReadFloat32(); // [out, in]
                    for (var o = 0; o < h; o++)
                    {
                        for (var i = 0; i < h; i++)
                        {
                            fused[(i * 3 * h) + (part * h) + o] = w[(o * h) + i];
                        }
                    }
                }

                WriteFloats(s, fused);
            });
        }

        private string FusedQkvBias(string prefix)
        {
            int h = config.HiddenSize;
            var parts = new[] { "query", "key", "value" }.Select(n => Require($"{prefix}{n}.bias", h)).ToArray();
            return Graph.Initializer(prefix + "qkv.bias", OnnxType.Float, [3L * h], 12L * h, s =>
            {
                foreach (var part in parts)
                {
                    WriteFloats(s, part.ReadFloat32());
                }
            });
        }

        private string Matrix(string name, int rows, int columns)
        {
            var tensor = Require(name, rows, columns);
            return Graph.Initializer(name, OnnxType.Float, [rows, columns], 4L * rows * columns, s => WriteFloats(s, tensor.ReadFloat32()));
        }

        private string Vector(string name, int length)
        {
            var tensor = Require(name, length);
            return Graph.Initializer(name, OnnxType.Float, [length], 4L * length, s => WriteFloats(s, tensor.ReadFloat32()));
        }

        private CheckpointTensor Require(string name, params long[] shape)
        {
            if (!weights.TryGetValue(name, out var tensor))
            {
                throw new InvalidDataException($"The checkpoint has no weight \"{name}\" (or \"bert.{name}\"); it does not look like a BERT model with this config.");
            }

            if (!tensor.Shape.SequenceEqual(shape))
            {
                throw new InvalidDataException($"Weight \"{name}\" has shape [{string.Join(", ", tensor.Shape)}] but config.json implies [{string.Join(", ", shape)}].");
            }

            if (!tensor.IsFloatingPoint)
            {
                throw new InvalidDataException($"Weight \"{name}\" holds {tensor.DType}, not floating-point numbers.");
            }

            return tensor;
        }

        private static float[] Transpose(float[] matrix, int rows, int columns)
        {
            var result = new float[matrix.Length];
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < columns; c++)
                {
                    result[(c * rows) + r] = matrix[(r * columns) + c];
                }
            }

            return result;
        }

        private static void WriteFloats(Stream stream, float[] values) => stream.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }
}
