using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FinSight.Web.Data;

/// <summary>
/// A market corporate action the user dismissed for one portfolio: never proposed there again.
/// <see cref="ActionKey"/> is <c>FinSight.Domain.MarketCorporateAction.Key</c> (<c>split:AAPL:2020-08-31</c>).
/// </summary>
public sealed class CorporateActionDismissal
{
    public const int KeyMax = 60;

    public Guid PortfolioId { get; init; }
    public Guid UserId { get; init; }
    public required string ActionKey { get; init; }
    public DateTimeOffset DismissedAt { get; init; }
}

/// <summary>A portfolio's corporate-action choices; no row means the defaults (nothing applied automatically).</summary>
public sealed class CorporateActionSettings
{
    public Guid PortfolioId { get; init; }
    public Guid UserId { get; init; }
    /// <summary>Record every pending split and dividend without asking (on switching it on, then by the daily job).</summary>
    public bool AutoApply { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class CorporateActionDismissalConfiguration : IEntityTypeConfiguration<CorporateActionDismissal>
{
    public void Configure(EntityTypeBuilder<CorporateActionDismissal> builder)
    {
        builder.ToTable("corporate_action_dismissals");
        builder.HasKey(d => new { d.PortfolioId, d.ActionKey });
        builder.Property(d => d.ActionKey).HasMaxLength(CorporateActionDismissal.KeyMax);
        builder.HasOne<Portfolio>().WithMany().HasForeignKey(d => d.PortfolioId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<User>().WithMany().HasForeignKey(d => d.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CorporateActionSettingsConfiguration : IEntityTypeConfiguration<CorporateActionSettings>
{
    public void Configure(EntityTypeBuilder<CorporateActionSettings> builder)
    {
        builder.ToTable("corporate_action_settings");
        builder.HasKey(s => s.PortfolioId);
        builder.Property(s => s.PortfolioId).ValueGeneratedNever();
        builder.HasOne<Portfolio>().WithMany().HasForeignKey(s => s.PortfolioId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<User>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => s.AutoApply).HasDatabaseName("ix_corporate_action_settings_auto_apply");
    }
}
