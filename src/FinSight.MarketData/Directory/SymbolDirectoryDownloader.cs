namespace FinSight.MarketData.Directory;

/// <summary>Fetches the live NASDAQ Trader files for the host's periodic directory refresh.</summary>
public static class SymbolDirectoryDownloader
{
    public static readonly Uri NasdaqListedUrl = new("https://www.nasdaqtrader.com/dynamic/SymDir/nasdaqlisted.txt");
    public static readonly Uri OtherListedUrl = new("https://www.nasdaqtrader.com/dynamic/SymDir/otherlisted.txt");

    /// <summary>
    /// Downloads and merges both files. Sectors come from <paramref name="sectors"/> (an S&amp;P list)
    /// or, without one, from the embedded starter list.
    /// </summary>
    public static async Task<IReadOnlyList<SymbolDirectoryEntry>> DownloadAsync(
        HttpClient http,
        IReadOnlyDictionary<string, (string Sector, string Industry)>? sectors = null,
        Uri? nasdaqListedUrl = null,
        Uri? otherListedUrl = null,
        CancellationToken cancellationToken = default)
    {
        var nasdaq = await http.GetStringAsync(nasdaqListedUrl ?? NasdaqListedUrl, cancellationToken);
        var other = await http.GetStringAsync(otherListedUrl ?? OtherListedUrl, cancellationToken);
        sectors ??= StarterSymbols.All
            .Where(e => e.Sector is not null)
            .ToDictionary(e => e.Symbol, e => (e.Sector!, e.Industry ?? ""), StringComparer.OrdinalIgnoreCase);
        return SymbolDirectoryParser.Merge(
            SymbolDirectoryParser.ParseNasdaqListed(new StringReader(nasdaq))
                .Concat(SymbolDirectoryParser.ParseOtherListed(new StringReader(other))),
            sectors);
    }
}
