using System.Globalization;
using System.Text.Json;

namespace FinSight.Sentiment.Transformers;

/// <summary>
/// The parts of a Hugging Face <c>config.json</c> that define a BERT model's shape and outputs.
/// Only BERT itself (<c>model_type</c> "bert", absolute position embeddings) is accepted; labels
/// come from <c>id2label</c> in id order and are never assumed.
/// </summary>
public sealed record BertConfig
{
    public required int VocabSize { get; init; }
    public required int HiddenSize { get; init; }
    public required int Layers { get; init; }
    public required int Heads { get; init; }
    public required int IntermediateSize { get; init; }
    /// <summary>Longest input in tokens, [CLS] and [SEP] included.</summary>
    public required int MaxPositions { get; init; }
    public required int TypeVocabSize { get; init; }
    public required double LayerNormEpsilon { get; init; }
    /// <summary>"gelu" (exact, erf), "gelu_new"/"gelu_pytorch_tanh" (tanh approximation) or "relu".</summary>
    public required string HiddenActivation { get; init; }
    /// <summary>Label names by class id (from <c>id2label</c>); empty when the config has none.</summary>
    public required IReadOnlyList<string> Labels { get; init; }
    /// <summary>The <c>architectures</c> entry, e.g. "BertForSequenceClassification"; may be empty.</summary>
    public required string Architecture { get; init; }

    public int HeadSize => HiddenSize / Heads;

    /// <exception cref="InvalidDataException">The file is not a BERT configuration this engine can run.</exception>
    public static BertConfig Load(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (InvalidDataException error)
        {
            throw new InvalidDataException($"{path}: {error.Message}", error);
        }
    }

    /// <exception cref="InvalidDataException">The JSON is not a BERT configuration this engine can run.</exception>
    public static BertConfig Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException error)
        {
            throw new InvalidDataException("config.json is not valid JSON: " + error.Message, error);
        }

        using (document)
        {
            var root = document.RootElement;
            var modelType = String(root, "model_type") ?? "bert";
            if (!string.Equals(modelType, "bert", StringComparison.Ordinal))
            {
                throw new InvalidDataException($"model_type is \"{modelType}\"; only BERT models (\"bert\") are supported.");
            }

            var positions = String(root, "position_embedding_type") ?? "absolute";
            if (positions != "absolute")
            {
                throw new InvalidDataException($"position_embedding_type \"{positions}\" is not supported (only \"absolute\").");
            }

            var config = new BertConfig
            {
                VocabSize = Int(root, "vocab_size"),
                HiddenSize = Int(root, "hidden_size"),
                Layers = Int(root, "num_hidden_layers"),
                Heads = Int(root, "num_attention_heads"),
                IntermediateSize = Int(root, "intermediate_size"),
                MaxPositions = Int(root, "max_position_embeddings"),
                TypeVocabSize = root.TryGetProperty("type_vocab_size", out _) ? Int(root, "type_vocab_size") : 2,
                LayerNormEpsilon = root.TryGetProperty("layer_norm_eps", out var eps) && eps.ValueKind == JsonValueKind.Number ? eps.GetDouble() : 1e-12,
                HiddenActivation = String(root, "hidden_act") ?? "gelu",
                Labels = ReadLabels(root),
                Architecture = root.TryGetProperty("architectures", out var a) && a.ValueKind == JsonValueKind.Array && a.GetArrayLength() > 0
                    ? a[0].GetString() ?? "" : "",
            };
            config.Validate();
            return config;
        }
    }

    private void Validate()
    {
        if (HiddenSize % Heads != 0)
        {
            throw new InvalidDataException($"hidden_size {HiddenSize} is not a multiple of num_attention_heads {Heads}.");
        }

        if (MaxPositions < 3)
        {
            throw new InvalidDataException("max_position_embeddings must leave room for [CLS], a token and [SEP].");
        }

        if (HiddenActivation is not ("gelu" or "gelu_new" or "gelu_pytorch_tanh" or "gelu_fast" or "relu"))
        {
            throw new InvalidDataException($"hidden_act \"{HiddenActivation}\" is not supported (gelu, gelu_new, gelu_pytorch_tanh, relu).");
        }
    }

    private static IReadOnlyList<string> ReadLabels(JsonElement root)
    {
        if (!root.TryGetProperty("id2label", out var map) || map.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        var labels = new SortedDictionary<int, string>();
        foreach (var entry in map.EnumerateObject())
        {
            if (!int.TryParse(entry.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || entry.Value.GetString() is not { Length: > 0 } name)
            {
                throw new InvalidDataException($"id2label has an invalid entry \"{entry.Name}\".");
            }

            labels[id] = name;
        }

        if (labels.Keys.Select((id, i) => id != i).Any(x => x))
        {
            throw new InvalidDataException("id2label ids must be 0, 1, 2, … without gaps.");
        }

        return labels.Values.ToArray();
    }

    private static int Int(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var i) && i > 0
            ? i
            : throw new InvalidDataException($"config.json needs a positive integer \"{name}\".");

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
