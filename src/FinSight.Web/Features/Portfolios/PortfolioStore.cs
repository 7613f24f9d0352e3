using System.Runtime.CompilerServices;
using FinSight.Domain;
using FinSight.Web.Auth;
using FinSight.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace FinSight.Web.Features.Portfolios;

/// <summary>
/// The current user's portfolios and the one way their transactions change. Every query here is
/// filtered by the signed-in user, so another user's ids simply are not found.
/// </summary>
public sealed class PortfolioStore(
    FinSightDbContext db, CurrentUser currentUser, TimeProvider clock, Microsoft.Extensions.Options.IOptions<StorageOptions> storage, Infrastructure.WarmState warm)
{
    private const int MaxAttempts = 8;

    /// <summary>The longest pause between two attempts of a contended write (jittered, growing with the attempt).</summary>
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMilliseconds(200);

    private static WriteProblem NameTaken() => new(StatusCodes.Status409Conflict, "That portfolio name is already used",
        "Each of your portfolios needs its own name.", new Dictionary<string, object?> { ["field"] = "name" }) { Field = "name" };

    // Every dashboard request starts with one of these lookups. Compiled once, they skip EF's
    // per-call expression-tree building, parameter extraction and query-cache lookup. EF refuses
    // to run a compiled query against another model than its first (the tests host SQLite and
    // PostgreSQL in one process), so there is one set per model.
    private static readonly ConditionalWeakTable<IModel, CompiledLookups> Lookups = new();

    private CompiledLookups Compiled => Lookups.GetValue(db.Model, static _ => new CompiledLookups());

    /// <summary>The given portfolio, or the user's default (created on first use) when no id is given; null when not the user's.</summary>
    public async Task<Portfolio?> FindAsync(Guid? portfolioId, CancellationToken ct)
    {
        var userId = currentUser.Id;
        // A warm request finds it in memory (valid until the user's next write, on any instance).
        if (await warm.PortfolioAsync(userId, portfolioId, ct) is { } known)
        {
            return known;
        }
        if (portfolioId is { } id)
        {
            return await Compiled.ById(db, id, userId, ct);
        }
        var existing = await Compiled.Default(db, userId, ct);
        if (existing is not null)
        {
            return existing;
        }

        var now = clock.StoredUtcNow();
        var created = new Portfolio
        {
            Id = Guid.CreateVersion7(now),
            UserId = userId,
            Name = Portfolio.DefaultName,
            IsDefault = true,
            CreatedAt = now,
        };
        db.Portfolios.Add(created);
        try
        {
            await db.SaveChangesAsync(ct);
            return created;
        }
        catch (DbUpdateException)
        {
            // Two first requests raced to create it; the unique (user, name) index kept one.
            db.ChangeTracker.Clear();
            return await db.Portfolios.AsNoTracking().SingleAsync(p => p.UserId == userId && p.IsDefault, ct);
        }
    }

    /// <summary>The user's portfolios, the default first (creating it on first use), then by name.</summary>
    public async Task<List<Portfolio>> ListAsync(CancellationToken ct)
    {
        await FindAsync(null, ct);
        var userId = currentUser.Id;
        var portfolios = await db.Portfolios.AsNoTracking().Where(p => p.UserId == userId).ToListAsync(ct);
        return [.. portfolios.OrderByDescending(p => p.IsDefault).ThenBy(p => p.Name, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>A new named portfolio; 409 when the user already has one of that name.</summary>
    public async Task<(Portfolio? Created, WriteProblem? Problem)> CreateAsync(string name, CostBasisMethod method, CancellationToken ct)
    {
        var now = clock.StoredUtcNow();
        var portfolio = new Portfolio { Id = Guid.CreateVersion7(now), UserId = currentUser.Id, Name = name, CostBasisMethod = method, CreatedAt = now };
        db.Portfolios.Add(portfolio);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return (null, NameTaken());
        }
        return (portfolio, null);
    }

    /// <summary>Renames a portfolio or changes its cost basis method (null keeps either); 404 when not the user's, 409 when the name is taken.</summary>
    public async Task<(Portfolio? Updated, WriteProblem? Problem)> UpdateAsync(Guid id, string? name, CostBasisMethod? method, CancellationToken ct)
    {
        var userId = currentUser.Id;
        var portfolio = await db.Portfolios.SingleOrDefaultAsync(p => p.Id == id && p.UserId == userId, ct);
        if (portfolio is null)
        {
            return (null, WriteProblem.NotFound("portfolio"));
        }
        portfolio.Name = name ?? portfolio.Name;
        // The method changes how sells are costed, not what is held, so no replay can start failing.
        portfolio.CostBasisMethod = method ?? portfolio.CostBasisMethod;
        portfolio.Version++;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return (null, new WriteProblem(StatusCodes.Status409Conflict, "The portfolio changed meanwhile", "Reload it and try again.", new Dictionary<string, object?>()));
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return (null, NameTaken());
        }
        return (portfolio, null);
    }

    /// <summary>Deletes a portfolio and its transactions; 404 when not the user's, 409 for the default one.</summary>
    public async Task<WriteProblem?> DeleteAsync(Guid id, CancellationToken ct)
    {
        var userId = currentUser.Id;
        var portfolio = await db.Portfolios.SingleOrDefaultAsync(p => p.Id == id && p.UserId == userId, ct);
        if (portfolio is null)
        {
            return WriteProblem.NotFound("portfolio");
        }
        if (portfolio.IsDefault)
        {
            return new WriteProblem(StatusCodes.Status409Conflict, "The default portfolio cannot be deleted",
                "Delete its transactions instead, or keep it empty.", new Dictionary<string, object?>());
        }
        db.Portfolios.Remove(portfolio);
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>A 422 when adding <paramref name="adding"/> transactions would take the user past <see cref="StorageOptions.MaxTransactionsPerUser"/>.</summary>
    private async Task<WriteProblem?> OverQuotaAsync(Guid userId, int adding, CancellationToken ct)
    {
        var quota = storage.Value.MaxTransactionsPerUser;
        if (quota <= 0)
        {
            return null;
        }
        var stored = await db.Transactions.CountAsync(t => t.UserId == userId, ct);
        return stored + adding <= quota ? null : new WriteProblem(StatusCodes.Status422UnprocessableEntity, "Storage quota reached",
            $"An account may hold at most {quota} transactions across its portfolios; it holds {stored} and this would add {adding}. "
            + "Delete transactions you no longer need, or ask the administrator to raise Storage:MaxTransactionsPerUser.",
            new Dictionary<string, object?> { ["code"] = "storage_quota", ["quota"] = quota, ["stored"] = stored, ["adding"] = adding });
    }

    /// <summary>The portfolio's transactions in replay order.</summary>
    public Task<List<TransactionRecord>> TransactionsAsync(Portfolio portfolio, CancellationToken ct) => TransactionsAsync(db, portfolio, ct);

    /// <summary>
    /// A portfolio's transactions in replay order, read with <paramref name="db"/>: for readers
    /// outside a user's request (the daily snapshot job, computations shared between requests).
    /// </summary>
    public static async Task<List<TransactionRecord>> TransactionsAsync(FinSightDbContext db, Portfolio portfolio, CancellationToken ct)
    {
        var records = await db.Transactions.AsNoTracking()
            .Where(t => t.PortfolioId == portfolio.Id && t.UserId == portfolio.UserId)
            .ToListAsync(ct);
        return [.. TransactionRecord.InReplayOrder(records)];
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the portfolio's tracked transactions and commits only if
    /// the whole resulting history still replays. The portfolio's version guards the commit: if
    /// another write landed meanwhile, the change is re-applied to the new history and re-checked,
    /// so two concurrent sells of the same shares cannot both succeed.
    /// </summary>
    /// <param name="portfolioId">A portfolio of the current user.</param>
    /// <param name="change">Adds, edits or removes records through the given edit; returns a problem to abort.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <returns>Null on success, or why the change was refused.</returns>
    public async Task<WriteProblem?> WriteAsync(Guid portfolioId, Func<PortfolioEdit, WriteProblem?> change, CancellationToken ct)
    {
        var userId = currentUser.Id;
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var portfolio = await db.Portfolios.SingleOrDefaultAsync(p => p.Id == portfolioId && p.UserId == userId, ct);
            if (portfolio is null)
            {
                return WriteProblem.NotFound("portfolio");
            }
            var records = await db.Transactions.Where(t => t.PortfolioId == portfolioId).ToListAsync(ct);
            var edit = new PortfolioEdit(db, portfolio, records, clock.StoredUtcNow());
            if (change(edit) is { } refused)
            {
                db.ChangeTracker.Clear();
                return refused;
            }
            if (edit.Changed.Count == 0)
            {
                return null; // nothing to write (an import that was already recorded)
            }
            if (edit.AddedCount > 0 && await OverQuotaAsync(userId, edit.AddedCount, ct) is { } full)
            {
                db.ChangeTracker.Clear();
                return full;
            }

            try
            {
                PortfolioState.Replay(TransactionRecord.InReplayOrder(edit.Resulting).Select(r => r.ToDomain()), portfolio.CostBasisMethod);
            }
            catch (PortfolioException error)
            {
                db.ChangeTracker.Clear();
                return WriteProblem.Inconsistent(error, edit.Changed);
            }

            portfolio.Version++;
            try
            {
                await db.SaveChangesAsync(ct);
                return null;
            }
            catch (DbUpdateConcurrencyException error)
            {
                // Someone else changed this portfolio after we read it: start over on their result,
                // after a random pause so that writers colliding again are spread out.
                if (attempt == MaxAttempts)
                {
                    db.ChangeTracker.Clear();
                    throw new PortfolioBusyException(portfolioId, error);
                }
                var ceiling = Math.Min(MaxBackoff.TotalMilliseconds, 10 * Math.Pow(2, attempt));
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling), clock, ct);
            }
        }
    }
}

/// <summary>The <see cref="PortfolioStore.FindAsync"/> lookups, compiled for one model.</summary>
internal sealed class CompiledLookups
{
    public readonly Func<FinSightDbContext, Guid, CancellationToken, Task<Portfolio?>> Default =
        EF.CompileAsyncQuery((FinSightDbContext db, Guid userId, CancellationToken ct) =>
            db.Portfolios.AsNoTracking().SingleOrDefault(p => p.UserId == userId && p.IsDefault));

    public readonly Func<FinSightDbContext, Guid, Guid, CancellationToken, Task<Portfolio?>> ById =
        EF.CompileAsyncQuery((FinSightDbContext db, Guid id, Guid userId, CancellationToken ct) =>
            db.Portfolios.AsNoTracking().SingleOrDefault(p => p.Id == id && p.UserId == userId));
}

/// <summary>The working copy of a portfolio's transactions inside <see cref="PortfolioStore.WriteAsync"/>.</summary>
public sealed class PortfolioEdit(FinSightDbContext db, Portfolio portfolio, List<TransactionRecord> records, DateTimeOffset now)
{
    private readonly HashSet<Guid> _changed = [];

    public Portfolio Portfolio => portfolio;
    public DateTimeOffset Now => now;
    public IReadOnlyList<TransactionRecord> Records => records;
    internal IEnumerable<TransactionRecord> Resulting => records;
    internal IReadOnlySet<Guid> Changed => _changed;

    public TransactionRecord? Find(Guid id) => records.Find(r => r.Id == id);

    /// <summary>Records added by this edit (what counts against the storage quota).</summary>
    internal int AddedCount { get; private set; }

    public void Add(TransactionRecord record)
    {
        AddedCount++;
        records.Add(record);
        db.Transactions.Add(record);
        _changed.Add(record.Id);
    }

    /// <summary>Marks a tracked record as edited (EF sees the property changes by itself).</summary>
    public void Touch(TransactionRecord record)
    {
        record.UpdatedAt = now;
        _changed.Add(record.Id);
    }

    public void Remove(TransactionRecord record)
    {
        records.Remove(record);
        db.Transactions.Remove(record);
        _changed.Add(record.Id);
    }
}

/// <summary>
/// A write to a portfolio lost the race to other writers on every attempt. Nothing was written;
/// the request may simply be sent again (503 with Retry-After, see <c>ContentionExceptionHandler</c>).
/// </summary>
public sealed class PortfolioBusyException(Guid portfolioId, Exception inner)
    : Exception($"Portfolio {portfolioId} was changed by other requests on every attempt.", inner);

/// <summary>Settings under <c>Storage</c>: how much one account may store.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>
    /// Transactions one user may hold across all their portfolios (default 25,000; 0 turns the
    /// quota off). Every write replays the portfolio's whole history, so this also bounds how long
    /// a write takes. Beyond it, writes that add transactions are 422 (<c>code: storage_quota</c>).
    /// </summary>
    public int MaxTransactionsPerUser { get; set; } = 25_000;
}
