using System.Collections;

namespace FinSight.Domain;

/// <summary>A symbol's closing price on one date.</summary>
/// <param name="Date">Trading date.</param>
/// <param name="Close">Closing price per share, &gt; 0.</param>
public readonly record struct DailyClose(DateOnly Date, decimal Close);

/// <summary>
/// Daily closes of one symbol, ordered by date, one per date, every close &gt; 0. Gaps (weekends,
/// holidays, missing data) are simply absent: lookups carry the last close forward.
/// Whether the closes are split-adjusted is stated where they are used (<see cref="CloseAdjustment"/>).
/// </summary>
public sealed class PriceSeries : IReadOnlyList<DailyClose>
{
    private readonly DateOnly[] dates;
    private readonly decimal[] closes;

    /// <summary>Creates a series; the closes may come in any order.</summary>
    /// <param name="symbol">A <see cref="Ticker"/>; trimmed and upper-cased.</param>
    /// <param name="closes">The closes; dates must be distinct and closes &gt; 0.</param>
    /// <exception cref="ArgumentException">A duplicate date or a close ≤ 0.</exception>
    public PriceSeries(string symbol, IEnumerable<DailyClose> closes)
    {
        ArgumentNullException.ThrowIfNull(closes);
        Symbol = Transaction.NormalizeSymbol(symbol, nameof(symbol));
        var items = closes.ToArray();
        var sorted = true;
        for (var i = 1; i < items.Length && sorted; i++)
        {
            sorted = items[i - 1].Date < items[i].Date;
        }

        if (!sorted)
        {
            items = items.OrderBy(c => c.Date).ToArray();
        }

        dates = new DateOnly[items.Length];
        this.closes = new decimal[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            if (items[i].Close <= 0m)
            {
                throw new ArgumentException($"{Symbol}: close on {items[i].Date:yyyy-MM-dd} must be greater than zero, was {items[i].Close}.", nameof(closes));
            }

            if (i > 0 && items[i].Date == items[i - 1].Date)
            {
                throw new ArgumentException($"{Symbol}: two closes on {items[i].Date:yyyy-MM-dd}.", nameof(closes));
            }

            dates[i] = items[i].Date;
            this.closes[i] = items[i].Close;
        }
    }

    /// <summary>The <see cref="Ticker"/>, upper-case.</summary>
    public string Symbol { get; }

    /// <summary>Number of closes.</summary>
    public int Count => dates.Length;

    /// <summary>The close at <paramref name="index"/> in date order.</summary>
    /// <param name="index">Zero-based index.</param>
    public DailyClose this[int index] => new(dates[index], closes[index]);

    internal ReadOnlySpan<DateOnly> Dates => dates;

    internal ReadOnlySpan<decimal> Closes => closes;

    /// <summary>Finds the last close on or before <paramref name="date"/> (the carried-forward price).</summary>
    /// <param name="date">The date.</param>
    /// <param name="close">The close found.</param>
    /// <returns>False when the series has no close on or before the date.</returns>
    public bool TryGetCloseOnOrBefore(DateOnly date, out DailyClose close)
    {
        var index = IndexOnOrBefore(date);
        close = index >= 0 ? this[index] : default;
        return index >= 0;
    }

    /// <summary>Index of the last close on or before <paramref name="date"/>, or −1.</summary>
    internal int IndexOnOrBefore(DateOnly date)
    {
        var index = Array.BinarySearch(dates, date);
        return index >= 0 ? index : ~index - 1;
    }

    /// <inheritdoc />
    public IEnumerator<DailyClose> GetEnumerator()
    {
        for (var i = 0; i < dates.Length; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>What the closes given to <see cref="PortfolioHistory.Build"/> are adjusted for.</summary>
public enum CloseAdjustment
{
    /// <summary>
    /// Closes are back-adjusted for splits (what Yahoo's <c>close</c> is): a close before a split is the
    /// raw close ÷ the split ratio. Before valuing a date, the engine multiplies the close back by every
    /// recorded split of the symbol dated after it, so the history must record all of the symbol's splits
    /// since the first close used. The default.
    /// </summary>
    SplitAdjusted,

    /// <summary>Closes are as traded on each day; they jump at a split exactly as the share count does.</summary>
    AsTraded,
}

/// <summary>Daily closes for many symbols: the price input of <see cref="PortfolioHistory.Build"/>.</summary>
public sealed class MarketPrices
{
    private readonly Dictionary<string, PriceSeries> series = new(StringComparer.Ordinal);

    /// <summary>Creates the set.</summary>
    /// <param name="series">One series per symbol.</param>
    /// <exception cref="ArgumentException">Two series for the same symbol.</exception>
    public MarketPrices(IEnumerable<PriceSeries> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        foreach (var s in series)
        {
            ArgumentNullException.ThrowIfNull(s, nameof(series));
            if (!this.series.TryAdd(s.Symbol, s))
            {
                throw new ArgumentException($"Two price series for {s.Symbol}.", nameof(series));
            }
        }
    }

    /// <summary>A set without prices: every position is then valued at its last trade price.</summary>
    public static MarketPrices Empty { get; } = new([]);

    /// <summary>The series held, in no particular order.</summary>
    public IReadOnlyCollection<PriceSeries> Series => series.Values;

    /// <summary>Finds a symbol's series.</summary>
    /// <param name="symbol">Ticker, upper-case.</param>
    /// <param name="priceSeries">The series found.</param>
    /// <returns>False when there is no series for the symbol.</returns>
    public bool TryGetSeries(string symbol, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PriceSeries? priceSeries) =>
        series.TryGetValue(symbol, out priceSeries);

    /// <summary>
    /// Builds a valuation price per symbol from the closes as of <paramref name="date"/>: the last close on or before
    /// it, and the close before that as the previous close. Symbols without a close by then are left out.
    /// Handy for valuing a <see cref="PortfolioState"/> at a past date or offline.
    /// </summary>
    /// <param name="date">As-of date.</param>
    /// <returns>Prices keyed by symbol.</returns>
    public IReadOnlyDictionary<string, ValuationPrice> PricesAsOf(DateOnly date)
    {
        var prices = new Dictionary<string, ValuationPrice>(StringComparer.Ordinal);
        foreach (var s in series.Values)
        {
            var index = s.IndexOnOrBefore(date);
            if (index >= 0)
            {
                prices[s.Symbol] = new ValuationPrice(s.Closes[index], index > 0 ? s.Closes[index - 1] : null);
            }
        }

        return prices;
    }
}
