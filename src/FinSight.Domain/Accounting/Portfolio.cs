namespace FinSight.Domain;

/// <summary>Entry point of the accounting engine: replays a transaction history into a <see cref="PortfolioState"/>.</summary>
public static class Portfolio
{
    /// <summary>
    /// Replays <paramref name="transactions"/> in order (by date; on one date splits first, then the
    /// caller's order) and returns what is held, what was realized and the cash balance.
    /// </summary>
    /// <param name="transactions">The whole history, in any order. Not modified.</param>
    /// <param name="method">How sells choose the cost of the shares they close.</param>
    /// <param name="asOf">
    /// When given, transactions dated after it are ignored and the state describes the end of that day.
    /// The cash mode is still decided from the whole history, so a state as of any date agrees with the
    /// history built from the same transactions.
    /// </param>
    /// <returns>The state after the last applied transaction.</returns>
    /// <exception cref="InsufficientQuantityException">A sell exceeds the shares held on its date.</exception>
    /// <exception cref="PortfolioException">Another inconsistency, such as a dividend from a symbol never held.</exception>
    /// <remarks>
    /// Cash mode: a history with at least one deposit or withdrawal tracks cash
    /// (<see cref="CashMode.Tracked"/>); otherwise cash stays zero and trades are external flows
    /// (<see cref="CashMode.Implicit"/>).
    /// </remarks>
    public static PortfolioState Replay(IEnumerable<Transaction> transactions, CostBasisMethod method = CostBasisMethod.Fifo, DateOnly? asOf = null)
    {
        var ordered = Ledger.Order(transactions);
        var ledger = new Ledger(method, Ledger.DetectCashMode(ordered));
        foreach (var transaction in ordered)
        {
            if (asOf is { } limit && transaction.Date > limit)
            {
                break;
            }

            ledger.Apply(transaction);
        }

        return ledger.ToState(asOf);
    }
}
