using FinSight.Web.Auth;
using FinSight.Web.Data;
using FinSight.Web.Features.Portfolios;
using FinSight.Web.Features.Stocks;
using Microsoft.EntityFrameworkCore;

namespace FinSight.Web.Features.Transactions;

/// <summary>
/// Adds, replaces and deletes single transactions for the signed-in user: the symbol must be
/// listed, the record must be the user's, and the whole history must still replay (through
/// <see cref="PortfolioStore.WriteAsync"/>). The JSON routes, the holdings routes and the UI all
/// write through here, so they cannot drift apart.
/// </summary>
public sealed class TransactionWriter(PortfolioStore store, FinSightDbContext db, CurrentUser user, SymbolValidator symbols, ListingCurrency listingCurrency)
{
    public async Task<(TransactionRecord? Created, WriteProblem? Problem)> AddAsync(Guid? portfolioId, TransactionDraft draft, CancellationToken ct)
    {
        if (await CheckSymbolAsync(draft, ct) is { } unknown)
        {
            return (null, unknown);
        }
        if (await store.FindAsync(portfolioId, ct) is not { } portfolio)
        {
            return (null, WriteProblem.NotFound("portfolio"));
        }
        draft = await WithListingCurrencyAsync(portfolio.Id, draft, ct);
        TransactionRecord? created = null;
        var userId = user.Id;
        var problem = await store.WriteAsync(portfolio.Id, edit =>
        {
            created = new TransactionRecord { Id = Guid.CreateVersion7(edit.Now), PortfolioId = portfolio.Id, UserId = userId, CreatedAt = edit.Now, UpdatedAt = edit.Now };
            draft.ApplyTo(created, portfolio.BaseCurrency);
            edit.Add(created);
            return null;
        }, ct);
        return (problem is null ? created : null, problem);
    }

    /// <summary>Replaces the user's transaction <paramref name="id"/>; <paramref name="what"/> names it in a 404 and <paramref name="applies"/> narrows which records count (the holdings routes touch buys only).</summary>
    public async Task<(TransactionRecord? Updated, WriteProblem? Problem)> ReplaceAsync(
        Guid id, TransactionDraft draft, string what, Func<TransactionRecord, bool>? applies, CancellationToken ct)
    {
        if (await CheckSymbolAsync(draft, ct) is { } unknown)
        {
            return (null, unknown);
        }
        if (await PortfolioOfAsync(id, ct) is not { } portfolioId)
        {
            return (null, WriteProblem.NotFound(what));
        }
        draft = await WithListingCurrencyAsync(portfolioId, draft, ct);
        TransactionRecord? updated = null;
        var problem = await store.WriteAsync(portfolioId, edit =>
        {
            updated = edit.Find(id);
            if (updated is null || applies?.Invoke(updated) == false)
            {
                return WriteProblem.NotFound(what);
            }
            draft.ApplyTo(updated, edit.Portfolio.BaseCurrency);
            edit.Touch(updated);
            return null;
        }, ct);
        return (problem is null ? updated : null, problem);
    }

    public async Task<WriteProblem?> DeleteAsync(Guid id, string what, Func<TransactionRecord, bool>? applies, CancellationToken ct)
    {
        if (await PortfolioOfAsync(id, ct) is not { } portfolioId)
        {
            return WriteProblem.NotFound(what);
        }
        return await store.WriteAsync(portfolioId, edit =>
        {
            var record = edit.Find(id);
            if (record is null || applies?.Invoke(record) == false)
            {
                return WriteProblem.NotFound(what);
            }
            edit.Remove(record);
            return null;
        }, ct);
    }

    /// <summary>The portfolio of the user's transaction <paramref name="id"/>; null when it is not the user's.</summary>
    public Task<Guid?> PortfolioOfAsync(Guid id, CancellationToken ct)
    {
        var userId = user.Id;
        return db.Transactions.Where(t => t.Id == id && t.UserId == userId).Select(t => (Guid?)t.PortfolioId).SingleOrDefaultAsync(ct);
    }

    /// <summary>A draft whose currency was only the suffix's guess gets the symbol's currency (<see cref="ListingCurrency"/>).</summary>
    private async Task<TransactionDraft> WithListingCurrencyAsync(Guid portfolioId, TransactionDraft draft, CancellationToken ct) =>
        draft is { CurrencyFromSuffix: true, Symbol: { } symbol }
            ? draft with { Currency = await listingCurrency.ResolveAsync(portfolioId, symbol, ct), CurrencyFromSuffix = false }
            : draft;

    private async Task<WriteProblem?> CheckSymbolAsync(TransactionDraft draft, CancellationToken ct) =>
        draft.Symbol is { } symbol ? await symbols.CheckAsync(symbol, ct) : null;
}
