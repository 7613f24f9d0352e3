using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace FinSight.Sentiment.Tests.Transformers;

/// <summary>
/// An independent reference for the engine's tokenizer: Hugging Face transformers' slow (pure
/// Python) BertTokenizer — BasicTokenizer and WordpieceTokenizer — transcribed step by step to C#.
/// Python's unicodedata.normalize and str.lower are full Unicode operations that .NET cannot do with
/// InvariantGlobalization on, so this calls the system ICU library for NFD/NFC and full lower-casing
/// (Debian's libicu, which the .NET runtime itself uses when globalization is enabled).
/// </summary>
internal sealed class ReferenceBertTokenizer(IReadOnlyDictionary<string, int> vocabulary, bool lowerCase, bool? stripAccents, int maxLength)
{
    private static readonly string[] SpecialTokens = ["[UNK]", "[SEP]", "[PAD]", "[CLS]", "[MASK]"];

    /// <summary>BertTokenizer(...)(text, truncation=True, max_length=maxLength)["input_ids"].</summary>
    public int[] Encode(string text)
    {
        var ids = new List<int>();
        // PreTrainedTokenizer.tokenize: added (special) tokens are split out first and kept whole.
        foreach (var (segment, special) in SplitOnSpecialTokens(text))
        {
            if (special)
            {
                ids.Add(vocabulary[segment]);
                continue;
            }

            foreach (var token in BasicTokenize(segment))
            {
                ids.AddRange(WordPiece(token));
            }
        }

        var content = ids.Take(maxLength - 2);
        return [vocabulary["[CLS]"], .. content, vocabulary["[SEP]"]];
    }

    private IEnumerable<(string Text, bool Special)> SplitOnSpecialTokens(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length;)
        {
            var match = SpecialTokens.FirstOrDefault(s => vocabulary.ContainsKey(s) && string.CompareOrdinal(text, i, s, 0, s.Length) == 0);
            if (match is null)
            {
                i++;
                continue;
            }

            if (i > start)
            {
                yield return (text[start..i], false);
            }

            yield return (match, true);
            i += match.Length;
            start = i;
        }

        if (start < text.Length)
        {
            yield return (text[start..], false);
        }
    }

    // BasicTokenizer.tokenize
    private List<string> BasicTokenize(string text)
    {
        text = CleanText(text);
        text = TokenizeChineseChars(text);
        text = Icu.Normalize(text, nfc: true);
        var split = new List<string>();
        foreach (var original in WhitespaceTokenize(text))
        {
            var token = original;
            if (lowerCase)
            {
                token = Icu.ToLower(token);
                if (stripAccents is not false)
                {
                    token = StripAccents(token);
                }
            }
            else if (stripAccents is true)
            {
                token = StripAccents(token);
            }

            split.AddRange(SplitOnPunctuation(token));
        }

        return WhitespaceTokenize(string.Join(" ", split));
    }

    // WordpieceTokenizer.tokenize for one whitespace-free token
    private IEnumerable<int> WordPiece(string token)
    {
        var chars = token.EnumerateRunes().Select(r => r.ToString()).ToArray();
        if (chars.Length > 100)
        {
            return [vocabulary["[UNK]"]];
        }

        var pieces = new List<int>();
        var start = 0;
        while (start < chars.Length)
        {
            var end = chars.Length;
            int? current = null;
            while (start < end)
            {
                var piece = string.Concat(chars[start..end]);
                if (start > 0)
                {
                    piece = "##" + piece;
                }

                if (vocabulary.TryGetValue(piece, out var id))
                {
                    current = id;
                    break;
                }

                end--;
            }

            if (current is null)
            {
                return [vocabulary["[UNK]"]];
            }

            pieces.Add(current.Value);
            start = end;
        }

        return pieces;
    }

    private static string CleanText(string text)
    {
        var output = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value == 0 || rune.Value == 0xFFFD || IsControl(rune))
            {
                continue;
            }

            output.Append(IsWhitespace(rune) ? " " : rune.ToString());
        }

        return output.ToString();
    }

    private static string TokenizeChineseChars(string text)
    {
        var output = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            var cp = rune.Value;
            var cjk = cp is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x20000 and <= 0x2A6DF) or (>= 0x2A700 and <= 0x2B73F)
                or (>= 0x2B740 and <= 0x2B81F) or (>= 0x2B820 and <= 0x2CEAF) or (>= 0xF900 and <= 0xFAFF) or (>= 0x2F800 and <= 0x2FA1F);
            output.Append(cjk ? $" {rune} " : rune.ToString());
        }

        return output.ToString();
    }

    private static string StripAccents(string text)
    {
        var output = new StringBuilder();
        foreach (var rune in Icu.Normalize(text, nfc: false).EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark)
            {
                output.Append(rune.ToString());
            }
        }

        return output.ToString();
    }

    private static List<string> SplitOnPunctuation(string text)
    {
        var output = new List<StringBuilder>();
        var startNew = true;
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsPunctuation(rune))
            {
                output.Add(new StringBuilder(rune.ToString()));
                startNew = true;
            }
            else
            {
                if (startNew)
                {
                    output.Add(new StringBuilder());
                }

                startNew = false;
                output[^1].Append(rune.ToString());
            }
        }

        return output.Select(b => b.ToString()).ToList();
    }

    private static List<string> WhitespaceTokenize(string text) =>
        text.Trim().Length == 0 ? [] : SplitPythonWhitespace(text);

    // Python's str.split() splits on Unicode whitespace (after _clean_text only " " is left, but keep it exact).
    private static List<string> SplitPythonWhitespace(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).ToList();

    private static bool IsWhitespace(Rune rune) =>
        rune.Value is ' ' or '\t' or '\n' or '\r' || Rune.GetUnicodeCategory(rune) == UnicodeCategory.SpaceSeparator;

    private static bool IsControl(Rune rune)
    {
        if (rune.Value is '\t' or '\n' or '\r')
        {
            return false;
        }

        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.OtherNotAssigned
            or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate;
    }

    private static bool IsPunctuation(Rune rune)
    {
        var cp = rune.Value;
        if (cp is (>= 33 and <= 47) or (>= 58 and <= 64) or (>= 91 and <= 96) or (>= 123 and <= 126))
        {
            return true;
        }

        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    /// <summary>The system ICU, found by version like the .NET runtime finds it.</summary>
    private static unsafe class Icu
    {
        private static readonly Lazy<Functions> Loaded = new(Load);

        public static string Normalize(string text, bool nfc)
        {
            var f = Loaded.Value;
            var status = 0;
            var normalizer = nfc ? f.GetNfc(&status) : f.GetNfd(&status);
            Check(status, "unorm2_get*Instance");
            return Call(text, (source, length, destination, capacity, s) => f.Normalize(normalizer, source, length, destination, capacity, s));
        }

        public static string ToLower(string text)
        {
            var f = Loaded.Value;
            var root = stackalloc byte[1];
            return Call(text, (source, length, destination, capacity, s) => f.ToLower(destination, capacity, source, length, root, s));
        }

        private delegate int Transform(char* source, int length, char* destination, int capacity, int* status);

        private static string Call(string text, Transform transform)
        {
            var capacity = text.Length * 4 + 16;
            var buffer = new char[capacity];
            fixed (char* source = text)
            fixed (char* destination = buffer)
            {
                var status = 0;
                var length = transform(source, text.Length, destination, capacity, &status);
                Check(status, "ICU transform");
                return new string(destination, 0, length);
            }
        }

        private static void Check(int status, string what)
        {
            if (status > 0)
            {
                throw new InvalidOperationException($"{what} failed with ICU error {status}.");
            }
        }

        private sealed class Functions
        {
            public required delegate* unmanaged<int*, IntPtr> GetNfd;
            public required delegate* unmanaged<int*, IntPtr> GetNfc;
            public required delegate* unmanaged<IntPtr, char*, int, char*, int, int*, int> Normalize;
            public required delegate* unmanaged<char*, int, char*, int, byte*, int*, int> ToLower;
        }

        private static Functions Load()
        {
            for (var version = 90; version >= 50; version--)
            {
                if (!NativeLibrary.TryLoad($"libicuuc.so.{version}", out var library))
                {
                    continue;
                }

                IntPtr Export(string name) => NativeLibrary.GetExport(library, $"{name}_{version}");
                return new Functions
                {
                    GetNfd = (delegate* unmanaged<int*, IntPtr>)Export("unorm2_getNFDInstance"),
                    GetNfc = (delegate* unmanaged<int*, IntPtr>)Export("unorm2_getNFCInstance"),
                    Normalize = (delegate* unmanaged<IntPtr, char*, int, char*, int, int*, int>)Export("unorm2_normalize"),
                    ToLower = (delegate* unmanaged<char*, int, char*, int, byte*, int*, int>)Export("u_strToLower"),
                };
            }

            throw new InvalidOperationException("The tokenizer reference needs the system ICU library (libicuuc.so.NN); install it with `apt-get install libicu72`.");
        }
    }
}
