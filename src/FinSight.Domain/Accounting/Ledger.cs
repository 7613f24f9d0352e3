namespace FinSight.Domain;

/// <summary>
/// The mutable engine behind <see cref="PortfolioState.Replay"/> and <see cref="PortfolioHistory.Build"/>:
/// applies ordered transactions one at a time. Kept internal so that everything public is immutable.
/// </summary>
internal sealed class Ledger
{
    /// <summary>
    /// Quantities this close are treated as equal: reverse splits such as 1-for-3 leave recurring
    /// decimals, and selling "all" of 3.3333…3 shares must close the position rather than leave dust.
    /// </summary>
    internal const decimal QuantityTolerance = 0.000000001m;

    private readonly Dictionary<string, Holding> open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, decimal> lastTradePrice = new(StringComparer.Ordinal);
    private readonly HashSet<string> everHeld = new(StringComparer.Ordinal);
    private readonly List<RealizedTrade> realized = [];

    internal Ledger(CostBasisMethod method, CashMode mode)
    {
        if (!Enum.IsDefined(method))
        {
            throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown cost basis method.");
        }

        Method = method;
        Mode = mode;
    }

    internal CostBasisMethod Method { get; }

    internal CashMode Mode { get; }

    internal decimal Cash { get; private set; }

    internal decimal RealizedGain { get; private set; }

    internal decimal Dividends { get; private set; }

    internal decimal Fees { get; private set; }

    /// <summary>External inflows minus outflows since the start.</summary>
    internal decimal NetContributions { get; private set; }

    /// <summary>External inflows since the last <see cref="ResetFlows"/>, as a positive amount.</summary>
    internal decimal Inflow { get; private set; }

    /// <summary>External outflows since the last <see cref="ResetFlows"/>, as a positive amount.</summary>
    internal decimal Outflow { get; private set; }

    internal IReadOnlyCollection<Holding> OpenHoldings => open.Values;

    internal IReadOnlyList<RealizedTrade> Realized => realized;

    internal DateOnly? LastDate { get; private set; }

    /// <summary>Orders a history for replay: by date, splits first on a date, otherwise as supplied.</summary>
    internal static Transaction[] Order(IEnumerable<Transaction> transactions)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        var items = transactions.ToArray();
        for (var i = 0; i < items.Length; i++)
        {
            if (items[i] is null)
            {
                throw new ArgumentException($"Transaction at index {i} is null.", nameof(transactions));
            }
        }

        // LINQ's OrderBy is stable, which is what keeps same-day trades in the caller's order.
        return items.OrderBy(t => t.Date).ThenBy(t => t.Type == TransactionType.Split ? 0 : 1).ToArray();
    }

    internal static CashMode DetectCashMode(IReadOnlyList<Transaction> transactions)
    {
        foreach (var t in transactions)
        {
            if (t.Type is TransactionType.Deposit or TransactionType.Withdrawal)
            {
                return CashMode.Tracked;
            }
        }

        return CashMode.Implicit;
    }

    internal bool TryGetLastTradePrice(string symbol, out decimal price) => lastTradePrice.TryGetValue(symbol, out price);

    internal void ResetFlows()
    {
        Inflow = 0m;
        Outflow = 0m;
    }

    internal void Apply(Transaction transaction)
    {
        switch (transaction)
        {
            case BuyTransaction buy:
                ApplyBuy(buy);
                break;
            case SellTransaction sell:
                ApplySell(sell);
                break;
            case DividendTransaction dividend:
                ApplyDividend(dividend);
                break;
            case SplitTransaction split:
                ApplySplit(split);
                break;
            case DepositTransaction deposit:
                Cash += deposit.Amount;
                AddInflow(deposit.Amount);
                break;
            case WithdrawalTransaction withdrawal:
                Cash -= withdrawal.Amount;
                AddOutflow(withdrawal.Amount);
                break;
            case FeeTransaction fee:
                Fees += fee.Amount;
                PayOut(fee.Amount);
                break;
            default:
                throw new ArgumentException($"Unsupported transaction type {transaction.GetType().Name}.", nameof(transaction));
        }

        LastDate = transaction.Date;
    }

    private void ApplyBuy(BuyTransaction buy)
    {
        if (!open.TryGetValue(buy.Symbol, out var holding))
        {
            holding = new Holding(buy.Symbol, buy.Date);
            open.Add(buy.Symbol, holding);
        }

        var cost = buy.TotalCost;
        if (Method == CostBasisMethod.AverageCost && holding.Lots.Count > 0)
        {
            var pool = holding.Lots[0];
            holding.Lots[0] = new MutableLot(pool.OpenedOn, pool.Quantity + buy.Quantity, pool.Cost + cost, null);
        }
        else
        {
            var id = Method == CostBasisMethod.AverageCost ? null : buy.Id;
            holding.Lots.Add(new MutableLot(buy.Date, buy.Quantity, cost, id));
        }

        holding.Quantity += buy.Quantity;
        holding.Cost += cost;
        lastTradePrice[buy.Symbol] = buy.Price;
        everHeld.Add(buy.Symbol);
        PayOut(cost);
    }

    private void ApplySell(SellTransaction sell)
    {
        open.TryGetValue(sell.Symbol, out var holding);
        var held = holding?.Quantity ?? 0m;
        if (holding is null || sell.Quantity > held + QuantityTolerance)
        {
            throw new InsufficientQuantityException(sell.Symbol, sell.Date, held, sell.Quantity, sell.Id);
        }

        decimal costClosed;
        if (sell.Quantity >= held - QuantityTolerance)
        {
            // Closing everything takes the whole cost, so no rounding residue survives into a reopened position.
            costClosed = holding.Cost;
            open.Remove(sell.Symbol);
        }
        else
        {
            costClosed = Method == CostBasisMethod.Fifo ? CloseFifo(holding, sell.Quantity) : ClosePool(holding, sell.Quantity);
            holding.Quantity -= sell.Quantity;
            holding.Cost -= costClosed;
        }

        var trade = new RealizedTrade(sell.Id, sell.Symbol, sell.Date, sell.Quantity, sell.Price, sell.NetProceeds, costClosed);
        realized.Add(trade);
        RealizedGain += trade.Gain;
        lastTradePrice[sell.Symbol] = sell.Price;
        Receive(sell.NetProceeds);
    }

    private static decimal CloseFifo(Holding holding, decimal quantity)
    {
        var remaining = quantity;
        var costClosed = 0m;
        while (remaining > QuantityTolerance && holding.Head < holding.Lots.Count)
        {
            var lot = holding.Lots[holding.Head];
            if (lot.Quantity <= remaining + QuantityTolerance)
            {
                costClosed += lot.Cost;
                remaining -= lot.Quantity;
                holding.Head++;
            }
            else
            {
                var part = lot.Cost * remaining / lot.Quantity;
                costClosed += part;
                holding.Lots[holding.Head] = lot with { Quantity = lot.Quantity - remaining, Cost = lot.Cost - part };
                remaining = 0m;
            }
        }

        return costClosed;
    }

    private static decimal ClosePool(Holding holding, decimal quantity)
    {
        var pool = holding.Lots[0];
        var costClosed = pool.Cost * quantity / pool.Quantity;
        holding.Lots[0] = pool with { Quantity = pool.Quantity - quantity, Cost = pool.Cost - costClosed };
        return costClosed;
    }

    private void ApplyDividend(DividendTransaction dividend)
    {
        if (!everHeld.Contains(dividend.Symbol))
        {
            throw new PortfolioException(
                $"Dividend of {dividend.Amount} from {dividend.Symbol} on {dividend.Date:yyyy-MM-dd}, but {dividend.Symbol} was never held on or before that date.",
                dividend.Date,
                dividend.Id);
        }

        Dividends += dividend.Amount;
        if (open.TryGetValue(dividend.Symbol, out var holding))
        {
            holding.Dividends += dividend.Amount;
        }

        Receive(dividend.Amount);
    }

    /// <summary>
    /// Most shares one position may hold after a split (10^18): enough for any real split history,
    /// small enough that quantity × price stays far inside decimal's range (about 7.9 × 10^28).
    /// </summary>
    internal const decimal MaxSplitQuantity = 1_000_000_000_000_000_000m;

    private void ApplySplit(SplitTransaction split)
    {
        if (open.TryGetValue(split.Symbol, out var holding))
        {
            // Checked before anything changes: a refused split leaves the holding as it was.
            if (holding.Quantity / split.Denominator > MaxSplitQuantity / split.Numerator)
            {
                throw new PortfolioException(
                    $"The {split.Numerator}:{split.Denominator} split of {split.Symbol} on {split.Date:yyyy-MM-dd} would make the position "
                    + "larger than 10^18 shares.",
                    split.Date,
                    split.Id);
            }
            var total = 0m;
            for (var i = holding.Head; i < holding.Lots.Count; i++)
            {
                var lot = holding.Lots[i];
                var quantity = lot.Quantity * split.Numerator / split.Denominator;
                holding.Lots[i] = lot with { Quantity = quantity };
                total += quantity;
            }

            holding.Quantity = total;
        }

        if (lastTradePrice.TryGetValue(split.Symbol, out var price))
        {
            lastTradePrice[split.Symbol] = price * split.Denominator / split.Numerator;
        }
    }

    /// <summary>Money leaving the portfolio's cash, or paid in from outside when cash is implicit.</summary>
    private void PayOut(decimal amount)
    {
        if (Mode == CashMode.Tracked)
        {
            Cash -= amount;
        }
        else
        {
            AddInflow(amount);
        }
    }

    /// <summary>Money arriving in the portfolio's cash, or paid out to the owner when cash is implicit.</summary>
    private void Receive(decimal amount)
    {
        if (Mode == CashMode.Tracked)
        {
            Cash += amount;
        }
        else if (amount >= 0m)
        {
            AddOutflow(amount);
        }
        else
        {
            // Fees larger than the proceeds: the owner pays the difference in.
            AddInflow(-amount);
        }
    }

    private void AddInflow(decimal amount)
    {
        Inflow += amount;
        NetContributions += amount;
    }

    private void AddOutflow(decimal amount)
    {
        Outflow += amount;
        NetContributions -= amount;
    }

    internal PortfolioState ToState(DateOnly? asOf)
    {
        var positions = new List<Position>(open.Count);
        foreach (var holding in open.Values.OrderBy(h => h.Symbol, StringComparer.Ordinal))
        {
            var lots = new Lot[holding.Lots.Count - holding.Head];
            for (var i = 0; i < lots.Length; i++)
            {
                var lot = holding.Lots[holding.Head + i];
                lots[i] = new Lot(lot.OpenedOn, lot.Quantity, lot.Cost, lot.TransactionId);
            }

            positions.Add(new Position(
                holding.Symbol,
                holding.Quantity,
                holding.Cost,
                holding.OpenedOn,
                holding.Dividends,
                lastTradePrice[holding.Symbol],
                lots));
        }

        return new PortfolioState(
            Method,
            Mode,
            asOf ?? LastDate,
            positions,
            realized.ToArray(),
            Cash,
            RealizedGain,
            Dividends,
            Fees,
            NetContributions);
    }

    internal sealed class Holding(string symbol, DateOnly openedOn)
    {
        public string Symbol { get; } = symbol;

        public DateOnly OpenedOn { get; } = openedOn;

        public decimal Quantity { get; set; }

        public decimal Cost { get; set; }

        public decimal Dividends { get; set; }

        public List<MutableLot> Lots { get; } = [];

        /// <summary>Index of the oldest open lot: FIFO consumes from the front without shifting the list.</summary>
        public int Head { get; set; }
    }

    internal readonly record struct MutableLot(DateOnly OpenedOn, decimal Quantity, decimal Cost, string? TransactionId);
}
