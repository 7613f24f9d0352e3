namespace FinSight.Domain;

/// <summary>
/// One entry of a portfolio's history, stored as executed. Instances are immutable and validate
/// their arguments on construction (<see cref="ArgumentException"/> and
/// <see cref="ArgumentOutOfRangeException"/> name the offending parameter), so an instance that
/// exists is always well formed on its own; whether it is consistent with the rest of the history
/// (for example a sell of shares that are not held) is checked by <see cref="PortfolioState.Replay"/>.
/// </summary>
/// <remarks>
/// <para>Money is <see cref="decimal"/> in the transaction's <see cref="Currency"/> (null: the portfolio's
/// base currency); the engine converts it into the base currency at the day's rate from <see cref="ExchangeRates"/>.</para>
/// <para>Ordering: transactions are applied by <see cref="Date"/>; on the same date splits apply first
/// (a split's date is its ex-date, so trades that day are already in post-split terms) and every other
/// transaction keeps the order in which the caller supplied it (so "buy then sell the same day" works).</para>
/// </remarks>
public abstract record Transaction
{
    private protected Transaction(DateOnly date, string? id)
    {
        Date = date;
        Id = id;
    }

    /// <summary>The trade date (or ex-date for splits, pay date for dividends).</summary>
    public DateOnly Date { get; }

    /// <summary>
    /// The caller's identifier for this transaction (for example a database key), echoed back in
    /// results such as <see cref="RealizedTrade.TransactionId"/> and in exceptions; null when the caller has none.
    /// </summary>
    public string? Id { get; }

    /// <summary>The kind of transaction.</summary>
    public abstract TransactionType Type { get; }

    /// <summary>
    /// The currency of the transaction's amounts and prices (a security's trading currency for a buy or
    /// sell); null for the portfolio's base currency. Splits and exchanges ignore it.
    /// </summary>
    public Currency? Currency { get; init; }

    /// <summary>Creates a <see cref="BuyTransaction"/>.</summary>
    /// <param name="date">Trade date.</param>
    /// <param name="symbol">A <see cref="Ticker"/>; trimmed and upper-cased.</param>
    /// <param name="quantity">Shares bought, &gt; 0, fractions allowed.</param>
    /// <param name="price">Price per share, ≥ 0.</param>
    /// <param name="fees">Commission and other costs of the trade, ≥ 0.</param>
    /// <param name="id">Optional caller identifier.</param>
    /// <returns>The transaction.</returns>
    public static BuyTransaction Buy(DateOnly date, string symbol, decimal quantity, decimal price, decimal fees = 0m, string? id = null) =>
        new(date, symbol, quantity, price, fees, id);

    /// <summary>Creates a <see cref="SellTransaction"/>.</summary>
    /// <param name="date">Trade date.</param>
    /// <param name="symbol">A <see cref="Ticker"/>; trimmed and upper-cased.</param>
    /// <param name="quantity">Shares sold, &gt; 0, fractions allowed.</param>
    /// <param name="price">Price per share, ≥ 0.</param>
    /// <param name="fees">Commission and other costs of the trade, ≥ 0.</param>
    /// <param name="id">Optional caller identifier.</param>
    /// <returns>The transaction.</returns>
    public static SellTransaction Sell(DateOnly date, string symbol, decimal quantity, decimal price, decimal fees = 0m, string? id = null) =>
        new(date, symbol, quantity, price, fees, id);

    /// <summary>Creates a <see cref="DividendTransaction"/>.</summary>
    /// <param name="date">Pay date.</param>
    /// <param name="symbol">A <see cref="Ticker"/>; trimmed and upper-cased.</param>
    /// <param name="amount">Total cash received (not per share), &gt; 0.</param>
    /// <param name="id">Optional caller identifier.</param>
    /// <returns>The transaction.</returns>
    public static DividendTransaction Dividend(DateOnly date, string symbol, decimal amount, string? id = null) =>
        new(date, symbol, amount, id);

    /// <summary>Creates a <see cref="SplitTransaction"/>.</summary>
    /// <param name="date">Ex-date.</param>
    /// <param name="symbol">A <see cref="Ticker"/>; trimmed and upper-cased.</param>
    /// <param name="numerator">New shares per <paramref name="denominator"/> old shares, &gt; 0 (4 for a 4-for-1 split).</param>
    /// <param name="denominator">Old shares, &gt; 0 (4 for a 1-for-4 reverse split).</param>
    /// <param name="id">Optional caller identifier.</param>
    /// <returns>The transaction.</returns>
    public static SplitTransaction Split(DateOnly date, string symbol, decimal numerator, decimal denominator, string? id = null) =>
        new(date, symbol, numerator, denominator, id);

    /// <summary>Creates an <see cref="ExchangeTransaction"/>.</summary>
    /// <param name="date">Date of the exchange.</param>
    /// <param name="from">Currency sold.</param>
    /// <param name="fromAmount">Amount sold, &gt; 0.</param>
    /// <param name="to">Currency bought, not <paramref name="from"/>.</param>
    /// <param name="toAmount">Amount received, &gt; 0 (after the broker's spread and charges).</param>
    /// <param name="id">Optional caller identifier.</param>
    /// <returns>The transaction.</returns>
    public static ExchangeTransaction Exchange(DateOnly date, Currency from, decimal fromAmount, Currency to, decimal toAmount, string? id = null) =>
        new(date, from, fromAmount, to, toAmount, id);

    /// <summary>Creates a <see cref="DepositTransaction"/>.</summary>
    /// <param name="date">Date the cash arrived.</param>
    /// <param name="amount">Cash paid in, &gt; 0.</param>
    /// <param name="id">Optional caller identifier.</param>
    /// <returns>The transaction.</returns>
    public static DepositTransaction Deposit(DateOnly date, decimal amount, string? id = null) => new(date, amount, id);

    /// <summary>Creates a <see cref="WithdrawalTransaction"/>.</summary>
    /// <param name="date">Date the cash left.</param>
    /// <param name="amount">Cash taken out, &gt; 0.</param>
    /// <param name="id">Optional caller identifier.</param>
    /// <returns>The transaction.</returns>
    public static WithdrawalTransaction Withdrawal(DateOnly date, decimal amount, string? id = null) => new(date, amount, id);

    /// <summary>Creates a <see cref="FeeTransaction"/>.</summary>
    /// <param name="date">Date the fee was charged.</param>
    /// <param name="amount">Fee, &gt; 0.</param>
    /// <param name="id">Optional caller identifier.</param>
    /// <returns>The transaction.</returns>
    public static FeeTransaction Fee(DateOnly date, decimal amount, string? id = null) => new(date, amount, id);

    /// <summary>The <see cref="Ticker"/> form of <paramref name="symbol"/>; an <see cref="ArgumentException"/> naming <paramref name="paramName"/> when it is none.</summary>
    internal static string NormalizeSymbol(string symbol, string paramName)
    {
        ArgumentNullException.ThrowIfNull(symbol, paramName);
        if (string.IsNullOrWhiteSpace(symbol))
        {
            throw new ArgumentException("Symbol must not be empty.", paramName);
        }

        return Ticker.TryParse(symbol, out var ticker) ? ticker.Value : throw new ArgumentException(Ticker.Invalid(symbol), paramName);
    }

    internal static decimal Positive(decimal value, string paramName)
    {
        if (value <= 0m)
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must be greater than zero.");
        }

        return value;
    }

    internal static decimal NonNegative(decimal value, string paramName)
    {
        if (value < 0m)
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must not be negative.");
        }

        return value;
    }
}
