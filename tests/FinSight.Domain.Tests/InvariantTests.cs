namespace FinSight.Domain.Tests;

/// <summary>Properties that must hold for every history, checked over many seeded random histories.</summary>
public sealed class InvariantTests
{
    private const int Histories = 250;

    [Fact]
    public void Realized_plus_unrealized_plus_income_equals_total_gain()
    {
        for (var seed = 0; seed < Histories; seed++)
        {
            var g = new HistoryGenerator(seed) { Tracked = seed % 2 == 0, FeesAndIncome = seed % 3 != 0, Splits = seed % 4 == 1 }.Generate();
            var method = seed % 5 == 0 ? CostBasisMethod.AverageCost : CostBasisMethod.Fifo;
            var history = PortfolioHistory.Build(g.Transactions, g.Prices, g.End, new HistoryOptions { Method = method, CloseAdjustment = CloseAdjustment.AsTraded });
            var valuation = history.FinalState.Value(g.Prices.PricesAsOf(g.End));

            // Independent of lots: what the market value plus every cash movement of the trades says.
            var independent = valuation.MarketValue
                + g.Transactions.OfType<SellTransaction>().Sum(s => s.NetProceeds)
                - g.Transactions.OfType<BuyTransaction>().Sum(b => b.TotalCost)
                + g.Transactions.OfType<DividendTransaction>().Sum(d => d.Amount)
                - g.Transactions.OfType<FeeTransaction>().Sum(f => f.Amount);

            Near(independent, valuation.TotalGain, seed);
            Near(valuation.RealizedGain + valuation.UnrealizedGain + valuation.Dividends - valuation.Fees, valuation.TotalGain, seed);
            Near(valuation.TotalValue - valuation.NetContributions, valuation.TotalGain, seed);
            Near(history.Points[^1].TotalValue, valuation.TotalValue, seed);
            Near(history.Points[^1].NetContributions, valuation.NetContributions, seed);
            if (valuation.Dividends == 0m && valuation.Fees == 0m)
            {
                Near(valuation.RealizedGain + valuation.UnrealizedGain, valuation.TotalGain, seed);
            }

            // The cost basis method moves gain between realized and unrealized, never changes the total.
            var other = PortfolioState.Replay(g.Transactions, method == CostBasisMethod.Fifo ? CostBasisMethod.AverageCost : CostBasisMethod.Fifo).Value(g.Prices.PricesAsOf(g.End));
            Near(other.RealizedGain + other.UnrealizedGain, valuation.RealizedGain + valuation.UnrealizedGain, seed);
        }
    }

    [Fact]
    public void Time_weighted_return_is_zero_at_constant_prices_whatever_the_flows()
    {
        for (var seed = 0; seed < Histories; seed++)
        {
            var g = new HistoryGenerator(seed) { Tracked = seed % 2 == 0, ConstantPrices = true }.Generate();
            var history = PortfolioHistory.Build(g.Transactions, g.Prices, g.End, new HistoryOptions { CloseAdjustment = CloseAdjustment.AsTraded });
            Assert.All(history.Points, p => Assert.Equal(1.0, p.TwrIndex, 12));
        }
    }

    [Fact]
    public void Time_weighted_return_does_not_change_when_flows_are_added_at_constant_prices()
    {
        var checkedFlows = 0;
        for (var seed = 0; seed < Histories; seed++)
        {
            var tracked = seed % 2 == 0;
            var g = new HistoryGenerator(seed) { Tracked = tracked, FeesAndIncome = true, Splits = seed % 3 == 0, FlatWindows = true }.Generate();
            var options = new HistoryOptions { CloseAdjustment = CloseAdjustment.AsTraded, From = g.Days[0] };
            var baseline = PortfolioHistory.Build(g.Transactions, g.Prices, g.End, options);

            // Add money on the first day of each flat stretch and take it out again on its last day.
            var rng = new Random(seed);
            var extra = new List<Transaction>(g.Transactions);
            for (var i = 1; i < g.Days.Count; i++)
            {
                if (!g.FlatDays.Contains(g.Days[i]) || g.FlatDays.Contains(g.Days[i - 1]))
                {
                    continue;
                }

                var last = i;
                while (last + 1 < g.Days.Count && g.FlatDays.Contains(g.Days[last + 1]))
                {
                    last++;
                }

                var amount = rng.Next(1, 1_000_000) / 1m;
                if (tracked)
                {
                    extra.Add(Transaction.Deposit(g.Days[i], amount));
                    extra.Add(Transaction.Withdrawal(g.Days[last], amount));
                }
                else
                {
                    var symbol = g.Closes.Keys.First();
                    var close = g.Closes[symbol].First(c => c.Date == g.Days[i]).Close;
                    var quantity = Math.Round(amount / close, 4) + 0.0001m;
                    extra.Add(Transaction.Buy(g.Days[i], symbol, quantity, close));
                    extra.Add(Transaction.Sell(g.Days[last], symbol, quantity, close));
                }

                checkedFlows++;
            }

            var perturbed = PortfolioHistory.Build(extra, g.Prices, g.End, options);
            Assert.Equal(baseline.Points.Count, perturbed.Points.Count);
            for (var i = 0; i < baseline.Points.Count; i++)
            {
                Assert.True(
                    Math.Abs(baseline.Points[i].TwrIndex - perturbed.Points[i].TwrIndex) <= 1e-9 * Math.Max(1, Math.Abs(baseline.Points[i].TwrIndex)),
                    $"seed {seed}, {baseline.Points[i].Date}: {baseline.Points[i].TwrIndex} vs {perturbed.Points[i].TwrIndex}");
            }
        }

        Assert.True(checkedFlows > 200, $"only {checkedFlows} flows were added");
    }

    [Theory]
    [InlineData(CloseAdjustment.AsTraded)]
    [InlineData(CloseAdjustment.SplitAdjusted)]
    public void A_split_never_changes_market_value(CloseAdjustment adjustment)
    {
        (decimal N, decimal D)[] ratios = [(2m, 1m), (3m, 1m), (1m, 2m), (1m, 4m), (3m, 2m), (1m, 3m)];
        for (var seed = 0; seed < Histories; seed++)
        {
            var g = new HistoryGenerator(seed) { Tracked = seed % 2 == 0, FeesAndIncome = true }.Generate();
            var rng = new Random(seed);
            var symbol = g.Closes.Keys.ElementAt(rng.Next(g.Closes.Count));
            var splitDay = g.Days[rng.Next(g.Days.Count)];
            var (n, d) = ratios[rng.Next(ratios.Length)];
            var ratio = n / d;

            // The same economic history told with a split: later trades in post-split shares and prices.
            var withSplit = new List<Transaction> { Transaction.Split(splitDay, symbol, n, d) };
            foreach (var t in g.Transactions)
            {
                withSplit.Add(t switch
                {
                    BuyTransaction b when b.Symbol == symbol && b.Date >= splitDay => Transaction.Buy(b.Date, symbol, b.Quantity * ratio, b.Price / ratio, b.Fees),
                    SellTransaction s when s.Symbol == symbol && s.Date >= splitDay => Transaction.Sell(s.Date, symbol, s.Quantity * ratio, s.Price / ratio, s.Fees),
                    _ => t,
                });
            }

            // As traded, closes fall by the ratio from the split on; split-adjusted, every close does.
            var closes = g.Closes.ToDictionary(kv => kv.Key, kv => kv.Key != symbol ? kv.Value : kv.Value
                .Select(c => adjustment == CloseAdjustment.SplitAdjusted || c.Date >= splitDay ? c with { Close = c.Close / ratio } : c)
                .ToList());
            var splitPrices = new MarketPrices(closes.Select(kv => new PriceSeries(kv.Key, kv.Value)));

            var options = new HistoryOptions { CloseAdjustment = CloseAdjustment.AsTraded };
            var plain = PortfolioHistory.Build(g.Transactions, g.Prices, g.End, options);
            var split = PortfolioHistory.Build(withSplit, splitPrices, g.End, options with { CloseAdjustment = adjustment });
            for (var i = 0; i < plain.Points.Count; i++)
            {
                Near(plain.Points[i].MarketValue, split.Points[i].MarketValue, seed);
                Near(plain.Points[i].CostBasis, split.Points[i].CostBasis, seed);
                Assert.True(Math.Abs(plain.Points[i].TwrIndex - split.Points[i].TwrIndex) < 1e-9, $"seed {seed}: TWR index {plain.Points[i].TwrIndex} vs {split.Points[i].TwrIndex}");
            }

            Near(plain.FinalState.RealizedGain, split.FinalState.RealizedGain, seed);
        }
    }

    private static void Near(decimal expected, decimal actual, int seed) =>
        Assert.True(Math.Abs(expected - actual) <= 0.000001m, $"seed {seed}: expected {expected}, got {actual}");
}
