using System.Globalization;
using System.Text.Json;
using HfTokenizer = Tokenizers.DotNet.Tokenizer;

namespace FinSight.Sentiment.Transformers;

/// <summary>
/// BERT's WordPiece tokenizer, run by Hugging Face's own Rust tokenizers library (through
/// Tokenizers.DotNet) from a <c>tokenizer.json</c>, so ids match BertTokenizer's exactly, including
/// Unicode lower-casing and accent stripping, which .NET cannot do here (the app runs with
/// InvariantGlobalization, where string.Normalize does not decompose "é"). Each encoding starts
/// with [CLS], ends with [SEP] and is truncated to the length the tokenizer.json sets.
/// Thread-safe: the native tokenizer is immutable and the library is tested for concurrent use.
/// </summary>
public sealed class WordPieceTokenizer : IDisposable
{
    private readonly HfTokenizer _tokenizer;

    private readonly bool _lowerCase;

    private WordPieceTokenizer(HfTokenizer tokenizer, int maxLength, int padId, int vocabularySize, bool lowerCase)
    {
        _tokenizer = tokenizer;
        _lowerCase = lowerCase;
        MaxLength = maxLength;
        PadId = padId;
        VocabularySize = vocabularySize;
    }

    /// <summary>Longest encoding in tokens, [CLS] and [SEP] included.</summary>
    public int MaxLength { get; }

    /// <summary>The id padding positions get (masked out, so any valid id would do).</summary>
    public int PadId { get; }

    /// <summary>One more than the largest id the vocabulary can produce.</summary>
    public int VocabularySize { get; }

    /// <summary>Loads a tokenizer.json that sets truncation (see <see cref="BertTokenizerFiles"/>).</summary>
    /// <exception cref="InvalidDataException">The file is missing, invalid, or sets no truncation.</exception>
    /// <exception cref="PlatformNotSupportedException">The native tokenizer library is not available for this platform.</exception>
    public static WordPieceTokenizer Load(string tokenizerJsonPath)
    {
        int maxLength, padId = 0, vocabularySize;
        bool lowerCase;
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(tokenizerJsonPath));
            var root = json.RootElement;
            maxLength = root.TryGetProperty("truncation", out var t) && t.ValueKind == JsonValueKind.Object ? t.GetProperty("max_length").GetInt32() : 0;
            lowerCase = root.TryGetProperty("normalizer", out var normalizer) && normalizer.ValueKind == JsonValueKind.Object
                && normalizer.TryGetProperty("lowercase", out var lower) && lower.ValueKind == JsonValueKind.True;
            var vocab = root.GetProperty("model").GetProperty("vocab");
            vocabularySize = vocab.EnumerateObject().Max(p => p.Value.GetInt32()) + 1;
            if (root.TryGetProperty("added_tokens", out var added))
            {
                foreach (var token in added.EnumerateArray())
                {
                    vocabularySize = Math.Max(vocabularySize, token.GetProperty("id").GetInt32() + 1);
                }
            }

            if (vocab.TryGetProperty("[PAD]", out var pad))
            {
                padId = pad.GetInt32();
            }
        }
        catch (Exception error) when (error is JsonException or KeyNotFoundException or InvalidOperationException or FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InvalidDataException($"{tokenizerJsonPath} is not a usable tokenizer.json: {error.Message}", error);
        }

        if (maxLength < 3)
        {
            throw new InvalidDataException($"{tokenizerJsonPath} sets no truncation; prepare it with BertTokenizerFiles first.");
        }

        HfTokenizer tokenizer;
        try
        {
            tokenizer = new HfTokenizer(tokenizerJsonPath);
        }
        catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            throw new PlatformNotSupportedException(
                "The transformer engine's tokenizer needs Hugging Face's native tokenizers library, which FinSight ships for linux-x64 only " +
                "(the Docker image); on this platform use the embedded engine. " + error.Message, error);
        }
        catch (Tokenizers.DotNet.TokenizerException error)
        {
            throw new InvalidDataException($"{tokenizerJsonPath} could not be loaded by the tokenizers library: {error.Message}", error);
        }

        return new WordPieceTokenizer(tokenizer, maxLength, padId, vocabularySize, lowerCase);
    }

    /// <summary>The token ids of <paramref name="text"/>: [CLS], its WordPieces (at most <see cref="MaxLength"/> − 2), [SEP].</summary>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = _tokenizer.Encode(Prepare(text, _lowerCase));
        var result = new int[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            result[i] = checked((int)ids[i]);
        }

        return result;
    }

    public void Dispose() => _tokenizer.Dispose();

    /// <summary>
    /// Two places where the Rust normalizer and BertTokenizer (Python) differ, settled Python's way:
    /// a lone surrogate (the native library rejects the whole text) is dropped like any other
    /// control character, and when lower-casing, a word-final capital sigma becomes "ς" as Python's
    /// str.lower() makes it, where Rust lower-cases character by character to "σ".
    /// </summary>
    internal static string Prepare(string text, bool lowerCase)
    {
        var needsWork = false;
        foreach (var c in text)
        {
            if (char.IsSurrogate(c) || (lowerCase && c == CapitalSigma))
            {
                needsWork = true;
                break;
            }
        }

        if (!needsWork)
        {
            return text;
        }

        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                chars[i] = '\uFFFD'; // BertNormalizer drops U+FFFD, as BasicTokenizer drops category Cs
            }
            else if (lowerCase && chars[i] == CapitalSigma && IsFinalSigma(text, i))
            {
                chars[i] = FinalSmallSigma;
            }
        }

        return new string(chars);
    }

    private const char CapitalSigma = '\u03A3';
    private const char FinalSmallSigma = '\u03C2';

    // Unicode's Final_Sigma condition (as CPython applies it): a cased letter before, skipping
    // case-ignorable characters, and no cased letter after, skipping case-ignorable characters.
    private static bool IsFinalSigma(string text, int index)
    {
        var before = index - 1;
        while (before >= 0 && IsCaseIgnorable(text[before]))
        {
            before--;
        }

        if (before < 0 || !IsCased(text[before]))
        {
            return false;
        }

        var after = index + 1;
        while (after < text.Length && IsCaseIgnorable(text[after]))
        {
            after++;
        }

        return after >= text.Length || !IsCased(text[after]);
    }

    private static bool IsCased(char c) => char.GetUnicodeCategory(c) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter;

    private static bool IsCaseIgnorable(char c) =>
        c is '\'' or '.' or ':' or '\u00B7' or '\u2018' or '\u2019' or '\u2024' or '\uFE52' or '\uFF07' or '\uFF0E'
        || char.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format
            or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol;
}
