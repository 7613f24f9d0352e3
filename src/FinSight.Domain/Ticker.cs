using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace FinSight.Domain;

/// <summary>
/// A ticker symbol in the one form FinSight accepts, stores and asks market data for. Every entry
/// point (transactions, holdings, quotes, news, the benchmark) admits exactly the strings
/// <see cref="TryParse"/> admits, and every <see cref="Transaction"/>, <see cref="PriceSeries"/> and
/// <see cref="Position"/> symbol is one.
/// </summary>
/// <remarks>
/// <para>Grammar, after trimming surrounding white space and upper-casing ASCII letters: an optional
/// <c>^</c> (an index), then 1 to 12 letters <c>A</c>–<c>Z</c> or digits, then optionally one
/// separator (<c>.</c>, <c>-</c> or <c>=</c>) followed by 1 to 4 letters or digits; so at most
/// <see cref="MaxLength"/> characters. US tickers (<c>AAPL</c>), share classes (<c>BRK.B</c>,
/// <c>BRK-B</c>), exchange suffixes (<c>SAP.DE</c>, <c>VOD.L</c>, <c>7203.T</c>, <c>0700.HK</c>,
/// <c>RY.TO</c>, <c>NESN.SW</c>), indices (<c>^GSPC</c>) and currency pairs (<c>EURUSD=X</c>) are
/// tickers; <c>A..B</c>, <c>BRK B</c>, <c>.B</c>, <c>ABC.</c>, a 13-character base and any non-ASCII
/// letter are not.</para>
/// <para>The separator is kept as written: <c>BRK.B</c> and <c>BRK-B</c> are two tickers. A vendor that
/// wants another form converts at its own edge.</para>
/// <para>Equality is ordinal on <see cref="Value"/>.</para>
/// <para><c>default(Ticker)</c> is no ticker: its <see cref="Value"/> is the empty string, which the
/// grammar rejects, and it equals no parsed ticker. It only appears as an unassigned field or a failed
/// <see cref="TryParse"/>'s output; check the result of <see cref="TryParse"/> rather than using it.</para>
/// <para>Immutable, so safe to share between threads.</para>
/// </remarks>
public readonly partial record struct Ticker
{
    /// <summary>The longest ticker the grammar admits: <c>^</c>, 12 base characters, a separator and 4 suffix characters.</summary>
    public const int MaxLength = 18;

    private readonly string? value;

    private Ticker(string value) => this.value = value;

    /// <summary>The normalized ticker (upper case, no white space); the empty string for <c>default(Ticker)</c>.</summary>
    public string Value => value ?? string.Empty;

    /// <summary>Normalizes and validates <paramref name="text"/>.</summary>
    /// <param name="text">A ticker in any letter case, possibly with surrounding white space.</param>
    /// <returns>The ticker.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="text"/> does not follow the grammar (see <see cref="Ticker"/>).</exception>
    public static Ticker Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var ticker) ? ticker : throw new ArgumentException(Invalid(text), nameof(text));
    }

    /// <summary>Normalizes and validates <paramref name="text"/> without throwing.</summary>
    /// <param name="text">A ticker in any letter case, possibly with surrounding white space; null is not a ticker.</param>
    /// <param name="ticker">The ticker when the result is true; otherwise <c>default(Ticker)</c>.</param>
    /// <returns>True when <paramref name="text"/> follows the grammar.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out Ticker ticker)
    {
        ticker = default;
        var trimmed = text.AsSpan().Trim();
        if (trimmed.Length is 0 or > MaxLength)
        {
            return false;
        }

        Span<char> upper = stackalloc char[trimmed.Length];
        for (var i = 0; i < trimmed.Length; i++)
        {
            upper[i] = char.IsAsciiLetterLower(trimmed[i]) ? (char)(trimmed[i] - ('a' - 'A')) : trimmed[i];
        }

        if (!Grammar().IsMatch(upper))
        {
            return false;
        }

        ticker = new Ticker(upper.SequenceEqual(text.AsSpan()) ? text! : new string(upper));
        return true;
    }

    /// <summary>The message for a string that is not a ticker, naming the rule it breaks.</summary>
    /// <param name="text">The rejected input.</param>
    /// <returns>A sentence for an error message.</returns>
    internal static string Invalid(string text) =>
        $"'{text}' is not a ticker symbol: expected 1-12 letters or digits, optionally after '^' and before one '.', '-' or '=' with 1-4 more (AAPL, BRK.B, SAP.DE, ^GSPC, EURUSD=X).";

    /// <summary>The ticker itself, so that a ticker formats as its <see cref="Value"/>.</summary>
    /// <returns><see cref="Value"/>.</returns>
    public override string ToString() => Value;

    // \z, not $: $ also matches before a final newline.
    [GeneratedRegex(@"^\^?[A-Z0-9]{1,12}(?:[.\-=][A-Z0-9]{1,4})?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();
}
