using CsvHelper;

namespace FinSight.MarketData.Directory;

/// <summary>
/// The largest US companies and most-held ETFs, embedded so a first run without internet still
/// has a searchable directory.
/// </summary>
public static class StarterSymbols
{
    private static readonly Lazy<IReadOnlyList<SymbolDirectoryEntry>> Entries = new(() => Load("FinSight.MarketData.starter-symbols.csv"));
    private static readonly Lazy<IReadOnlyList<SymbolDirectoryEntry>> InternationalEntries = new(() => Load("FinSight.MarketData.starter-listings-international.csv"));

    public static IReadOnlyList<SymbolDirectoryEntry> All => Entries.Value;

    /// <summary>
    /// The largest listings on the main exchanges outside the US (London, XETRA, Euronext, SIX,
    /// Toronto, Tokyo, Hong Kong, Australia, Singapore), under their exchange suffixes, so that
    /// they can be found and held offline; other listings join the directory as they are used.
    /// </summary>
    public static IReadOnlyList<SymbolDirectoryEntry> International => InternationalEntries.Value;

    private static IReadOnlyList<SymbolDirectoryEntry> Load(string resource)
    {
        var stream = typeof(StarterSymbols).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded symbol list {resource} is missing.");
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
