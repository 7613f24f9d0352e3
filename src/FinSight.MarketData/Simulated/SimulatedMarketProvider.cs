using System.Globalization;
using System.Text.RegularExpressions;
using FinSight.MarketData.Directory;

namespace FinSight.MarketData.Simulated;

/// <summary>
/// An offline market for demos, tests and machines without internet. Every series is a pure
/// function of (seed, symbol, date, instant, registered price anchors): daily closes follow geometric
/// Brownian motion with gentle mean reversion toward the drift line (so a 25-year range stays
/// plausible), driven by a market-wide shock and the symbol's own (so stocks move with the index
/// funds, as real ones do), anchored so well-known symbols trade near their real level on
/// <see cref="AnchorDate"/>. It moves on the US calendar (<see cref="MarketCalendar"/>): no moves on
/// weekends and NYSE holidays, shorter sessions on early-close days; a listing abroad has bars on its own
/// venue's trading days (<see cref="ExchangeCalendars"/>), flat on a US holiday. Prices registered
/// with <see cref="Anchor"/> are met exactly (the demo's trade prices). Everything returned is marked IsSimulated.
/// </summary>
public sealed partial class SimulatedMarketProvider(SimulatedMarketOptions options, TimeProvider time)
    : IQuoteProvider, IPriceHistoryProvider, IProfileProvider, INewsProvider, ISymbolSearchProvider
{
    public const string ProviderName = "Simulated";
    public static readonly DateOnly AnchorDate = new(2025, 1, 2);
    public static readonly DateOnly FirstDate = new(2000, 1, 3);

    private const double TradingDaysPerYear = 252;
    private const double MeanReversion = 1.0 / 250; // half-life of a deviation ≈ 9 months
    private const string MarketFactor = "^MARKET";

    private volatile IReadOnlyDictionary<string, PriceAnchor[]> _anchors = new Dictionary<string, PriceAnchor[]>(StringComparer.OrdinalIgnoreCase);

    public string Name => ProviderName;

    /// <summary>
    /// Makes <paramref name="symbol"/> close exactly at each anchor's price on its date (a trading
    /// day): the walk is shifted by a log correction that is constant before the first anchor and
    /// after the last, and moves linearly in trading days between two. Still deterministic. Demo mode
    /// registers its trades here so the simulated market passes through their prices; register before
    /// the first request, since answers are cached.
    /// </summary>
    public void Anchor(string symbol, IEnumerable<PriceAnchor> anchors)
    {
        var list = anchors.Where(a => MarketCalendar.IsTradingDay(a.Date) && a.Price > 0).OrderBy(a => a.Date).DistinctBy(a => a.Date).ToArray();
        var next = new Dictionary<string, PriceAnchor[]>(_anchors, StringComparer.OrdinalIgnoreCase) { [symbol] = list };
        _anchors = next;
    }

    public Task<Quote?> GetQuoteAsync(string symbol, CancellationToken cancellationToken = default)
    {
        if (IsSimulatedPair(symbol, out var fxFrom, out var fxTo))
        {
            return Task.FromResult<Quote?>(FxQuote(symbol, fxFrom, fxTo));
        }
        if (!Knows(symbol))
        {
            return Task.FromResult<Quote?>(null);
        }
        var now = time.GetUtcNow();
        var today = MarketCalendar.ExchangeDate(now);
        var open = MarketCalendar.At(today, MarketCalendar.Open);
        var inSession = MarketCalendar.IsTradingDay(today) && now >= open;
        var sessionMinutes = (MarketCalendar.CloseOn(today) - MarketCalendar.Open).TotalMinutes;

        var sessionDay = inSession ? today : MarketCalendar.LastClosedSession(now);
        var previousDay = MarketCalendar.PreviousTradingDay(sessionDay);
        var series = Series(symbol, sessionDay);
        var previousClose = series.Close(previousDay);

        // Fraction of today's session elapsed; 1 once the session (or the last one) has closed.
        var fraction = inSession ? Math.Min(1.0, (now - open).TotalMinutes / sessionMinutes) : 1.0;
        var samples = Enumerable.Range(0, 79).Select(i => i / 78.0).Where(f => f < fraction).Append(fraction)
            .Select(f => series.Intraday(sessionDay, f)).ToArray();
        var price = samples[^1];

        return Task.FromResult<Quote?>(new Quote
        {
            Symbol = symbol,
            Price = Money(price),
            PreviousClose = Money(previousClose),
            DayHigh = Money(samples.Max()),
            DayLow = Money(samples.Min()),
            Volume = (long)(series.Volume(sessionDay) * fraction),
            Currency = Currencies.Exchanges.CurrencyOf(symbol),
            MarketTime = fraction < 1 ? now : MarketCalendar.At(sessionDay, MarketCalendar.CloseOn(sessionDay)),
            Source = Name,
            IsSimulated = true,
            AsOf = now,
        });
    }

    public Task<PriceHistory?> GetDailyHistoryAsync(string symbol, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        if (IsSimulatedPair(symbol, out var fxFrom, out var fxTo))
        {
            return Task.FromResult<PriceHistory?>(FxHistory(symbol, fxFrom, fxTo, from, to));
        }
        if (!Knows(symbol))
        {
            return Task.FromResult<PriceHistory?>(null);
        }
        var now = time.GetUtcNow();
        var last = MarketCalendar.LastClosedSession(now);
        var end = to < last ? to : last;
        var start = from > FirstDate ? from : FirstDate;
        var series = Series(symbol, last);
        var dividends = DividendsBetween(symbol, FirstDate, last, series).ToArray();

        // Adjusted close divides out every later dividend, as Yahoo's adjclose does. Each dividend's
        // ratio once, and each run of bars between two ex-dates shares one product (computed per bar,
        // this was most of a cold dashboard's time on the simulated market).
        var ratios = dividends.Select(d => 1 - (double)d.Amount / series.Close(MarketCalendar.PreviousTradingDay(d.ExDate))).ToArray();
        var factors = new Dictionary<int, double>();
        var venue = ExchangeCalendars.VenueOf(symbol);
        var bars = new List<DailyBar>();
        for (var date = start; date <= end; date = date.AddDays(1))
        {
            if (!ExchangeCalendars.IsTradingDay(venue, date))
            {
                continue;
            }
            // The walk moves on US sessions only: a listing abroad open on a US holiday repeats its last close.
            var usSession = MarketCalendar.IsTradingDay(date);
            var (open, high, low, close) = usSession ? series.Bar(date) : (series.Close(date), series.Close(date), series.Close(date), series.Close(date));
            var passed = dividends.Count(d => d.ExDate <= date);
            if (!factors.TryGetValue(passed, out var factor))
            {
                factor = 1.0;
                for (var i = 0; i < dividends.Length; i++)
                {
                    if (dividends[i].ExDate > date)
                    {
                        factor *= ratios[i];
                    }
                }
                factors[passed] = factor;
            }
            bars.Add(new DailyBar
            {
                Date = date,
                Open = Money(open),
                High = Money(high),
                Low = Money(low),
                Close = Money(close),
                AdjustedClose = Money(close * factor),
                Volume = usSession ? series.Volume(date) : 0,
            });
        }

        return Task.FromResult<PriceHistory?>(new PriceHistory
        {
            Symbol = symbol,
            Bars = bars,
            Splits = SimulatedSymbols.Splits.GetValueOrDefault(symbol, []).Where(s => s.Date >= start && s.Date <= end).ToArray(),
            Dividends = dividends.Where(d => d.ExDate >= start && d.ExDate <= end).ToArray(),
            Currency = Currencies.Exchanges.CurrencyOf(symbol),
            Source = Name,
            IsSimulated = true,
        });
    }

    public async Task<CompanyProfile?> GetProfileAsync(string symbol, CancellationToken cancellationToken = default)
    {
        if (IsSimulatedPair(symbol, out _, out _))
        {
            return null;
        }
        if (await GetQuoteAsync(symbol, cancellationToken) is not { } quote)
        {
            return null;
        }
        var entry = StarterSymbols.All.Concat(StarterSymbols.International).FirstOrDefault(e => e.Symbol == symbol);
        var anchor = SimulatedSymbols.Anchors.GetValueOrDefault(symbol);
        var shares = anchor?.SharesBillions ?? 0.05 + Unit(Hash(symbol, 7, 0)) * 2;
        return new CompanyProfile
        {
            Symbol = symbol,
            Name = entry?.Name ?? $"{symbol} Holdings Inc.",
            Sector = entry?.Sector,
            Industry = entry?.Industry,
            MarketCap = Math.Round(quote.Price * (decimal)(shares * 1e9), 0),
            Exchange = entry?.Exchange ?? Currencies.Exchanges.Of(symbol)?.Name ?? "NASDAQ",
            Currency = Currencies.Exchanges.CurrencyOf(symbol),
            Website = anchor?.Website,
            Source = Name,
            IsSimulated = true,
            AsOf = time.GetUtcNow(),
        };
    }

    public Task<NewsFeed?> GetNewsAsync(string symbol, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        if (!Knows(symbol))
        {
            return Task.FromResult<NewsFeed?>(null);
        }
        var now = time.GetUtcNow();
        var company = StarterSymbols.All.Concat(StarterSymbols.International).FirstOrDefault(e => e.Symbol == symbol)?.Name ?? $"{symbol} Holdings";
        var series = Series(symbol, MarketCalendar.ExchangeDate(now));
        var lastClosed = MarketCalendar.LastClosedSession(now);
        var headlines = new List<NewsHeadline>();
        for (var date = to; date >= from && headlines.Count < 30; date = date.AddDays(-1))
        {
            var count = 1 + (int)(Hash(symbol, 11, DayNumber(date)) % 3);
            for (var i = 0; i < count; i++)
            {
                var h = Hash(symbol, 13 + i, DayNumber(date));
                var published = new DateTimeOffset(date.ToDateTime(new TimeOnly(8, 0)), TimeSpan.Zero).AddMinutes(h % 720);
                if (published > now)
                {
                    continue;
                }
                // Headlines lean with the day's move so the sentiment view has something to find.
                var move = MarketCalendar.IsTradingDay(date) && date > FirstDate
                    ? series.Close(date) / series.Close(MarketCalendar.PreviousTradingDay(date)) - 1 : 0;
                var tone = move > 0.01 ? 0 : move < -0.01 ? 1 : (int)(h / 7 % 3);
                var templates = Templates[tone];
                var template = (int)(h / 3 % (ulong)templates.Length);
                var n = (date.ToString("yyyyMMdd", CultureInfo.InvariantCulture)) + "-" + i.ToString(CultureInfo.InvariantCulture);
                headlines.Add(new NewsHeadline
                {
                    Id = $"sim-{symbol}-{n}",
                    Title = string.Format(CultureInfo.InvariantCulture, templates[template], company),
                    Publisher = Publishers[(int)(h / 5 % (ulong)Publishers.Length)],
                    Url = new Uri($"https://example.com/finsight-simulated/{Uri.EscapeDataString(symbol)}/{n}"),
                    PublishedAt = published,
                    Summary = SimulatedSummary(company, SummaryTemplates[tone][template], date, date <= lastClosed ? move : null, series),
                    RelatedSymbols = [symbol],
                });
            }
        }
        return Task.FromResult<NewsFeed?>(new NewsFeed { Symbol = symbol, Headlines = headlines, Source = Name, IsSimulated = true, AsOf = now });
    }

    public Task<IReadOnlyList<SymbolMatch>> SearchAsync(string query, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<SymbolMatch>>(SymbolSearch.Rank([.. StarterSymbols.All, .. StarterSymbols.International], query, limit)
            .Select(e => new SymbolMatch { Symbol = e.Symbol, Name = e.Name, Exchange = e.Exchange, Type = e.Type, Source = Name })
            .ToArray());

    // Any plausible US ticker trades here, and any listing on a known exchange outside the US
    // (VOD.L, SAP.DE, 7203.T), so demo users can hold what they like; longer strings are treated
    // as unknown, giving tests a reliable "not found".
    private static bool Knows(string symbol) => UsTicker().IsMatch(symbol) || ListedTicker().IsMatch(symbol) && Currencies.Exchanges.Of(symbol) is not null;

    [GeneratedRegex(@"^[A-Z]{1,5}(\.[A-Z])?$")]
    private static partial Regex UsTicker();

    [GeneratedRegex(@"^[A-Z0-9]{1,6}\.[A-Z]{1,2}$")]
    private static partial Regex ListedTicker();

    private IEnumerable<Dividend> DividendsBetween(string symbol, DateOnly from, DateOnly to, SimulatedPath series)
    {
        if (SimulatedSymbols.Anchors.GetValueOrDefault(symbol) is not { QuarterlyDividend: > 0 } anchor || series.IsFixed)
        {
            yield break;
        }
        for (var month = new DateOnly(from.Year, 1, 10); month <= to; month = month.AddMonths(1))
        {
            if ((month.Month - anchor.FirstDividendMonth + 12) % 3 != 0)
            {
                continue;
            }
            var exDate = month;
            while (!MarketCalendar.IsTradingDay(exDate)) exDate = exDate.AddDays(1);
            if (exDate >= from && exDate <= to)
            {
                yield return new Dividend { ExDate = exDate, Amount = anchor.QuarterlyDividend };
            }
        }
    }

    private SimulatedPath Series(string symbol, DateOnly through)
    {
        if (options.FixedPrices.TryGetValue(symbol, out var fixedPrice))
        {
            return SimulatedPath.Fixed((double)fixedPrice);
        }
        var anchor = SimulatedSymbols.Anchors.GetValueOrDefault(symbol)
                     ?? new SymbolProfile(15 + Unit(Hash(symbol, 1, 0)) * 285, 0.07, 0.22 + Unit(Hash(symbol, 2, 0)) * 0.2, 0, 0, 0, null);
        var sigma = anchor.Volatility / Math.Sqrt(TradingDaysPerYear);
        var mu = anchor.Drift / TradingDaysPerYear - sigma * sigma / 2;
        var anchors = _anchors.GetValueOrDefault(symbol) ?? [];
        var last = through > AnchorDate ? through : AnchorDate;
        if (anchors.Length > 0 && anchors[^1].Date > last)
        {
            last = anchors[^1].Date;
        }
        var days = Weekdays(FirstDate, last);

        // Walk the deviation from the drift line, each day's shock part market-wide and part the
        // symbol's own; then shift so the anchor date closes at the anchor price.
        var rho = MarketCorrelation(symbol);
        var own = Math.Sqrt(1 - rho * rho);
        var deviation = new double[days + 1];
        for (var n = 1; n <= days; n++)
        {
            var shock = rho * Normal(Hash(MarketFactor, 3, n), Hash(MarketFactor, 4, n)) + own * Normal(Hash(symbol, 3, n), Hash(symbol, 4, n));
            deviation[n] = deviation[n - 1] * (1 - MeanReversion) + sigma * shock;
        }
        var anchorIndex = Weekdays(FirstDate, AnchorDate);
        var logAnchor = Math.Log(anchor.Price) - deviation[anchorIndex];
        var logClose = new double[days + 1];
        for (var n = 0; n <= days; n++)
        {
            logClose[n] = logAnchor + mu * (n - anchorIndex) + deviation[n];
        }
        Bridge(logClose, anchors);
        return new SimulatedPath(this, symbol, logClose, sigma, 1e6 * (5 + Unit(Hash(symbol, 5, 0)) * 60));
    }

    /// <summary>Shifts the log closes so each anchor's date closes at its price: constant outside the anchors, linear in trading days between two.</summary>
    private static void Bridge(double[] logClose, PriceAnchor[] anchors)
    {
        if (anchors.Length == 0)
        {
            return;
        }
        var index = anchors.Select(a => Math.Clamp(Weekdays(FirstDate, a.Date), 0, logClose.Length - 1)).ToArray();
        var shift = anchors.Select((a, i) => Math.Log((double)a.Price) - logClose[index[i]]).ToArray();
        for (var n = 0; n < logClose.Length; n++)
        {
            var k = Array.FindIndex(index, i => i >= n);
            double correction;
            if (k < 0)
            {
                correction = shift[^1];
            }
            else if (k == 0 || index[k] == n)
            {
                correction = shift[k];
            }
            else
            {
                var w = (double)(n - index[k - 1]) / (index[k] - index[k - 1]);
                correction = shift[k - 1] + w * (shift[k] - shift[k - 1]);
            }
            logClose[n] += correction;
        }
    }

    /// <summary>How much of a symbol's daily shock is the market's: nearly all for broad index funds, about 0.6 for a large stock.</summary>
    private static double MarketCorrelation(string symbol) => symbol.ToUpperInvariant() switch
    {
        "SPY" or "VOO" or "VTI" or "IVV" => 0.97,
        "QQQ" => 0.9,
        "BRK.B" or "JPM" or "V" or "WMT" or "JNJ" or "KO" or "XOM" => 0.55,
        _ => 0.6,
    };

    /// <summary>One symbol's simulated price path: daily values derived from the log-close walk. Dates index by weekday count from <see cref="FirstDate"/>.</summary>
    private sealed class SimulatedPath(SimulatedMarketProvider market, string symbol, double[] logClose, double sigma, double baseVolume)
    {
        private readonly double? _fixed;

        private SimulatedPath(double price) : this(null!, "", [], 0, 0) => _fixed = price;

        public static SimulatedPath Fixed(double price) => new(price);

        public bool IsFixed => _fixed is not null;

        public double Close(DateOnly date) => _fixed ?? Math.Exp(logClose[Math.Clamp(Weekdays(FirstDate, date), 0, logClose.Length - 1)]);

        public (double Open, double High, double Low, double Close) Bar(DateOnly date)
        {
            if (_fixed is { } p) return (p, p, p, p);
            var n = DayNumber(date);
            var close = Close(date);
            var open = Close(MarketCalendar.PreviousTradingDay(date)) * Math.Exp(0.3 * sigma * Normal(market.Hash(symbol, 6, n), market.Hash(symbol, 8, n)));
            var high = Math.Max(open, close) * (1 + 0.5 * sigma * Unit(market.Hash(symbol, 9, n)));
            var low = Math.Min(open, close) * (1 - 0.5 * sigma * Unit(market.Hash(symbol, 10, n)));
            return (open, high, low, close);
        }

        public long Volume(DateOnly date) => _fixed is not null ? 0 : (long)(baseVolume * (0.6 + 0.8 * Unit(market.Hash(symbol, 12, DayNumber(date)))));

        /// <summary>
        /// The price a fraction f of the way through the session: a bridge from the open to the close
        /// with deterministic wiggles that vanish at both ends, so intraday and daily data agree.
        /// </summary>
        public double Intraday(DateOnly date, double f)
        {
            if (_fixed is { } p) return p;
            var (open, _, _, close) = Bar(date);
            var n = DayNumber(date);
            var phase1 = Unit(market.Hash(symbol, 14, n)) * 2 * Math.PI;
            var phase2 = Unit(market.Hash(symbol, 15, n)) * 2 * Math.PI;
            var minute = (long)(f * 390);
            var wiggle = Math.Sin(3 * Math.PI * f + phase1) + 0.5 * Math.Sin(11 * Math.PI * f + phase2)
                         + 0.25 * (Unit(market.Hash(symbol, 16, n * 1000 + minute)) - 0.5);
            var log = Math.Log(open) + f * Math.Log(close / open) + 0.6 * sigma * Math.Sqrt(f * (1 - f)) * wiggle;
            return Math.Exp(log);
        }
    }

    private static readonly string[][] Templates =
    [
        [
            "{0} shares climb after earnings beat expectations",
            "Analysts upgrade {0}, citing strong demand",
            "{0} announces expanded share buyback program",
            "{0} rallies as new product launch draws record orders",
        ],
        [
            "{0} shares slide after guidance disappoints",
            "{0} faces regulatory scrutiny over business practices",
            "Analyst downgrades {0} on valuation concerns",
            "{0} falls as supply chain problems weigh on margins",
        ],
        [
            "{0} to present at upcoming industry conference",
            "{0} schedules quarterly earnings call",
            "What to watch as {0} heads into earnings season",
            "{0} names new chief financial officer",
        ],
    ];

    /// <summary>What each headline of <see cref="Templates"/> says in a sentence (same order), for the digest to summarise.</summary>
    private static readonly string[][] SummaryTemplates =
    [
        [
            "{0} reported quarterly earnings ahead of analysts' estimates, helped by stronger demand in its main businesses.",
            "Analysts raised their rating on {0}, pointing to solid orders and improving margins.",
            "The board of {0} approved a larger share repurchase program, returning more cash to shareholders.",
            "Early orders for the new product of {0} exceeded the company's own targets.",
        ],
        [
            "{0} lowered its outlook for the rest of the year, citing softer demand from its customers.",
            "Regulators opened a review of some of the business practices of {0}; the company said it is cooperating.",
            "An analyst cut the rating on {0}, arguing that the shares already price in years of growth.",
            "Supply chain problems raised the costs of {0} and squeezed its margins in the quarter.",
        ],
        [
            "{0} will present its strategy to investors at an industry conference later this month.",
            "{0} will discuss its quarterly results with analysts and investors on a conference call.",
            "Investors will look at the margins and guidance of {0} when it reports its quarterly results.",
            "{0} appointed a new chief financial officer, who joins the company next quarter.",
        ],
    ];

    /// <summary>
    /// The story in a sentence, then the day's move as the simulated market priced it once the session closed
    /// (<paramref name="move"/> is null before then). The second sentence says it is simulated, so a summary quoted on
    /// its own (as the digest does) cannot pass for real news.
    /// </summary>
    private static string SimulatedSummary(string company, string template, DateOnly date, double? move, SimulatedPath series)
    {
        var story = string.Format(CultureInfo.InvariantCulture, template, company);
        var day = date.ToString("MMMM d", CultureInfo.InvariantCulture);
        if (move is not { } change || change == 0)
        {
            return move is null
                ? $"{story} The simulated market has not closed the session of {day} yet."
                : $"{story} The simulated market did not trade the stock on {day}.";
        }

        var direction = change > 0 ? "up" : "down";
        var close = Money(series.Close(date)).ToString("0.00", CultureInfo.InvariantCulture);
        var percent = Math.Abs(change * 100).ToString("0.0", CultureInfo.InvariantCulture);
        return $"{story} In FinSight's simulated market the stock closed {direction} {percent}% at {close} on {day}.";
    }

    private static readonly string[] Publishers = ["Simulated Wire", "Demo Business Daily", "Sample Markets Journal"];

    private static decimal Money(double value) => Math.Max(0.01m, Math.Round((decimal)value, 2));

    private static int DayNumber(DateOnly date) => date.DayNumber - FirstDate.DayNumber;

    /// <summary>Trading days in (from, to]: the walk's index, so a closed day shares the last session's close.</summary>
    private static int Weekdays(DateOnly from, DateOnly to)
    {
        if (from != FirstDate || to > IndexedThrough)
        {
            return MarketCalendar.TradingDaysBetween(from, to);
        }
        if (to <= from)
        {
            return 0;
        }
        var i = Array.BinarySearch(TradingDaysAfterFirst.Value, to);
        return i >= 0 ? i + 1 : ~i;
    }

    // Every bar asks for its date's index (trading days since FirstDate): a binary search in the
    // trading days, listed once, instead of counting through the calendar's years each time.
    private static readonly DateOnly IndexedThrough = new(2050, 12, 31);

    private static readonly Lazy<DateOnly[]> TradingDaysAfterFirst = new(() =>
    {
        var days = new List<DateOnly>(13_000);
        for (var d = FirstDate.AddDays(1); d <= IndexedThrough; d = d.AddDays(1))
        {
            if (MarketCalendar.IsTradingDay(d))
            {
                days.Add(d);
            }
        }
        return [.. days];
    });

    private static double Normal(ulong a, ulong b) =>
        Math.Sqrt(-2 * Math.Log(1 - Unit(a))) * Math.Cos(2 * Math.PI * Unit(b));

    private ulong Hash(string symbol, int salt, long index) => Hash(symbol, salt, index, options.Seed);

    private static ulong Hash(string symbol, int salt, long index, int seed = 0)
    {
        // FNV-1a over the symbol (string.GetHashCode is randomised per process), then SplitMix64.
        var h = 14695981039346656037UL;
        foreach (var c in symbol) h = (h ^ c) * 1099511628211UL;
        h ^= (ulong)salt * 0x9E3779B97F4A7C15UL ^ (ulong)index * 0xC2B2AE3D27D4EB4FUL ^ (ulong)seed * 0x165667B19E3779F9UL;
        h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9UL;
        h = (h ^ (h >> 27)) * 0x94D049BB133111EBUL;
        return h ^ (h >> 31);
    }

    private static double Unit(ulong hash) => (hash >> 11) * (1.0 / (1UL << 53));
}
