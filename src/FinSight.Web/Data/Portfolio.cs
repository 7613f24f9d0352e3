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
    public string? Notes { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Rebuilds the domain transaction; its id is this record's id, so domain errors can name it.</summary>
    public Transaction ToDomain()
    {
        var id = Id.ToString();
        return Type switch
        {
            TransactionType.Buy => Transaction.Buy(Date, Symbol!, Quantity!.Value, Price!.Value, Fees ?? 0m, id),
            TransactionType.Sell => Transaction.Sell(Date, Symbol!, Quantity!.Value, Price!.Value, Fees ?? 0m, id),
            TransactionType.Dividend => Transaction.Dividend(Date, Symbol!, Amount!.Value, id),
            TransactionType.Split => Transaction.Split(Date, Symbol!, SplitNumerator!.Value, SplitDenominator!.Value, id),
            TransactionType.Deposit => Transaction.Deposit(Date, Amount!.Value, id),
            TransactionType.Withdrawal => Transaction.Withdrawal(Date, Amount!.Value, id),
            TransactionType.Fee => Transaction.Fee(Date, Amount!.Value, id),
            _ => throw new InvalidOperationException($"Unknown transaction type {Type}."),
        };
    }

    /// <summary>The order the domain replays same-day transactions in: the order they were recorded.</summary>
    public static IEnumerable<TransactionRecord> InReplayOrder(IEnumerable<TransactionRecord> records) =>
        records.OrderBy(r => r.Date).ThenBy(r => r.CreatedAt).ThenBy(r => r.Id);
}
