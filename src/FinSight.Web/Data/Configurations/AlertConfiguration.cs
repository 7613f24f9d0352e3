using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FinSight.Web.Data.Configurations;

/// <summary>Alert rules, their firings, the delivery outbox and its log, and each user's alert settings.</summary>
internal sealed class AlertConfiguration :
    IEntityTypeConfiguration<AlertRule>, IEntityTypeConfiguration<AlertEvent>, IEntityTypeConfiguration<AlertDelivery>,
    IEntityTypeConfiguration<AlertDeliveryAttempt>, IEntityTypeConfiguration<AlertPreferences>,
    IEntityTypeConfiguration<AlertRuleOccurrence>
{
    public void Configure(EntityTypeBuilder<AlertRule> b)
    {
        b.HasKey(r => r.Id);
        b.Property(r => r.Kind).HasConversion<string>().HasMaxLength(32);
        b.Property(r => r.Symbol).HasMaxLength(AlertLimits.SymbolMax);
        b.HasOne<User>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Portfolio>().WithMany().HasForeignKey(r => r.PortfolioId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(r => r.UserId);
    }

    public void Configure(EntityTypeBuilder<AlertEvent> b)
    {
        b.HasKey(e => e.Id);
        b.Property(e => e.Kind).HasConversion<string>().HasMaxLength(32);
        b.Property(e => e.Symbol).HasMaxLength(AlertLimits.SymbolMax);
        b.Property(e => e.Message).HasMaxLength(AlertLimits.MessageMax);
        b.HasOne<User>().WithMany().HasForeignKey(e => e.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AlertRule>().WithMany().HasForeignKey(e => e.RuleId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(e => new { e.UserId, e.FiredAt });
    }

    public void Configure(EntityTypeBuilder<AlertRuleOccurrence> b)
    {
        b.HasKey(o => new { o.RuleId, o.Key });
        b.Property(o => o.Key).HasMaxLength(AlertLimits.OccurrenceKeyMax);
        b.HasOne<AlertRule>().WithMany().HasForeignKey(o => o.RuleId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AlertEvent>().WithMany().HasForeignKey(o => o.EventId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<AlertDelivery> b)
    {
        b.HasKey(d => d.Id);
        b.Property(d => d.Channel).HasConversion<string>().HasMaxLength(16);
        b.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(d => d.Target).HasMaxLength(AlertLimits.TargetMax);
        b.Property(d => d.LastError).HasMaxLength(AlertLimits.ErrorMax);
        b.HasOne<AlertEvent>().WithMany().HasForeignKey(d => d.EventId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<User>().WithMany().HasForeignKey(d => d.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(d => new { d.Status, d.NextAttemptAt });
        b.HasIndex(d => d.UserId);
    }

    public void Configure(EntityTypeBuilder<AlertDeliveryAttempt> b)
    {
        b.HasKey(a => a.Id);
        b.Property(a => a.Channel).HasConversion<string>().HasMaxLength(16);
        b.Property(a => a.Target).HasMaxLength(AlertLimits.TargetMax);
        b.Property(a => a.Error).HasMaxLength(AlertLimits.ErrorMax);
        b.HasOne<User>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AlertDelivery>().WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(a => new { a.UserId, a.AttemptedAt });
    }

    public void Configure(EntityTypeBuilder<AlertPreferences> b)
    {
        b.HasKey(p => p.UserId);
        b.Property(p => p.UserId).ValueGeneratedNever();
        b.Property(p => p.Email).HasMaxLength(AlertLimits.TargetMax);
        b.Property(p => p.WebhookUrl).HasMaxLength(AlertLimits.TargetMax);
        b.Property(p => p.WebhookSecret).HasMaxLength(1000);
        b.Property(p => p.TimeZone).HasMaxLength(AlertLimits.TimeZoneMax);
        b.HasOne<User>().WithOne().HasForeignKey<AlertPreferences>(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
