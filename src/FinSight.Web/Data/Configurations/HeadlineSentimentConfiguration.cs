using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FinSight.Web.Data.Configurations;

internal sealed class HeadlineSentimentConfiguration : IEntityTypeConfiguration<HeadlineSentiment>
{
    public void Configure(EntityTypeBuilder<HeadlineSentiment> b)
    {
        b.HasKey(s => new { s.HeadlineKey, s.ModelVersion });
        b.Property(s => s.HeadlineKey).HasMaxLength(64);
        b.Property(s => s.ModelVersion).HasMaxLength(100);
        b.Property(s => s.TextHash).HasMaxLength(64);
        b.Property(s => s.Label).HasConversion<string>().HasMaxLength(10);
    }
}
