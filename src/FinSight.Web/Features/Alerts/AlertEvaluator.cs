using FinSight.Domain;
using FinSight.MarketData;
using FinSight.MarketData.FairUse;
using FinSight.Web.Data;
using FinSight.Web.Features.CorporateActions;
using FinSight.Web.Features.Dashboard;
using FinSight.Web.Features.Insights;
using FinSight.Web.Features.News;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FinSight.Web.Features.Alerts;

/// <summary>What a rule's kind measured: the value in the threshold's unit, whether it is simulated, and the headlines of a news rule.</summary>
public sealed record AlertObservation(decimal Value, bool IsSimulated, IReadOnlyList<AlertHeadline>? Headlines = null);

/// <summary>An event an event rule fires for once: the keys it is remembered by, its value, its words and its items.</summary>
public sealed record AlertOccurrence(IReadOnlyList<string> Keys, decimal Value, string Message, IReadOnlyList<AlertItem> Items, bool IsSimulated);

/// <summary>
/// Evaluates every enabled rule on fresh data and fires those whose condition became true. Data
/// that is missing or stale (served from the store because no provider answered) decides nothing:
/// the rule keeps its state until fresh data comes. A firing disarms its rule with a conditional
/// update in the same transaction that records the firing and queues its deliveries, so however
/// many instances evaluate at once, one firing is written per crossing. Event rules (ex-dividend,
/// pending corporate action) have no level: they fire once per event, remembered by its key in
/// <c>alert_rule_occurrences</c> (primary key per rule and key), written in the firing's transaction.
/// </summary>
public sealed class AlertEvaluator(
    IServiceScopeFactory scopes, MarketDataService marketData, PortfolioAnalytics analytics,
    TimeProvider clock, ILogger<AlertEvaluator> logger)
{
    /// <summary>News of the last this-many hours counts for a news rule.</summary>
    public static readonly TimeSpan NewsWindow = TimeSpan.FromHours(24);

    private const int HeadlinesListed = 10;

    /// <summary>Evaluates all enabled rules once; returns how many fired.</summary>
    public async Task<int> EvaluateAsync(CancellationToken ct)
    {
        using var lane = VendorCaller.Enter(new VendorCaller("job:alerts", VendorLane.Background));
        List<AlertRule> rules;
        Dictionary<Guid, Portfolio> portfolios;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<FinSightDbContext>();
            rules = await db.AlertRules.AsNoTracking().Where(r => r.Enabled).ToListAsync(ct);
            var ids = rules.Where(r => r.PortfolioId != null).Select(r => r.PortfolioId!.Value).Distinct().ToList();
            portfolios = await db.Portfolios.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        }
        if (rules.Count == 0)
        {
            return 0;
        }
        var fired = await EvaluateEventRulesAsync([.. rules.Where(r => IsEventKind(r.Kind))], portfolios, ct);
        rules = [.. rules.Where(r => !IsEventKind(r.Kind))];
        var observations = await ObserveAsync(rules, portfolios, ct);
        foreach (var rule in rules)
        {
            if (!observations.TryGetValue(rule.Id, out var seen))
            {
                continue;
            }
            switch (AlertConditions.Decide(rule.Kind, rule.Threshold, rule.RearmMargin, rule.Armed, seen.Value))
            {
                case AlertTransition.Fire:
                    fired += await FireAsync(rule, seen, ct) ? 1 : 0;
                    break;
                case AlertTransition.Rearm:
                    await RearmAsync(rule, ct);
                    break;
            }
        }
        return fired;
    }

    /// <summary>Kinds that fire once per event (a dividend, a corporate action) rather than on a level.</summary>
    public static bool IsEventKind(AlertKind kind) => kind is AlertKind.ExDividend or AlertKind.PendingCorporateAction;

    private async Task<int> EvaluateEventRulesAsync(List<AlertRule> rules, Dictionary<Guid, Portfolio> portfolios, CancellationToken ct)
    {
        if (rules.Count == 0)
        {
            return 0;
        }
        var fired = 0;
        HashSet<(Guid, string)> seen;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<FinSightDbContext>();
            var ids = rules.Select(r => r.Id).ToList();
            seen = (await db.AlertRuleOccurrences.AsNoTracking().Where(o => ids.Contains(o.RuleId)).Select(o => new { o.RuleId, o.Key }).ToListAsync(ct))
                .Select(o => (o.RuleId, o.Key)).ToHashSet();
        }
        // One calendar and one scan per portfolio, however many rules read them.
        var income = new Dictionary<Guid, IncomeResponse?>();
        var pending = new Dictionary<Guid, CorporateActionScan?>();
        foreach (var rule in rules)
        {
            if (rule.PortfolioId is not { } portfolioId || !portfolios.TryGetValue(portfolioId, out var portfolio))
            {
                continue;
            }
            try
            {
                var occurrences = rule.Kind == AlertKind.ExDividend
                    ? ExDividends(rule, await CachedAsync(income, portfolio, (s, p) => s.GetRequiredService<InsightsQueries>().IncomeAsync(p, ct)), seen)
                    : PendingActions(rule, await CachedAsync(pending, portfolio, (s, p) => s.GetRequiredService<CorporateActionService>().ScanAsync(p, ct)), seen);
                foreach (var occurrence in occurrences)
                {
                    fired += await FireOnceAsync(rule, occurrence, ct) ? 1 : 0;
                }
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.LogWarning(error, "Could not evaluate alert rule {Rule}; it keeps its state.", rule.Id);
            }
        }
        return fired;
    }

    private async Task<T?> CachedAsync<T>(Dictionary<Guid, T?> cache, Portfolio portfolio, Func<IServiceProvider, Portfolio, Task<T>> read) where T : class
    {
        if (!cache.TryGetValue(portfolio.Id, out var value))
        {
            await using var scope = scopes.CreateAsyncScope();
            value = cache[portfolio.Id] = await read(scope.ServiceProvider, portfolio);
        }
        return value;
    }

    /// <summary>One occurrence per upcoming dividend within the rule's days that it has not fired for.</summary>
    private IEnumerable<AlertOccurrence> ExDividends(AlertRule rule, IncomeResponse? income, HashSet<(Guid, string)> seen)
    {
        if (income is null)
        {
            return [];
        }
        var today = MarketCalendar.ExchangeDate(clock.GetUtcNow());
        return AlertEventRules.ExDividendsDue(income.Upcoming, rule.Symbol, today, (int)rule.Threshold)
            .Where(item => !seen.Contains((rule.Id, item.Key)))
            .Select(item => new AlertOccurrence([item.Key], item.ExDate.DayNumber - today.DayNumber,
                income.IsSimulated ? item.Description + " (simulated market data)" : item.Description, [item], income.IsSimulated));
    }

    /// <summary>One occurrence listing the pending splits and dividends the rule has not fired for (dismissed and recorded ones are not pending).</summary>
    private static IEnumerable<AlertOccurrence> PendingActions(AlertRule rule, CorporateActionScan? scan, HashSet<(Guid, string)> seen)
    {
        var items = (scan?.Pending ?? [])
            .Where(p => (rule.Symbol is null || p.Action.Symbol == rule.Symbol) && !seen.Contains((rule.Id, p.Action.Key)))
            .Select(p => new AlertItem(p.Action.Key, p.Action.Kind == CorporateActionKind.Split ? "split" : "dividend", p.Action.Symbol, p.Action.ExDate,
                p.Action.Kind == CorporateActionKind.Split ? null : p.Action.AmountPerShare, p.SharesHeld, p.Amount, null, p.Description))
            .ToArray();
        return items.Length == 0
            ? []
            : [new AlertOccurrence([.. items.Select(i => i.Key)], items.Length, AlertText.PendingActions(items, scan!.IsSimulated), items, scan.IsSimulated)];
    }

    private async Task<Dictionary<Guid, AlertObservation>> ObserveAsync(List<AlertRule> rules, Dictionary<Guid, Portfolio> portfolios, CancellationToken ct)
    {
        var result = new Dictionary<Guid, AlertObservation>();
        var quoted = rules.Where(r => r.Symbol is not null && r.Kind is AlertKind.PriceAbove or AlertKind.PriceBelow or AlertKind.DailyMove or AlertKind.PositionDrawdown)
            .Select(r => r.Symbol!).Distinct(StringComparer.Ordinal).ToArray();
        var quotes = quoted.Length == 0 ? new Dictionary<string, MarketDataResult<Quote>>() : await marketData.GetQuotesAsync(quoted, ct);
        Quote? Fresh(string symbol) => quotes.GetValueOrDefault(symbol) is { Status: MarketDataStatus.Fresh, Value: { IsStale: false } q } ? q : null;

        var newsSymbols = rules.Where(r => r.Kind == AlertKind.NewsNegative).Select(r => r.Symbol!).Distinct(StringComparer.Ordinal).ToArray();
        var news = newsSymbols.Length == 0 ? new Dictionary<string, AlertObservation?>() : await NewsAsync(newsSymbols, ct);

        foreach (var rule in rules)
        {
            try
            {
                var seen = rule.Kind switch
                {
                    AlertKind.PriceAbove or AlertKind.PriceBelow => Fresh(rule.Symbol!) is { } q ? new AlertObservation(q.Price, q.IsSimulated) : null,
                    AlertKind.DailyMove => Fresh(rule.Symbol!) is { ChangePercent: { } move } q ? new AlertObservation(decimal.Round(move, 2), q.IsSimulated) : null,
                    AlertKind.PositionDrawdown => Fresh(rule.Symbol!) is { } q && rule.PortfolioId is { } p && portfolios.TryGetValue(p, out var portfolio)
                        ? await PositionDrawdownAsync(portfolio, q, ct) : null,
                    AlertKind.PortfolioDrawdown => rule.PortfolioId is { } p && portfolios.TryGetValue(p, out var portfolio)
                        ? await PortfolioDrawdownAsync(portfolio, ct) : null,
                    AlertKind.NewsNegative => news.GetValueOrDefault(rule.Symbol!),
                    _ => null,
                };
                if (seen is not null)
                {
                    result[rule.Id] = seen;
                }
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.LogWarning(error, "Could not evaluate alert rule {Rule}; it keeps its state.", rule.Id);
            }
        }
        return result;
    }

    /// <summary>How far the price is below the highest close since the position was opened, in percent (0 at a new high).</summary>
    private async Task<AlertObservation?> PositionDrawdownAsync(Portfolio portfolio, Quote quote, CancellationToken ct)
    {
        var facts = await analytics.FactsAsync(portfolio, ct);
        var position = facts.State.Positions.FirstOrDefault(p => p.Symbol == quote.Symbol);
        if (position is null)
        {
            return null; // not held: no position to fall
        }
        var lastClosed = MarketCalendar.LastClosedSession(clock.GetUtcNow());
        var peak = quote.Price;
        if (position.OpenedOn <= lastClosed)
        {
            var history = await marketData.GetDailyHistoryAsync(quote.Symbol, position.OpenedOn, lastClosed, ct);
            if (history.Value is not { } bars || history.IsStale)
            {
                return null;
            }
            peak = Math.Max(peak, bars.Bars.Count == 0 ? peak : bars.Bars.Max(b => b.Close));
        }
        return new AlertObservation(decimal.Round((peak - quote.Price) / peak * 100m, 2), quote.IsSimulated);
    }

    /// <summary>The time-weighted index's fall from its peak at the last close, in percent; nothing when some history is missing.</summary>
    private async Task<AlertObservation?> PortfolioDrawdownAsync(Portfolio portfolio, CancellationToken ct)
    {
        var performance = await analytics.PerformanceAsync(portfolio, null, ct);
        if (performance is null || performance.MissingHistory.Count > 0 || performance.History.Points.Count == 0)
        {
            return null;
        }
        var drawdown = -(decimal)performance.History.Points[^1].Drawdown * 100m;
        return new AlertObservation(decimal.Round(Math.Max(0m, drawdown), 2), performance.IsSimulated);
    }

    /// <summary>Per symbol, the mean net sentiment of its headlines of the last 24 hours, with those headlines; null without fresh news or without any.</summary>
    private async Task<Dictionary<string, AlertObservation?>> NewsAsync(string[] symbols, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<NewsSentimentService>();
        var now = clock.GetUtcNow();
        var all = await service.ForSymbolsAsync(symbols, limit: 30, ct);
        return all.ToDictionary(n => n.Symbol, n =>
        {
            if (n.Result is not { Status: MarketDataStatus.Fresh, Value: { } feed })
            {
                return null;
            }
            var recent = n.Latest.Where(h => h.Headline.PublishedAt > now - NewsWindow && h.Headline.PublishedAt <= now).ToArray();
            if (recent.Length == 0)
            {
                return null;
            }
            var net = recent.Average(h => h.Sentiment.Result.Probabilities.Net);
            var listed = recent.OrderBy(h => h.Sentiment.Result.Probabilities.Net).Take(HeadlinesListed)
                .Select(h => new AlertHeadline(h.Headline.Title, h.Headline.Url.ToString(), h.Headline.PublishedAt, Math.Round(h.Sentiment.Result.Probabilities.Net, 4)))
                .ToArray();
            return (AlertObservation?)new AlertObservation(decimal.Round((decimal)net, 4), NewsSentimentService.IsSimulated(feed), listed);
        }, StringComparer.Ordinal);
    }

    /// <summary>Disarms the rule, records the firing and queues its deliveries, all or nothing; false when another evaluation fired it first.</summary>
    private async Task<bool> FireAsync(AlertRule rule, AlertObservation seen, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FinSightDbContext>();
        var now = clock.StoredUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var disarmed = await db.AlertRules.Where(r => r.Id == rule.Id && r.Armed && r.Enabled)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Armed, false).SetProperty(r => r.LastFiredAt, now), ct);
        if (disarmed == 0)
        {
            await transaction.RollbackAsync(ct);
            return false;
        }
        var firing = new AlertEvent
        {
            Id = Guid.NewGuid(), UserId = rule.UserId, RuleId = rule.Id, Kind = rule.Kind, Symbol = rule.Symbol, Threshold = rule.Threshold,
            Value = seen.Value, IsSimulated = seen.IsSimulated, FiredAt = now, Headlines = AlertText.SerializeHeadlines(seen.Headlines),
            Message = Truncate(AlertText.Fired(rule.Kind, rule.Symbol, rule.Threshold, seen.Value, seen.IsSimulated, seen.Headlines?.Count ?? 0)),
        };
        await RecordAsync(db, rule, firing, now, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Alert rule {Rule} fired: {Kind} {Symbol} value {Value}.", rule.Id, rule.Kind, rule.Symbol, seen.Value);
        return true;
    }

    /// <summary>
    /// Records an event rule's firing with its keys, all or nothing; false when the rule is gone or off, or
    /// another evaluation recorded one of the keys first (the primary key refuses the second).
    /// </summary>
    private async Task<bool> FireOnceAsync(AlertRule rule, AlertOccurrence occurrence, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FinSightDbContext>();
        var now = clock.StoredUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await db.AlertRules.Where(r => r.Id == rule.Id && r.Enabled).ExecuteUpdateAsync(s => s.SetProperty(r => r.LastFiredAt, now), ct) == 0)
        {
            await transaction.RollbackAsync(ct);
            return false;
        }
        var firing = new AlertEvent
        {
            Id = Guid.NewGuid(), UserId = rule.UserId, RuleId = rule.Id, Kind = rule.Kind, Symbol = rule.Symbol, Threshold = rule.Threshold,
            Value = occurrence.Value, IsSimulated = occurrence.IsSimulated, FiredAt = now, Items = AlertText.SerializeItems(occurrence.Items),
            Message = Truncate(occurrence.Message),
        };
        db.AlertRuleOccurrences.AddRange(occurrence.Keys.Select(k => new AlertRuleOccurrence { RuleId = rule.Id, Key = k, EventId = firing.Id, FiredAt = now }));
        await RecordAsync(db, rule, firing, now, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another instance fired for this event first: its firing stands, this one is not written.
            await transaction.RollbackAsync(CancellationToken.None);
            return false;
        }
        await transaction.CommitAsync(ct);
        logger.LogInformation("Alert rule {Rule} fired: {Kind} {Keys}.", rule.Id, rule.Kind, string.Join(", ", occurrence.Keys));
        return true;
    }

    /// <summary>Adds the firing and queues its email and webhook deliveries (after quiet hours).</summary>
    private static async Task RecordAsync(FinSightDbContext db, AlertRule rule, AlertEvent firing, DateTimeOffset now, CancellationToken ct)
    {
        db.AlertEvents.Add(firing);
        if (rule.NotifyEmail || rule.NotifyWebhook)
        {
            var preferences = await db.AlertPreferences.AsNoTracking().FirstOrDefaultAsync(p => p.UserId == rule.UserId, ct);
            var from = QuietHours.NextAllowed(now, preferences?.QuietStart, preferences?.QuietEnd, preferences?.TimeZone ?? "UTC");
            if (rule.NotifyEmail)
            {
                var email = preferences?.Email ?? await db.Users.Where(u => u.Id == rule.UserId).Select(u => u.Email).FirstAsync(ct);
                db.AlertDeliveries.Add(Queue(firing, AlertChannel.Email, email, from, now));
            }
            if (rule.NotifyWebhook && preferences?.WebhookUrl is { } url)
            {
                db.AlertDeliveries.Add(Queue(firing, AlertChannel.Webhook, url, from, now));
            }
        }
    }

    private static AlertDelivery Queue(AlertEvent firing, AlertChannel channel, string target, DateTimeOffset from, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid(), EventId = firing.Id, UserId = firing.UserId, Channel = channel, Target = target,
        Status = AlertDeliveryStatus.Pending, NextAttemptAt = from, CreatedAt = now,
    };

    private async Task RearmAsync(AlertRule rule, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FinSightDbContext>();
        await db.AlertRules.Where(r => r.Id == rule.Id && !r.Armed).ExecuteUpdateAsync(s => s.SetProperty(r => r.Armed, true), ct);
    }

    private static string Truncate(string text) => text.Length <= AlertLimits.MessageMax ? text : text[..AlertLimits.MessageMax];
}
