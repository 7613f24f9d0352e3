using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FinSight.Web.Data.Configurations;

internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> b)
    {
        b.ToTable("data_protection_keys");
        b.HasKey(k => k.Id);
        b.Property(k => k.Id).HasColumnName("id").ValueGeneratedOnAdd();
        b.Property(k => k.FriendlyName).HasColumnName("friendly_name").HasMaxLength(200);
        b.Property(k => k.Xml).HasColumnName("xml").IsRequired();
    }
}
