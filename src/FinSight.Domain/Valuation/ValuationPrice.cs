namespace FinSight.Domain;

/// <summary>A price to value a position at, with the previous close for the day's change.</summary>
/// <remarks>
/// <c>default(ValuationPrice)</c> has <see cref="Price"/> 0, which no constructed value has: it is what an
/// unassigned field or array slot holds, never a price. <see cref="PortfolioState.Value"/> refuses it
/// (<see cref="ArgumentException"/>) rather than value a position at zero.
/// </remarks>
public readonly record struct ValuationPrice
{
    /// <summary>Creates a valuation price.</summary>
    /// <param name="price">Current (or closing) price per share, &gt; 0: a missing price must be absent, never zero.</param>
    /// <param name="previousClose">The prior session's close, &gt; 0, or null when unknown (day change is then null).</param>
    public ValuationPrice(decimal price, decimal? previousClose = null)
    {
        if (price <= 0m)
        {
            throw new ArgumentOutOfRangeException(nameof(price), price, "A valuation price must be greater than zero.");
        }

        if (previousClose is <= 0m)
        {
            throw new ArgumentOutOfRangeException(nameof(previousClose), previousClose, "A previous close must be greater than zero.");
        }

        Price = price;
        PreviousClose = previousClose;
    }

    /// <summary>Price per share, &gt; 0 (0 only in <c>default(ValuationPrice)</c>).</summary>
    public decimal Price { get; }

    /// <summary>The prior session's close, or null when unknown.</summary>
    public decimal? PreviousClose { get; }
}

/// <summary>Where a valuation price came from.</summary>
public enum PriceSource
{
    /// <summary>A market price supplied by the caller (a quote or a daily close).</summary>
    Market,

    /// <summary>No market price was available, so the last buy or sell price was used: flag it to the user.</summary>
    LastTrade,
}
