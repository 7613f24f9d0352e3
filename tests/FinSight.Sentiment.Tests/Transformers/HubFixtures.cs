namespace FinSight.Sentiment.Tests.Transformers;

/// <summary>Repository contents for the fake Hub: a generated tiny BERT classifier's files as bytes.</summary>
internal static class HubFixtures
{
    public const string Commit = "0123456789abcdef0123456789abcdef01234567";
    public const string OtherCommit = "fedcba9876543210fedcba9876543210fedcba98";

    public static Dictionary<string, byte[]> TinyClassifier(int seed, string weights = "model.safetensors", string[]? labels = null)
    {
        var model = TinyBert.Random(seed, labels ?? ["positive", "negative", "neutral"]);
        var folder = Path.Combine(Path.GetTempPath(), "finsight-tests", "hub-fixture-" + Guid.NewGuid().ToString("N"));
        try
        {
            model.WriteRepositoryFiles(folder);
            var path = Path.Combine(folder, "weights");
            if (weights == "model.safetensors")
            {
                CheckpointWriters.WriteSafetensors(path, model.Weights);
            }
            else
            {
                CheckpointWriters.WritePyTorchZip(path, model.Weights);
            }

            return new Dictionary<string, byte[]>(StringComparer.Ordinal)
            {
                ["config.json"] = File.ReadAllBytes(Path.Combine(folder, "config.json")),
                ["vocab.txt"] = File.ReadAllBytes(Path.Combine(folder, "vocab.txt")),
                ["tokenizer_config.json"] = File.ReadAllBytes(Path.Combine(folder, "tokenizer_config.json")),
                [weights] = File.ReadAllBytes(path),
            };
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
