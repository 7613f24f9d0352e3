namespace FinSight.Domain;

/// <summary>The kind of a <see cref="Transaction"/> (Ghostfolio calls these activities).</summary>
public enum TransactionType
{
    /// <summary>Shares bought: see <see cref="BuyTransaction"/>.</summary>
    Buy,

    /// <summary>Shares sold: see <see cref="SellTransaction"/>.</summary>
    Sell,

    /// <summary>Cash dividend received: see <see cref="DividendTransaction"/>.</summary>
    Dividend,

    /// <summary>Stock split or reverse split: see <see cref="SplitTransaction"/>.</summary>
    Split,

    /// <summary>Cash paid into the portfolio: see <see cref="DepositTransaction"/>.</summary>
    Deposit,

    /// <summary>Cash taken out of the portfolio: see <see cref="WithdrawalTransaction"/>.</summary>
    Withdrawal,

    /// <summary>A standalone fee not tied to a trade: see <see cref="FeeTransaction"/>.</summary>
    Fee,

    /// <summary>Cash in one currency exchanged for another: see <see cref="ExchangeTransaction"/>.</summary>
    Exchange,
}
