using FinSight.Domain;
using FinSight.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FinSight.Web.Features.Transactions;

/// <summary>
/// A start-up scan for stored transaction symbols that are not <see cref="Ticker"/>s in normal form
/// (written by hand, or before there was one ticker grammar). Every write path checks its symbols, so
/// none is expected; but such a transaction cannot be replayed, so its portfolio would fail until the
/// symbol is corrected, and the warning names them so the operator can do that.
/// </summary>
public static class StoredSymbolCheck
{
    public static async Task ReportStoredSymbolsOutsideTickerGrammarAsync(this WebApplication app, CancellationToken ct)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FinSightDbContext>();
        // One DISTINCT over one column: a few hundred short strings however many transactions there are.
        var symbols = await db.Transactions.AsNoTracking().Where(t => t.Symbol != null).Select(t => t.Symbol!).Distinct().ToListAsync(ct);
        var rejected = symbols.Where(s => !Ticker.TryParse(s, out var ticker) || ticker.Value != s).Order(StringComparer.Ordinal).ToArray();
        if (rejected.Length > 0)
        {
            app.Logger.LogWarning(
                "{Count} stored transaction symbol(s) are not valid tickers, so the portfolios holding them cannot be valued until "
                + "each is corrected or its transactions deleted: {Symbols}",
                rejected.Length, string.Join(", ", rejected.Select(s => $"'{s}'")));
        }
    }
}
