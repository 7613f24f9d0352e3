namespace FinSight.Domain;

/// <summary>
/// Statistics over closed sells (<see cref="RealizedTrade"/>). A winner has a gain &gt; 0, a loser a gain
/// &lt; 0; break-even sells count towards <see cref="Count"/> only. Money in the portfolio currency;
/// every figure that needs at least one trade of a kind is null when there is none.
/// </summary>
/// <param name="Count">Number of sells.</param>
/// <param name="Winners">Sells with a gain.</param>
/// <param name="Losers">Sells with a loss.</param>
/// <param name="GrossProfit">Sum of gains of winners, ≥ 0.</param>
/// <param name="GrossLoss">Sum of losses of losers, ≤ 0.</param>
/// <param name="WinRate">Winners ÷ count as a fraction; null without sells.</param>
/// <param name="AverageWin">Gross profit ÷ winners; null without winners.</param>
/// <param name="AverageLoss">Gross loss ÷ losers (negative); null without losers.</param>
/// <param name="ProfitFactor">Gross profit ÷ |gross loss|; null without losers (it would be infinite).</param>
/// <param name="LargestWin">Largest gain; null without winners.</param>
/// <param name="LargestLoss">Largest loss (most negative); null without losers.</param>
public sealed record TradeStatistics(
    int Count,
    int Winners,
    int Losers,
    decimal GrossProfit,
    decimal GrossLoss,
    decimal? WinRate,
    decimal? AverageWin,
    decimal? AverageLoss,
    decimal? ProfitFactor,
    decimal? LargestWin,
    decimal? LargestLoss)
{
    /// <summary>Sum of all realized gains: gross profit + gross loss.</summary>
    public decimal NetRealized => GrossProfit + GrossLoss;

    /// <summary>Computes the statistics.</summary>
    /// <param name="trades">Realized trades, for example <see cref="PortfolioState.RealizedTrades"/>.</param>
    /// <param name="from">Only sells on or after this date; null for no lower bound.</param>
    /// <param name="to">Only sells on or before this date; null for no upper bound.</param>
    /// <returns>The statistics.</returns>
    public static TradeStatistics Compute(IEnumerable<RealizedTrade> trades, DateOnly? from = null, DateOnly? to = null)
    {
        ArgumentNullException.ThrowIfNull(trades);
        int count = 0, winners = 0, losers = 0;
        decimal profit = 0m, loss = 0m;
        decimal? largestWin = null, largestLoss = null;
        foreach (var trade in trades)
        {
            if ((from is { } f && trade.Date < f) || (to is { } t && trade.Date > t))
            {
                continue;
            }

            count++;
            var gain = trade.Gain;
            if (gain > 0m)
            {
                winners++;
                profit += gain;
                largestWin = largestWin is { } w ? Math.Max(w, gain) : gain;
            }
            else if (gain < 0m)
            {
                losers++;
                loss += gain;
                largestLoss = largestLoss is { } l ? Math.Min(l, gain) : gain;
            }
        }

        return new TradeStatistics(
            count,
            winners,
            losers,
            profit,
            loss,
            count == 0 ? null : (decimal)winners / count,
            winners == 0 ? null : profit / winners,
            losers == 0 ? null : loss / losers,
            losers == 0 ? null : profit / -loss,
            largestWin,
            largestLoss);
    }
}
