using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FinSight.Web.Data.Configurations;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Id).ValueGeneratedNever();
        builder.Property(u => u.Username).HasMaxLength(UserLimits.UsernameMax).IsRequired();
        builder.Property(u => u.NormalizedUsername).HasMaxLength(UserLimits.UsernameMax).IsRequired();
        builder.Property(u => u.Email).HasMaxLength(UserLimits.EmailMax).IsRequired();
        builder.Property(u => u.NormalizedEmail).HasMaxLength(UserLimits.EmailMax).IsRequired();
        builder.Property(u => u.DisplayName).HasMaxLength(UserLimits.NameMax).IsRequired();
        builder.Property(u => u.PasswordHash).HasMaxLength(512).IsRequired();
        builder.Property(u => u.CreatedAt).IsRequired();
        builder.Property(u => u.SecurityStamp).HasMaxLength(64).IsRequired();
        builder.Property(u => u.TwoFactorSecret).HasMaxLength(1024);
        builder.Property(u => u.RecoveryCodes).HasMaxLength(2048);
        builder.HasIndex(u => u.NormalizedUsername).IsUnique().HasDatabaseName("ux_users_normalized_username");
        builder.HasIndex(u => u.NormalizedEmail).IsUnique().HasDatabaseName("ux_users_normalized_email");
    }
}

internal sealed class UserSessionConfiguration : IEntityTypeConfiguration<UserSession>
{
    public void Configure(EntityTypeBuilder<UserSession> builder)
    {
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.HasOne<User>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => s.UserId).HasDatabaseName("ix_user_sessions_user_id");
    }
}
