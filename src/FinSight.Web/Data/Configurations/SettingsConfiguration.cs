using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FinSight.Web.Data.Configurations;

/// <summary>Per-user settings and the instance's own settings, kept together because they change together.</summary>
internal sealed class SettingsConfiguration : IEntityTypeConfiguration<UserSettings>, IEntityTypeConfiguration<AppSetting>
{
    public void Configure(EntityTypeBuilder<UserSettings> b)
    {
        b.ToTable("user_settings");
        b.HasKey(s => s.UserId);
        b.Property(s => s.UserId).HasColumnName("user_id").ValueGeneratedNever();
        b.Property(s => s.Benchmark).HasColumnName("benchmark").HasMaxLength(SettingsLimits.BenchmarkMax);
        b.Property(s => s.RiskFreeRate).HasColumnName("risk_free_rate");
        b.Property(s => s.RefreshSeconds).HasColumnName("refresh_seconds");
        b.Property(s => s.Theme).HasColumnName("theme").HasMaxLength(SettingsLimits.ThemeMax);
        b.Property(s => s.UpdatedAt).HasColumnName("updated_at");
        b.HasOne<User>().WithOne().HasForeignKey<UserSettings>(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<AppSetting> b)
    {
        b.ToTable("app_settings");
        b.HasKey(s => s.Key);
        b.Property(s => s.Key).HasColumnName("key").HasMaxLength(100);
        // Protected values are base64 text several times longer than the secret they hold.
        b.Property(s => s.Value).HasColumnName("value").HasMaxLength(4000).IsRequired();
        b.Property(s => s.UpdatedAt).HasColumnName("updated_at");
    }
}
