namespace FinSight.Sentiment.Text;

/// <summary>
/// Splits financial text into lower-case words and placeholders. URLs, @handles and $cashtags are
/// dropped because a ticker's identity says nothing about the sentiment of the sentence; numbers
/// become &lt;num&gt;, &lt;pct&gt; or &lt;money&gt; so that "rose 12%" and "rose 3.5%" share features.
/// </summary>
public static class FinancialTokenizer
{
    /// <summary>Tokenises for inspection and tests; the analyzer uses an allocation-free path.</summary>
    public static IReadOnlyList<string> Tokenize(string text, bool includeBreaks = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var buffer = new TokenBuffer();
        Tokenize(text, buffer);
        var result = new List<string>(buffer.Count);
        for (var i = 0; i < buffer.Count; i++)
        {
            var token = buffer.Tokens[i];
            if (token.Kind != TokenKind.Break || includeBreaks)
            {
                result.Add(buffer.TextOf(token).ToString());
            }
        }

        return result;
    }

    internal static readonly ulong NumberHash = StableHash.Of("<num>");
    internal static readonly ulong PercentHash = StableHash.Of("<pct>");
    internal static readonly ulong MoneyHash = StableHash.Of("<money>");
    internal static readonly ulong UrlHash = StableHash.Of("<url>");
    internal static readonly ulong TickerHash = StableHash.Of("<ticker>");
    private static readonly ulong PercentWordHash = StableHash.Of("percent");
    private static readonly ulong PctWordHash = StableHash.Of("pct");

    internal static void Tokenize(ReadOnlySpan<char> text, TokenBuffer buffer)
    {
        buffer.Reset(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (IsUrlStart(text, i))
            {
                while (i < text.Length && !char.IsWhiteSpace(text[i]))
                {
                    i++;
                }

                Add(buffer, 0, 0, TokenKind.Url, UrlHash);
            }
            else if (c == '@' && i + 1 < text.Length && IsWordChar(text[i + 1]))
            {
                i++;
                while (i < text.Length && (IsWordChar(text[i]) || text[i] == '_'))
                {
                    i++;
                }
            }
            else if (IsCurrency(c) && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]))
            {
                i = ScanNumber(text, i + 1, out _);
                i = SkipLetters(text, i); // $4.2bn, $5m
                Add(buffer, 0, 0, TokenKind.Money, MoneyHash);
            }
            else if (c == '$' && i + 1 < text.Length && char.IsAsciiLetter(text[i + 1]))
            {
                i++;
                while (i < text.Length && (char.IsAsciiLetter(text[i]) || (text[i] == '.' && i + 1 < text.Length && char.IsAsciiLetter(text[i + 1]))))
                {
                    i++;
                }

                Add(buffer, 0, 0, TokenKind.Ticker, TickerHash);
            }
            else if (char.IsAsciiDigit(c))
            {
                i = ScanNumber(text, i, out var percent);
                if (percent)
                {
                    Add(buffer, 0, 0, TokenKind.Percent, PercentHash);
                }
                else
                {
                    i = SkipLetters(text, i); // 4th, 2q, 10x
                    Add(buffer, 0, 0, TokenKind.Number, NumberHash);
                }
            }
            else if (char.IsLetter(c))
            {
                i = ScanWord(text, i, buffer);
            }
            else
            {
                if (IsBreak(text, i))
                {
                    AddBreak(buffer);
                }

                i++;
            }
        }
    }

    private static int ScanWord(ReadOnlySpan<char> text, int i, TokenBuffer buffer)
    {
        var start = buffer.CharCount;
        var segment = 0;
        var dotted = false;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsLetterOrDigit(c))
            {
                buffer.Chars[buffer.CharCount++] = char.ToLowerInvariant(c);
                segment++;
                i++;
            }
            else if ((c == '\'' || c == '\u2019') && i + 1 < text.Length && char.IsLetter(text[i + 1]))
            {
                buffer.Chars[buffer.CharCount++] = '\'';
                i++;
            }
            else if (c == '.' && segment == 1 && i + 1 < text.Length && char.IsLetter(text[i + 1]))
            {
                // Dotted acronyms (U.S., U.K.) stay one word instead of ending a clause.
                segment = 0;
                dotted = true;
                i++;
            }
            else
            {
                break;
            }
        }

        // "U.S." leaves a trailing dot that belongs to the acronym, not a clause break.
        if (dotted && segment == 1 && i < text.Length && text[i] == '.')
        {
            i++;
        }

        var length = buffer.CharCount - start;
        if (length >= 3 && buffer.Chars[start + length - 2] == '\'' && buffer.Chars[start + length - 1] == 's')
        {
            length -= 2; // possessive: "bank's" and "bank" are the same feature
        }

        buffer.CharCount = start + length;
        var span = buffer.Chars.AsSpan(start, length);
        var hash = StableHash.Of(span);
        if ((hash == PercentWordHash || hash == PctWordHash) && buffer.Count > 0 && buffer.Tokens[buffer.Count - 1].Kind == TokenKind.Number)
        {
            buffer.Tokens[buffer.Count - 1] = new Token(0, 0, TokenKind.Percent, PercentHash);
            buffer.CharCount = start;
            return i;
        }

        Add(buffer, start, length, TokenKind.Word, hash);
        return i;
    }

    private static int ScanNumber(ReadOnlySpan<char> text, int i, out bool percent)
    {
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || ((text[i] == ',' || text[i] == '.') && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]))))
        {
            i++;
        }

        percent = i < text.Length && text[i] == '%';
        return percent ? i + 1 : i;
    }

    private static int SkipLetters(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length && char.IsAsciiLetter(text[i]))
        {
            i++;
        }

        return i;
    }

    private static void Add(TokenBuffer buffer, int start, int length, TokenKind kind, ulong hash) =>
        buffer.Tokens[buffer.Count++] = new Token(start, length, kind, hash);

    private static void AddBreak(TokenBuffer buffer)
    {
        if (buffer.Count > 0 && buffer.Tokens[buffer.Count - 1].Kind != TokenKind.Break)
        {
            Add(buffer, 0, 0, TokenKind.Break, 0);
        }
    }

    private static bool IsBreak(ReadOnlySpan<char> text, int i) => text[i] switch
    {
        '.' or ',' or ';' or ':' or '!' or '?' or '(' or ')' or '[' or ']' or '|' or '\u2013' or '\u2014' or '"' or '\u201C' or '\u201D' => true,
        // A spaced hyphen is a dash ("Apple - shares rise"); an unspaced one joins words.
        '-' => (i == 0 || char.IsWhiteSpace(text[i - 1])) && (i + 1 >= text.Length || char.IsWhiteSpace(text[i + 1])),
        _ => false,
    };

    private static bool IsUrlStart(ReadOnlySpan<char> text, int i) =>
        text[i..].StartsWith("http://", StringComparison.OrdinalIgnoreCase)
        || text[i..].StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        || text[i..].StartsWith("www.", StringComparison.OrdinalIgnoreCase);

    private static bool IsCurrency(char c) => c is '$' or '\u20AC' or '\u00A3' or '\u00A5';

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';
}
