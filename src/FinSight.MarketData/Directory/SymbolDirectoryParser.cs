using CsvHelper;
using FinSight.Domain;

namespace FinSight.MarketData.Directory;

/// <summary>
/// Reads the NASDAQ Trader symbol directory (nasdaqlisted.txt, otherlisted.txt: pipe-delimited,
/// header line, "File Creation Time" trailer) and CSV copies of the same files, plus an S&amp;P 500
/// constituents CSV for GICS sectors. Columns are found by header name, so reduced copies
/// (Symbol + Security Name only) parse too.
/// </summary>
public static class SymbolDirectoryParser
{
    private static readonly Dictionary<string, string> ExchangeCodes = new()
    {
        ["A"] = "NYSE American", ["N"] = "NYSE", ["P"] = "NYSE Arca", ["Z"] = "Cboe BZX", ["V"] = "IEX", ["Q"] = "NASDAQ",
    };

    /// <summary>nasdaqlisted.txt: Symbol|Security Name|Market Category|Test Issue|Financial Status|Round Lot Size|ETF|NextShares.</summary>
    public static IReadOnlyList<SymbolDirectoryEntry> ParseNasdaqListed(TextReader reader) =>
        Parse(reader, symbolColumn: "Symbol", exchangeColumn: null, defaultExchange: "NASDAQ");

    /// <summary>otherlisted.txt: ACT Symbol|Security Name|Exchange|CQS Symbol|ETF|Round Lot Size|Test Issue|NASDAQ Symbol.</summary>
    public static IReadOnlyList<SymbolDirectoryEntry> ParseOtherListed(TextReader reader) =>
        Parse(reader, symbolColumn: "ACT Symbol", exchangeColumn: "Exchange", defaultExchange: "NYSE");

    /// <summary>S&amp;P 500 constituents CSV (Symbol, Security, GICS Sector, GICS Sub-Industry, ...), keyed by symbol.</summary>
    public static IReadOnlyDictionary<string, (string Sector, string Industry)> ParseSp500(TextReader reader)
    {
        var result = new Dictionary<string, (string, string)>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in ReadRows(reader))
        {
            if (row.Get("Symbol") is { } symbol && Ticker.TryParse(symbol, out _)
                && row.Get("GICS Sector") is { Length: > 0 } sector)
            {
                result[symbol] = (sector, row.Get("GICS Sub-Industry") ?? "");
            }
        }
        return result;
    }

    /// <summary>Adds sector/industry from the S&amp;P list and keeps the first entry per symbol.</summary>
    public static IReadOnlyList<SymbolDirectoryEntry> Merge(
        IEnumerable<SymbolDirectoryEntry> entries, IReadOnlyDictionary<string, (string Sector, string Industry)> sectors) =>
        entries
            .DistinctBy(e => e.Symbol)
            .Select(e => sectors.TryGetValue(e.Symbol, out var gics)
                ? e with { Sector = gics.Sector, Industry = gics.Industry.Length > 0 ? gics.Industry : e.Industry }
                : e)
            .OrderBy(e => e.Symbol, StringComparer.Ordinal)
            .ToArray();

    private static List<SymbolDirectoryEntry> Parse(TextReader reader, string symbolColumn, string? exchangeColumn, string defaultExchange)
    {
        var entries = new List<SymbolDirectoryEntry>();
        foreach (var row in ReadRows(reader))
        {
            var symbol = row.Get(symbolColumn)?.ToUpperInvariant();
            var name = CleanName(row.Get("Security Name") ?? row.Get("Company Name"));
            if (symbol is null || name is null || !Ticker.TryParse(symbol, out _) || IsTestIssue(row, symbol, name))
            {
                continue;
            }
            var exchange = exchangeColumn is not null && row.Get(exchangeColumn) is { } code
                ? ExchangeCodes.GetValueOrDefault(code, code)
                : defaultExchange;
            var isEtf = row.Get("ETF") is { } etf ? etf == "Y" : LooksLikeEtf(symbol, name);
            entries.Add(new SymbolDirectoryEntry
            {
                Symbol = symbol,
                Name = name,
                Exchange = exchange,
                Type = isEtf ? SecurityType.Etf : SecurityType.Stock,
            });
        }
        return entries;
    }

    // The live files flag test issues; reduced copies do not, and NASDAQ's test tickers are recognisable.
    private static bool IsTestIssue(Row row, string symbol, string name) =>
        row.Get("Test Issue") is { } flag
            ? flag == "Y"
            : name.Contains("TEST STOCK", StringComparison.OrdinalIgnoreCase)
              || name.Contains("Symbology Test", StringComparison.OrdinalIgnoreCase)
              || (symbol.Length == 5 && symbol.EndsWith("ZZT", StringComparison.Ordinal));

    // Reduced copies lack the ETF column: go by the name, and by the starter list for funds like "Invesco QQQ Trust".
    private static bool LooksLikeEtf(string symbol, string name) =>
        name.Contains(" ETF", StringComparison.OrdinalIgnoreCase) || name.Contains(" ETN", StringComparison.OrdinalIgnoreCase)
        || StarterSymbols.All.Any(e => e.Symbol == symbol && e.Type == SecurityType.Etf);

    // "Apple Inc. - Common Stock" reads better as "Apple Inc." in a search list.
    private static string? CleanName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }
        name = name.Trim();
        foreach (var suffix in (string[])[" - Common Stock", " Common Stock", " - Common Shares", " Common Shares"])
        {
            if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && name.Length > suffix.Length)
            {
                return name[..^suffix.Length].Trim();
            }
        }
        return name;
    }

    // Valid until the next row is read.
    private readonly struct Row(CsvReader csv)
    {
        public string? Get(string column) =>
            csv.TryGetFieldIndex(column, out var i) && csv.GetString(i) is { Length: > 0 } value ? value : null;
    }

    private static IEnumerable<Row> ReadRows(TextReader reader)
    {
        // The live files are pipe-delimited, their copies comma-separated: the header line tells which.
        var text = reader.ReadToEnd();
        var header = text[..(text.IndexOfAny(['\r', '\n']) is var end and >= 0 ? end : text.Length)];
        using var csv = CsvReader.FromText(text, new CsvReaderOptions
        {
            Separator = header.Contains('|', StringComparison.Ordinal) ? '|' : ',',
            HasHeader = true,
            TrimWhitespace = true,
            ShouldSkipRecord = row => row.GetString(0).StartsWith("File Creation Time", StringComparison.Ordinal),
        });
        while (csv.Read())
        {
            yield return new Row(csv);
        }
    }
}
