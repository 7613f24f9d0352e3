using System.Globalization;
using FinSight.Domain;
using FinSight.MarketData;
using FinSight.MarketData.Caching;
using FinSight.Web.Data;
using FinSight.Web.Features.Dashboard;
using FinSight.Web.Features.Portfolios;
using Microsoft.EntityFrameworkCore;
using ZiggyCreatures.Caching.Fusion;

namespace FinSight.Web.Features.CorporateActions;

/// <summary>
/// A portfolio's splits and dividends from market data that its history lacks (see
/// <see cref="CorporateActionMatcher"/>), with what the market reported and how trustworthy that is.
/// </summary>
/// <param name="Pending">The proposals, oldest first.</param>
/// <param name="Reported">Every action market data reported for the portfolio's symbols since each was first traded.</param>
/// <param name="MissingHistory">Symbols whose history no provider could give: their actions are unknown, not absent.</param>
/// <param name="IsSimulated">Whether any of it came from the simulated market.</param>
/// <param name="AutoApply">The portfolio's setting: pending actions are recorded without asking.</param>
public sealed record CorporateActionScan(
    IReadOnlyList<CorporateActionProposal> Pending,
    IReadOnlyList<MarketCorporateAction> Reported,
    IReadOnlyList<string> MissingHistory,
    bool IsSimulated,
    bool AutoApply);

/// <summary>What <see cref="CorporateActionService.ApplyAsync"/> recorded.</summary>
/// <param name="Applied">The proposals recorded, oldest first.</param>
/// <param name="Transactions">The transactions written for them.</param>
/// <param name="AlreadyRecorded">Asked-for keys that were no longer pending (applied meanwhile, recorded by hand or dismissed): nothing was written for them.</param>
public sealed record CorporateActionApplyResult(
    IReadOnlyList<CorporateActionProposal> Applied, IReadOnlyList<TransactionRecord> Transactions, IReadOnlyList<string> AlreadyRecorded);

/// <summary>
/// Proposes, applies and dismisses a portfolio's corporate actions. Reads take a portfolio the caller
/// already found (for its user, or for any user in a job), so other features (alerts on a pending
/// action) can ask <see cref="ScanAsync"/> directly. Writes go through <see cref="PortfolioStore"/>'s
/// version-checked write: the proposals are recomputed from the history inside the write, so an action
/// applied twice at once (two tabs, the job and a click) is recorded once, and nothing is partly written.
/// What market data reports for a portfolio is kept per portfolio version and exchange day (it reads every
/// held symbol's history since its first trade), so the dashboard's notice and the list read no history
/// until a write or the next day; dismissals and the setting are read on every call, so they take effect at once.
/// </summary>
public sealed class CorporateActionService(
    FinSightDbContext db, MarketDataService marketData, PortfolioStore store, PortfolioAnalytics analytics, IFusionCache cache,
    TimeProvider clock, ILogger<CorporateActionService> logger)
{
    private static readonly TimeSpan ActionsLifetime = TimeSpan.FromHours(6);
    private static readonly TimeSpan IncompleteActionsLifetime = TimeSpan.FromMinutes(1);

    /// <summary>The portfolio's pending actions and what they were matched against.</summary>
    public async Task<CorporateActionScan> ScanAsync(Portfolio portfolio, CancellationToken ct)
    {
        // The history as of this version, from the analytics' cache (no query when the dashboard has it).
        var records = (await analytics.FactsAsync(portfolio, ct)).Records;
        var market = await MarketActionsAsync(portfolio, records, ct);
        var dismissed = await DismissedAsync(portfolio, ct);
        var pending = CorporateActionMatcher.Pending(records.Select(r => r.ToDomain()), market.Actions, dismissed);
        return new CorporateActionScan(pending, market.Actions, market.Missing, market.IsSimulated, await AutoApplyAsync(portfolio, ct));
    }

    /// <summary>The pending actions of a portfolio, for a quick check (alerts, a dashboard badge).</summary>
    public async Task<IReadOnlyList<CorporateActionProposal>> PendingAsync(Portfolio portfolio, CancellationToken ct) =>
        (await ScanAsync(portfolio, ct)).Pending;

    /// <summary>
    /// Records the pending actions named by <paramref name="keys"/> (all of them when null) in one
    /// write. A pending split that is not asked for is treated as not applied, so a dividend applied
    /// without its earlier split is on the shares recorded. 404 when a key names no action market data
    /// reported for this portfolio; a key that is no longer pending is reported back, not an error.
    /// </summary>
    /// <param name="portfolio">A portfolio the caller found for its user.</param>
    /// <param name="keys">Action keys (<see cref="MarketCorporateAction.Key"/>), or null for every pending one.</param>
    /// <param name="asOwner">Write on behalf of the portfolio's owner (a job); false inside the owner's request.</param>
    /// <param name="ct">Cancels the request.</param>
    public async Task<(CorporateActionApplyResult? Result, WriteProblem? Problem)> ApplyAsync(
        Portfolio portfolio, IReadOnlyCollection<string>? keys, bool asOwner, CancellationToken ct)
    {
        var records = await PortfolioStore.TransactionsAsync(db, portfolio, ct);
        var market = await MarketActionsAsync(portfolio, records, ct);
        if (keys is not null && keys.FirstOrDefault(k => market.Actions.All(a => a.Key != k)) is { } unknown)
        {
            return (null, UnknownAction(unknown));
        }
        var dismissed = await DismissedAsync(portfolio, ct);
        List<CorporateActionProposal> applied = [];
        List<TransactionRecord> written = [];
        List<string> already = [];
        Func<PortfolioEdit, WriteProblem?> change = edit =>
        {
            applied.Clear();
            written.Clear();
            already.Clear();
            var history = edit.Records.Select(r => r.ToDomain()).ToArray();
            var skip = new HashSet<string>(dismissed, StringComparer.Ordinal);
            if (keys is not null)
            {
                skip.UnionWith(CorporateActionMatcher.Pending(history, market.Actions, dismissed).Select(p => p.Action.Key).Where(k => !keys.Contains(k)));
            }
            applied.AddRange(CorporateActionMatcher.Pending(history, market.Actions, skip));
            already.AddRange(keys?.Where(k => applied.All(p => p.Action.Key != k)) ?? []);
            var order = 0;
            foreach (var proposal in applied)
            {
                foreach (var transaction in proposal.ToTransactions())
                {
                    // Distinct creation times keep the recorded order (split before its cash in lieu) for same-day replay.
                    var at = edit.Now.AddTicks(10 * order++);
                    var record = ToRecord(transaction, proposal, edit.Portfolio, at);
                    edit.Add(record);
                    written.Add(record);
                }
            }
            return null;
        };
        var problem = asOwner ? await store.WriteForOwnerAsync(portfolio, change, ct) : await store.WriteAsync(portfolio.Id, change, ct);
        if (problem is not null)
        {
            return (null, problem);
        }
        if (applied.Count > 0)
        {
            logger.LogInformation("Recorded {Count} corporate actions from market data in portfolio {PortfolioId}.", applied.Count, portfolio.Id);
        }
        return (new CorporateActionApplyResult([.. applied], [.. written], [.. already]), null);
    }

    /// <summary>Dismisses actions for good (they are never proposed for this portfolio again); 404 when a key names no reported action.</summary>
    public async Task<WriteProblem?> DismissAsync(Portfolio portfolio, IReadOnlyCollection<string> keys, CancellationToken ct)
    {
        var records = await PortfolioStore.TransactionsAsync(db, portfolio, ct);
        var market = await MarketActionsAsync(portfolio, records, ct);
        if (keys.FirstOrDefault(k => market.Actions.All(a => a.Key != k)) is { } unknown)
        {
            return UnknownAction(unknown);
        }
        var dismissed = await DismissedAsync(portfolio, ct);
        var now = clock.StoredUtcNow();
        db.CorporateActionDismissals.AddRange(keys.Distinct(StringComparer.Ordinal).Where(k => !dismissed.Contains(k))
            .Select(k => new CorporateActionDismissal { PortfolioId = portfolio.Id, UserId = portfolio.UserId, ActionKey = k, DismissedAt = now }));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same dismissal arrived twice at once: the primary key kept one, which is the wanted result.
            db.ChangeTracker.Clear();
        }
        return null;
    }

    /// <summary>Proposes a dismissed action again; true when it was dismissed.</summary>
    public async Task<bool> RestoreAsync(Portfolio portfolio, string key, CancellationToken ct) =>
        await db.CorporateActionDismissals.Where(d => d.PortfolioId == portfolio.Id && d.UserId == portfolio.UserId && d.ActionKey == key).ExecuteDeleteAsync(ct) > 0;

    /// <summary>Whether pending actions are recorded without asking.</summary>
    public Task<bool> AutoApplyAsync(Portfolio portfolio, CancellationToken ct) =>
        db.CorporateActionSettings.AsNoTracking().AnyAsync(s => s.PortfolioId == portfolio.Id && s.UserId == portfolio.UserId && s.AutoApply, ct);

    /// <summary>Turns automatic recording on or off; turning it on records what is pending now.</summary>
    public async Task<(CorporateActionApplyResult? Result, WriteProblem? Problem)> SetAutoApplyAsync(Portfolio portfolio, bool on, CancellationToken ct)
    {
        var settings = await db.CorporateActionSettings.SingleOrDefaultAsync(s => s.PortfolioId == portfolio.Id && s.UserId == portfolio.UserId, ct);
        if (settings is null)
        {
            settings = new CorporateActionSettings { PortfolioId = portfolio.Id, UserId = portfolio.UserId };
            db.CorporateActionSettings.Add(settings);
        }
        settings.AutoApply = on;
        settings.UpdatedAt = clock.StoredUtcNow();
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two first settings raced: the other row stands; set it again on it.
            db.ChangeTracker.Clear();
            await db.CorporateActionSettings.Where(s => s.PortfolioId == portfolio.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.AutoApply, on), ct);
        }
        db.ChangeTracker.Clear();
        return on ? await ApplyAsync(portfolio, null, asOwner: true, ct) : (new CorporateActionApplyResult([], [], []), null);
    }

    /// <summary>The portfolios whose owners chose automatic recording (for the job).</summary>
    public Task<List<Portfolio>> AutoApplyPortfoliosAsync(CancellationToken ct) =>
        db.Portfolios.AsNoTracking().Where(p => db.CorporateActionSettings.Any(s => s.PortfolioId == p.Id && s.UserId == p.UserId && s.AutoApply)).ToListAsync(ct);

    private async Task<IReadOnlySet<string>> DismissedAsync(Portfolio portfolio, CancellationToken ct) =>
        (await db.CorporateActionDismissals.AsNoTracking().Where(d => d.PortfolioId == portfolio.Id && d.UserId == portfolio.UserId)
            .Select(d => d.ActionKey).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);

    private static WriteProblem UnknownAction(string key) => new(StatusCodes.Status404NotFound, "No such corporate action",
        $"Market data reports no action '{key}' for a symbol of this portfolio. Keys look like split:AAPL:2020-08-31 or dividend:MSFT:2025-08-21.",
        new Dictionary<string, object?> { ["key"] = key }) { Field = "keys" };

    private sealed record MarketActions(IReadOnlyList<MarketCorporateAction> Actions, IReadOnlyList<string> Missing, bool IsSimulated);

    /// <summary>
    /// Every split and dividend reported since each symbol was first traded in the portfolio, in as-traded
    /// terms: vendors divide a dividend (and every close) by the splits after it, so it is multiplied back.
    /// </summary>
    /// <remarks>
    /// Kept per portfolio version (the first trades, so which histories, depend on it) and exchange day (a new day may
    /// report a new action); when some history was missing, only for a minute, so it is asked for again soon.
    /// </remarks>
    private Task<MarketActions> MarketActionsAsync(Portfolio portfolio, IReadOnlyList<TransactionRecord> records, CancellationToken ct)
    {
        var today = MarketCalendar.ExchangeDate(clock.GetUtcNow());
        var key = string.Create(CultureInfo.InvariantCulture, $"corporate-actions:market:{portfolio.Id:N}:{portfolio.Version}:{today:yyyy-MM-dd}");
        return cache.GetOrCreateSharedAsync(key, async () =>
        {
            var market = await ReadMarketActionsAsync(records, today, CancellationToken.None);
            return new Cached<MarketActions>(market, market.Missing.Count > 0 ? IncompleteActionsLifetime : ActionsLifetime, 1 + market.Actions.Count);
        }, ct);
    }

    private async Task<MarketActions> ReadMarketActionsAsync(IReadOnlyList<TransactionRecord> records, DateOnly today, CancellationToken ct)
    {
        var firsts = records.Where(r => r.Symbol is not null && r.Type is TransactionType.Buy or TransactionType.Sell or TransactionType.Split or TransactionType.Dividend)
            .GroupBy(r => r.Symbol!, StringComparer.Ordinal)
            .Select(g => (Symbol: g.Key, From: g.Min(r => r.Date)))
            .Where(s => s.From <= today)
            .ToArray();
        var histories = await Task.WhenAll(firsts.Select(s => marketData.GetDailyHistoryAsync(s.Symbol, s.From, today, ct)));
        // Pay dates, and actions the history's vendor missed (Finnhub where the key allows): an addition, never required.
        var reports = await Task.WhenAll(firsts.Select(s => marketData.GetCorporateActionsAsync(s.Symbol, s.From, today, ct)));
        var actions = new List<MarketCorporateAction>();
        var missing = new List<string>();
        for (var i = 0; i < firsts.Length; i++)
        {
            if (histories[i].Value is not { } history)
            {
                missing.Add(firsts[i].Symbol);
                continue;
            }
            actions.AddRange(AsTraded(history.With(reports[i].Value), today));
        }
        return new MarketActions(actions, missing, histories.Any(h => h.Value?.IsSimulated == true));
    }

    /// <summary>A vendor history's corporate actions up to <paramref name="today"/>, in the shares of their own dates.</summary>
    internal static IEnumerable<MarketCorporateAction> AsTraded(PriceHistory history, DateOnly today)
    {
        decimal LaterSplits(DateOnly date) => history.Splits.Where(s => s.Date > date).Aggregate(1m, (f, s) => f * s.Ratio);
        foreach (var split in history.Splits.Where(s => s.Date <= today))
        {
            var bar = history.Bars.FirstOrDefault(b => b.Date >= split.Date);
            decimal? close = bar is null ? null : bar.Close * LaterSplits(bar.Date);
            yield return MarketCorporateAction.Split(history.Symbol, split.Date, split.Numerator, split.Denominator, close, history.Source);
        }
        // A dividend is proposed once paid: on its pay date when known, else its ex-date.
        foreach (var dividend in history.Dividends.Where(d => (d.PayDate ?? d.ExDate) <= today))
        {
            // Recorded on its pay date when the vendor states one; the ex-date stays its key and what it is matched on.
            yield return MarketCorporateAction.Dividend(history.Symbol, dividend.ExDate, dividend.Amount * LaterSplits(dividend.ExDate), dividend.PayDate, history.Source);
        }
    }

    private static TransactionRecord ToRecord(Transaction transaction, CorporateActionProposal proposal, Portfolio portfolio, DateTimeOffset at)
    {
        var record = new TransactionRecord
        {
            Id = Guid.CreateVersion7(at),
            PortfolioId = portfolio.Id,
            UserId = portfolio.UserId,
            Type = transaction.Type,
            Date = transaction.Date,
            CreatedAt = at,
            UpdatedAt = at,
        };
        switch (transaction)
        {
            case SplitTransaction s:
                (record.Symbol, record.SplitNumerator, record.SplitDenominator) = (s.Symbol, s.Numerator, s.Denominator);
                break;
            case SellTransaction s:
                (record.Symbol, record.Quantity, record.Price, record.Fees) = (s.Symbol, s.Quantity, s.Price, 0m);
                break;
            case DividendTransaction d:
                (record.Symbol, record.Amount) = (d.Symbol, d.Amount);
                break;
        }
        var what = transaction is SellTransaction ? "cash in lieu of " : "";
        var note = $"From market data ({proposal.Action.Source}): {what}{proposal.Description}";
        record.Notes = note.Length <= 500 ? note : note[..500];
        return record;
    }
}
