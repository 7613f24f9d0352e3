using System.Collections.Frozen;

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
            var start = i;
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

                Add(buffer, 0, 0, TokenKind.Url, UrlHash, start, i);
            }
            else if (c == '@' && i + 1 < text.Length && IsWordChar(text[i + 1]))
            {
                i++;
                while (i < text.Length && (IsWordChar(text[i]) || text[i] == '_'))
                {
                    i++;
                }
            }
            else if (IsCurrency(c) && NumberFollows(text, i + 1, out var numberAt))
            {
                i = ScanMoney(text, start, numberAt, buffer);
            }
            else if (c == '$' && i + 1 < text.Length && char.IsAsciiLetter(text[i + 1]))
            {
                i++;
                while (i < text.Length && (char.IsAsciiLetter(text[i]) || (text[i] == '.' && i + 1 < text.Length && char.IsAsciiLetter(text[i + 1]))))
                {
                    i++;
                }

                Add(buffer, 0, 0, TokenKind.Ticker, TickerHash, start, i);
            }
            else if (char.IsAsciiDigit(c))
            {
                // "-4.3", "(+4.5% y/y)": a sign written before a figure, not a hyphen inside a word ("Q3-2019").
                var signChar = i > 0 && (IsMinusSign(text, i - 1) || text[i - 1] == '+') && (i < 2 || char.IsWhiteSpace(text[i - 2]) || text[i - 2] == '(')
                    ? (text[i - 1] == '+' ? '+' : '-')
                    : '\0';
                var sign = signChar == '-' ? -1 : 1;
                var from = signChar == '\0' ? start : start - 1;
                i = ScanNumber(text, i, out var percent, out var value);
                if (percent)
                {
                    Add(buffer, 0, 0, TokenKind.Percent, PercentHash, from, i, sign * value, signChar);
                }
                else
                {
                    var letters = i;
                    i = SkipLetters(text, i); // 4th, 2q, 10x, 5m
                    Add(buffer, 0, 0, TokenKind.Number, NumberHash, from, i, sign * value * Scale(text[letters..i]), signChar);
                }
            }
            else if (char.IsLetter(c))
            {
                // "EUR 13.1 mn": an ISO currency code before a figure is money, like "€13.1m".
                var end = start;
                while (end < text.Length && char.IsAsciiLetter(text[end]))
                {
                    end++;
                }

                i = end - start == 3 && (end == text.Length || !char.IsLetterOrDigit(text[end])) && IsCurrencyCode(text[start..end]) && NumberFollows(text, end, out numberAt)
                    ? ScanMoney(text, start, numberAt, buffer)
                    : ScanWord(text, i, buffer);
            }
            else
            {
                if (IsBreak(text, i))
                {
                    AddBreak(buffer, c, i);
                }

                i++;
            }
        }
    }

    /// <summary>A figure (possibly negative) at <paramref name="i"/>, after at most one space: "€5m", "EUR 13.1", "EUR -4.3".</summary>
    private static bool NumberFollows(ReadOnlySpan<char> text, int i, out int numberAt)
    {
        numberAt = i < text.Length && text[i] == ' ' ? i + 1 : i;
        return (numberAt < text.Length && char.IsAsciiDigit(text[numberAt]))
            || (numberAt + 1 < text.Length && IsMinusSign(text, numberAt) && char.IsAsciiDigit(text[numberAt + 1]));
    }

    private static int ScanMoney(ReadOnlySpan<char> text, int start, int numberAt, TokenBuffer buffer)
    {
        var sign = 1;
        if (IsMinusSign(text, numberAt))
        {
            sign = -1;
            numberAt++;
        }

        var i = ScanNumber(text, numberAt, out _, out var value);
        var letters = i;
        i = SkipLetters(text, i); // $4.2bn, $5m
        Add(buffer, 0, 0, TokenKind.Money, MoneyHash, start, i, sign * value * Scale(text[letters..i]));
        return i;
    }

    private static int ScanWord(ReadOnlySpan<char> text, int i, TokenBuffer buffer)
    {
        var sourceStart = i;
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
            var number = buffer.Tokens[buffer.Count - 1];
            buffer.Tokens[buffer.Count - 1] = number with { Kind = TokenKind.Percent, Hash = PercentHash, SourceLength = i - number.SourceStart };
            buffer.CharCount = start;
            return i;
        }

        Add(buffer, start, length, TokenKind.Word, hash, sourceStart, i);
        return i;
    }

    /// <summary>Scans digits with thousands separators or a decimal point or comma; the value ignores any sign.</summary>
    private static int ScanNumber(ReadOnlySpan<char> text, int i, out bool percent, out double value)
    {
        var start = i;
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || ((text[i] == ',' || text[i] == '.') && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]))))
        {
            i++;
        }

        value = ParseNumber(text[start..i]);

        // "12%" and, as European press releases write it, "12 %".
        var sign = i < text.Length && text[i] == ' ' ? i + 1 : i;
        percent = sign < text.Length && text[sign] == '%';
        return percent ? sign + 1 : i;
    }

    /// <summary>"1,200" and "1.200,5" are read the English or the continental way depending on which separator comes last and how many digits follow it.</summary>
    private static double ParseNumber(ReadOnlySpan<char> digits)
    {
        var lastDot = digits.LastIndexOf('.');
        var lastComma = digits.LastIndexOf(',');
        var decimalAt = -1;
        if (lastDot >= 0 && lastComma >= 0)
        {
            decimalAt = Math.Max(lastDot, lastComma);
        }
        else if (lastDot >= 0 || lastComma >= 0)
        {
            var at = Math.Max(lastDot, lastComma);
            var separators = digits.Count(digits[at]);

            // A comma followed by three digits separates thousands ("1,200"); a lone dot is a decimal point ("3.500").
            var thousands = digits.Length - at - 1 == 3 && (digits[at] == ',' || separators > 1);
            decimalAt = thousands || separators > 1 ? -1 : at;
        }

        double value = 0;
        double scale = 0;
        for (var k = 0; k < digits.Length; k++)
        {
            var d = digits[k];
            if (k == decimalAt)
            {
                scale = 1;
            }
            else if (char.IsAsciiDigit(d))
            {
                if (scale > 0)
                {
                    scale /= 10;
                    value += (d - '0') * scale;
                }
                else
                {
                    value = (value * 10) + (d - '0');
                }
            }
        }

        return value;
    }

    /// <summary>The multiplier of a scale written after a figure ("5m", "4.2bn", "300k" or the word after it: "mn", "billion").</summary>
    internal static double Scale(ReadOnlySpan<char> suffix)
    {
        Span<char> lower = stackalloc char[Math.Min(suffix.Length, 8)];
        if (suffix.Length > lower.Length)
        {
            return 1;
        }

        suffix.ToLowerInvariant(lower);
        return lower switch
        {
            "k" or "thousand" or "thousands" => 1e3,
            "m" or "mn" or "mln" or "mio" or "million" or "millions" => 1e6,
            "b" or "bn" or "bln" or "billion" or "billions" => 1e9,
            "tn" or "trillion" => 1e12,
            _ => 1,
        };
    }

    private static int SkipLetters(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length && char.IsAsciiLetter(text[i]))
        {
            i++;
        }

        return i;
    }

    private static void Add(TokenBuffer buffer, int start, int length, TokenKind kind, ulong hash, int sourceStart, int sourceEnd, double value = 0, char mark = '\0') =>
        buffer.Tokens[buffer.Count++] = new Token(start, length, kind, hash, sourceStart, sourceEnd - sourceStart, value, mark);

    private static void AddBreak(TokenBuffer buffer, char mark, int at)
    {
        if (buffer.Count > 0 && buffer.Tokens[buffer.Count - 1].Kind != TokenKind.Break)
        {
            buffer.Tokens[buffer.Count++] = new Token(0, 0, TokenKind.Break, 0, at, 1, 0, mark);
        }
    }

    private static bool IsMinusSign(ReadOnlySpan<char> text, int i) => i >= 0 && i < text.Length && text[i] is '-' or '\u2212';

    private static readonly FrozenSet<string> CurrencyCodes = new[]
    {
        "EUR", "USD", "GBP", "SEK", "NOK", "DKK", "ISK", "CHF", "JPY", "CNY", "RMB", "HKD", "SGD", "INR", "KRW", "AUD", "NZD", "CAD",
        "MXN", "BRL", "ZAR", "PLN", "CZK", "HUF", "RON", "RUB", "TRY", "UAH", "EEK", "LVL", "LTL",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static bool IsCurrencyCode(ReadOnlySpan<char> word) =>
        CurrencyCodes.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word);

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
