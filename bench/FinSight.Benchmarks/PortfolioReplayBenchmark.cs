using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using FinSight.Domain;

namespace FinSight.Benchmarks;

/// <summary>
/// Issue 3's target: 50 symbols, 2,000 transactions, 10 years of daily closes; full replay plus every
/// metric in under 50 ms and 50 MB on one core. The data is generated once from a fixed seed.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(OneCoreConfig))]
public class PortfolioReplayBenchmark
{
    private List<Transaction> transactions = [];
    private MarketPrices prices = MarketPrices.Empty;
    private PriceSeries benchmark = null!;
    private DateOnly asOf;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(20241121);
        var start = new DateOnly(2014, 1, 1);
        var days = new List<DateOnly>();
        for (var d = start; d < start.AddYears(10); d = d.AddDays(1))
        {
            if (d.DayOfWeek is not DayOfWeek.Saturday and not DayOfWeek.Sunday)
            {
                days.Add(d);
            }
        }

        asOf = days[^1];
        var symbols = Enumerable.Range(0, 50).Select(i => $"SYM{i:00}").ToArray();
        var closes = new Dictionary<string, DailyClose[]>();
        foreach (var symbol in symbols.Append("SPY"))
        {
            var series = new DailyClose[days.Count];
            double price = rng.Next(20, 500);
            for (var i = 0; i < days.Count; i++)
            {
                price *= Math.Exp(0.0003 + (0.02 * (rng.NextDouble() - 0.5)));
                series[i] = new DailyClose(days[i], Math.Round((decimal)price, 2));
            }

            closes[symbol] = series;
        }

        // 2,000 transactions: an opening deposit, then buys, sells, dividends, a few splits and cash moves.
        var held = symbols.ToDictionary(s => s, _ => 0m);
        transactions.Add(Transaction.Deposit(days[0], 5_000_000m));
        while (transactions.Count < 2_000)
        {
            var i = rng.Next(days.Count);
            var symbol = symbols[rng.Next(symbols.Length)];
            var price = closes[symbol][i].Close;
            var roll = rng.NextDouble();
            if (roll < 0.60)
            {
                transactions.Add(Transaction.Buy(days[i], symbol, rng.Next(1, 100), price, 1m));
            }
            else if (roll < 0.85)
            {
                transactions.Add(Transaction.Dividend(days[i], symbol, rng.Next(1, 500)));
            }
            else if (roll < 0.97)
            {
                transactions.Add(rng.NextDouble() < 0.5 ? Transaction.Deposit(days[i], rng.Next(1_000, 50_000)) : Transaction.Fee(days[i], 5m));
            }
            else
            {
                transactions.Add(Transaction.Sell(days[i], symbol, 1m, price, 1m));
            }
        }

        // Make the history consistent: replay in date order and turn impossible sells and dividends into buys.
        var ordered = transactions.OrderBy(t => t.Date).ToList();
        var everHeld = new HashSet<string>();
        for (var k = 0; k < ordered.Count; k++)
        {
            switch (ordered[k])
            {
                case BuyTransaction b:
                    held[b.Symbol] += b.Quantity;
                    everHeld.Add(b.Symbol);
                    break;
                case SellTransaction s when held[s.Symbol] > 0m:
                    var quantity = Math.Max(1m, Math.Floor(held[s.Symbol] * (decimal)rng.NextDouble()));
                    ordered[k] = Transaction.Sell(s.Date, s.Symbol, quantity, s.Price, s.Fees);
                    held[s.Symbol] -= quantity;
                    break;
                case SellTransaction s:
                    ordered[k] = Transaction.Buy(s.Date, s.Symbol, 10m, s.Price, s.Fees);
                    held[s.Symbol] += 10m;
                    everHeld.Add(s.Symbol);
                    break;
                case DividendTransaction d when !everHeld.Contains(d.Symbol):
                    ordered[k] = Transaction.Buy(d.Date, d.Symbol, 5m, closes[d.Symbol][days.IndexOf(d.Date)].Close);
                    held[d.Symbol] += 5m;
                    everHeld.Add(d.Symbol);
                    break;
            }
        }

        // Three symbols split 2-for-1 half-way; the closes stand for split-adjusted data, so trades before
        // the split happened at twice the adjusted close. Splits are events added to the 2,000 transactions.
        var splitDay = days[days.Count / 2];
        var splitSymbols = symbols.Take(3).ToHashSet();
        transactions = ordered.Select(t => t switch
        {
            BuyTransaction b when b.Date < splitDay && splitSymbols.Contains(b.Symbol) => Transaction.Buy(b.Date, b.Symbol, b.Quantity, b.Price * 2m, b.Fees),
            SellTransaction x when x.Date < splitDay && splitSymbols.Contains(x.Symbol) => Transaction.Sell(x.Date, x.Symbol, x.Quantity, x.Price * 2m, x.Fees),
            _ => t,
        }).ToList();
        transactions.AddRange(splitSymbols.Select(symbol => (Transaction)Transaction.Split(splitDay, symbol, 2m, 1m)));

        prices = new MarketPrices(symbols.Select(s => new PriceSeries(s, closes[s])));
        benchmark = new PriceSeries("SPY", closes["SPY"]);
    }

    /// <summary>Replay day by day, value at the last closes, every range's returns and risk, trade statistics, allocation.</summary>
    [Benchmark]
    public decimal ReplayAndAllMetrics()
    {
        var history = PortfolioHistory.Build(transactions, prices, asOf);
        var report = PerformanceMetrics.Compute(history, benchmark, new PerformanceOptions { AnnualRiskFreeRate = 0.04 });
        var valuation = history.FinalState.Value(prices.PricesAsOf(asOf));
        var allocation = Allocation.BySymbol(valuation, includeCash: true);
        return valuation.TotalGain + allocation.Count + report.Trades.Count + (decimal)(report[PerformanceRange.All].TimeWeightedReturn ?? 0);
    }

    /// <summary>Only the accounting replay (no prices): what a transaction edit costs to validate.</summary>
    [Benchmark]
    public int ReplayOnly() => PortfolioState.Replay(transactions).Positions.Count;

    private sealed class OneCoreConfig : ManualConfig
    {
        public OneCoreConfig() => AddJob(Job.Default.WithAffinity(1).WithId("OneCore"));
    }
}
