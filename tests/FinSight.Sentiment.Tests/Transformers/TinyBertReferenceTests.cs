using System.Text.Json;
using FinSight.Sentiment.Transformers;
using FinSight.Sentiment.Transformers.Checkpoints;
using FinSight.Sentiment.Transformers.Onnx;

namespace FinSight.Sentiment.Tests.Transformers;

/// <summary>
/// The shared tiny BERT checkpoint (real PyTorch zip format) read without Python, written as ONNX by
/// our exporter, run by ONNX Runtime, and compared with reference outputs an independent float64
/// implementation computed from the same file.
/// </summary>
public sealed class TinyBertReferenceTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "finsight-tests", "tiny-bert-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void The_checkpoint_is_read_with_every_weight_and_its_shape()
    {
        using var checkpoint = Checkpoint.Open(Path.Combine(ModelFiles.TinyBertNer, "pytorch_model.bin"));
        Assert.Equal("pytorch-zip", checkpoint.Format);
        Assert.Equal([402L, 16], checkpoint.Tensors["bert.embeddings.word_embeddings.weight"].Shape);
        Assert.Equal([9L, 16], checkpoint.Tensors["classifier.weight"].Shape);
        Assert.Equal(TensorDType.Int64, checkpoint.Tensors["bert.embeddings.position_ids"].DType);
        var bias = checkpoint.Tensors["classifier.bias"].ReadFloat32();
        Assert.Equal(9, bias.Length);
        Assert.All(checkpoint.Tensors.Values.Where(t => t.IsFloatingPoint), t => Assert.All(t.ReadFloat32(), v => Assert.True(float.IsFinite(v))));
    }

    [Fact]
    public void Hidden_states_and_logits_match_the_reference_outputs_to_1e_5()
    {
        var model = Export(ModelFiles.TinyBertNer);
        using var session = new BertSession(model, intraOpThreads: 1);
        using var reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(ModelFiles.TinyBertNer, "reference-outputs.json")));
        var cases = reference.RootElement.GetProperty("cases").EnumerateArray().ToArray();
        Assert.Equal(4, cases.Length);
        foreach (var c in cases)
        {
            var ids = c.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var mask = c.TryGetProperty("attention_mask", out var m) ? m.EnumerateArray().Select(e => e.GetInt64()).ToArray() : ids.Select(_ => 1L).ToArray();
            var types = c.TryGetProperty("token_type_ids", out var t) ? t.EnumerateArray().Select(e => e.GetInt64()).ToArray() : new long[ids.Length];
            var batch = TokenBatch.FromArrays(ids, mask, types, 1, ids.Length);

            var (hidden, hiddenShape) = session.Run(batch, BertOnnxExporter.HiddenStates);
            var (logits, logitShape) = session.Run(batch, BertOnnxExporter.Logits);
            Assert.Equal([1L, ids.Length, 16], hiddenShape);
            Assert.Equal([1L, ids.Length, 9], logitShape);
            AssertClose(Flatten(c.GetProperty("last_hidden_state")), hidden, 1e-5, c.GetProperty("name").GetString()!);
            AssertClose(Flatten(c.GetProperty("logits")), logits, 1e-5, c.GetProperty("name").GetString()!);
        }
    }

    [Fact]
    public void The_head_is_read_from_the_config_and_the_weights()
    {
        using var checkpoint = Checkpoint.Open(Path.Combine(ModelFiles.TinyBertNer, "pytorch_model.bin"));
        var config = BertConfig.Load(Path.Combine(ModelFiles.TinyBertNer, "config.json"));
        Assert.Equal(BertHead.TokenClassification, BertOnnxExporter.DetectHead(config, checkpoint.Tensors));
        Assert.Equal(["O", "B-MISC", "I-MISC", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"], config.Labels);
    }

    [Fact]
    public void A_missing_model_file_fails_the_test_and_says_how_to_get_it()
    {
        var error = Assert.Throws<Xunit.Sdk.FailException>(() => ModelFiles.Require("/nonexistent/finsight/model.onnx", "Run `dotnet restore` to download it."));
        Assert.Contains("/nonexistent/finsight/model.onnx is missing", error.Message, StringComparison.Ordinal);
        Assert.Contains("Run `dotnet restore`", error.Message, StringComparison.Ordinal);
    }

    private string Export(string folder)
    {
        Directory.CreateDirectory(_folder);
        var path = Path.Combine(_folder, "model.onnx");
        var config = BertConfig.Load(Path.Combine(folder, "config.json"));
        using var checkpoint = Checkpoint.Open(Path.Combine(folder, "pytorch_model.bin"));
        using var output = File.Create(path);
        BertOnnxExporter.Export(config, checkpoint.Tensors, BertOnnxExporter.DetectHead(config, checkpoint.Tensors), output, "tiny-bert-ner");
        return path;
    }

    internal static double[] Flatten(JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray().SelectMany(Flatten).ToArray() : [element.GetDouble()];

    internal static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<float> actual, double tolerance, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        var worst = expected.Select((e, i) => Math.Abs(e - actual[i])).Max();
        Assert.True(worst <= tolerance, $"{what}: largest difference {worst:E2} exceeds {tolerance:E0}.");
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
