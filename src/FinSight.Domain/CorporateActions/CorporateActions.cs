using System.Globalization;

namespace FinSight.Domain;

/// <summary>The kind of a <see cref="MarketCorporateAction"/>.</summary>
public enum CorporateActionKind
{
    /// <summary>A stock split or reverse split.</summary>
    Split,

    /// <summary>A cash dividend.</summary>
    Dividend,
}

/// <summary>
/// A split or cash dividend as market data reports it, already converted to as-traded terms: a
/// dividend's <see cref="AmountPerShare"/> is per share as the shares were on its ex-date (vendors
/// report it divided by every later split), and <see cref="ExDateClose"/> is the close on the
/// ex-date in the same terms. Immutable; the factories validate their arguments.
/// </summary>
public sealed record MarketCorporateAction
{
    private MarketCorporateAction(CorporateActionKind kind, string symbol, DateOnly exDate, string source)
    {
        Kind = kind;
        Symbol = Transaction.NormalizeSymbol(symbol, nameof(symbol));
        ExDate = exDate;
        Source = string.IsNullOrWhiteSpace(source) ? throw new ArgumentException("Source must not be empty.", nameof(source)) : source.Trim();
    }

    /// <summary>A split of <paramref name="numerator"/> new shares for every <paramref name="denominator"/> old ones (both &gt; 0).</summary>
    /// <param name="symbol">A <see cref="Ticker"/>.</param>
    /// <param name="exDate">The first day the shares trade split.</param>
    /// <param name="numerator">New shares, &gt; 0 (4 for a 4-for-1 split).</param>
    /// <param name="denominator">Old shares, &gt; 0 (10 for a 1-for-10 reverse split).</param>
    /// <param name="exDateClose">The close on the ex-date (after the split), &gt; 0; null when unknown (no cash in lieu is then proposed).</param>
    /// <param name="source">The market-data provider that reported it (Yahoo, Simulated...).</param>
    /// <returns>The action.</returns>
    public static MarketCorporateAction Split(string symbol, DateOnly exDate, decimal numerator, decimal denominator, decimal? exDateClose, string source) =>
        new(CorporateActionKind.Split, symbol, exDate, source)
        {
            Numerator = Transaction.Positive(numerator, nameof(numerator)),
            Denominator = Transaction.Positive(denominator, nameof(denominator)),
            ExDateClose = exDateClose is null ? null : Transaction.Positive(exDateClose.Value, nameof(exDateClose)),
        };

    /// <summary>A cash dividend of <paramref name="amountPerShare"/> (as traded on the ex-date, &gt; 0) for every share held before <paramref name="exDate"/>.</summary>
    /// <param name="symbol">A <see cref="Ticker"/>.</param>
    /// <param name="exDate">Shares bought on or after this day do not receive it.</param>
    /// <param name="amountPerShare">Cash per share in the shares of the ex-date, &gt; 0.</param>
    /// <param name="payDate">When it is paid, on or after <paramref name="exDate"/>; null when the vendor does not say.</param>
    /// <param name="source">The market-data provider that reported it.</param>
    /// <returns>The action.</returns>
    public static MarketCorporateAction Dividend(string symbol, DateOnly exDate, decimal amountPerShare, DateOnly? payDate, string source) =>
        new(CorporateActionKind.Dividend, symbol, exDate, source)
        {
            AmountPerShare = Transaction.Positive(amountPerShare, nameof(amountPerShare)),
            PayDate = payDate is { } pay && pay < exDate ? throw new ArgumentOutOfRangeException(nameof(payDate), pay, "A dividend is paid on or after its ex-date.") : payDate,
        };

    /// <summary>Split or dividend.</summary>
    public CorporateActionKind Kind { get; }

    /// <summary>The <see cref="Ticker"/>, upper-case.</summary>
    public string Symbol { get; }

    /// <summary>The ex-date (for a split, the first day the shares trade split).</summary>
    public DateOnly ExDate { get; }

    /// <summary>Who reported it.</summary>
    public string Source { get; }

    /// <summary>A split's new shares per <see cref="Denominator"/> old ones; 0 for a dividend.</summary>
    public decimal Numerator { get; private init; }

    /// <summary>A split's old shares; 0 for a dividend.</summary>
    public decimal Denominator { get; private init; }

    /// <summary>Shares after a split per share before it (4 for 4-for-1, 0.1 for 1-for-10); 0 for a dividend.</summary>
    public decimal Ratio => Kind == CorporateActionKind.Split ? Numerator / Denominator : 0m;

    /// <summary>A split's close on its ex-date, used to price cash in lieu; null for a dividend or when unknown.</summary>
    public decimal? ExDateClose { get; private init; }

    /// <summary>A dividend's cash per share as the shares were on its ex-date; 0 for a split.</summary>
    public decimal AmountPerShare { get; private init; }

    /// <summary>A dividend's pay date when the vendor gives one.</summary>
    public DateOnly? PayDate { get; private init; }

    /// <summary>
    /// Identifies the action across vendors and requests: <c>split:AAPL:2020-08-31</c> or
    /// <c>dividend:MSFT:2025-08-21</c> (kind, symbol and ex-date). A dismissal is stored under it.
    /// </summary>
    public string Key => string.Create(CultureInfo.InvariantCulture, $"{(Kind == CorporateActionKind.Split ? "split" : "dividend")}:{Symbol}:{ExDate:yyyy-MM-dd}");
}

/// <summary>
/// A <see cref="MarketCorporateAction"/> that the user's history lacks, with what recording it would do:
/// for a split the shares before and after and any fractional share paid out as cash in lieu; for a
/// dividend the cash received, rounded to cents.
/// </summary>
public sealed record CorporateActionProposal
{
    internal CorporateActionProposal(MarketCorporateAction action, decimal sharesHeld)
    {
        Action = action;
        SharesHeld = sharesHeld;
        if (action.Kind == CorporateActionKind.Split)
        {
            SharesAfter = sharesHeld * action.Ratio;
            var whole = decimal.Floor(SharesAfter.Value);
            // A broker pays cash for the fraction a split leaves of a whole-share holding; a holding
            // that was fractional already (a broker that keeps fractions) keeps the fraction.
            if (sharesHeld == decimal.Floor(sharesHeld) && whole != SharesAfter && action.ExDateClose is { } close)
            {
                CashInLieuShares = SharesAfter - whole;
                CashInLieuPrice = close;
                CashInLieuAmount = Math.Round(CashInLieuShares.Value * close, 2, MidpointRounding.AwayFromZero);
            }
            RecordDate = action.ExDate;
        }
        else
        {
            Amount = Math.Round(sharesHeld * action.AmountPerShare, 2, MidpointRounding.AwayFromZero);
            RecordDate = action.PayDate ?? action.ExDate;
        }
    }

    /// <summary>What the market reported.</summary>
    public MarketCorporateAction Action { get; }

    /// <summary>Shares of the symbol held at the end of the day before the ex-date (counting earlier pending splits as applied).</summary>
    public decimal SharesHeld { get; }

    /// <summary>A split's shares after it (fraction included); null for a dividend.</summary>
    public decimal? SharesAfter { get; }

    /// <summary>The fraction of a share a split leaves that is sold for cash in lieu; null when none.</summary>
    public decimal? CashInLieuShares { get; }

    /// <summary>The price per share of the cash in lieu (the ex-date close); null when none.</summary>
    public decimal? CashInLieuPrice { get; }

    /// <summary>Cash paid for the fraction, rounded to cents; null when none.</summary>
    public decimal? CashInLieuAmount { get; }

    /// <summary>A dividend's cash: shares held × amount per share, rounded to cents; null for a split.</summary>
    public decimal? Amount { get; }

    /// <summary>The date the transactions are recorded on: a split's ex-date, a dividend's pay date (its ex-date when unknown).</summary>
    public DateOnly RecordDate { get; }

    /// <summary>The transactions that record it (a split, plus a sell of the fraction for cash in lieu; or a dividend), with no ids.</summary>
    public IReadOnlyList<Transaction> ToTransactions()
    {
        var a = Action;
        if (a.Kind == CorporateActionKind.Dividend)
        {
            return [Transaction.Dividend(RecordDate, a.Symbol, Amount!.Value)];
        }
        return CashInLieuShares is { } fraction
            ? [Transaction.Split(a.ExDate, a.Symbol, a.Numerator, a.Denominator), Transaction.Sell(a.ExDate, a.Symbol, fraction, CashInLieuPrice!.Value)]
            : [Transaction.Split(a.ExDate, a.Symbol, a.Numerator, a.Denominator)];
    }

    /// <summary>One line for people: "AAPL 4-for-1 split on 2020-08-31: 10 shares become 40".</summary>
    public string Description
    {
        get
        {
            var a = Action;
            var c = CultureInfo.InvariantCulture;
            if (a.Kind == CorporateActionKind.Dividend)
            {
                var paid = a.PayDate is { } pay ? string.Create(c, $", paid {pay:yyyy-MM-dd}") : "";
                return string.Create(c, $"{a.Symbol} dividend {a.AmountPerShare:0.######} per share (ex-date {a.ExDate:yyyy-MM-dd}{paid}) on {SharesHeld:0.######} shares: record {Amount:0.00}");
            }
            var kind = a.Numerator >= a.Denominator ? "split" : "reverse split";
            var text = string.Create(c, $"{a.Symbol} {a.Numerator:0.######}-for-{a.Denominator:0.######} {kind} on {a.ExDate:yyyy-MM-dd}: {SharesHeld:0.######} shares become {SharesAfter:0.######}");
            return CashInLieuShares is { } f
                ? text + string.Create(c, $"; {f:0.######} sold for cash in lieu at {CashInLieuPrice:0.00####} = {CashInLieuAmount:0.00}")
                : text;
        }
    }
}

/// <summary>How close a hand-entered transaction must be to a market action to count as recording it.</summary>
public sealed record CorporateActionMatching
{
    /// <summary>The default: 5 days either side; a dividend up to 40 days after its ex-date when no pay date is known; 35 % less (tax withheld, up to the Swiss rate) to 2 % more.</summary>
    public static CorporateActionMatching Default { get; } = new();

    /// <summary>Days either side of the ex-date (split) or the ex-date-to-pay-date span (dividend) in which a recorded one counts, ≥ 0.</summary>
    public int ToleranceDays { get; init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(ToleranceDays)); } = 5;

    /// <summary>Days after the ex-date a dividend may be paid when the vendor gives no pay date, ≥ 0.</summary>
    public int AssumedPayDelayDays { get; init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(AssumedPayDelayDays)); } = 40;

    /// <summary>
    /// The smallest recorded dividend, as a share of the expected cash, that still counts (0.65: up to 35 % withheld, Switzerland's
    /// rate and the highest common one; a cent of rounding is allowed either way).
    /// </summary>
    public decimal MinAmountShare { get; init => field = value is > 0m and <= 1m ? value : throw new ArgumentOutOfRangeException(nameof(MinAmountShare)); } = 0.65m;

    /// <summary>The largest, as a share of the expected cash (1.02).</summary>
    public decimal MaxAmountShare { get; init => field = value >= 1m ? value : throw new ArgumentOutOfRangeException(nameof(MaxAmountShare)); } = 1.02m;
}

/// <summary>
/// Matches market corporate actions against a portfolio's history. Pure: the same history and
/// actions always give the same proposals, so applying them is idempotent (an applied action is a
/// recorded one, and a recorded one is never proposed again).
/// </summary>
public static class CorporateActionMatcher
{
    /// <summary>
    /// The actions the history lacks, oldest first (a split before a dividend on the same day). An
    /// action is proposed when shares of its symbol were held at the end of the day before its
    /// ex-date, it is not in <paramref name="dismissed"/> (by <see cref="MarketCorporateAction.Key"/>),
    /// and no recorded transaction matches it: a split of the same symbol and ratio within
    /// <see cref="CorporateActionMatching.ToleranceDays"/> of its ex-date, or a dividend of the same
    /// symbol between its ex-date and pay date (widened by the tolerance) whose amount is within
    /// the allowed share of the expected cash. Each recorded transaction matches one action at most,
    /// and one vendor action reported twice (within the tolerance, same ratio or amount) is proposed
    /// once. Shares held count earlier proposed (not dismissed) splits as applied, so a dividend after
    /// a missing split is proposed on the split shares.
    /// </summary>
    /// <param name="history">The portfolio's transactions, in any order.</param>
    /// <param name="actions">What market data reported for the portfolio's symbols.</param>
    /// <param name="dismissed">Keys the user dismissed; never proposed again.</param>
    /// <param name="matching">Tolerances; <see cref="CorporateActionMatching.Default"/> when null.</param>
    /// <returns>The proposals.</returns>
    public static IReadOnlyList<CorporateActionProposal> Pending(
        IEnumerable<Transaction> history, IEnumerable<MarketCorporateAction> actions, IReadOnlySet<string>? dismissed = null, CorporateActionMatching? matching = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(actions);
        matching ??= CorporateActionMatching.Default;
        var bySymbol = history
            .Where(t => t is BuyTransaction or SellTransaction or SplitTransaction or DividendTransaction)
            .GroupBy(SymbolOf, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var proposals = new List<CorporateActionProposal>();
        foreach (var symbolActions in Distinct(actions, matching.ToleranceDays).GroupBy(a => a.Symbol, StringComparer.Ordinal))
        {
            if (!bySymbol.TryGetValue(symbolActions.Key, out var recorded))
            {
                continue;
            }
            var used = new HashSet<Transaction>(ReferenceEqualityComparer.Instance);
            var proposed = new List<Transaction>();
            foreach (var action in symbolActions.OrderBy(a => a.ExDate).ThenBy(a => a.Kind))
            {
                var held = SharesBefore(recorded, proposed, action.ExDate);
                if (held <= 0m)
                {
                    continue;
                }
                var proposal = new CorporateActionProposal(action, held);
                var asRecorded = proposed.Count == 0 ? proposal : new CorporateActionProposal(action, SharesBefore(recorded, [], action.ExDate));
                if (Recorded(recorded, used, proposal, asRecorded, matching) is { } match)
                {
                    used.Add(match);
                    continue;
                }
                if (dismissed?.Contains(action.Key) == true)
                {
                    continue;
                }
                proposals.Add(proposal);
                if (action.Kind == CorporateActionKind.Split)
                {
                    proposed.AddRange(proposal.ToTransactions());
                }
            }
        }
        return [.. proposals.OrderBy(p => p.Action.ExDate).ThenBy(p => p.Action.Kind).ThenBy(p => p.Action.Symbol, StringComparer.Ordinal)];
    }

    private static string SymbolOf(Transaction t) => t switch
    {
        BuyTransaction b => b.Symbol,
        SellTransaction s => s.Symbol,
        SplitTransaction s => s.Symbol,
        DividendTransaction d => d.Symbol,
        _ => throw new InvalidOperationException("Not a symbol transaction."),
    };

    /// <summary>One vendor action reported twice (two providers, or a vendor listing the same split twice a few days apart) counts once.</summary>
    private static IEnumerable<MarketCorporateAction> Distinct(IEnumerable<MarketCorporateAction> actions, int toleranceDays)
    {
        var kept = new List<MarketCorporateAction>();
        foreach (var action in actions.OrderBy(a => a.ExDate))
        {
            var duplicate = kept.Any(k => k.Kind == action.Kind && k.Symbol == action.Symbol
                && Math.Abs(k.ExDate.DayNumber - action.ExDate.DayNumber) <= toleranceDays
                && (action.Kind == CorporateActionKind.Split ? k.Ratio == action.Ratio : k.AmountPerShare == action.AmountPerShare));
            if (!duplicate)
            {
                kept.Add(action);
            }
        }
        return kept;
    }

    /// <summary>Shares held at the end of the day before <paramref name="date"/>: recorded trades and splits, plus the splits (and their cash in lieu) proposed so far.</summary>
    private static decimal SharesBefore(List<Transaction> recorded, List<Transaction> proposed, DateOnly date)
    {
        var events = recorded.Where(t => t.Date < date && t is not DividendTransaction).Concat(proposed.Where(s => s.Date < date))
            // Same day: splits first (a split's date is its ex-date), as PortfolioState replays them.
            .OrderBy(t => t.Date).ThenBy(t => t is SplitTransaction ? 0 : 1);
        var shares = 0m;
        foreach (var t in events)
        {
            shares = t switch
            {
                BuyTransaction b => shares + b.Quantity,
                SellTransaction s => shares - s.Quantity,
                SplitTransaction s => shares * s.Ratio,
                _ => shares,
            };
        }
        return shares;
    }

    /// <summary>
    /// The recorded transaction that records <paramref name="proposal"/>. A dividend's cash may fit the shares with the pending
    /// splits applied or <paramref name="asRecorded"/>, the shares the history holds without them (a dividend recorded while
    /// a split was still missing, or dismissed, is the same payment).
    /// </summary>
    private static Transaction? Recorded(List<Transaction> recorded, HashSet<Transaction> used, CorporateActionProposal proposal, CorporateActionProposal asRecorded, CorporateActionMatching matching)
    {
        var a = proposal.Action;
        var tolerance = matching.ToleranceDays;
        if (a.Kind == CorporateActionKind.Split)
        {
            return recorded.OfType<SplitTransaction>()
                .Where(s => !used.Contains(s) && s.Ratio == a.Ratio && Math.Abs(s.Date.DayNumber - a.ExDate.DayNumber) <= tolerance)
                .OrderBy(s => Math.Abs(s.Date.DayNumber - a.ExDate.DayNumber))
                .FirstOrDefault();
        }
        var first = a.ExDate.AddDays(-tolerance);
        var last = (a.PayDate ?? a.ExDate.AddDays(matching.AssumedPayDelayDays)).AddDays(tolerance);
        bool Fits(decimal amount, decimal expected) => amount >= expected * matching.MinAmountShare - 0.01m && amount <= expected * matching.MaxAmountShare + 0.01m;
        return recorded.OfType<DividendTransaction>()
            .Where(d => !used.Contains(d) && d.Date >= first && d.Date <= last && (Fits(d.Amount, proposal.Amount!.Value) || Fits(d.Amount, asRecorded.Amount!.Value)))
            .OrderBy(d => Math.Abs(d.Date.DayNumber - proposal.RecordDate.DayNumber))
            .FirstOrDefault();
    }
}
