using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FinSight.Web.Data.Configurations;

internal sealed class PortfolioSnapshotConfiguration : IEntityTypeConfiguration<PortfolioSnapshot>
{
    public void Configure(EntityTypeBuilder<PortfolioSnapshot> b)
    {
        b.ToTable("portfolio_snapshots");
        b.HasKey(s => new { s.PortfolioId, s.Date });
        b.Property(s => s.PortfolioId).HasColumnName("portfolio_id");
        b.Property(s => s.Date).HasColumnName("date");
        b.Property(s => s.PortfolioVersion).HasColumnName("portfolio_version");
        b.Property(s => s.Benchmark).HasColumnName("benchmark").HasMaxLength(20);
        b.Property(s => s.TotalValue).HasColumnName("total_value").HasPrecision(28, 10);
        b.Property(s => s.MarketValue).HasColumnName("market_value").HasPrecision(28, 10);
        b.Property(s => s.Cash).HasColumnName("cash").HasPrecision(28, 10);
        b.Property(s => s.CostBasis).HasColumnName("cost_basis").HasPrecision(28, 10);
        b.Property(s => s.NetContributions).HasColumnName("net_contributions").HasPrecision(28, 10);
        b.Property(s => s.TimeWeightedReturn).HasColumnName("twr");
        b.Property(s => s.AnnualizedTimeWeightedReturn).HasColumnName("twr_annualized");
        b.Property(s => s.MoneyWeightedReturn).HasColumnName("xirr");
        b.Property(s => s.Volatility).HasColumnName("volatility");
        b.Property(s => s.SharpeRatio).HasColumnName("sharpe_ratio");
        b.Property(s => s.SortinoRatio).HasColumnName("sortino_ratio");
        b.Property(s => s.MaxDrawdown).HasColumnName("max_drawdown");
        b.Property(s => s.Beta).HasColumnName("beta");
        b.Property(s => s.Alpha).HasColumnName("alpha");
        b.Property(s => s.ComputedAt).HasColumnName("computed_at");
        b.HasOne<Portfolio>().WithMany().HasForeignKey(s => s.PortfolioId).OnDelete(DeleteBehavior.Cascade);
    }
}
