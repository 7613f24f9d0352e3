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
        using var stream = typeof(StarterSymbols).Assembly.GetManifestResourceStream("FinSight.MarketData.starter-symbols.csv")
            ?? throw new InvalidOperationException("The embedded starter symbol list is missing.");
        using var reader = new StreamReader(stream);
        reader.ReadLine(); // header
        var entries = new List<SymbolDirectoryEntry>();
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            // Written by hand without quoted commas, so a plain split is enough.
            var f = line.Split(',');
            entries.Add(new SymbolDirectoryEntry
            {
                Symbol = f[0],
                Name = f[1],
                Exchange = f[2],
                Type = f[3] == "ETF" ? SecurityType.Etf : SecurityType.Stock,
                Sector = f[4].Length > 0 ? f[4] : null,
                Industry = f[5].Length > 0 ? f[5] : null,
            });
        }
        return entries;
    }
}
