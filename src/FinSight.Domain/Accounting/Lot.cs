namespace FinSight.Domain;

/// <summary>
/// An open lot: shares bought together and not yet sold. Under <see cref="CostBasisMethod.AverageCost"/>
/// a symbol has one pooled lot dated at the first buy of the current holding period.
/// </summary>
/// <param name="OpenedOn">Trade date of the buy that opened the lot.</param>
/// <param name="Quantity">Shares still open, split-adjusted, &gt; 0.</param>
/// <param name="CostBasis">Cost of those shares including their share of buy fees; unchanged by splits.</param>
/// <param name="TransactionId">The opening buy's <see cref="Transaction.Id"/>; null for a pooled lot or when the caller gave none.</param>
public sealed record Lot(DateOnly OpenedOn, decimal Quantity, decimal CostBasis, string? TransactionId)
{
    /// <summary>Cost per share: <c>CostBasis / Quantity</c>.</summary>
    public decimal UnitCost => CostBasis / Quantity;
}

/// <summary>
/// A symbol currently held. Closing a position fully ends it: a later buy opens a new position whose
/// cost, dates and dividends start from nothing.
/// </summary>
/// <param name="Symbol">Ticker, upper-case.</param>
/// <param name="Quantity">Shares held, split-adjusted, &gt; 0.</param>
/// <param name="CostBasis">Total cost of the open lots, including buy fees.</param>
/// <param name="OpenedOn">Date of the first buy of the current holding period.</param>
/// <param name="Dividends">Dividends received during the current holding period.</param>
/// <param name="LastTradePrice">Price of the last buy or sell of the symbol, split-adjusted to today's share terms.</param>
/// <param name="Lots">Open lots, oldest first.</param>
public sealed record Position(
    string Symbol,
    decimal Quantity,
    decimal CostBasis,
    DateOnly OpenedOn,
    decimal Dividends,
    decimal LastTradePrice,
    IReadOnlyList<Lot> Lots)
{
    /// <summary>Average cost per share: <c>CostBasis / Quantity</c> (fees included).</summary>
    public decimal AverageCost => CostBasis / Quantity;
}

/// <summary>
/// The gain realized by one sell: net proceeds minus the cost of the lots it closed.
/// </summary>
/// <param name="TransactionId">The sell's <see cref="Transaction.Id"/>; null when the caller gave none.</param>
/// <param name="Symbol">Ticker sold.</param>
/// <param name="Date">Sell date.</param>
/// <param name="Quantity">Shares sold.</param>
/// <param name="Price">Sell price per share.</param>
/// <param name="Proceeds">Net proceeds: quantity × price − sell fees.</param>
/// <param name="CostBasis">Cost of the closed lots, including their buy fees.</param>
public sealed record RealizedTrade(
    string? TransactionId,
    string Symbol,
    DateOnly Date,
    decimal Quantity,
    decimal Price,
    decimal Proceeds,
    decimal CostBasis)
{
    /// <summary>Realized gain in money: <see cref="Proceeds"/> − <see cref="CostBasis"/>. Negative for a loss.</summary>
    public decimal Gain => Proceeds - CostBasis;

    /// <summary>
    /// Realized gain as a fraction of <see cref="CostBasis"/> (0.1379 means +13.79 %); null when the
    /// closed lots cost nothing (shares received for free), because no percentage is defined then.
    /// </summary>
    public decimal? GainRatio => CostBasis == 0m ? null : Gain / CostBasis;
}
