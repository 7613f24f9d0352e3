namespace FinSight.Domain;

/// <summary>How a sell picks the cost of the shares it closes. A per-portfolio choice.</summary>
public enum CostBasisMethod
{
    /// <summary>
    /// First in, first out: a sell closes the oldest open lots first, taking each lot's own cost
    /// (price plus its buy fees); a partly sold lot keeps the rest of its cost. The default.
    /// </summary>
    Fifo,

    /// <summary>
    /// Average cost: all open shares of a symbol form one pool whose cost per share is total cost ÷
    /// quantity; a sell removes its share of the pool's cost and leaves the average unchanged. Buys
    /// move the average. When the pool is emptied it starts again from nothing.
    /// </summary>
    AverageCost,
}

/// <summary>How cash is accounted for. Chosen once for a whole history: see <see cref="PortfolioState.Replay"/>.</summary>
public enum CashMode
{
    /// <summary>
    /// The history records no deposits or withdrawals (common when users only enter trades). Cash is
    /// always zero; each buy (with fees) and each standalone fee is money paid in from outside, and each
    /// sell's net proceeds and each dividend are money paid out. Those are the external flows that
    /// time- and money-weighted returns exclude.
    /// </summary>
    Implicit,

    /// <summary>
    /// The history records at least one deposit or withdrawal. Cash = deposits − withdrawals − buys
    /// (with fees) + sells (net of fees) + dividends − fees, and may go negative (read it as borrowing
    /// or an unrecorded deposit). Only deposits and withdrawals are external flows.
    /// </summary>
    Tracked,
}
