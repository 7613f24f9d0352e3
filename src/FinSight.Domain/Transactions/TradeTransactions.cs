namespace FinSight.Domain;

/// <summary>
/// Shares bought. Opens a lot whose cost basis is <c>Quantity × Price + Fees</c>: fees are part of
/// what the shares cost, so they reduce the gain when the lot is later sold.
/// </summary>
public sealed record BuyTransaction : Transaction
{
    /// <summary>Creates a buy; prefer <see cref="Transaction.Buy"/>.</summary>
    /// <param name="date">Trade date.</param>
    /// <param name="symbol">A <see cref="Ticker"/>; trimmed and upper-cased.</param>
    /// <param name="quantity">Shares, &gt; 0.</param>
    /// <param name="price">Price per share, ≥ 0.</param>
    /// <param name="fees">Trade costs, ≥ 0.</param>
    /// <param name="id">Optional caller identifier.</param>
    public BuyTransaction(DateOnly date, string symbol, decimal quantity, decimal price, decimal fees = 0m, string? id = null)
        : base(date, id)
    {
        Symbol = NormalizeSymbol(symbol, nameof(symbol));
        Quantity = Positive(quantity, nameof(quantity));
        Price = NonNegative(price, nameof(price));
        Fees = NonNegative(fees, nameof(fees));
    }

    /// <inheritdoc />
    public override TransactionType Type => TransactionType.Buy;

    /// <summary>The <see cref="Ticker"/>, upper-case.</summary>
    public string Symbol { get; }

    /// <summary>Shares bought, &gt; 0.</summary>
    public decimal Quantity { get; }

    /// <summary>Price per share as executed (not split-adjusted), ≥ 0.</summary>
    public decimal Price { get; }

    /// <summary>Trade costs, ≥ 0.</summary>
    public decimal Fees { get; }

    /// <summary>How the buy was paid for when not from cash in its own currency (see <see cref="Domain.Settlement"/>); null: from cash in <see cref="Transaction.Currency"/>.</summary>
    public Settlement? Settlement { get; init; }

    /// <summary>Cash the buy consumed: <c>Quantity × Price + Fees</c>.</summary>
    public decimal TotalCost => (Quantity * Price) + Fees;
}

/// <summary>
/// Shares sold. Closes open lots (first in, first out, or at average cost, see
/// <see cref="CostBasisMethod"/>) and realizes <c>Quantity × Price − Fees − cost of the closed lots</c>.
/// Selling more than is held on that date is an <see cref="InsufficientQuantityException"/>: short
/// positions are not supported.
/// </summary>
public sealed record SellTransaction : Transaction
{
    /// <summary>Creates a sell; prefer <see cref="Transaction.Sell"/>.</summary>
    /// <param name="date">Trade date.</param>
    /// <param name="symbol">A <see cref="Ticker"/>; trimmed and upper-cased.</param>
    /// <param name="quantity">Shares, &gt; 0.</param>
    /// <param name="price">Price per share, ≥ 0.</param>
    /// <param name="fees">Trade costs, ≥ 0.</param>
    /// <param name="id">Optional caller identifier.</param>
    public SellTransaction(DateOnly date, string symbol, decimal quantity, decimal price, decimal fees = 0m, string? id = null)
        : base(date, id)
    {
        Symbol = NormalizeSymbol(symbol, nameof(symbol));
        Quantity = Positive(quantity, nameof(quantity));
        Price = NonNegative(price, nameof(price));
        Fees = NonNegative(fees, nameof(fees));
    }

    /// <inheritdoc />
    public override TransactionType Type => TransactionType.Sell;

    /// <summary>The <see cref="Ticker"/>, upper-case.</summary>
    public string Symbol { get; }

    /// <summary>Shares sold, &gt; 0.</summary>
    public decimal Quantity { get; }

    /// <summary>Price per share as executed (not split-adjusted), ≥ 0.</summary>
    public decimal Price { get; }

    /// <summary>Trade costs, ≥ 0.</summary>
    public decimal Fees { get; }

    /// <summary>Where the proceeds went when not into cash in the sell's own currency; null: into cash in <see cref="Transaction.Currency"/>.</summary>
    public Settlement? Settlement { get; init; }

    /// <summary>Cash the sell brought in: <c>Quantity × Price − Fees</c> (may be negative if fees exceed the proceeds).</summary>
    public decimal NetProceeds => (Quantity * Price) - Fees;
}
