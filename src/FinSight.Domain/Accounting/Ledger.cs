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
    private readonly Dictionary<string, decimal> cash = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> symbolCurrency = new(StringComparer.Ordinal);

    internal Ledger(CostBasisMethod method, CashMode mode, ExchangeRates? rates = null)
    {
        Rates = rates ?? ExchangeRates.UsdOnly;
        BaseCode = Rates.BaseCurrency.Code;
        if (!Enum.IsDefined(method))
        {
            throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown cost basis method.");
        }

        Method = method;
        Mode = mode;
    }

    internal CostBasisMethod Method { get; }

    internal CashMode Mode { get; }

    internal ExchangeRates Rates { get; }

    /// <summary>The base currency's code: what a transaction without a currency is in.</summary>
    internal string BaseCode { get; }

    /// <summary>Cash per currency (tracked cash only), in that currency.</summary>
    internal IReadOnlyDictionary<string, decimal> CashBalances => cash;

    /// <summary>
    /// Cash in the base currency as booked: each movement converted at its own day's rate (exchanges
    /// left out). Cash valued at a later day's rates minus this is the currency gain on cash, the
    /// broker's spread on exchanges included.
    /// </summary>
    internal decimal CashBook { get; private set; }

    /// <summary>Cash in the base currency at <paramref name="date"/>'s rates.</summary>
    internal decimal CashValue(DateOnly date)
    {
        var total = 0m;
        foreach (var (code, amount) in cash)
        {
            total += code == BaseCode ? amount : amount * Rates.Rate(code, date);
        }

        return total;
    }

    /// <summary>The base currency's balance alone (the whole cash when nothing else is held).</summary>
    internal decimal Cash => cash.GetValueOrDefault(BaseCode);

    /// <summary>The currency a symbol trades in, once it has been bought.</summary>
    internal string CurrencyOf(string symbol) => symbolCurrency.GetValueOrDefault(symbol, BaseCode);

    /// <summary>Sum of the currency effects of every sell (see <see cref="RealizedTrade.CurrencyEffect"/>).</summary>
    internal decimal RealizedCurrencyEffect { get; private set; }

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
            if (t.Type is TransactionType.Deposit or TransactionType.Withdrawal or TransactionType.Exchange)
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
            {
                var (code, amount, inBase) = Settle(deposit.Amount, deposit.Currency, null, deposit.Date);
                AddCash(code, amount, inBase);
                AddInflow(inBase);
                break;
            }
            case WithdrawalTransaction withdrawal:
            {
                var (code, amount, inBase) = Settle(withdrawal.Amount, withdrawal.Currency, null, withdrawal.Date);
                AddCash(code, -amount, -inBase);
                AddOutflow(inBase);
                break;
            }
            case FeeTransaction fee:
            {
                var settled = Settle(fee.Amount, fee.Currency, null, fee.Date);
                Fees += settled.InBase;
                PayOut(settled);
                break;
            }
            case ExchangeTransaction exchange:
                // Booked value unchanged: the spread shows as the difference between cash valued at
                // the day's rates and cash as booked.
                cash[exchange.From.Code] = cash.GetValueOrDefault(exchange.From.Code) - exchange.FromAmount;
                cash[exchange.To.Code] = cash.GetValueOrDefault(exchange.To.Code) + exchange.ToAmount;
                break;
            default:
                throw new ArgumentException($"Unsupported transaction type {transaction.GetType().Name}.", nameof(transaction));
        }

        LastDate = transaction.Date;
    }

    private void ApplyBuy(BuyTransaction buy)
    {
        var currency = CheckCurrency(buy.Symbol, buy.Currency, buy.Date, buy.Id);
        if (!open.TryGetValue(buy.Symbol, out var holding))
        {
            holding = new Holding(buy.Symbol, buy.Date, currency);
            open.Add(buy.Symbol, holding);
        }

        var localCost = buy.TotalCost;
        var settled = Settle(localCost, buy.Currency, buy.Settlement, buy.Date);
        var cost = settled.InBase;
        if (Method == CostBasisMethod.AverageCost && holding.Lots.Count > 0)
        {
            var pool = holding.Lots[0];
            holding.Lots[0] = new MutableLot(pool.OpenedOn, pool.Quantity + buy.Quantity, pool.Cost + cost, null, pool.LocalCost + localCost);
        }
        else
        {
            var id = Method == CostBasisMethod.AverageCost ? null : buy.Id;
            holding.Lots.Add(new MutableLot(buy.Date, buy.Quantity, cost, id, localCost));
        }

        holding.Quantity += buy.Quantity;
        holding.Cost += cost;
        holding.LocalCost += localCost;
        lastTradePrice[buy.Symbol] = buy.Price;
        everHeld.Add(buy.Symbol);
        PayOut(settled);
    }

    /// <summary>The symbol's trading currency; a trade in another currency than its earlier trades is refused.</summary>
    private string CheckCurrency(string symbol, Currency? stated, DateOnly date, string? id)
    {
        var code = stated?.Code ?? BaseCode;
        if (symbolCurrency.TryGetValue(symbol, out var known))
        {
            if (known != code)
            {
                throw new PortfolioException($"{symbol} trades in {known}; a trade of it on {date:yyyy-MM-dd} is in {code}.", date, id);
            }
        }
        else
        {
            symbolCurrency[symbol] = code;
        }

        return code;
    }

    /// <summary>
    /// Where an amount in <paramref name="currency"/> lands as cash (its own currency, or the
    /// settlement's at the stated or the day's market rate) and what it is worth in the base
    /// currency on <paramref name="date"/>.
    /// </summary>
    private (string Code, decimal Amount, decimal InBase) Settle(decimal amount, Currency? currency, Settlement? settlement, DateOnly date)
    {
        var code = currency?.Code ?? BaseCode;
        if (settlement is not null && settlement.Currency.Code != code)
        {
            var target = settlement.Currency.Code;
            var rate = settlement.Rate ?? (Rates.Rate(code, date) / Rates.Rate(target, date));
            var moved = amount * rate;
            return (target, moved, ToBase(target, moved, date));
        }

        return (code, amount, ToBase(code, amount, date));
    }

    private decimal ToBase(string code, decimal amount, DateOnly date) => code == BaseCode ? amount : amount * Rates.Rate(code, date);

    private void AddCash(string code, decimal amount, decimal inBase)
    {
        cash[code] = cash.GetValueOrDefault(code) + amount;
        CashBook += inBase;
    }

    private void ApplySell(SellTransaction sell)
    {
        var currency = CheckCurrency(sell.Symbol, sell.Currency, sell.Date, sell.Id);
        open.TryGetValue(sell.Symbol, out var holding);
        var held = holding?.Quantity ?? 0m;
        if (holding is null || sell.Quantity > held + QuantityTolerance)
        {
            throw new InsufficientQuantityException(sell.Symbol, sell.Date, held, sell.Quantity, sell.Id);
        }

        decimal costClosed;
        decimal localClosed;
        if (sell.Quantity >= held - QuantityTolerance)
        {
            // Closing everything takes the whole cost, so no rounding residue survives into a reopened position.
            costClosed = holding.Cost;
            localClosed = holding.LocalCost;
            open.Remove(sell.Symbol);
        }
        else
        {
            (costClosed, localClosed) = Method == CostBasisMethod.Fifo ? CloseFifo(holding, sell.Quantity) : ClosePool(holding, sell.Quantity);
            holding.Quantity -= sell.Quantity;
            holding.Cost -= costClosed;
            holding.LocalCost -= localClosed;
        }

        var settled = Settle(sell.NetProceeds, sell.Currency, sell.Settlement, sell.Date);
        // The closed shares' cost in their own currency at the sale's rate, less their booked cost: the currency's part of the gain.
        var currencyEffect = currency == BaseCode ? 0m : ToBase(currency, localClosed, sell.Date) - costClosed;
        var trade = new RealizedTrade(sell.Id, sell.Symbol, sell.Date, sell.Quantity, sell.Price, settled.InBase, costClosed, Domain.Currency.Parse(currency), currencyEffect);
        realized.Add(trade);
        RealizedGain += trade.Gain;
        RealizedCurrencyEffect += currencyEffect;
        lastTradePrice[sell.Symbol] = sell.Price;
        Receive(settled);
    }

    private static (decimal Cost, decimal LocalCost) CloseFifo(Holding holding, decimal quantity)
    {
        var remaining = quantity;
        var costClosed = 0m;
        var localClosed = 0m;
        while (remaining > QuantityTolerance && holding.Head < holding.Lots.Count)
        {
            var lot = holding.Lots[holding.Head];
            if (lot.Quantity <= remaining + QuantityTolerance)
            {
                costClosed += lot.Cost;
                localClosed += lot.LocalCost;
                remaining -= lot.Quantity;
                holding.Head++;
            }
            else
            {
                var part = lot.Cost * remaining / lot.Quantity;
                var localPart = lot.LocalCost == lot.Cost ? part : lot.LocalCost * remaining / lot.Quantity;
                costClosed += part;
                localClosed += localPart;
                holding.Lots[holding.Head] = lot with { Quantity = lot.Quantity - remaining, Cost = lot.Cost - part, LocalCost = lot.LocalCost - localPart };
                remaining = 0m;
            }
        }

        return (costClosed, localClosed);
    }

    private static (decimal Cost, decimal LocalCost) ClosePool(Holding holding, decimal quantity)
    {
        var pool = holding.Lots[0];
        var costClosed = pool.Cost * quantity / pool.Quantity;
        var localClosed = pool.LocalCost == pool.Cost ? costClosed : pool.LocalCost * quantity / pool.Quantity;
        holding.Lots[0] = pool with { Quantity = pool.Quantity - quantity, Cost = pool.Cost - costClosed, LocalCost = pool.LocalCost - localClosed };
        return (costClosed, localClosed);
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

        var settled = Settle(dividend.Amount, dividend.Currency, dividend.Settlement, dividend.Date);
        Dividends += settled.InBase;
        if (open.TryGetValue(dividend.Symbol, out var holding))
        {
            holding.Dividends += settled.InBase;
        }

        Receive(settled);
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
    private void PayOut((string Code, decimal Amount, decimal InBase) settled)
    {
        if (Mode == CashMode.Tracked)
        {
            AddCash(settled.Code, -settled.Amount, -settled.InBase);
        }
        else
        {
            AddInflow(settled.InBase);
        }
    }

    /// <summary>Money arriving in the portfolio's cash, or paid out to the owner when cash is implicit.</summary>
    private void Receive((string Code, decimal Amount, decimal InBase) settled)
    {
        if (Mode == CashMode.Tracked)
        {
            AddCash(settled.Code, settled.Amount, settled.InBase);
        }
        else if (settled.InBase >= 0m)
        {
            AddOutflow(settled.InBase);
        }
        else
        {
            // Fees larger than the proceeds: the owner pays the difference in.
            AddInflow(-settled.InBase);
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
                lots[i] = new Lot(lot.OpenedOn, lot.Quantity, lot.Cost, lot.TransactionId, lot.LocalCost);
            }

            positions.Add(new Position(
                holding.Symbol,
                holding.Quantity,
                holding.Cost,
                holding.OpenedOn,
                holding.Dividends,
                lastTradePrice[holding.Symbol],
                lots,
                Domain.Currency.Parse(holding.Currency),
                holding.LocalCost));
        }

        return new PortfolioState(
            Method,
            Mode,
            asOf ?? LastDate,
            positions,
            realized.ToArray(),
            CashValue(asOf ?? LastDate ?? DateOnly.MinValue),
            RealizedGain,
            Dividends,
            Fees,
            NetContributions)
        {
            Rates = Rates,
            CashBalances = cash.Where(c => c.Value != 0m).OrderBy(c => c.Key, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal),
            CashBook = CashBook,
            RealizedCurrencyEffect = RealizedCurrencyEffect,
        };
    }

    internal sealed class Holding(string symbol, DateOnly openedOn, string currency)
    {
        public string Symbol { get; } = symbol;

        public DateOnly OpenedOn { get; } = openedOn;

        /// <summary>The trading currency.</summary>
        public string Currency { get; } = currency;

        public decimal Quantity { get; set; }

        /// <summary>Cost in the base currency, each lot at its buy's rate.</summary>
        public decimal Cost { get; set; }

        /// <summary>Cost in the trading currency.</summary>
        public decimal LocalCost { get; set; }

        public decimal Dividends { get; set; }

        public List<MutableLot> Lots { get; } = [];

        /// <summary>Index of the oldest open lot: FIFO consumes from the front without shifting the list.</summary>
        public int Head { get; set; }
    }

    internal readonly record struct MutableLot(DateOnly OpenedOn, decimal Quantity, decimal Cost, string? TransactionId, decimal LocalCost);
}
