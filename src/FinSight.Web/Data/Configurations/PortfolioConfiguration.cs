using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FinSight.Web.Data.Configurations;

internal sealed class PortfolioConfiguration : IEntityTypeConfiguration<Portfolio>
{
    public void Configure(EntityTypeBuilder<Portfolio> builder)
    {
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.Name).HasMaxLength(100).IsRequired();
        builder.Property(p => p.CostBasisMethod).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.BaseCurrency).HasMaxLength(3).IsRequired().HasDefaultValue("USD");
        builder.Property(p => p.Version).IsConcurrencyToken();
        builder.HasOne<User>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(p => new { p.UserId, p.Name }).IsUnique().HasDatabaseName("ux_portfolios_user_name");
    }
}

internal sealed class TransactionRecordConfiguration : IEntityTypeConfiguration<TransactionRecord>
{
    public void Configure(EntityTypeBuilder<TransactionRecord> builder)
    {
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.Type).HasConversion<string>().HasMaxLength(20);
        builder.Property(t => t.Symbol).HasMaxLength(20);
        builder.Property(t => t.Quantity).HasPrecision(28, 10);
        builder.Property(t => t.Price).HasPrecision(28, 10);
        builder.Property(t => t.Fees).HasPrecision(28, 10);
        builder.Property(t => t.Amount).HasPrecision(28, 10);
        builder.Property(t => t.SplitNumerator).HasPrecision(28, 10);
        builder.Property(t => t.SplitDenominator).HasPrecision(28, 10);
        builder.Property(t => t.Date).HasColumnName("trade_date");
        builder.Property(t => t.Notes).HasMaxLength(500);
        // Rows written before currencies existed were dollars.
        builder.Property(t => t.Currency).HasMaxLength(3).IsRequired().HasDefaultValue("USD");
        builder.Property(t => t.SettlementCurrency).HasMaxLength(3);
        builder.Property(t => t.SettlementRate).HasPrecision(28, 10);
        builder.Property(t => t.ToCurrency).HasMaxLength(3);
        builder.Property(t => t.ToAmount).HasPrecision(28, 10);
        builder.HasOne<Portfolio>().WithMany().HasForeignKey(t => t.PortfolioId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(t => new { t.PortfolioId, t.Date }).HasDatabaseName("ix_transactions_portfolio_date");
        builder.HasIndex(t => new { t.UserId, t.Symbol }).HasDatabaseName("ix_transactions_user_symbol");
    }
}
