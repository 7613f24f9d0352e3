using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FinSight.Sentiment.Transformers;

/// <summary>
/// How a BERT repository's <c>tokenizer_config.json</c> says to tokenize, with Hugging Face
/// BertTokenizer's defaults for what it leaves out (lower-case, accents stripped when lower-casing,
/// CJK characters split, the usual special tokens).
/// </summary>
public sealed record BertTokenizerSettings
{
    public bool LowerCase { get; init; } = true;
    /// <summary>null: strip accents exactly when lower-casing (BertTokenizer's rule).</summary>
    public bool? StripAccents { get; init; }
    public bool SplitChineseCharacters { get; init; } = true;
    public string UnknownToken { get; init; } = "[UNK]";
    public string ClassifierToken { get; init; } = "[CLS]";
    public string SeparatorToken { get; init; } = "[SEP]";
    public string PaddingToken { get; init; } = "[PAD]";
    public string MaskToken { get; init; } = "[MASK]";
    /// <summary><c>model_max_length</c>, if the config gives a sensible one.</summary>
    public int? ModelMaxLength { get; init; }

    /// <summary>Reads <c>tokenizer_config.json</c>; a missing file means the defaults.</summary>
    /// <exception cref="InvalidDataException">The file is not valid JSON.</exception>
    public static BertTokenizerSettings Load(string? path)
    {
        if (path is null || !File.Exists(path))
        {
            return new BertTokenizerSettings();
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            var defaults = new BertTokenizerSettings();
            return new BertTokenizerSettings
            {
                LowerCase = Bool(root, "do_lower_case") ?? defaults.LowerCase,
                StripAccents = Bool(root, "strip_accents"),
                SplitChineseCharacters = Bool(root, "tokenize_chinese_chars") ?? defaults.SplitChineseCharacters,
                UnknownToken = Token(root, "unk_token") ?? defaults.UnknownToken,
                ClassifierToken = Token(root, "cls_token") ?? defaults.ClassifierToken,
                SeparatorToken = Token(root, "sep_token") ?? defaults.SeparatorToken,
                PaddingToken = Token(root, "pad_token") ?? defaults.PaddingToken,
                MaskToken = Token(root, "mask_token") ?? defaults.MaskToken,
                // Hugging Face writes 1e30 for "no limit"; only a real limit counts.
                ModelMaxLength = root.TryGetProperty("model_max_length", out var max) && max.ValueKind == JsonValueKind.Number
                    && max.TryGetInt64(out var m) && m is > 0 and < 1_000_000 ? (int)m : null,
            };
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {error.Message}", error);
        }
    }

    private static bool? Bool(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    // Special tokens are strings or, in newer files, AddedToken objects {"content": "[UNK]", ...}.
    private static string? Token(JsonElement root, string name) =>
        !root.TryGetProperty(name, out var value) ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : value.ValueKind == JsonValueKind.Object && value.TryGetProperty("content", out var content) ? content.GetString()
        : null;
}

/// <summary>
/// Produces the <c>tokenizer.json</c> that Hugging Face's Rust tokenizers load. For a repository
/// with only <c>vocab.txt</c> it writes what transformers' BertConverter (the slow-to-fast
/// conversion) writes: BertNormalizer, BertPreTokenizer, WordPiece with "##" continuations and at
/// most 100 characters per word, "[CLS] $A [SEP]" post-processing, and the special tokens as added
/// tokens matched before normalisation (so "[CLS]" typed in a text stays one token). Either way,
/// truncation is set to the model's maximum length and padding is left to the engine.
/// </summary>
public static class BertTokenizerFiles
{
    /// <summary>Reads a WordPiece vocabulary: one token per line, id = line number (a later duplicate wins, as in BertTokenizer).</summary>
    public static IReadOnlyDictionary<string, int> ReadVocabulary(string vocabPath)
    {
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        var id = 0;
        foreach (var line in File.ReadLines(vocabPath, Encoding.UTF8))
        {
            // BertTokenizer strips only "\n"; a "\r" left by a CRLF file is line ending, not token.
            vocabulary[line.TrimEnd('\r')] = id++;
        }

        return vocabulary.Count > 0 ? vocabulary : throw new InvalidDataException($"{vocabPath} is empty.");
    }

    /// <summary>The tokenizer.json for a WordPiece vocabulary and tokenizer settings.</summary>
    /// <exception cref="InvalidDataException">The vocabulary lacks a special token the settings name.</exception>
    public static string FromVocabulary(IReadOnlyDictionary<string, int> vocabulary, BertTokenizerSettings settings, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(settings);
        int Id(string token) => vocabulary.TryGetValue(token, out var id)
            ? id
            : throw new InvalidDataException($"The vocabulary has no \"{token}\" token.");

        var specials = new[] { settings.PaddingToken, settings.UnknownToken, settings.ClassifierToken, settings.SeparatorToken, settings.MaskToken }
            .Where(vocabulary.ContainsKey).Distinct(StringComparer.Ordinal).OrderBy(Id);
        var added = new JsonArray();
        foreach (var token in specials)
        {
            added.Add(new JsonObject
            {
                ["id"] = Id(token),
                ["content"] = token,
                ["single_word"] = false,
                ["lstrip"] = false,
                ["rstrip"] = false,
                ["normalized"] = false,
                ["special"] = true,
            });
        }

        JsonNode Special(string token, int typeId) => new JsonObject { ["SpecialToken"] = new JsonObject { ["id"] = token, ["type_id"] = typeId } };
        JsonNode Sequence(string id, int typeId) => new JsonObject { ["Sequence"] = new JsonObject { ["id"] = id, ["type_id"] = typeId } };
        JsonNode SpecialEntry(string token) => new JsonObject { ["id"] = token, ["ids"] = new JsonArray(Id(token)), ["tokens"] = new JsonArray(token) };
        var cls = settings.ClassifierToken;
        var sep = settings.SeparatorToken;
        var vocab = new JsonObject();
        foreach (var (token, id) in vocabulary.OrderBy(p => p.Value))
        {
            vocab[token] = id;
        }

        Id(settings.UnknownToken);
        var json = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = Truncation(maxLength),
            ["padding"] = null,
            ["added_tokens"] = added,
            ["normalizer"] = new JsonObject
            {
                ["type"] = "BertNormalizer",
                ["clean_text"] = true,
                ["handle_chinese_chars"] = settings.SplitChineseCharacters,
                ["strip_accents"] = settings.StripAccents is { } strip ? JsonValue.Create(strip) : null,
                ["lowercase"] = settings.LowerCase,
            },
            ["pre_tokenizer"] = new JsonObject { ["type"] = "BertPreTokenizer" },
            ["post_processor"] = new JsonObject
            {
                ["type"] = "TemplateProcessing",
                ["single"] = new JsonArray(Special(cls, 0), Sequence("A", 0), Special(sep, 0)),
                ["pair"] = new JsonArray(Special(cls, 0), Sequence("A", 0), Special(sep, 0), Sequence("B", 1), Special(sep, 1)),
                ["special_tokens"] = new JsonObject { [cls] = SpecialEntry(cls), [sep] = SpecialEntry(sep) },
            },
            ["decoder"] = new JsonObject { ["type"] = "WordPiece", ["prefix"] = "##", ["cleanup"] = true },
            ["model"] = new JsonObject
            {
                ["type"] = "WordPiece",
                ["unk_token"] = settings.UnknownToken,
                ["continuing_subword_prefix"] = "##",
                ["max_input_chars_per_word"] = 100,
                ["vocab"] = vocab,
            },
        };
        return json.ToJsonString();
    }

    /// <summary>A repository's own tokenizer.json with truncation at <paramref name="maxLength"/> and no padding.</summary>
    /// <exception cref="InvalidDataException">The file is not a WordPiece tokenizer.json.</exception>
    public static string WithTruncation(string tokenizerJson, int maxLength)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(tokenizerJson);
        }
        catch (JsonException error)
        {
            throw new InvalidDataException("tokenizer.json is not valid JSON: " + error.Message, error);
        }

        if (node is not JsonObject root || root["model"]?["type"]?.GetValue<string>() != "WordPiece")
        {
            throw new InvalidDataException("tokenizer.json does not describe a WordPiece (BERT) tokenizer.");
        }

        root["truncation"] = Truncation(maxLength);
        root["padding"] = null;
        return root.ToJsonString();
    }

    private static JsonObject Truncation(int maxLength) => new()
    {
        ["direction"] = "Right",
        ["max_length"] = maxLength,
        ["strategy"] = "LongestFirst",
        ["stride"] = 0,
    };

}
