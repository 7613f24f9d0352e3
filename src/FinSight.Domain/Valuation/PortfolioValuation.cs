namespace FinSight.Domain;

/// <summary>An open position valued at a price. Ratios are fractions (0.05 means 5 %).</summary>
/// <remarks>
/// Only <see cref="PortfolioState.Value"/> creates these (the constructor is internal and checks
/// <see cref="Price"/> ≥ 0, &gt; 0 for a market price, and a <see cref="Weight"/> between 0 and 1).
/// </remarks>
public sealed record PositionValuation
{
    internal PositionValuation(Position position, decimal price, PriceSource priceSource, decimal? previousClose, decimal? weight, decimal rate = 1m)
    {
        ArgumentNullException.ThrowIfNull(position);
        if (priceSource == PriceSource.Market ? price <= 0m : price < 0m)
        {
            throw new ArgumentOutOfRangeException(nameof(price), price, "A market price must be greater than zero, a last trade price not negative.");
        }

        if (weight is < 0m or > 1m)
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "A weight is a fraction between 0 and 1.");
        }

        Position = position;
        Price = price;
        PriceSource = priceSource;
        PreviousClose = previousClose;
        Weight = weight;
        Rate = rate;
    }

    /// <summary>The position valued.</summary>
    public Position Position { get; }

    /// <summary>Value in the base currency of one unit of the position's <see cref="Currency"/> (1 for the base currency).</summary>
    public decimal Rate { get; }

    /// <summary>The security's trading currency: <see cref="Price"/>, <see cref="PreviousClose"/> and the <c>Local</c> figures are in it.</summary>
    public Currency Currency => Position.Currency;

    /// <summary>Price per share used, in <see cref="Currency"/>: &gt; 0 for a market price, ≥ 0 for a last trade price.</summary>
    public decimal Price { get; }

    /// <summary>Whether <see cref="Price"/> is a market price or the last trade price.</summary>
    public PriceSource PriceSource { get; }

    /// <summary>The prior close, or null when unknown.</summary>
    public decimal? PreviousClose { get; }

    /// <summary>Market value ÷ the market value of all positions (cash excluded); null when that total is zero.</summary>
    public decimal? Weight { get; }

    /// <summary>Ticker.</summary>
    public string Symbol => Position.Symbol;

    /// <summary>Shares held.</summary>
    public decimal Quantity => Position.Quantity;

    /// <summary>Average cost per share, fees included, in the base currency.</summary>
    public decimal AverageCost => Position.AverageCost;

    /// <summary>Total cost of the open lots in the base currency (each lot at its buy's rate).</summary>
    public decimal CostBasis => Position.CostBasis;

    /// <summary>Quantity × price, in <see cref="Currency"/>.</summary>
    public decimal LocalMarketValue => Position.Quantity * Price;

    /// <summary>Quantity × price × rate: the value in the base currency.</summary>
    public decimal MarketValue => Rate == 1m ? LocalMarketValue : LocalMarketValue * Rate;

    /// <summary>Market value − cost basis, in the base currency.</summary>
    public decimal UnrealizedGain => MarketValue - Position.CostBasis;

    /// <summary>
    /// The currency's part of <see cref="UnrealizedGain"/>: the cost in the trading currency at today's
    /// rate minus the cost as booked at the buys' rates (0 for a base-currency security).
    /// </summary>
    public decimal CurrencyEffect => Rate == 1m && Position.LocalCostBasis == Position.CostBasis ? 0m : (Position.LocalCostBasis * Rate) - Position.CostBasis;

    /// <summary>
    /// The price's part of <see cref="UnrealizedGain"/>: the gain in the trading currency at today's rate.
    /// <see cref="PriceEffect"/> + <see cref="CurrencyEffect"/> = <see cref="UnrealizedGain"/>.
    /// </summary>
    public decimal PriceEffect => UnrealizedGain - CurrencyEffect;

    /// <summary>Unrealized gain ÷ cost basis; null when the cost basis is zero.</summary>
    public decimal? UnrealizedGainRatio => Position.CostBasis == 0m ? null : UnrealizedGain / Position.CostBasis;

    /// <summary>
    /// Quantity × (price − previous close) × today's rate, in the base currency; null without a previous
    /// close. Shares bought today are counted as if held since the previous close. The day change FinSight shows
    /// counts them from their trade price instead: that is <see cref="DayAttribution"/>, not this.
    /// </summary>
    public decimal? DayChange => PreviousClose is { } previous ? Position.Quantity * (Price - previous) * Rate : null;

    /// <summary>(Price − previous close) ÷ previous close; null without a previous close.</summary>
    public decimal? DayChangeRatio => PreviousClose is { } previous ? (Price - previous) / previous : null;
}

/// <summary>
/// A <see cref="PortfolioState"/> valued at a set of prices: per-position figures and portfolio totals.
/// Create with <see cref="PortfolioState.Value"/>.
/// </summary>
/// <remarks>
/// Total gain = realized gain + unrealized gain + dividends − standalone fees, which always equals
/// total value − net contributions (the accounting identity the tests check).
/// </remarks>
public sealed class PortfolioValuation
{
    private PortfolioValuation(PortfolioState state, IReadOnlyList<PositionValuation> positions, decimal cash, IReadOnlyDictionary<string, decimal> cashByCurrency)
    {
        State = state;
        Positions = positions;
        Cash = cash;
        CashByCurrency = cashByCurrency;
        foreach (var p in positions)
        {
            MarketValue += p.MarketValue;
            CostBasis += p.CostBasis;
            if (p.DayChange is { } change)
            {
                DayChange = (DayChange ?? 0m) + change;
            }

            HasEstimatedPrices |= p.PriceSource == PriceSource.LastTrade;
            UnrealizedCurrencyEffect += p.CurrencyEffect;
        }
    }

    /// <summary>The state valued.</summary>
    public PortfolioState State { get; }

    /// <summary>Valued open positions, ordered by symbol.</summary>
    public IReadOnlyList<PositionValuation> Positions { get; }

    /// <summary>Sum of position market values.</summary>
    public decimal MarketValue { get; }

    /// <summary>Cash in the base currency: every currency's balance (<see cref="PortfolioState.CashBalances"/>) at the valuation's rates.</summary>
    public decimal Cash { get; }

    /// <summary>Each currency's cash balance valued in the base currency (code → value), ordered by code.</summary>
    public IReadOnlyDictionary<string, decimal> CashByCurrency { get; }

    /// <summary>The base currency every total is in.</summary>
    public Currency BaseCurrency => State.BaseCurrency;

    /// <summary>
    /// Cash valued now minus cash as booked (each movement at its own day's rate): what holding cash in
    /// other currencies gained or lost, the spread paid on exchanges included. 0 in a one-currency portfolio.
    /// </summary>
    public decimal CashCurrencyGain => State.CashMode == CashMode.Tracked ? Cash - State.CashBook : 0m;

    /// <summary>Sum of the positions' <see cref="PositionValuation.CurrencyEffect"/>.</summary>
    public decimal UnrealizedCurrencyEffect { get; }

    /// <summary>
    /// The currency's part of <see cref="TotalGain"/>: open positions' and sells' currency effects plus
    /// <see cref="CashCurrencyGain"/>. <see cref="PriceEffect"/> + <see cref="CurrencyEffect"/> = <see cref="TotalGain"/>.
    /// </summary>
    public decimal CurrencyEffect => UnrealizedCurrencyEffect + State.RealizedCurrencyEffect + CashCurrencyGain;

    /// <summary>Everything else of <see cref="TotalGain"/>: prices in the securities' own currencies, dividends and fees.</summary>
    public decimal PriceEffect => TotalGain - CurrencyEffect;

    /// <summary>Market value + cash.</summary>
    public decimal TotalValue => MarketValue + Cash;

    /// <summary>Sum of position cost bases (the amount invested in open positions).</summary>
    public decimal CostBasis { get; }

    /// <summary>Market value − cost basis.</summary>
    public decimal UnrealizedGain => MarketValue - CostBasis;

    /// <summary>Unrealized gain ÷ cost basis; null when nothing is invested.</summary>
    public decimal? UnrealizedGainRatio => CostBasis == 0m ? null : UnrealizedGain / CostBasis;

    /// <summary>Realized gain of all sells.</summary>
    public decimal RealizedGain => State.RealizedGain;

    /// <summary>Dividends received.</summary>
    public decimal Dividends => State.Dividends;

    /// <summary>Standalone fees paid.</summary>
    public decimal Fees => State.Fees;

    /// <summary>Realized + unrealized + dividends − standalone fees + the currency gain on cash.</summary>
    public decimal TotalGain => RealizedGain + UnrealizedGain + Dividends - Fees + CashCurrencyGain;

    /// <summary>External money in minus money out (see <see cref="PortfolioState.NetContributions"/>).</summary>
    public decimal NetContributions => State.NetContributions;

    /// <summary>
    /// Sum of the positions' day changes that are known; null when no position has a previous close.
    /// Positions without one are left out rather than counted as zero. Today's trades are not told apart:
    /// the day change FinSight shows is <see cref="DayAttribution.Change"/>.
    /// </summary>
    public decimal? DayChange { get; }

    /// <summary>True when at least one position is valued at its last trade price for want of a quote.</summary>
    public bool HasEstimatedPrices { get; }

    internal static PortfolioValuation Create(PortfolioState state, IReadOnlyDictionary<string, ValuationPrice> prices, IReadOnlyDictionary<string, decimal>? rates)
    {
        ArgumentNullException.ThrowIfNull(prices);
        var baseCode = state.BaseCurrency.Code;
        var asOf = state.AsOf ?? DateOnly.MaxValue;
        decimal RateOf(string code)
        {
            if (code == baseCode)
            {
                return 1m;
            }

            if (rates is null)
            {
                return state.Rates.Rate(code, asOf);
            }

            return rates.TryGetValue(code, out var r) && r > 0m ? r : throw new MissingExchangeRateException(code, baseCode, asOf);
        }

        var priced = new (Position Position, decimal Price, PriceSource Source, decimal? Previous)[state.Positions.Count];
        var total = 0m;
        for (var i = 0; i < priced.Length; i++)
        {
            var position = state.Positions[i];
            if (!prices.TryGetValue(position.Symbol, out var price))
            {
                priced[i] = (position, position.LastTradePrice, PriceSource.LastTrade, null);
            }
            else if (price.Price > 0m)
            {
                priced[i] = (position, price.Price, PriceSource.Market, price.PreviousClose);
            }
            else
            {
                throw new ArgumentException($"The price of {position.Symbol} is default(ValuationPrice), not a price.", nameof(prices));
            }

            total += position.Quantity * priced[i].Price * RateOf(position.Currency.Code);
        }

        var valued = new PositionValuation[priced.Length];
        for (var i = 0; i < priced.Length; i++)
        {
            var (position, price, source, previous) = priced[i];
            var rate = RateOf(position.Currency.Code);
            decimal? weight = total == 0m ? null : position.Quantity * price * rate / total;
            valued[i] = new PositionValuation(position, price, source, previous, weight, rate);
        }

        var cash = 0m;
        var byCurrency = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (code, balance) in state.CashBalances)
        {
            var value = code == baseCode ? balance : balance * RateOf(code);
            byCurrency[code] = value;
            cash += value;
        }

        return new PortfolioValuation(state, valued, state.CashBalances.Count == 0 ? state.Cash : cash, byCurrency);
    }
}
