namespace FinSight.MarketData.Directory;

/// <summary>
/// Ranks symbols for a search box: exact symbol, then symbol prefix, then name matches
/// (name prefix before word prefix before substring). Generic so the host can rank its own rows.
/// </summary>
public static class SymbolSearch
{
    public static IReadOnlyList<T> Rank<T>(IEnumerable<T> items, string query, Func<T, string> symbol, Func<T, string> name, int limit = 20)
    {
        var q = query.Trim();
        if (q.Length == 0 || limit <= 0)
        {
            return [];
        }
        return items
            .Select(item => (item, score: Score(symbol(item), name(item), q)))
            .Where(x => x.score > 0)
            .OrderByDescending(x => x.score)
            .ThenBy(x => symbol(x.item).Length)
            .ThenBy(x => symbol(x.item), StringComparer.Ordinal)
            .Take(limit)
            .Select(x => x.item)
            .ToArray();
    }

    public static IReadOnlyList<SymbolDirectoryEntry> Rank(IEnumerable<SymbolDirectoryEntry> entries, string query, int limit = 20) =>
        Rank(entries, query, e => e.Symbol, e => e.Name, limit);

    /// <summary>0 means no match; higher is better.</summary>
    public static int Score(string symbol, string name, string query)
    {
        var q = query.Trim();
        if (q.Length == 0)
        {
            return 0;
        }
        if (symbol.Equals(q, StringComparison.OrdinalIgnoreCase))
        {
            return 1000;
        }
        if (symbol.StartsWith(q, StringComparison.OrdinalIgnoreCase))
        {
            return 800 - Math.Min(symbol.Length - q.Length, 50);
        }
        if (name.StartsWith(q, StringComparison.OrdinalIgnoreCase))
        {
            return 600;
        }
        var words = name.Split([' ', ',', '.', '-', '&', '(', ')'], StringSplitOptions.RemoveEmptyEntries);
        var terms = q.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (terms.All(t => words.Any(w => w.Equals(t, StringComparison.OrdinalIgnoreCase))))
        {
            return 450; // "gold" is the word Gold before it is the start of Goldman
        }
        if (terms.All(t => words.Any(w => w.StartsWith(t, StringComparison.OrdinalIgnoreCase))))
        {
            return 400;
        }
        return name.Contains(q, StringComparison.OrdinalIgnoreCase) ? 200 : 0;
    }
}
