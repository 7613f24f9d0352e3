namespace FinSight.Domain;

/// <summary>
/// An open lot: shares bought together and not yet sold. Under <see cref="CostBasisMethod.AverageCost"/>
/// a symbol has one pooled lot dated at the first buy of the current holding period.
/// </summary>
/// <remarks>
/// Only the accounting engine creates lots (the constructor is internal and checks
/// <see cref="Quantity"/> &gt; 0), so every lot a <see cref="PortfolioState"/> lists is consistent with its history.
/// </remarks>
public sealed record Lot
{
    internal Lot(DateOnly openedOn, decimal quantity, decimal costBasis, string? transactionId, decimal? localCostBasis = null)
    {
        LocalCostBasis = localCostBasis ?? costBasis;
        OpenedOn = openedOn;
        Quantity = Transaction.Positive(quantity, nameof(quantity));
        CostBasis = costBasis;
        TransactionId = transactionId;
    }

    /// <summary>Trade date of the buy that opened the lot.</summary>
    public DateOnly OpenedOn { get; }

    /// <summary>Shares still open, split-adjusted, &gt; 0.</summary>
    public decimal Quantity { get; }

    /// <summary>Cost of those shares including their share of buy fees; unchanged by splits.</summary>
    public decimal CostBasis { get; }

    /// <summary>The opening buy's <see cref="Transaction.Id"/>; null for a pooled lot or when the caller gave none.</summary>
    public string? TransactionId { get; }

    /// <summary>Cost per share: <c>CostBasis / Quantity</c>.</summary>
    public decimal UnitCost => CostBasis / Quantity;

    /// <summary>The same cost in the security's trading currency (equal to <see cref="CostBasis"/> when that is the base currency).</summary>
    public decimal LocalCostBasis { get; }
}

/// <summary>
/// A symbol currently held. Closing a position fully ends it: a later buy opens a new position whose
/// cost, dates and dividends start from nothing.
/// </summary>
/// <remarks>
/// Only the accounting engine creates positions (the constructor is internal and checks that the
/// symbol is a <see cref="Ticker"/>, <see cref="Quantity"/> &gt; 0 and at least one lot), so
/// <see cref="AverageCost"/> is always defined.
/// </remarks>
public sealed record Position
{
    internal Position(string symbol, decimal quantity, decimal costBasis, DateOnly openedOn, decimal dividends, decimal lastTradePrice, IReadOnlyList<Lot> lots,
        Currency? currency = null, decimal? localCostBasis = null)
    {
        Currency = currency ?? Currency.Usd;
        LocalCostBasis = localCostBasis ?? costBasis;
        ArgumentNullException.ThrowIfNull(lots);
        if (lots.Count == 0)
        {
            throw new ArgumentException("An open position has at least one lot.", nameof(lots));
        }

        Symbol = Transaction.NormalizeSymbol(symbol, nameof(symbol));
        Quantity = Transaction.Positive(quantity, nameof(quantity));
        CostBasis = costBasis;
        OpenedOn = openedOn;
        Dividends = dividends;
        LastTradePrice = Transaction.NonNegative(lastTradePrice, nameof(lastTradePrice));
        Lots = lots;
    }

    /// <summary>The <see cref="Ticker"/>, upper-case.</summary>
    public string Symbol { get; }

    /// <summary>Shares held, split-adjusted, &gt; 0.</summary>
    public decimal Quantity { get; }

    /// <summary>Total cost of the open lots, including buy fees.</summary>
    public decimal CostBasis { get; }

    /// <summary>Date of the first buy of the current holding period.</summary>
    public DateOnly OpenedOn { get; }

    /// <summary>Dividends received during the current holding period.</summary>
    public decimal Dividends { get; }

    /// <summary>Price of the last buy or sell of the symbol, split-adjusted to today's share terms; ≥ 0 (a gift is bought at 0).</summary>
    public decimal LastTradePrice { get; }

    /// <summary>Open lots, oldest first; never empty.</summary>
    public IReadOnlyList<Lot> Lots { get; }

    /// <summary>Average cost per share: <c>CostBasis / Quantity</c> (fees included).</summary>
    public decimal AverageCost => CostBasis / Quantity;

    /// <summary>The currency the symbol trades in: its prices and <see cref="LocalCostBasis"/> are in it.</summary>
    public Currency Currency { get; }

    /// <summary>Cost of the open lots in <see cref="Currency"/> (what <see cref="CostBasis"/>, in the base currency, was at the buys' rates).</summary>
    public decimal LocalCostBasis { get; }

    /// <summary>Average cost per share in <see cref="Currency"/>, fees included.</summary>
    public decimal LocalAverageCost => LocalCostBasis / Quantity;
}

/// <summary>
/// The gain realized by one sell: net proceeds minus the cost of the lots it closed.
/// </summary>
/// <remarks>
/// Only the accounting engine creates realized trades (the constructor is internal and checks that the
/// symbol is a <see cref="Ticker"/>, <see cref="Quantity"/> &gt; 0 and <see cref="Price"/> ≥ 0).
/// </remarks>
public sealed record RealizedTrade
{
    internal RealizedTrade(string? transactionId, string symbol, DateOnly date, decimal quantity, decimal price, decimal proceeds, decimal costBasis,
        Currency? currency = null, decimal currencyEffect = 0m)
    {
        Currency = currency ?? Currency.Usd;
        CurrencyEffect = currencyEffect;
        TransactionId = transactionId;
        Symbol = Transaction.NormalizeSymbol(symbol, nameof(symbol));
        Date = date;
        Quantity = Transaction.Positive(quantity, nameof(quantity));
        Price = Transaction.NonNegative(price, nameof(price));
        Proceeds = proceeds;
        CostBasis = costBasis;
    }

    /// <summary>The sell's <see cref="Transaction.Id"/>; null when the caller gave none.</summary>
    public string? TransactionId { get; }

    /// <summary>The <see cref="Ticker"/> sold.</summary>
    public string Symbol { get; }

    /// <summary>Sell date.</summary>
    public DateOnly Date { get; }

    /// <summary>Shares sold, &gt; 0.</summary>
    public decimal Quantity { get; }

    /// <summary>Sell price per share, ≥ 0.</summary>
    public decimal Price { get; }

    /// <summary>Net proceeds: quantity × price − sell fees (negative when the fees exceed the sale).</summary>
    public decimal Proceeds { get; }

    /// <summary>Cost of the closed lots, including their buy fees.</summary>
    public decimal CostBasis { get; }

    /// <summary>Realized gain in money: <see cref="Proceeds"/> − <see cref="CostBasis"/>. Negative for a loss.</summary>
    public decimal Gain => Proceeds - CostBasis;

    /// <summary>
    /// Realized gain as a fraction of <see cref="CostBasis"/> (0.1379 means +13.79 %); null when the
    /// closed lots cost nothing (shares received for free), because no percentage is defined then.
    /// </summary>
    public decimal? GainRatio => CostBasis == 0m ? null : Gain / CostBasis;

    /// <summary>The currency the symbol trades in (<see cref="Price"/> is in it; proceeds, cost and gain are in the base currency).</summary>
    public Currency Currency { get; }

    /// <summary>
    /// The part of <see cref="Gain"/> due to the currency: the closed shares' cost in their own currency
    /// at the sale's rate minus their booked cost. 0 for a base-currency security. The rest of the gain
    /// (<see cref="PriceEffect"/>) is the price's.
    /// </summary>
    public decimal CurrencyEffect { get; }

    /// <summary><see cref="Gain"/> − <see cref="CurrencyEffect"/>: the gain in the security's own currency at the sale's rate.</summary>
    public decimal PriceEffect => Gain - CurrencyEffect;
}
