using FinSight.Sentiment.Transformers.Checkpoints;
using FinSight.Sentiment.Transformers.Onnx;

namespace FinSight.Sentiment.Transformers;

/// <summary>What <see cref="TransformerModelPreparer.Prepare"/> used and produced.</summary>
/// <param name="WeightsFile">The repository file the weights came from, e.g. "pytorch_model.bin".</param>
/// <param name="WeightsFormat">"onnx", "safetensors", "pytorch-zip" or "pytorch-legacy".</param>
/// <param name="TokenizerSource">"tokenizer.json" or "vocab.txt".</param>
/// <param name="Labels">Label names in class-id order, as config.json's id2label gives them.</param>
/// <param name="MaxTokens">Longest input in tokens after truncation, [CLS] and [SEP] included.</param>
public sealed record PreparedModel(string WeightsFile, string WeightsFormat, string TokenizerSource, IReadOnlyList<string> Labels, int MaxTokens);

/// <summary>
/// Turns the files of a Hugging Face BERT classifier repository into a folder the engine loads
/// (<see cref="PreparedModelFiles"/>), once, locally, without Python: the tokenizer.json is taken
/// from the repository or built from vocab.txt and tokenizer_config.json, and the weights are used
/// as they are when the repository has <c>onnx/model.onnx</c>, otherwise read from
/// <c>model.safetensors</c> or <c>pytorch_model.bin</c> and written as an ONNX graph. The result is
/// checked by running one text before it is accepted.
/// </summary>
public static class TransformerModelPreparer
{
    /// <summary>Repository weight files in order of preference.</summary>
    public static readonly IReadOnlyList<string> WeightFiles = ["onnx/model.onnx", "model.safetensors", "pytorch_model.bin"];

    /// <summary>Prepares <paramref name="targetFolder"/> (created; existing files replaced) from the downloaded <paramref name="sourceFolder"/>.</summary>
    /// <exception cref="InvalidDataException">The files are not a BERT sentiment classifier this engine can run.</exception>
    public static PreparedModel Prepare(string sourceFolder, string targetFolder, CancellationToken cancellationToken = default)
    {
        var config = BertConfig.Load(Path.Combine(sourceFolder, "config.json"));
        SentimentLabels.FromNames(config.Labels); // before minutes of conversion, refuse a model whose outputs cannot be named
        Directory.CreateDirectory(targetFolder);

        var settings = BertTokenizerSettings.Load(Path.Combine(sourceFolder, "tokenizer_config.json"));
        var maxTokens = Math.Min(config.MaxPositions, settings.ModelMaxLength ?? int.MaxValue);
        string tokenizerSource;
        string tokenizerJson;
        var repositoryTokenizer = Path.Combine(sourceFolder, "tokenizer.json");
        if (File.Exists(repositoryTokenizer))
        {
            tokenizerSource = "tokenizer.json";
            tokenizerJson = BertTokenizerFiles.WithTruncation(File.ReadAllText(repositoryTokenizer), maxTokens);
        }
        else
        {
            var vocabPath = Path.Combine(sourceFolder, "vocab.txt");
            if (!File.Exists(vocabPath))
            {
                throw new InvalidDataException("The repository has neither tokenizer.json nor vocab.txt.");
            }

            tokenizerSource = "vocab.txt";
            tokenizerJson = BertTokenizerFiles.FromVocabulary(BertTokenizerFiles.ReadVocabulary(vocabPath), settings, maxTokens);
        }

        WriteAtomically(Path.Combine(targetFolder, PreparedModelFiles.Tokenizer), stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(tokenizerJson)));
        File.Copy(Path.Combine(sourceFolder, "config.json"), Path.Combine(targetFolder, PreparedModelFiles.Config), overwrite: true);

        var weightsFile = WeightFiles.FirstOrDefault(f => File.Exists(Path.Combine(sourceFolder, f)))
            ?? throw new InvalidDataException($"The repository has no weights ({string.Join(", ", WeightFiles)}).");
        var weightsPath = Path.Combine(sourceFolder, weightsFile);
        var modelPath = Path.Combine(targetFolder, PreparedModelFiles.Model);
        string format;
        cancellationToken.ThrowIfCancellationRequested();
        if (weightsFile.EndsWith(".onnx", StringComparison.Ordinal))
        {
            format = "onnx";
            WriteAtomically(modelPath, stream =>
            {
                using var source = File.OpenRead(weightsPath);
                source.CopyTo(stream);
            });
        }
        else
        {
            using var checkpoint = Checkpoint.Open(weightsPath);
            format = checkpoint.Format;
            var head = BertOnnxExporter.DetectHead(config, checkpoint.Tensors);
            if (head != BertHead.SequenceClassification)
            {
                throw new InvalidDataException($"{weightsFile} holds no sequence-classification head (pooler and classifier); it is not a text classifier.");
            }

            WriteAtomically(modelPath, stream => BertOnnxExporter.Export(config, checkpoint.Tensors, head, stream, $"Prepared by FinSight from {weightsFile}"));
        }

        cancellationToken.ThrowIfCancellationRequested();
        Check(targetFolder, config);
        return new PreparedModel(weightsFile, format, tokenizerSource, config.Labels, maxTokens);
    }

    // Runs one text through the prepared files: a graph ONNX Runtime rejects, a vocabulary larger
    // than the embedding table or logits of the wrong width fail here, at pull time, not on first use.
    private static void Check(string folder, BertConfig config)
    {
        using (var tokenizer = WordPieceTokenizer.Load(Path.Combine(folder, PreparedModelFiles.Tokenizer)))
        {
            if (tokenizer.VocabularySize > config.VocabSize)
            {
                throw new InvalidDataException($"The vocabulary has {tokenizer.VocabularySize} tokens but the model's embedding table only {config.VocabSize}.");
            }
        }

        using var analyzer = TransformerSentimentAnalyzer.Load(folder, "check");
        analyzer.Analyze("Quarterly profit rose 12% as revenue beat estimates.");
    }

    private static void WriteAtomically(string path, Action<Stream> write)
    {
        var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
