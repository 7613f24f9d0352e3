using CsvHelper;

namespace FinSight.MarketData.Directory;

/// <summary>
/// The largest US companies and most-held ETFs, embedded so a first run without internet still
/// has a searchable directory.
/// </summary>
public static class StarterSymbols
{
    private static readonly Lazy<IReadOnlyList<SymbolDirectoryEntry>> Entries = new(Load);

    public static IReadOnlyList<SymbolDirectoryEntry> All => Entries.Value;

    private static IReadOnlyList<SymbolDirectoryEntry> Load()
    {
        var stream = typeof(StarterSymbols).Assembly.GetManifestResourceStream("FinSight.MarketData.starter-symbols.csv")
            ?? throw new InvalidOperationException("The embedded starter symbol list is missing.");
        using var csv = CsvReader.Create(stream, new CsvReaderOptions { Separator = ',', HasHeader = true });
        string? Optional(string column) => csv.GetString(column) is { Length: > 0 } value ? value : null;
        var entries = new List<SymbolDirectoryEntry>();
        while (csv.Read())
        {
            entries.Add(new SymbolDirectoryEntry
            {
                Symbol = csv.GetString("Symbol"),
                Name = csv.GetString("Name"),
                Exchange = csv.GetString("Exchange"),
                Type = csv.GetString("Type") == "ETF" ? SecurityType.Etf : SecurityType.Stock,
                Sector = Optional("Sector"),
                Industry = Optional("Industry"),
            });
        }
        return entries;
    }
}
