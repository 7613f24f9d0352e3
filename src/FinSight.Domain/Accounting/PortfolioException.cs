namespace FinSight.Domain;

/// <summary>
/// A transaction history that cannot be replayed consistently (a domain error, not a bug): the
/// web layer should answer it with a 4xx that repeats <see cref="Exception.Message"/>.
/// </summary>
public class PortfolioException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, for a person to read.</param>
    /// <param name="date">The date of the offending transaction.</param>
    /// <param name="transactionId">The offending transaction's <see cref="Transaction.Id"/>, if it has one.</param>
    public PortfolioException(string message, DateOnly date, string? transactionId)
        : base(message)
    {
        Date = date;
        TransactionId = transactionId;
    }

    /// <summary>The date of the offending transaction.</summary>
    public DateOnly Date { get; }

    /// <summary>The offending transaction's <see cref="Transaction.Id"/>; null when the caller gave none.</summary>
    public string? TransactionId { get; }
}

/// <summary>A sell of more shares than were held on its date (short selling is not supported).</summary>
public sealed class InsufficientQuantityException : PortfolioException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="symbol">The symbol sold.</param>
    /// <param name="date">The sell's date.</param>
    /// <param name="quantityHeld">Shares held just before the sell (0 when none).</param>
    /// <param name="quantityRequested">Shares the sell asked for.</param>
    /// <param name="transactionId">The sell's <see cref="Transaction.Id"/>, if any.</param>
    public InsufficientQuantityException(string symbol, DateOnly date, decimal quantityHeld, decimal quantityRequested, string? transactionId)
        : base(
            $"Cannot sell {quantityRequested} {symbol} on {date:yyyy-MM-dd}: only {quantityHeld} held on that date.",
            date,
            transactionId)
    {
        Symbol = symbol;
        QuantityHeld = quantityHeld;
        QuantityRequested = quantityRequested;
    }

    /// <summary>The symbol sold.</summary>
    public string Symbol { get; }

    /// <summary>Shares held just before the sell, after any split that day.</summary>
    public decimal QuantityHeld { get; }

    /// <summary>Shares the sell asked for.</summary>
    public decimal QuantityRequested { get; }
}
