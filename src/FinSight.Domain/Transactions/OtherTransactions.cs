namespace FinSight.Domain;

/// <summary>
/// A cash dividend: the total <see cref="Amount"/> received, not a per-share figure. It is income
/// (part of the total gain), not a realized gain, and does not change any lot's cost. The symbol must
/// have been held at some time on or before the date (dividends are often paid after a sale).
/// </summary>
public sealed record DividendTransaction : Transaction
{
    /// <summary>Creates a dividend; prefer <see cref="Transaction.Dividend"/>.</summary>
    /// <param name="date">Pay date.</param>
    /// <param name="symbol">A <see cref="Ticker"/>; trimmed and upper-cased.</param>
    /// <param name="amount">Total cash received, &gt; 0.</param>
    /// <param name="id">Optional caller identifier.</param>
    public DividendTransaction(DateOnly date, string symbol, decimal amount, string? id = null)
        : base(date, id)
    {
        Symbol = NormalizeSymbol(symbol, nameof(symbol));
        Amount = Positive(amount, nameof(amount));
    }

    /// <inheritdoc />
    public override TransactionType Type => TransactionType.Dividend;

    /// <summary>The <see cref="Ticker"/>, upper-case.</summary>
    public string Symbol { get; }

    /// <summary>Total cash received, &gt; 0.</summary>
    public decimal Amount { get; }

    /// <summary>The cash it was paid into when that is in another currency (a USD dividend paid into EUR cash); null: into cash in <see cref="Transaction.Currency"/>.</summary>
    public Settlement? Settlement { get; init; }
}

/// <summary>
/// A stock split (<see cref="Numerator"/> &gt; <see cref="Denominator"/>) or reverse split
/// (<see cref="Numerator"/> &lt; <see cref="Denominator"/>), effective at the start of <see cref="Transaction.Date"/>.
/// Every lot opened before it has its quantity multiplied and its per-share cost divided by
/// <see cref="Ratio"/>; total cost is unchanged, so the split is neither a gain nor a cash flow.
/// A split of a symbol not currently held changes nothing but is still used to adjust split-adjusted
/// closes (see <see cref="CloseAdjustment"/>). Fractional shares that result are kept (no cash in lieu).
/// </summary>
public sealed record SplitTransaction : Transaction
{
    /// <summary>Creates a split; prefer <see cref="Transaction.Split"/>.</summary>
    /// <param name="date">Ex-date.</param>
    /// <param name="symbol">A <see cref="Ticker"/>; trimmed and upper-cased.</param>
    /// <param name="numerator">New shares, &gt; 0.</param>
    /// <param name="denominator">Old shares, &gt; 0.</param>
    /// <param name="id">Optional caller identifier.</param>
    public SplitTransaction(DateOnly date, string symbol, decimal numerator, decimal denominator, string? id = null)
        : base(date, id)
    {
        Symbol = NormalizeSymbol(symbol, nameof(symbol));
        Numerator = Positive(numerator, nameof(numerator));
        Denominator = Positive(denominator, nameof(denominator));
    }

    /// <inheritdoc />
    public override TransactionType Type => TransactionType.Split;

    /// <summary>The <see cref="Ticker"/>, upper-case.</summary>
    public string Symbol { get; }

    /// <summary>New shares per <see cref="Denominator"/> old shares, &gt; 0.</summary>
    public decimal Numerator { get; }

    /// <summary>Old shares, &gt; 0.</summary>
    public decimal Denominator { get; }

    /// <summary>Shares after the split per share before it: <c>Numerator / Denominator</c> (2 for 2-for-1, 0.25 for 1-for-4).</summary>
    public decimal Ratio => Numerator / Denominator;
}

/// <summary>
/// Cash paid into the portfolio: an external inflow. A history containing any deposit or withdrawal
/// tracks cash (see <see cref="CashMode"/>).
/// </summary>
public sealed record DepositTransaction : Transaction
{
    /// <summary>Creates a deposit; prefer <see cref="Transaction.Deposit"/>.</summary>
    /// <param name="date">Date the cash arrived.</param>
    /// <param name="amount">Cash, &gt; 0.</param>
    /// <param name="id">Optional caller identifier.</param>
    public DepositTransaction(DateOnly date, decimal amount, string? id = null)
        : base(date, id) => Amount = Positive(amount, nameof(amount));

    /// <inheritdoc />
    public override TransactionType Type => TransactionType.Deposit;

    /// <summary>Cash paid in, &gt; 0.</summary>
    public decimal Amount { get; }
}

/// <summary>
/// Cash taken out of the portfolio: an external outflow. A history containing any deposit or
/// withdrawal tracks cash (see <see cref="CashMode"/>); cash may go negative (read it as borrowing or
/// an unrecorded deposit) rather than the withdrawal being refused.
/// </summary>
public sealed record WithdrawalTransaction : Transaction
{
    /// <summary>Creates a withdrawal; prefer <see cref="Transaction.Withdrawal"/>.</summary>
    /// <param name="date">Date the cash left.</param>
    /// <param name="amount">Cash, &gt; 0.</param>
    /// <param name="id">Optional caller identifier.</param>
    public WithdrawalTransaction(DateOnly date, decimal amount, string? id = null)
        : base(date, id) => Amount = Positive(amount, nameof(amount));

    /// <inheritdoc />
    public override TransactionType Type => TransactionType.Withdrawal;

    /// <summary>Cash taken out, &gt; 0.</summary>
    public decimal Amount { get; }
}

/// <summary>
/// A fee not tied to a trade (custody, account fee). It reduces the total gain; it is not part of any
/// lot's cost and not a realized loss. Trade commissions belong in <see cref="BuyTransaction.Fees"/>
/// or <see cref="SellTransaction.Fees"/> instead.
/// </summary>
public sealed record FeeTransaction : Transaction
{
    /// <summary>Creates a fee; prefer <see cref="Transaction.Fee"/>.</summary>
    /// <param name="date">Date charged.</param>
    /// <param name="amount">Fee, &gt; 0.</param>
    /// <param name="id">Optional caller identifier.</param>
    public FeeTransaction(DateOnly date, decimal amount, string? id = null)
        : base(date, id) => Amount = Positive(amount, nameof(amount));

    /// <inheritdoc />
    public override TransactionType Type => TransactionType.Fee;

    /// <summary>Fee, &gt; 0.</summary>
    public decimal Amount { get; }
}

/// <summary>
/// Cash in one currency exchanged for cash in another: <see cref="FromAmount"/> of <see cref="From"/>
/// leaves, <see cref="ToAmount"/> of <see cref="To"/> arrives. Neither money in nor money out of the
/// portfolio; the difference from the market rate (the broker's spread) shows as a currency loss.
/// A history containing an exchange tracks cash (see <see cref="CashMode"/>).
/// </summary>
public sealed record ExchangeTransaction : Transaction
{
    /// <summary>Creates an exchange; prefer <see cref="Transaction.Exchange"/>.</summary>
    /// <param name="date">Date of the exchange.</param>
    /// <param name="from">Currency sold.</param>
    /// <param name="fromAmount">Amount sold, &gt; 0.</param>
    /// <param name="to">Currency bought, not <paramref name="from"/>.</param>
    /// <param name="toAmount">Amount received, &gt; 0.</param>
    /// <param name="id">Optional caller identifier.</param>
    public ExchangeTransaction(DateOnly date, Currency from, decimal fromAmount, Currency to, decimal toAmount, string? id = null)
        : base(date, id)
    {
        if (from == default || to == default)
        {
            throw new ArgumentException("Both currencies are required.", from == default ? nameof(from) : nameof(to));
        }

        if (from == to)
        {
            throw new ArgumentException($"An exchange needs two different currencies, not {from} and {to}.", nameof(to));
        }

        From = from;
        To = to;
        FromAmount = Positive(fromAmount, nameof(fromAmount));
        ToAmount = Positive(toAmount, nameof(toAmount));
    }

    /// <inheritdoc />
    public override TransactionType Type => TransactionType.Exchange;

    /// <summary>Currency sold.</summary>
    public Currency From { get; }

    /// <summary>Amount of <see cref="From"/> sold, &gt; 0.</summary>
    public decimal FromAmount { get; }

    /// <summary>Currency bought.</summary>
    public Currency To { get; }

    /// <summary>Amount of <see cref="To"/> received, &gt; 0.</summary>
    public decimal ToAmount { get; }

    /// <summary>The rate obtained: units of <see cref="To"/> per unit of <see cref="From"/>.</summary>
    public decimal Rate => ToAmount / FromAmount;
}
