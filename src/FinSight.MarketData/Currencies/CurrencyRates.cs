using FinSight.Domain;

namespace FinSight.MarketData.Currencies;

/// <summary>A day-by-day rate into a base currency, and how much it can be trusted.</summary>
/// <param name="Series">Value of 1 unit of the currency in the base currency by date (symbol = the currency's code); null when no source had it.</param>
/// <param name="Via">The pivot currency when the pair was crossed (GBP→EUR via USD), else null.</param>
/// <param name="IsSimulated">True when any leg came from the simulated market.</param>
/// <param name="Reason">Why there is no series, when there is none.</param>
public sealed record RateHistory(PriceSeries? Series, string? Via, bool IsSimulated, string? Reason);

/// <summary>The latest rate into a base currency.</summary>
/// <param name="Rate">Value of 1 unit in the base currency, &gt; 0; null when unavailable.</param>
/// <param name="Status">Fresh or stale (from the store), or why there is none; the worse of the two legs when crossed.</param>
/// <param name="IsSimulated">True when any leg came from the simulated market.</param>
/// <param name="AsOf">When the rate was obtained (the older leg when crossed).</param>
public sealed record RateQuote(decimal? Rate, MarketDataStatus Status, bool IsSimulated, DateTimeOffset? AsOf);

/// <summary>
/// Exchange rates from the market-data chain, asked for as currency pairs (<c>EURUSD=X</c>), so they
/// are cached, coalesced, rate-limited, stored and labelled exactly as quotes and daily bars are. A
/// pair no source has is crossed through USD, then EUR (GBP→SEK = GBPUSD × USDSEK).
/// </summary>
public sealed class CurrencyRates(MarketDataService market)
{
    private static readonly string[] Pivots = ["USD", "EUR"];

    /// <summary>Daily rates of <paramref name="currency"/> in <paramref name="baseCurrency"/> from <paramref name="from"/> to <paramref name="to"/>.</summary>
    /// <param name="currency">ISO code of the currency priced.</param>
    /// <param name="baseCurrency">ISO code of the base currency.</param>
    /// <param name="from">First date.</param>
    /// <param name="to">Last date.</param>
    /// <param name="ct">Cancellation.</param>
    /// <returns>The series, or why there is none.</returns>
    public async Task<RateHistory> HistoryAsync(string currency, string baseCurrency, DateOnly from, DateOnly to, CancellationToken ct)
    {
        if (currency == baseCurrency)
        {
            return new RateHistory(new PriceSeries(currency, [new DailyClose(from, 1m)]), null, false, null);
        }

        var direct = await market.GetDailyHistoryAsync(FxPair.Symbol(currency, baseCurrency), from, to, ct);
        if (direct.Value is { Bars.Count: > 0 } history)
        {
            return new RateHistory(new PriceSeries(currency, history.Bars.Select(b => new DailyClose(b.Date, b.Close))), null, history.IsSimulated, null);
        }

        foreach (var pivot in Pivots.Where(p => p != currency && p != baseCurrency))
        {
            var first = await market.GetDailyHistoryAsync(FxPair.Symbol(currency, pivot), from, to, ct);
            if (first.Value is not { Bars.Count: > 0 } a)
            {
                continue;
            }

            var second = await market.GetDailyHistoryAsync(FxPair.Symbol(pivot, baseCurrency), from, to, ct);
            if (second.Value is not { Bars.Count: > 0 } b)
            {
                continue;
            }

            return new RateHistory(Cross(currency, a, b), pivot, a.IsSimulated || b.IsSimulated, null);
        }

        return new RateHistory(null, null, false, direct.Reason ?? $"No {currency}/{baseCurrency} rates from any source.");
    }

    /// <summary>The latest rate of <paramref name="currency"/> in <paramref name="baseCurrency"/>, direct or crossed.</summary>
    /// <param name="currency">ISO code of the currency priced.</param>
    /// <param name="baseCurrency">ISO code of the base currency.</param>
    /// <param name="ct">Cancellation.</param>
    /// <returns>The rate and its status.</returns>
    public async Task<RateQuote> LatestAsync(string currency, string baseCurrency, CancellationToken ct)
    {
        if (currency == baseCurrency)
        {
            return new RateQuote(1m, MarketDataStatus.Fresh, false, null);
        }

        var direct = await market.GetQuoteAsync(FxPair.Symbol(currency, baseCurrency), ct);
        if (direct.Value is { } quote)
        {
            return new RateQuote(quote.Price, direct.Status, quote.IsSimulated, quote.AsOf);
        }

        foreach (var pivot in Pivots.Where(p => p != currency && p != baseCurrency))
        {
            var a = await market.GetQuoteAsync(FxPair.Symbol(currency, pivot), ct);
            var b = a.Value is null ? null : await market.GetQuoteAsync(FxPair.Symbol(pivot, baseCurrency), ct);
            if (a.Value is { } qa && b?.Value is { } qb)
            {
                var status = a.IsStale || b.IsStale ? MarketDataStatus.Stale : MarketDataStatus.Fresh;
                return new RateQuote(qa.Price * qb.Price, status, qa.IsSimulated || qb.IsSimulated, qa.AsOf < qb.AsOf ? qa.AsOf : qb.AsOf);
            }
        }

        return new RateQuote(null, direct.Status, false, null);
    }

    /// <summary>The product of two legs on every date either has a rate, each carried forward.</summary>
    internal static PriceSeries Cross(string currency, PriceHistory first, PriceHistory second)
    {
        var a = new PriceSeries(currency, first.Bars.Select(x => new DailyClose(x.Date, x.Close)));
        var b = new PriceSeries(currency, second.Bars.Select(x => new DailyClose(x.Date, x.Close)));
        var dates = first.Bars.Select(x => x.Date).Union(second.Bars.Select(x => x.Date)).Order();
        var closes = new List<DailyClose>();
        foreach (var date in dates)
        {
            if (a.TryGetCloseOnOrBefore(date, out var ca) && b.TryGetCloseOnOrBefore(date, out var cb))
            {
                closes.Add(new DailyClose(date, ca.Close * cb.Close));
            }
        }

        return new PriceSeries(currency, closes);
    }
}
