using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FinSight.Web.Data.Configurations;

/// <summary>Per-user settings and the instance's own settings, kept together because they change together.</summary>
internal sealed class SettingsConfiguration : IEntityTypeConfiguration<UserSettings>, IEntityTypeConfiguration<AppSetting>
{
    public void Configure(EntityTypeBuilder<UserSettings> b)
    {
        b.HasKey(s => s.UserId);
        b.Property(s => s.UserId).ValueGeneratedNever();
        b.Property(s => s.Benchmark).HasMaxLength(SettingsLimits.BenchmarkMax);
        b.Property(s => s.Theme).HasMaxLength(SettingsLimits.ThemeMax);
        b.HasOne<User>().WithOne().HasForeignKey<UserSettings>(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<AppSetting> b)
    {
        b.HasKey(s => s.Key);
        b.Property(s => s.Key).HasMaxLength(100);
        // Protected values are base64 text several times longer than the secret they hold.
        b.Property(s => s.Value).HasMaxLength(4000).IsRequired();
    }
}
