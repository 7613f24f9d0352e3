namespace FinSight.Sentiment.Text;

internal enum TokenKind : byte
{
    Word,
    Number,
    Percent,
    Money,
    /// <summary>A link; its address is dropped, only its presence kept.</summary>
    Url,
    /// <summary>A $cashtag; which ticker it names says nothing about sentiment, so only its presence is kept.</summary>
    Ticker,
    /// <summary>Punctuation that ends a clause; negation, hedges and bigrams do not cross it.</summary>
    Break,
}

/// <summary>One token.</summary>
/// <param name="Start">Where a word's lower-cased characters start in <see cref="TokenBuffer.Chars"/>.</param>
/// <param name="Length">How many characters the word has there (0 for placeholders and breaks).</param>
/// <param name="Kind">What the token is.</param>
/// <param name="Hash">The word's <see cref="StableHash"/> (of the placeholder for numbers, links and cashtags; 0 for a break).</param>
/// <param name="SourceStart">Where the token starts in the text that was tokenised, so evidence can quote the text as written.</param>
/// <param name="SourceLength">How many characters of that text the token covers.</param>
/// <param name="Value">A number's value with its sign and any attached scale ("4.2bn" is 4.2e9); 0 for other tokens.</param>
/// <param name="Mark">The punctuation character that opened a break ('(' or ',' ...), or the sign written before a figure ('+' or '-'); '\0' otherwise.</param>
internal readonly record struct Token(
    int Start, int Length, TokenKind Kind, ulong Hash, int SourceStart = 0, int SourceLength = 0, double Value = 0, char Mark = '\0')
{
    public bool IsQuantity => Kind is TokenKind.Number or TokenKind.Percent or TokenKind.Money;

    public int SourceEnd => SourceStart + SourceLength;
}

/// <summary>
/// Reusable scratch space for one tokenisation. Owned by one thread at a time, so the hot path
/// allocates nothing once the arrays have grown to the largest text seen.
/// </summary>
internal sealed class TokenBuffer
{
    public char[] Chars = new char[256];
    public Token[] Tokens = new Token[64];
    public int CharCount;
    public int Count;

    public ReadOnlySpan<char> TextOf(in Token token) => token.Kind switch
    {
        TokenKind.Number => "<num>",
        TokenKind.Percent => "<pct>",
        TokenKind.Money => "<money>",
        TokenKind.Url => "<url>",
        TokenKind.Ticker => "<ticker>",
        TokenKind.Break => ",",
        _ => Chars.AsSpan(token.Start, token.Length),
    };

    public void Reset(int textLength)
    {
        if (Chars.Length < textLength)
        {
            Chars = new char[Math.Max(textLength, Chars.Length * 2)];
        }

        // A text of n chars has at most n tokens.
        if (Tokens.Length < textLength + 1)
        {
            Tokens = new Token[Math.Max(textLength + 1, Tokens.Length * 2)];
        }

        CharCount = 0;
        Count = 0;
    }
}

/// <summary>64-bit FNV-1a plus a finaliser: stable across processes and platforms, unlike string.GetHashCode.</summary>
internal static class StableHash
{
    private const ulong Offset = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    public static ulong Of(ReadOnlySpan<char> s)
    {
        var h = Offset;
        foreach (var c in s)
        {
            h = (h ^ c) * Prime;
        }

        return h;
    }

    public static ulong Combine(ulong a, ulong b)
    {
        var x = a ^ (b + 0x9E3779B97F4A7C15UL + (a << 6) + (a >> 2));
        // splitmix64 finaliser spreads the bits so that open addressing probes evenly.
        x ^= x >> 30;
        x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 27;
        x *= 0x94D049BB133111EBUL;
        x ^= x >> 31;
        return x == 0 ? 1 : x;
    }
}
