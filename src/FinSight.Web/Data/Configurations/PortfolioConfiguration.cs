using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FinSight.Web.Data.Configurations;

internal sealed class PortfolioConfiguration : IEntityTypeConfiguration<Portfolio>
{
    public void Configure(EntityTypeBuilder<Portfolio> builder)
    {
        builder.ToTable("portfolios");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(p => p.UserId).HasColumnName("user_id");
        builder.Property(p => p.Name).HasColumnName("name").HasMaxLength(100).IsRequired();
        builder.Property(p => p.IsDefault).HasColumnName("is_default");
        builder.Property(p => p.CostBasisMethod).HasColumnName("cost_basis_method").HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.CreatedAt).HasColumnName("created_at");
        builder.Property(p => p.Version).HasColumnName("version").IsConcurrencyToken();
        builder.HasOne<User>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(p => new { p.UserId, p.Name }).IsUnique().HasDatabaseName("ux_portfolios_user_name");
    }
}

internal sealed class TransactionRecordConfiguration : IEntityTypeConfiguration<TransactionRecord>
{
    public void Configure(EntityTypeBuilder<TransactionRecord> builder)
    {
        builder.ToTable("transactions");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(t => t.PortfolioId).HasColumnName("portfolio_id");
        builder.Property(t => t.UserId).HasColumnName("user_id");
        builder.Property(t => t.Type).HasColumnName("type").HasConversion<string>().HasMaxLength(20);
        builder.Property(t => t.Symbol).HasColumnName("symbol").HasMaxLength(20);
        builder.Property(t => t.Quantity).HasColumnName("quantity").HasPrecision(28, 10);
        builder.Property(t => t.Price).HasColumnName("price").HasPrecision(28, 10);
        builder.Property(t => t.Fees).HasColumnName("fees").HasPrecision(28, 10);
        builder.Property(t => t.Amount).HasColumnName("amount").HasPrecision(28, 10);
        builder.Property(t => t.SplitNumerator).HasColumnName("split_numerator").HasPrecision(28, 10);
        builder.Property(t => t.SplitDenominator).HasColumnName("split_denominator").HasPrecision(28, 10);
        builder.Property(t => t.Date).HasColumnName("trade_date");
        builder.Property(t => t.Notes).HasColumnName("notes").HasMaxLength(500);
        builder.Property(t => t.CreatedAt).HasColumnName("created_at");
        builder.Property(t => t.UpdatedAt).HasColumnName("updated_at");
        builder.HasOne<Portfolio>().WithMany().HasForeignKey(t => t.PortfolioId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(t => new { t.PortfolioId, t.Date }).HasDatabaseName("ix_transactions_portfolio_date");
        builder.HasIndex(t => new { t.UserId, t.Symbol }).HasDatabaseName("ix_transactions_user_symbol");
    }
}
