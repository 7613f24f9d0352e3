using FinSight.Sentiment.Transformers;
using FinSight.Sentiment.Transformers.Checkpoints;
using FinSight.Sentiment.Transformers.Onnx;

namespace FinSight.Sentiment.Tests.Transformers;

/// <summary>
/// The real all-MiniLM-L6-v2 (BERT, 6 layers, 384 hidden, 12 heads, bert-base-uncased vocabulary)
/// through the engine's tokenizer and session code; and its weights, taken out of PyTorch's own
/// ONNX export, rebuilt by our exporter: both graphs must give the same hidden states.
/// </summary>
public sealed class MiniLmTests : IDisposable
{
    private static readonly string[] Sentences =
    [
        "Apple shares rose after strong quarterly earnings.",
        "Apple stock climbed following robust quarterly results.",
        "The weather in Paris will be rainy this weekend.",
        "Central bank raises interest rates by 50 basis points",
        "Fed hikes rates half a percentage point to fight inflation",
        "Nestlé €1.2bn (+4.5% y/y) 🚀",
    ];

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "finsight-tests", "minilm-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Sentence_embeddings_rank_paraphrases_above_unrelated_text()
    {
        using var tokenizer = Tokenizer(128);
        using var session = new BertSession(Path.Combine(ModelFiles.MiniLmFolder, "model.onnx"), intraOpThreads: 1);
        var embeddings = Embed(session, tokenizer, Sentences);
        Assert.All(embeddings, e => Assert.Equal(384, e.Length));
        var paraphrase = Cosine(embeddings[0], embeddings[1]);
        var unrelated = Cosine(embeddings[0], embeddings[2]);
        Assert.True(paraphrase > 0.6, $"paraphrase similarity {paraphrase:F3}");
        Assert.True(unrelated < 0.2, $"unrelated similarity {unrelated:F3}");
        Assert.True(paraphrase - unrelated > 0.5, $"paraphrase {paraphrase:F3} vs unrelated {unrelated:F3}");
        Assert.True(Cosine(embeddings[3], embeddings[4]) > Cosine(embeddings[3], embeddings[0]));
        Assert.True(Cosine(embeddings[3], embeddings[4]) > Cosine(embeddings[3], embeddings[2]));
    }

    [Fact]
    public void Padding_in_a_batch_changes_no_embedding()
    {
        using var tokenizer = Tokenizer(128);
        using var session = new BertSession(Path.Combine(ModelFiles.MiniLmFolder, "model.onnx"), intraOpThreads: 1);
        var batch = Embed(session, tokenizer, Sentences);
        for (var i = 0; i < Sentences.Length; i++)
        {
            var single = Embed(session, tokenizer, [Sentences[i]])[0];
            Assert.True(Cosine(single, batch[i]) > 0.99999, Sentences[i]);
            Assert.All(single.Zip(batch[i]), p => Assert.Equal(p.First, p.Second, 4));
        }
    }

    [Fact]
    public void Our_exporter_rebuilds_the_pytorch_export_from_its_weights()
    {
        var model = OnnxModelReader.Read(Path.Combine(ModelFiles.MiniLmFolder, "model.onnx"));
        var weights = CheckpointFromExport(model, layers: 6, hidden: 384, intermediate: 1536);
        var config = BertConfig.Parse("""
            {"model_type":"bert","hidden_size":384,"num_hidden_layers":6,"num_attention_heads":12,"intermediate_size":1536,
             "max_position_embeddings":512,"type_vocab_size":2,"vocab_size":30522,"layer_norm_eps":1e-12,"hidden_act":"gelu"}
            """);
        Directory.CreateDirectory(_folder);
        var ours = Path.Combine(_folder, "minilm-rebuilt.onnx");
        using (var output = File.Create(ours))
        {
            BertOnnxExporter.Export(config, weights, BertHead.Encoder, output, "all-MiniLM-L6-v2 rebuilt");
        }

        using var tokenizer = Tokenizer(128);
        using var original = new BertSession(Path.Combine(ModelFiles.MiniLmFolder, "model.onnx"), intraOpThreads: 1);
        using var rebuilt = new BertSession(ours, intraOpThreads: 1);
        var batch = TokenBatch.Pad(Sentences.Select(tokenizer.Encode).ToArray(), tokenizer.PadId);
        var (expected, expectedShape) = original.Run(batch, "last_hidden_state");
        var (actual, actualShape) = rebuilt.Run(batch, BertOnnxExporter.HiddenStates);
        Assert.Equal(expectedShape, actualShape);
        var worst = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            if (batch.Mask[i / 384] == 1) // padded positions are undefined in both
            {
                worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
            }
        }

        Assert.True(worst < 1e-4, $"largest difference {worst:E2}");
    }

    /// <summary>
    /// PyTorch's exporter keeps the names of biases and embeddings but stores each Linear weight
    /// transposed under a generated name: in graph order, six per layer (query, key, value,
    /// attention output, intermediate, output). Put them back into state-dict form.
    /// </summary>
    private static Dictionary<string, CheckpointTensor> CheckpointFromExport(OnnxModelReader model, int layers, int hidden, int intermediate)
    {
        var result = new Dictionary<string, CheckpointTensor>(StringComparer.Ordinal);
        void Add(string name, long[] shape, float[] values) =>
            result[name] = new CheckpointTensor(name, TensorDType.Float32, shape, (offset, count) =>
                System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).Slice((int)offset, (int)count).ToArray());

        foreach (var initializer in model.Initializers.Values.Where(i => i.Values is not null && i.Name.Contains('.', StringComparison.Ordinal)))
        {
            Add(initializer.Name, initializer.Shape, initializer.Values!);
        }

        var linear = model.Nodes
            .Where(n => n.OpType == "MatMul" && model.Initializers.TryGetValue(n.Inputs[1], out var w) && w.Shape.Length == 2 && !w.Name.Contains('.', StringComparison.Ordinal))
            .Select(n => model.Initializers[n.Inputs[1]])
            .ToList();
        Assert.Equal(layers * 6, linear.Count);
        string[] parts = ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense", "intermediate.dense", "output.dense"];
        for (var layer = 0; layer < layers; layer++)
        {
            for (var p = 0; p < parts.Length; p++)
            {
                var w = linear[layer * 6 + p]; // [in, out]
                var (inputs, outputs) = ((int)w.Shape[0], (int)w.Shape[1]);
                Assert.Equal(p == 4 ? (hidden, intermediate) : p == 5 ? (intermediate, hidden) : (hidden, hidden), (inputs, outputs));
                var transposed = new float[w.Values!.Length];
                for (var i = 0; i < inputs; i++)
                {
                    for (var o = 0; o < outputs; o++)
                    {
                        transposed[o * inputs + i] = w.Values[i * outputs + o];
                    }
                }

                Add($"encoder.layer.{layer}.{parts[p]}.weight", [outputs, inputs], transposed);
            }
        }

        return result;
    }

    private WordPieceTokenizer Tokenizer(int maxLength)
    {
        var vocabulary = BertTokenizerFiles.ReadVocabulary(Path.Combine(ModelFiles.MiniLmFolder, "vocab.txt"));
        Directory.CreateDirectory(_folder);
        var path = Path.Combine(_folder, $"tokenizer-{maxLength}.json");
        File.WriteAllText(path, BertTokenizerFiles.FromVocabulary(vocabulary, new BertTokenizerSettings(), maxLength));
        return WordPieceTokenizer.Load(path);
    }

    /// <summary>Sentence-transformers' recipe for this model: mean of the token states under the mask, L2-normalised.</summary>
    private static float[][] Embed(BertSession session, WordPieceTokenizer tokenizer, string[] texts)
    {
        var batch = TokenBatch.Pad(texts.Select(tokenizer.Encode).ToArray(), tokenizer.PadId);
        var (hidden, shape) = session.Run(batch, "last_hidden_state");
        var size = (int)shape[2];
        var result = new float[batch.Count][];
        for (var row = 0; row < batch.Count; row++)
        {
            var sum = new double[size];
            var count = 0;
            for (var t = 0; t < batch.Length; t++)
            {
                if (batch.Mask[row * batch.Length + t] == 0)
                {
                    continue;
                }

                count++;
                for (var d = 0; d < size; d++)
                {
                    sum[d] += hidden[(row * batch.Length + t) * size + d];
                }
            }

            var norm = Math.Sqrt(sum.Sum(v => (v / count) * (v / count)));
            result[row] = sum.Select(v => (float)(v / count / norm)).ToArray();
        }

        return result;
    }

    private static double Cosine(float[] a, float[] b) => a.Zip(b).Sum(p => (double)p.First * p.Second);

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
