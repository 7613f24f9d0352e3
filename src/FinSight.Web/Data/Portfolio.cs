using FinSight.Domain;

namespace FinSight.Web.Data;

/// <summary>
/// A named collection of transactions owned by one user. Every user has a default one, made on
/// first use. <see cref="Version"/> is bumped by every change to the portfolio's transactions, so
/// two writers that validated against the same history cannot both commit.
/// </summary>
public sealed class Portfolio
{
    public const string DefaultName = "Main";

    public Guid Id { get; init; }
    public Guid UserId { get; init; }
    public required string Name { get; set; }
    public bool IsDefault { get; init; }
    public CostBasisMethod CostBasisMethod { get; set; } = CostBasisMethod.Fifo;
    /// <summary>The ISO 4217 code every figure of the portfolio is expressed in; portfolios made before currencies existed are USD.</summary>
    public string BaseCurrency { get; set; } = "USD";
    public DateTimeOffset CreatedAt { get; init; }
    public int Version { get; set; }

    /// <summary>A detached copy with every field (a cached portfolio is never handed out itself).</summary>
    public Portfolio Copy() => (Portfolio)MemberwiseClone();
}

/// <summary>
/// A stored transaction, one row per type of <see cref="Transaction"/>. Fields that a type does not
/// use are null. The domain type is rebuilt by <see cref="ToDomain"/>, which re-runs its validation.
/// </summary>
public sealed class TransactionRecord
{
    public Guid Id { get; init; }
    public Guid PortfolioId { get; set; }
    public Guid UserId { get; init; }
    public TransactionType Type { get; set; }
    public string? Symbol { get; set; }
    public decimal? Quantity { get; set; }
    public decimal? Price { get; set; }
    public decimal? Fees { get; set; }
    public decimal? Amount { get; set; }
    public decimal? SplitNumerator { get; set; }
    public decimal? SplitDenominator { get; set; }
    public DateOnly Date { get; set; }
    /// <summary>ISO 4217 code of <see cref="Price"/>, <see cref="Fees"/> and <see cref="Amount"/> (for an exchange: the currency sold). Rows made before currencies existed are USD.</summary>
    public string Currency { get; set; } = "USD";
    /// <summary>Buy, sell, dividend: the currency of the cash that moved when not <see cref="Currency"/>.</summary>
    public string? SettlementCurrency { get; set; }
    /// <summary>Units of <see cref="SettlementCurrency"/> per unit of <see cref="Currency"/> as stated; null for the day's market rate.</summary>
    public decimal? SettlementRate { get; set; }
    /// <summary>Exchange: the currency bought.</summary>
    public string? ToCurrency { get; set; }
    /// <summary>Exchange: the amount of <see cref="ToCurrency"/> received.</summary>
    public decimal? ToAmount { get; set; }
    public string? Notes { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Rebuilds the domain transaction; its id is this record's id, so domain errors can name it.</summary>
    public Transaction ToDomain()
    {
        var id = Id.ToString();
        var currency = Domain.Currency.Parse(Currency);
        var settlement = SettlementCurrency is null ? null : new Settlement(Domain.Currency.Parse(SettlementCurrency), SettlementRate);
        Transaction transaction = Type switch
        {
            TransactionType.Buy => Transaction.Buy(Date, Symbol!, Quantity!.Value, Price!.Value, Fees ?? 0m, id) with { Settlement = settlement },
            TransactionType.Sell => Transaction.Sell(Date, Symbol!, Quantity!.Value, Price!.Value, Fees ?? 0m, id) with { Settlement = settlement },
            TransactionType.Dividend => Transaction.Dividend(Date, Symbol!, Amount!.Value, id) with { Settlement = settlement },
            TransactionType.Split => Transaction.Split(Date, Symbol!, SplitNumerator!.Value, SplitDenominator!.Value, id),
            TransactionType.Deposit => Transaction.Deposit(Date, Amount!.Value, id),
            TransactionType.Withdrawal => Transaction.Withdrawal(Date, Amount!.Value, id),
            TransactionType.Fee => Transaction.Fee(Date, Amount!.Value, id),
            TransactionType.Exchange => Transaction.Exchange(Date, currency, Amount!.Value, Domain.Currency.Parse(ToCurrency), ToAmount!.Value, id),
            _ => throw new InvalidOperationException($"Unknown transaction type {Type}."),
        };
        return Type is TransactionType.Split or TransactionType.Exchange ? transaction : transaction with { Currency = currency };
    }

    /// <summary>The order the domain replays same-day transactions in: the order they were recorded.</summary>
    public static IEnumerable<TransactionRecord> InReplayOrder(IEnumerable<TransactionRecord> records) =>
        records.OrderBy(r => r.Date).ThenBy(r => r.CreatedAt).ThenBy(r => r.Id);
}
