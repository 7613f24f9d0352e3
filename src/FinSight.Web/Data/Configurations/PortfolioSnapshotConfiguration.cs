using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FinSight.Web.Data.Configurations;

internal sealed class PortfolioSnapshotConfiguration : IEntityTypeConfiguration<PortfolioSnapshot>
{
    public void Configure(EntityTypeBuilder<PortfolioSnapshot> b)
    {
        b.HasKey(s => new { s.PortfolioId, s.Date });
        b.Property(s => s.Benchmark).HasMaxLength(20);
        b.Property(s => s.TotalValue).HasPrecision(28, 10);
        b.Property(s => s.MarketValue).HasPrecision(28, 10);
        b.Property(s => s.Cash).HasPrecision(28, 10);
        b.Property(s => s.CostBasis).HasPrecision(28, 10);
        b.Property(s => s.NetContributions).HasPrecision(28, 10);
        b.Property(s => s.TimeWeightedReturn).HasColumnName("twr");
        b.Property(s => s.AnnualizedTimeWeightedReturn).HasColumnName("twr_annualized");
        b.Property(s => s.MoneyWeightedReturn).HasColumnName("xirr");
        b.HasOne<Portfolio>().WithMany().HasForeignKey(s => s.PortfolioId).OnDelete(DeleteBehavior.Cascade);
    }
}
