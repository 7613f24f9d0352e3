namespace FinSight.Domain.Tests;

/// <summary>
/// Random but reproducible trade histories with as-traded daily closes, for the invariant tests.
/// Trades never oversell, so every generated history replays.
/// </summary>
internal sealed class HistoryGenerator(int seed)
{
    private readonly Random rng = new(seed);

    public bool Tracked { get; init; }

    public bool FeesAndIncome { get; init; }

    public bool Splits { get; init; }

    /// <summary>
    /// Some stretches of days repeat the previous closes for every symbol; on those days trades happen at
    /// the close without fees and there are no dividends or fees, so nothing there creates a return.
    /// </summary>
    public bool FlatWindows { get; init; }

    /// <summary>Every close equals the first one for ever, and every trade is at it without fees.</summary>
    public bool ConstantPrices { get; init; }

    public List<Transaction> Transactions { get; } = [];

    public Dictionary<string, List<DailyClose>> Closes { get; } = [];

    public List<DateOnly> Days { get; } = [];

    /// <summary>Days on which no symbol's close moved from the day before.</summary>
    public HashSet<DateOnly> FlatDays { get; } = [];

    public DateOnly End => Days[^1];

    public MarketPrices Prices => new(Closes.Select(kv => new PriceSeries(kv.Key, kv.Value)));

    public HistoryGenerator Generate()
    {
        var symbols = Enumerable.Range(0, rng.Next(1, 6)).Select(i => $"S{i}").ToArray();
        var price = symbols.ToDictionary(s => s, _ => (decimal)rng.Next(2_000, 20_000) / 100m);
        var held = new Dictionary<string, decimal>();
        foreach (var s in symbols)
        {
            Closes[s] = [];
        }

        var day = new DateOnly(2020, 1, 1).AddDays(rng.Next(0, 300));
        var count = rng.Next(30, 160);
        var flatLeft = 0;
        for (var i = 0; i < count; i++, day = day.AddDays(day.DayOfWeek == DayOfWeek.Friday ? 3 : 1))
        {
            Days.Add(day);
            if (FlatWindows && flatLeft == 0 && i > 0 && rng.NextDouble() < 0.15)
            {
                flatLeft = rng.Next(1, 5);
            }

            var flat = ConstantPrices || (flatLeft > 0 && i > 0);
            if (flat)
            {
                FlatDays.Add(day);
                flatLeft = Math.Max(0, flatLeft - 1);
            }

            if (i == 0 && Tracked)
            {
                Transactions.Add(Transaction.Deposit(day, 1_000_000m));
            }

            foreach (var s in symbols)
            {
                if (Splits && !flat && rng.NextDouble() < 0.01)
                {
                    var (n, d) = new[] { (2m, 1m), (3m, 1m), (1m, 2m), (1m, 4m), (3m, 2m) }[rng.Next(5)];
                    Transactions.Add(Transaction.Split(day, s, n, d));
                    if (held.TryGetValue(s, out var q))
                    {
                        held[s] = q * n / d;
                    }

                    price[s] = Math.Max(0.01m, Math.Round(price[s] * d / n, 2));
                }

                if (!flat)
                {
                    price[s] = Math.Max(0.01m, Math.Round(price[s] * (decimal)Math.Exp((rng.NextDouble() - 0.5) * 0.06), 2));
                }

                Closes[s].Add(new DailyClose(day, price[s]));
            }

            var quiet = flat;
            if (rng.NextDouble() < 0.5)
            {
                var s = symbols[rng.Next(symbols.Length)];
                var tradePrice = quiet ? price[s] : Math.Round(price[s] * (decimal)(0.98 + (rng.NextDouble() * 0.04)), 2);
                var fees = quiet || !FeesAndIncome ? 0m : rng.Next(0, 500) / 100m;
                var open = held.GetValueOrDefault(s);
                if (open > 0m && rng.NextDouble() < 0.4)
                {
                    var quantity = rng.NextDouble() < 0.3 ? open : Math.Round(open * (decimal)rng.NextDouble(), 2);
                    if (quantity > 0m)
                    {
                        Transactions.Add(Transaction.Sell(day, s, quantity, tradePrice, fees));
                        held[s] = open - quantity;
                    }
                }
                else
                {
                    var quantity = rng.NextDouble() < 0.5 ? rng.Next(1, 50) : rng.Next(1, 5_000) / 100m;
                    Transactions.Add(Transaction.Buy(day, s, quantity, tradePrice, fees));
                    held[s] = open + quantity;
                }
            }

            if (FeesAndIncome && !quiet)
            {
                var holding = held.Where(kv => kv.Value > 0m).Select(kv => kv.Key).ToArray();
                if (holding.Length > 0 && rng.NextDouble() < 0.05)
                {
                    Transactions.Add(Transaction.Dividend(day, holding[rng.Next(holding.Length)], rng.Next(1, 10_000) / 100m));
                }

                if (rng.NextDouble() < 0.02)
                {
                    Transactions.Add(Transaction.Fee(day, rng.Next(1, 2_000) / 100m));
                }
            }

            if (Tracked && i > 0 && rng.NextDouble() < 0.05)
            {
                var amount = rng.Next(100, 100_000) / 1m;
                Transactions.Add(rng.NextDouble() < 0.6 ? Transaction.Deposit(day, amount) : Transaction.Withdrawal(day, amount));
            }
        }

        return this;
    }
}
