using System.Text.RegularExpressions;

namespace FinSight.MarketData;

public static partial class Symbols
{
    /// <summary>
    /// Upper-cases and validates a ticker. Share classes keep the NASDAQ Trader dot form (BRK.B);
    /// vendors that want BRK-B convert at their edge.
    /// </summary>
    public static string Normalize(string symbol)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        var normalized = symbol.Trim().ToUpperInvariant();
        return IsValid(normalized) ? normalized : throw new ArgumentException($"'{symbol}' is not a valid ticker symbol.", nameof(symbol));
    }

    public static bool IsValid(string symbol) => TickerPattern().IsMatch(symbol);

    // Letters/digits with an optional class or index suffix: AAPL, BRK.B, BF-B, ^GSPC, 7203.T.
    [GeneratedRegex(@"^\^?[A-Z0-9]{1,12}([.\-=][A-Z0-9]{1,4})?$")]
    private static partial Regex TickerPattern();
}
