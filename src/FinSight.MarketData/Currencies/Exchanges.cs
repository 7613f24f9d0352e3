using FinSight.Domain;

namespace FinSight.MarketData.Currencies;

/// <summary>A stock exchange FinSight recognises by its ticker suffix (Yahoo's convention: <c>VOD.L</c>, <c>SAP.DE</c>).</summary>
/// <param name="Suffix">The suffix after the dot, upper case.</param>
/// <param name="Name">The venue, for people.</param>
/// <param name="Currency">The currency its listings trade in (major units: London is GBP, though vendors quote pence).</param>
public sealed record Exchange(string Suffix, string Name, string Currency);

/// <summary>
/// The exchanges outside the US that FinSight knows by suffix: which currency a listing trades in when
/// no vendor has said, and which tickers are exchange listings rather than US share classes
/// (<c>VOD.L</c> is Vodafone in London; <c>BRK.B</c> is Berkshire's class B, Yahoo's <c>BRK-B</c>).
/// </summary>
public static class Exchanges
{
    /// <summary>Every known suffix.</summary>
    public static IReadOnlyDictionary<string, Exchange> BySuffix { get; } = new Exchange[]
    {
        new("L", "London Stock Exchange", "GBP"),
        new("IL", "London International Order Book", "USD"),
        new("DE", "XETRA", "EUR"),
        new("F", "Frankfurt", "EUR"),
        new("PA", "Euronext Paris", "EUR"),
        new("AS", "Euronext Amsterdam", "EUR"),
        new("BR", "Euronext Brussels", "EUR"),
        new("LS", "Euronext Lisbon", "EUR"),
        new("IR", "Euronext Dublin", "EUR"),
        new("MI", "Borsa Italiana", "EUR"),
        new("MC", "Bolsa de Madrid", "EUR"),
        new("VI", "Vienna", "EUR"),
        new("HE", "Nasdaq Helsinki", "EUR"),
        new("SW", "SIX Swiss Exchange", "CHF"),
        new("ST", "Nasdaq Stockholm", "SEK"),
        new("OL", "Oslo Børs", "NOK"),
        new("CO", "Nasdaq Copenhagen", "DKK"),
        new("WA", "Warsaw", "PLN"),
        new("TO", "Toronto Stock Exchange", "CAD"),
        new("V", "TSX Venture", "CAD"),
        new("NE", "Cboe Canada", "CAD"),
        new("T", "Tokyo Stock Exchange", "JPY"),
        new("HK", "Hong Kong Exchange", "HKD"),
        new("SS", "Shanghai", "CNY"),
        new("SZ", "Shenzhen", "CNY"),
        new("TW", "Taiwan", "TWD"),
        new("KS", "Korea Exchange", "KRW"),
        new("NS", "National Stock Exchange of India", "INR"),
        new("BO", "Bombay Stock Exchange", "INR"),
        new("AX", "Australian Securities Exchange", "AUD"),
        new("NZ", "New Zealand Exchange", "NZD"),
        new("SI", "Singapore Exchange", "SGD"),
        new("JO", "Johannesburg Stock Exchange", "ZAR"),
        new("TA", "Tel Aviv Stock Exchange", "ILS"),
        new("SA", "B3 São Paulo", "BRL"),
        new("MX", "Bolsa Mexicana", "MXN"),
    }.ToDictionary(e => e.Suffix, StringComparer.Ordinal);

    /// <summary>The exchange a ticker's suffix names, or null for a US ticker (no suffix, or a share class such as <c>BRK.B</c>).</summary>
    /// <param name="symbol">A <see cref="Ticker"/> value.</param>
    /// <returns>The exchange or null.</returns>
    public static Exchange? Of(string symbol)
    {
        var dot = symbol.LastIndexOf('.');
        return dot > 0 && BySuffix.TryGetValue(symbol[(dot + 1)..], out var exchange) ? exchange : null;
    }

    /// <summary>The currency a listing trades in when no vendor says: its exchange's, else USD.</summary>
    /// <param name="symbol">A <see cref="Ticker"/> value.</param>
    /// <returns>An ISO 4217 code.</returns>
    public static string CurrencyOf(string symbol) => Of(symbol)?.Currency ?? "USD";
}

/// <summary>Currency pairs as market data names them: <c>EURUSD=X</c> is the value of 1 EUR in USD.</summary>
public static class FxPair
{
    /// <summary>The pair's ticker.</summary>
    /// <param name="from">The currency priced.</param>
    /// <param name="to">The currency it is priced in.</param>
    /// <returns><c>{from}{to}=X</c>.</returns>
    public static string Symbol(string from, string to) => $"{from}{to}=X";

    /// <summary>Reads a pair ticker.</summary>
    /// <param name="symbol">A ticker.</param>
    /// <param name="from">The currency priced.</param>
    /// <param name="to">The currency it is priced in.</param>
    /// <returns>Whether <paramref name="symbol"/> is six letters and <c>=X</c>.</returns>
    public static bool TryParse(string symbol, out string from, out string to)
    {
        from = to = "";
        if (symbol.Length != 8 || !symbol.EndsWith("=X", StringComparison.Ordinal) || !symbol[..6].All(char.IsAsciiLetterUpper))
        {
            return false;
        }

        from = symbol[..3];
        to = symbol[3..6];
        return true;
    }
}
