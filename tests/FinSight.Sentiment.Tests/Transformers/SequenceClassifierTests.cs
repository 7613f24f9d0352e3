using FinSight.Sentiment.Transformers;
using FinSight.Sentiment.Transformers.Checkpoints;
using FinSight.Sentiment.Transformers.Onnx;

namespace FinSight.Sentiment.Tests.Transformers;

/// <summary>
/// Generated tiny BERT classifiers written as PyTorch zip, PyTorch legacy and safetensors files,
/// prepared into ONNX by the engine, and compared with an independent plain C# forward pass.
/// </summary>
public sealed class SequenceClassifierTests : IDisposable
{
    private static readonly string[] FinbertToneLabels = ["Neutral", "Positive", "Negative"];
    private static readonly string[] ProsusLabels = ["positive", "negative", "neutral"];

    private static readonly string[] Headlines =
    [
        "The company beat estimates as revenue rose 12%.",
        "Shares fell",
        "Net loss missed estimates; the company cut guidance and 2 jobs.",
        "Record quarter: strong growth in sales, profit up.",
        "weak",
    ];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "finsight-tests", "classifier-" + Guid.NewGuid().ToString("N"));

    public static TheoryData<string> Formats => new() { "pytorch-zip", "pytorch-zip-named-folder", "pytorch-legacy", "safetensors" };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Logits_match_a_plain_forward_pass_for_every_checkpoint_format(string format)
    {
        var model = TinyBert.Random(seed: 7, FinbertToneLabels);
        var repository = WriteRepository(model, format);
        using (var checkpoint = Checkpoint.Open(Path.Combine(repository, WeightsFile(format))))
        {
            Assert.Equal(format.Replace("-named-folder", "", StringComparison.Ordinal), checkpoint.Format);
        }

        var prepared = Path.Combine(_root, "prepared-" + format);
        var info = TransformerModelPreparer.Prepare(repository, prepared);
        Assert.Equal(WeightsFile(format), info.WeightsFile);
        Assert.Equal("vocab.txt", info.TokenizerSource);
        Assert.Equal(FinbertToneLabels, info.Labels);

        using var session = new BertSession(Path.Combine(prepared, PreparedModelFiles.Model), intraOpThreads: 1);
        using var analyzer = TransformerSentimentAnalyzer.Load(prepared, "tiny+test");
        foreach (var text in Headlines)
        {
            var ids = analyzer.Tokenize(text);
            var (logits, shape) = session.Run(TokenBatch.Pad([ids], padId: 0), BertOnnxExporter.Logits);
            Assert.Equal([1L, 3], shape);
            TinyBertReferenceTests.AssertClose(model.Logits(ids), logits, 1e-5, text);
        }
    }

    [Fact]
    public void Probabilities_follow_the_label_order_of_config_json()
    {
        // The same weights under finbert-tone's order (neutral, positive, negative) and ProsusAI's
        // (positive, negative, neutral): each output must land on the label its config names.
        foreach (var labels in new[] { FinbertToneLabels, ProsusLabels })
        {
            var model = TinyBert.Random(seed: 11, labels);
            var prepared = Path.Combine(_root, "prepared-" + labels[0]);
            TransformerModelPreparer.Prepare(WriteRepository(model, "safetensors", labels[0]), prepared);
            using var analyzer = TransformerSentimentAnalyzer.Load(prepared, "tiny+test");
            foreach (var text in Headlines)
            {
                var logits = model.Logits(analyzer.Tokenize(text));
                var expected = Softmax(logits);
                var result = analyzer.Analyze(text);
                for (var i = 0; i < labels.Length; i++)
                {
                    var label = Enum.Parse<SentimentLabel>(labels[i], ignoreCase: true);
                    Assert.Equal(expected[i], result.Probabilities[label], 5);
                }

                Assert.Equal(Enum.Parse<SentimentLabel>(labels[Array.IndexOf(expected, expected.Max())], ignoreCase: true), result.Label);
                Assert.Equal("tiny+test", result.ModelVersion);
                Assert.Empty(result.Evidence);
            }
        }
    }

    [Fact]
    public void A_batch_pads_to_its_longest_text_without_changing_any_result()
    {
        var prepared = Path.Combine(_root, "prepared");
        TransformerModelPreparer.Prepare(WriteRepository(TinyBert.Random(seed: 3, ProsusLabels), "pytorch-zip"), prepared);
        using var analyzer = TransformerSentimentAnalyzer.Load(prepared, "tiny+test", new TransformerEngineOptions { BatchSize = 2, IntraOpThreads = 1 });
        var texts = Headlines.Concat(["", "   "]).Concat(Headlines.Reverse()).ToArray();
        var batch = analyzer.Analyze(texts);
        Assert.Equal(texts.Length, batch.Count);
        for (var i = 0; i < texts.Length; i++)
        {
            var single = analyzer.Analyze(texts[i]);
            Assert.Equal(single.Label, batch[i].Label);
            Assert.Equal(single.Probabilities.Positive, batch[i].Probabilities.Positive, 6);
            Assert.Equal(single.Probabilities.Negative, batch[i].Probabilities.Negative, 6);
        }

        Assert.Equal(SentimentLabel.Neutral, batch[Headlines.Length].Label); // empty text: neutral, no inference
        Assert.Equal(1.0, batch[Headlines.Length + 1].Probabilities.Neutral);
    }

    [Fact]
    public void Concurrent_requests_share_one_session()
    {
        var prepared = Path.Combine(_root, "prepared");
        TransformerModelPreparer.Prepare(WriteRepository(TinyBert.Random(seed: 5, ProsusLabels), "safetensors"), prepared);
        using var analyzer = TransformerSentimentAnalyzer.Load(prepared, "tiny+test");
        var expected = analyzer.Analyze(Headlines);
        Parallel.For(0, 64, i =>
        {
            var text = Headlines[i % Headlines.Length];
            Assert.Equal(expected[i % Headlines.Length].Probabilities.Positive, analyzer.Analyze(text).Probabilities.Positive, 6);
        });
    }

    [Theory]
    [InlineData("gelu_new")]
    [InlineData("relu")]
    public void Other_hidden_activations_match_the_plain_forward_pass(string activation)
    {
        var model = TinyBert.Random(seed: 13, ProsusLabels);
        var repository = WriteRepository(model, "safetensors", activation);
        File.WriteAllText(Path.Combine(repository, "config.json"), model.ConfigJson(activation));
        var prepared = Path.Combine(_root, "prepared-" + activation);
        TransformerModelPreparer.Prepare(repository, prepared);
        using var session = new BertSession(Path.Combine(prepared, PreparedModelFiles.Model));
        using var analyzer = TransformerSentimentAnalyzer.Load(prepared, "tiny+test");
        var ids = analyzer.Tokenize(Headlines[0]);
        TinyBertReferenceTests.AssertClose(model.Logits(ids, hiddenAct: activation), session.Run(TokenBatch.Pad([ids], 0), BertOnnxExporter.Logits).Values, 1e-5, activation);
    }

    [Fact]
    public void A_classifier_without_sentiment_label_names_is_refused_before_conversion()
    {
        var model = TinyBert.Random(seed: 1, ["LABEL_0", "LABEL_1", "LABEL_2"]);
        var error = Assert.Throws<InvalidDataException>(() => TransformerModelPreparer.Prepare(WriteRepository(model, "safetensors"), Path.Combine(_root, "prepared")));
        Assert.Contains("LABEL_0, LABEL_1, LABEL_2", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_root, "prepared", PreparedModelFiles.Model)));
    }

    [Fact]
    public void A_prepared_folder_without_its_model_says_to_pull_again()
    {
        var prepared = Path.Combine(_root, "prepared");
        TransformerModelPreparer.Prepare(WriteRepository(TinyBert.Random(seed: 2, ProsusLabels), "safetensors"), prepared);
        File.Delete(Path.Combine(prepared, PreparedModelFiles.Model));
        var error = Assert.Throws<InvalidDataException>(() => TransformerSentimentAnalyzer.Load(prepared, "tiny+test"));
        Assert.Contains("pull the model again", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_checkpoint_that_asks_to_run_code_is_not_loaded()
    {
        // A pickle calling os.system: the unpickler must refuse it, never resolve it.
        var path = Path.Combine(_root, "evil.bin");
        Directory.CreateDirectory(_root);
        File.WriteAllBytes(path, [0x80, 0x02, (byte)'c', .. "os\nsystem\n"u8, (byte)'X', 4, 0, 0, 0, .. "echo"u8, 0x85, (byte)'R', (byte)'.']);
        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Open(path));
        Assert.Contains("os.system", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Half_and_bfloat16_weights_are_widened_exactly()
    {
        var path = Path.Combine(_root, "half.safetensors");
        Directory.CreateDirectory(_root);
        // 1.5 and -2 as float16 (0x3E00, 0xC000) and as bfloat16 (0x3FC0, 0xC000).
        var header = """{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"BF16","shape":[2],"data_offsets":[4,8]}}"""u8.ToArray();
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)header.Length), .. header, 0x00, 0x3E, 0x00, 0xC0, 0xC0, 0x3F, 0x00, 0xC0]);
        using var checkpoint = Checkpoint.Open(path);
        Assert.Equal([1.5f, -2f], checkpoint.Tensors["h"].ReadFloat32());
        Assert.Equal([1.5f, -2f], checkpoint.Tensors["b"].ReadFloat32());
    }

    private string WriteRepository(TinyBert model, string format, string? name = null)
    {
        var folder = Path.Combine(_root, "repo-" + (name ?? format));
        model.WriteRepositoryFiles(folder);
        var weights = Path.Combine(folder, WeightsFile(format));
        switch (format)
        {
            case "safetensors":
                CheckpointWriters.WriteSafetensors(weights, model.Weights);
                break;
            case "pytorch-legacy":
                CheckpointWriters.WritePyTorchLegacy(weights, model.Weights);
                break;
            case "pytorch-zip-named-folder":
                CheckpointWriters.WritePyTorchZip(weights, model.Weights, transposedView: "classifier.weight", folder: "pytorch_model");
                break;
            default:
                CheckpointWriters.WritePyTorchZip(weights, model.Weights, transposedView: "bert.encoder.layer.1.intermediate.dense.weight");
                break;
        }

        return folder;
    }

    private static string WeightsFile(string format) => format == "safetensors" ? "model.safetensors" : "pytorch_model.bin";

    private static double[] Softmax(double[] logits)
    {
        var max = logits.Max();
        var e = logits.Select(l => Math.Exp(l - max)).ToArray();
        return e.Select(v => v / e.Sum()).ToArray();
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
