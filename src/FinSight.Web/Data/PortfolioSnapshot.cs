namespace FinSight.Web.Data;

/// <summary>
/// A portfolio's figures at the close of one trading day, written after the close by a
/// background job and whenever they are first computed. Any instance can serve the risk figures
/// from here without recomputing the history. Ratios are fractions (0.1379 = 13.79 %).
/// </summary>
public sealed class PortfolioSnapshot
{
    public Guid PortfolioId { get; init; }
    public DateOnly Date { get; init; }
    /// <summary>The portfolio version the figures were computed from; a later edit makes them stale.</summary>
    public int PortfolioVersion { get; set; }
    public required string Benchmark { get; set; }
    public decimal TotalValue { get; set; }
    public decimal MarketValue { get; set; }
    public decimal Cash { get; set; }
    public decimal CostBasis { get; set; }
    public decimal NetContributions { get; set; }
    public double? TimeWeightedReturn { get; set; }
    public double? AnnualizedTimeWeightedReturn { get; set; }
    public double? MoneyWeightedReturn { get; set; }
    public double? Volatility { get; set; }
    public double? SharpeRatio { get; set; }
    public double? SortinoRatio { get; set; }
    public double? MaxDrawdown { get; set; }
    public double? Beta { get; set; }
    public double? Alpha { get; set; }
    public DateTimeOffset ComputedAt { get; set; }
}
