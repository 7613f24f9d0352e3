using System.Diagnostics.CodeAnalysis;

namespace FinSight.Domain;

/// <summary>
/// An ISO 4217 currency code: three ASCII letters, upper case (<c>USD</c>, <c>EUR</c>, <c>GBP</c>).
/// Vendors quote some markets in a minor unit under a code of its own (London in pence as
/// <c>GBp</c> or <c>GBX</c>, Johannesburg in cents as <c>ZAc</c>, Tel Aviv in agorot as <c>ILA</c>);
/// <see cref="FromQuote"/> turns such a code into the major currency and the exact divisor, so that
/// FinSight stores and computes every amount in major units.
/// </summary>
/// <remarks>
/// <para>FinSight does not keep the whole ISO list: any three letters are accepted, so a new code needs
/// no release; whether rates exist for it is market data's concern.</para>
/// <para><c>default(Currency)</c> is no currency (its <see cref="Code"/> is empty); use <see cref="TryParse"/>.</para>
/// </remarks>
public readonly record struct Currency
{
    private readonly string? code;

    private Currency(string code) => this.code = code;

    /// <summary>The US dollar, the base currency of a portfolio that names none.</summary>
    public static Currency Usd { get; } = new("USD");

    /// <summary>The three upper-case letters; empty for <c>default(Currency)</c>.</summary>
    public string Code => code ?? string.Empty;

    /// <summary>Parses a code in any letter case after trimming; minor-unit codes such as <c>GBp</c> are refused here (see <see cref="FromQuote"/>).</summary>
    /// <param name="text">The text.</param>
    /// <param name="currency">The currency, or default.</param>
    /// <returns>Whether <paramref name="text"/> is three ASCII letters and no minor-unit code.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out Currency currency)
    {
        currency = default;
        var trimmed = text?.Trim();
        if (trimmed is not { Length: 3 } || !trimmed.All(char.IsAsciiLetter)
            || MinorUnits.ContainsKey(trimmed) || trimmed.ToUpperInvariant() is "GBX" or "ZAC" or "ILA")
        {
            return false;
        }

        currency = new Currency(trimmed.ToUpperInvariant());
        return true;
    }

    /// <summary>Parses a code (see <see cref="TryParse"/>).</summary>
    /// <param name="text">The text.</param>
    /// <param name="paramName">The argument named in the exception.</param>
    /// <returns>The currency.</returns>
    /// <exception cref="ArgumentException">Not a currency code.</exception>
    public static Currency Parse(string? text, string paramName = "currency") =>
        TryParse(text, out var currency) ? currency : throw new ArgumentException(Invalid(text), paramName);

    /// <summary>The message for text that is not a currency code.</summary>
    /// <param name="text">The text.</param>
    /// <returns>A sentence for a person.</returns>
    public static string Invalid(string? text) =>
        $"'{text}' is not a currency: use a three-letter ISO 4217 code such as USD, EUR or GBP (amounts in pence are entered in pounds).";

    /// <summary>Vendors' minor-unit codes (case matters: <c>GBp</c> is pence, <c>GBP</c> pounds) and how many of them make one major unit.</summary>
    private static readonly Dictionary<string, (string Major, int Divisor)> MinorUnits = new(StringComparer.Ordinal)
    {
        ["GBp"] = ("GBP", 100),
        ["GBX"] = ("GBP", 100),
        ["GBx"] = ("GBP", 100),
        ["ZAc"] = ("ZAR", 100),
        ["ZAC"] = ("ZAR", 100),
        ["ILA"] = ("ILS", 100),
        ["ILa"] = ("ILS", 100),
    };

    /// <summary>
    /// The currency of a vendor's quote and how many quoted units make one unit of it: <c>GBp</c> →
    /// (GBP, 100), <c>ZAc</c> → (ZAR, 100), <c>ILA</c> → (ILS, 100), <c>EUR</c> → (EUR, 1). Divide the
    /// quoted price by the divisor (exact in decimal: 2450 GBp is 24.50 GBP).
    /// </summary>
    /// <param name="vendorCode">The vendor's currency code, as sent (case matters for pence).</param>
    /// <param name="currency">The major currency.</param>
    /// <param name="divisor">1, or 100 for a minor unit.</param>
    /// <returns>False when the code is neither a currency nor a known minor unit.</returns>
    public static bool FromQuote(string? vendorCode, out Currency currency, out int divisor)
    {
        divisor = 1;
        var trimmed = vendorCode?.Trim();
        if (trimmed is not null && MinorUnits.TryGetValue(trimmed, out var minor))
        {
            currency = new Currency(minor.Major);
            divisor = minor.Divisor;
            return true;
        }

        return TryParse(trimmed, out currency);
    }

    /// <inheritdoc />
    public override string ToString() => Code;
}
