using FinSight.MarketData.Currencies;

namespace FinSight.MarketData.Simulated;

// The simulated market's exchange rates: each currency's value in dollars walks on its own (8 % a
// year, mean-reverting), anchored near its real level on AnchorDate, and a pair is the ratio of two
// such values, so EURUSD × USDJPY is exactly EURJPY as on a real market without arbitrage. Rates
// move on every weekday (currencies trade through exchange holidays) and have six decimals.
public sealed partial class SimulatedMarketProvider
{
    /// <summary>Value of one unit in US dollars on <see cref="AnchorDate"/>, near the real level.</summary>
    private static readonly Dictionary<string, double> UsdValue = new(StringComparer.Ordinal)
    {
        ["USD"] = 1, ["EUR"] = 1.035, ["GBP"] = 1.245, ["CHF"] = 1.10, ["JPY"] = 0.00635, ["CAD"] = 0.695,
        ["AUD"] = 0.62, ["NZD"] = 0.56, ["HKD"] = 0.1287, ["SGD"] = 0.732, ["SEK"] = 0.0905, ["NOK"] = 0.088,
        ["DKK"] = 0.139, ["PLN"] = 0.243, ["ZAR"] = 0.053, ["ILS"] = 0.274, ["CNY"] = 0.137, ["INR"] = 0.01167,
        ["KRW"] = 0.00068, ["TWD"] = 0.0304, ["BRL"] = 0.162, ["MXN"] = 0.048,
    };

    private const double FxVolatility = 0.08;

    private static bool IsSimulatedPair(string symbol, out string from, out string to) =>
        FxPair.TryParse(symbol, out from, out to) && UsdValue.ContainsKey(from) && UsdValue.ContainsKey(to);

    /// <summary>Log of one unit's dollar value on each weekday from <see cref="FirstDate"/> to <paramref name="through"/> (index: weekdays since FirstDate).</summary>
    private double[] UsdWalk(string currency, DateOnly through)
    {
        var last = through > AnchorDate ? through : AnchorDate;
        var days = WeekdaysSince(last);
        var walk = new double[days + 1];
        if (currency == "USD")
        {
            return walk;
        }
        var sigma = FxVolatility / Math.Sqrt(TradingDaysPerYear);
        for (var n = 1; n <= days; n++)
        {
            walk[n] = walk[n - 1] * (1 - MeanReversion) + sigma * Normal(Hash("FX:" + currency, 3, n), Hash("FX:" + currency, 4, n));
        }
        var shift = Math.Log(UsdValue[currency]) - walk[WeekdaysSince(AnchorDate)];
        for (var n = 0; n <= days; n++)
        {
            walk[n] += shift;
        }
        return walk;
    }

    private static int WeekdaysSince(DateOnly date)
    {
        var days = date.DayNumber - FirstDate.DayNumber;
        var weeks = days / 7;
        var count = weeks * 5;
        for (var d = FirstDate.AddDays(weeks * 7); d < date; d = d.AddDays(1))
        {
            if (d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                count++;
            }
        }
        return count;
    }

    private static decimal FxRate(double[] from, double[] to, int n) =>
        Math.Round((decimal)Math.Exp(from[Math.Min(n, from.Length - 1)] - to[Math.Min(n, to.Length - 1)]), 6);

    /// <summary>A pair pinned with <see cref="SimulatedMarketOptions.FixedPrices"/> (tests that work figures out by hand) never moves.</summary>
    private bool TryFixedRate(string symbol, out decimal rate) => options.FixedPrices.TryGetValue(symbol, out rate);

    private Quote FxQuote(string symbol, string from, string to)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var day = today;
        while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            day = day.AddDays(-1);
        }
        var previous = day.AddDays(-1);
        while (previous.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            previous = previous.AddDays(-1);
        }
        var a = UsdWalk(from, day);
        var b = UsdWalk(to, day);
        var pinned = TryFixedRate(symbol, out var fixedRate);
        return new Quote
        {
            Symbol = symbol,
            Price = pinned ? fixedRate : FxRate(a, b, WeekdaysSince(day)),
            PreviousClose = pinned ? fixedRate : FxRate(a, b, WeekdaysSince(previous)),
            Currency = to,
            MarketTime = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
            Source = Name,
            IsSimulated = true,
            AsOf = now,
        };
    }

    private PriceHistory FxHistory(string symbol, string from, string to, DateOnly start, DateOnly end)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        end = end < today ? end : today.AddDays(-1);
        start = start > FirstDate ? start : FirstDate;
        var a = UsdWalk(from, end);
        var b = UsdWalk(to, end);
        var bars = new List<DailyBar>();
        var n = WeekdaysSince(start);
        for (var date = start; date <= end; date = date.AddDays(1))
        {
            if (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                continue;
            }
            var rate = TryFixedRate(symbol, out var pinned) ? pinned : FxRate(a, b, n);
            n++;
            bars.Add(new DailyBar { Date = date, Open = rate, High = rate, Low = rate, Close = rate, AdjustedClose = rate });
        }
        return new PriceHistory { Symbol = symbol, Bars = bars, Currency = to, Source = Name, IsSimulated = true };
    }
}
