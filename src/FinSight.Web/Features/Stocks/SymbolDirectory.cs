using FinSight.MarketData;
using FinSight.MarketData.Directory;
using FinSight.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FinSight.Web.Features.Stocks;

/// <summary>Settings under <c>SymbolDirectory</c>.</summary>
public sealed class SymbolDirectoryOptions
{
    public const string Section = "SymbolDirectory";

    /// <summary>
    /// A folder with NASDAQ Trader directory files (nasdaqlisted.txt / otherlisted.txt, or CSV
    /// copies nasdaq-listed.csv / other-listed.csv, optionally sp500-constituents.csv for
    /// sectors) imported at start-up. Relative to the content root.
    /// </summary>
    public string? ImportPath { get; set; }

    /// <summary>Download the live NASDAQ Trader files this often (default 7 days); 0 turns it off.</summary>
    public TimeSpan LiveRefreshInterval { get; set; } = TimeSpan.FromDays(7);
}

/// <summary>
/// The <c>stocks</c> table, held in memory for searching (some 13,000 rows) and for checking that
/// a symbol exists. Reloaded from the database after every import.
/// </summary>
public sealed class SymbolDirectory(IServiceScopeFactory scopes, TimeProvider clock, ILogger<SymbolDirectory> logger)
{
    private volatile IReadOnlyDictionary<string, StockRow> _bySymbol = new Dictionary<string, StockRow>();

    public int Count => _bySymbol.Count;

    public StockRow? Find(string symbol) => _bySymbol.GetValueOrDefault(symbol.Trim().ToUpperInvariant());

    /// <summary>
    /// Null when <paramref name="symbol"/> is listed; else a 404 naming the closest listings. Routes
    /// that fetch whatever symbol a caller names (quote, profile, news, the stock page, a
    /// benchmark) ask vendors for listed symbols only, so made-up ones cost no share of the
    /// vendors' quota.
    /// </summary>
    public Portfolios.WriteProblem? Unlisted(string symbol, string what)
    {
        if (Find(symbol) is not null)
        {
            return null;
        }
        var matches = CloseMatches(symbol).Select(s => s.Symbol).ToArray();
        return new Portfolios.WriteProblem(StatusCodes.Status404NotFound, $"No {what} for {symbol}",
            $"'{symbol}' is not a listed symbol." + (matches.Length > 0 ? $" Did you mean {string.Join(", ", matches)}?" : ""),
            new Dictionary<string, object?> { ["code"] = "unknown_symbol", ["symbol"] = symbol, ["matches"] = matches });
    }

    /// <summary>Ranked matches: exact symbol, symbol prefix, then name matches.</summary>
    public IReadOnlyList<StockRow> Search(string query, int limit) =>
        SymbolSearch.Rank(_bySymbol.Values, query, s => s.Symbol, s => s.Name, limit);

    /// <summary>All entries in symbol order, for browsing without a query.</summary>
    public IEnumerable<StockRow> All => _bySymbol.Values.OrderBy(s => s.Symbol, StringComparer.Ordinal);

    /// <summary>
    /// Suggestions for a symbol that is not listed: prefix matches and near misses by one edit
    /// (APPL → AAPL), most likely first. Among thousands of listings many tickers are one edit
    /// away, so the ones with a known sector (the large, widely held companies) come first.
    /// </summary>
    public IReadOnlyList<StockRow> CloseMatches(string symbol, int limit = 5)
    {
        var wanted = symbol.Trim().ToUpperInvariant();
        return _bySymbol.Values
            .Select(s => (stock: s, distance: Distance(wanted, s.Symbol)))
            .Where(x => x.distance <= 1 || x.stock.Symbol.StartsWith(wanted, StringComparison.Ordinal) || wanted.StartsWith(x.stock.Symbol, StringComparison.Ordinal))
            .OrderBy(x => x.distance).ThenBy(x => x.stock.Sector is null).ThenBy(x => Math.Abs(x.stock.Symbol.Length - wanted.Length))
            .ThenBy(x => x.stock.Symbol, StringComparer.Ordinal)
            .Take(limit)
            .Select(x => x.stock)
            .ToArray();
    }

    /// <summary>Makes sure the directory is usable: the starter list on a first run, then loads it.</summary>
    public async Task InitializeAsync(CancellationToken ct)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<FinSightDbContext>();
            if (!await db.Stocks.AnyAsync(ct))
            {
                try
                {
                    await UpsertAsync(StarterSymbols.All, ct);
                    logger.LogInformation("Symbol directory seeded with {Count} starter symbols.", StarterSymbols.All.Count);
                }
                catch (DbUpdateException)
                {
                    // Another instance seeded it at the same moment; its rows are as good as ours.
                }
            }
            // Listings outside the US joined the starter list later: a directory seeded before gets them too.
            var international = StarterSymbols.International.Select(e => e.Symbol).ToArray();
            var present = await db.Stocks.Where(s => international.Contains(s.Symbol)).Select(s => s.Symbol).ToListAsync(ct);
            var missing = StarterSymbols.International.Where(e => !present.Contains(e.Symbol)).ToArray();
            if (missing.Length > 0)
            {
                try
                {
                    await UpsertAsync(missing, ct);
                }
                catch (DbUpdateException)
                {
                    // Another instance added them at the same moment.
                }
            }
        }
        await ReloadAsync(ct);
    }

    /// <summary>Adds new listings and updates changed ones; listings missing from the input are kept (delisted symbols stay valid for old trades).</summary>
    public async Task<int> UpsertAsync(IReadOnlyList<SymbolDirectoryEntry> entries, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FinSightDbContext>();
        var existing = await db.Stocks.ToDictionaryAsync(s => s.Symbol, StringComparer.Ordinal, ct);
        var now = clock.StoredUtcNow();
        var changed = 0;
        foreach (var entry in entries)
        {
            if (!existing.TryGetValue(entry.Symbol, out var row))
            {
                row = new StockRow { Symbol = entry.Symbol, Name = entry.Name, Exchange = entry.Exchange };
                db.Stocks.Add(row);
                existing[entry.Symbol] = row;
            }
            else if (row.Name == entry.Name && row.Exchange == entry.Exchange && row.Type == entry.Type
                && row.Sector == (entry.Sector ?? row.Sector) && row.Industry == (entry.Industry ?? row.Industry))
            {
                continue;
            }
            row.Name = entry.Name.Length > 300 ? entry.Name[..300] : entry.Name;
            row.Exchange = entry.Exchange;
            row.Type = entry.Type;
            // A file without sectors must not erase the ones another source supplied.
            row.Sector = entry.Sector ?? row.Sector;
            row.Industry = entry.Industry ?? row.Industry;
            row.UpdatedAt = now;
            changed++;
        }
        await db.SaveChangesAsync(ct);
        await ReloadAsync(ct);
        return changed;
    }

    /// <summary>Imports the NASDAQ Trader files (or their CSV copies) found in a folder.</summary>
    public async Task<int> ImportFolderAsync(string folder, CancellationToken ct)
    {
        string? Pick(params string[] names) => names.Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists);
        var nasdaq = Pick("nasdaqlisted.txt", "nasdaq-listed.csv");
        var other = Pick("otherlisted.txt", "other-listed.csv");
        var sp500 = Pick("sp500-constituents.csv");
        if (nasdaq is null && other is null)
        {
            throw new FileNotFoundException($"No nasdaqlisted.txt/otherlisted.txt (or CSV copies) in {folder}.");
        }
        var entries = new List<SymbolDirectoryEntry>();
        if (nasdaq is not null)
        {
            using var reader = File.OpenText(nasdaq);
            entries.AddRange(SymbolDirectoryParser.ParseNasdaqListed(reader));
        }
        if (other is not null)
        {
            using var reader = File.OpenText(other);
            entries.AddRange(SymbolDirectoryParser.ParseOtherListed(reader));
        }
        IReadOnlyDictionary<string, (string Sector, string Industry)> sectors;
        if (sp500 is not null)
        {
            using var reader = File.OpenText(sp500);
            sectors = SymbolDirectoryParser.ParseSp500(reader);
        }
        else
        {
            sectors = StarterSectors();
        }
        return await UpsertAsync(SymbolDirectoryParser.Merge(entries, sectors), ct);
    }

    private static Dictionary<string, (string Sector, string Industry)> StarterSectors() => StarterSymbols.All
        .Where(e => e.Sector is not null)
        .ToDictionary(e => e.Symbol, e => (e.Sector!, e.Industry ?? ""), StringComparer.OrdinalIgnoreCase);

    private async Task ReloadAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FinSightDbContext>();
        var rows = await db.Stocks.AsNoTracking().ToListAsync(ct);
        _bySymbol = rows.ToDictionary(r => r.Symbol, StringComparer.Ordinal);
    }

    /// <summary>0 for equal, 1 for one edit apart (a substitution, insertion, deletion or adjacent swap), else 2.</summary>
    internal static int Distance(string a, string b)
    {
        if (a == b)
        {
            return 0;
        }
        if (a.Length == b.Length)
        {
            var diffs = Enumerable.Range(0, a.Length).Where(i => a[i] != b[i]).ToArray();
            var swapped = diffs.Length == 2 && diffs[1] == diffs[0] + 1 && a[diffs[0]] == b[diffs[1]] && a[diffs[1]] == b[diffs[0]];
            return diffs.Length == 1 || swapped ? 1 : 2;
        }
        var (shorter, longer) = a.Length < b.Length ? (a, b) : (b, a);
        if (longer.Length - shorter.Length != 1)
        {
            return 2;
        }
        var k = 0;
        while (k < shorter.Length && shorter[k] == longer[k])
        {
            k++;
        }
        return shorter.AsSpan(k).SequenceEqual(longer.AsSpan(k + 1)) ? 1 : 2;
    }
}
