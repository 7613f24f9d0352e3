using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FinSight.Web.Data.Configurations;

internal sealed class HeadlineSentimentConfiguration : IEntityTypeConfiguration<HeadlineSentiment>
{
    public void Configure(EntityTypeBuilder<HeadlineSentiment> b)
    {
        b.ToTable("headline_sentiments");
        b.HasKey(s => new { s.HeadlineKey, s.ModelVersion });
        b.Property(s => s.HeadlineKey).HasColumnName("headline_key").HasMaxLength(64);
        b.Property(s => s.ModelVersion).HasColumnName("model_version").HasMaxLength(100);
        b.Property(s => s.TextHash).HasColumnName("text_hash").HasMaxLength(64);
        b.Property(s => s.Label).HasColumnName("label").HasConversion<string>().HasMaxLength(10);
        b.Property(s => s.Positive).HasColumnName("positive");
        b.Property(s => s.Negative).HasColumnName("negative");
        b.Property(s => s.Neutral).HasColumnName("neutral");
        b.Property(s => s.Net).HasColumnName("net");
        b.Property(s => s.Evidence).HasColumnName("evidence");
        b.Property(s => s.AnalyzedAt).HasColumnName("analyzed_at");
    }
}
