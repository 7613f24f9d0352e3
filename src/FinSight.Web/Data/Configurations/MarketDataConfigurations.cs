using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FinSight.Web.Data.Configurations;

internal sealed class StockQuoteConfiguration : IEntityTypeConfiguration<StockQuoteRow>
{
    public void Configure(EntityTypeBuilder<StockQuoteRow> b)
    {
        b.HasKey(q => q.Symbol);
        b.Property(q => q.Symbol).HasMaxLength(20);
        b.Property(q => q.Price).HasPrecision(28, 10);
        b.Property(q => q.PreviousClose).HasPrecision(28, 10);
        b.Property(q => q.DayHigh).HasPrecision(28, 10);
        b.Property(q => q.DayLow).HasPrecision(28, 10);
        b.Property(q => q.Currency).HasMaxLength(3);
        b.Property(q => q.Source).HasMaxLength(40);
    }
}

internal sealed class CompanyProfileConfiguration : IEntityTypeConfiguration<CompanyProfileRow>
{
    public void Configure(EntityTypeBuilder<CompanyProfileRow> b)
    {
        b.HasKey(p => p.Symbol);
        b.Property(p => p.Symbol).HasMaxLength(20);
        b.Property(p => p.Name).HasMaxLength(300);
        b.Property(p => p.LogoUrl).HasMaxLength(1000);
        b.Property(p => p.Sector).HasMaxLength(100);
        b.Property(p => p.Industry).HasMaxLength(200);
        b.Property(p => p.MarketCap).HasPrecision(28, 2);
        b.Property(p => p.Exchange).HasMaxLength(100);
        b.Property(p => p.Currency).HasMaxLength(3);
        b.Property(p => p.Website).HasMaxLength(1000);
        b.Property(p => p.Source).HasMaxLength(40);
    }
}

internal sealed class NewsFeedConfiguration : IEntityTypeConfiguration<NewsFeedRow>
{
    public void Configure(EntityTypeBuilder<NewsFeedRow> b)
    {
        b.HasKey(f => f.Symbol);
        b.Property(f => f.Symbol).HasMaxLength(20);
        b.Property(f => f.Source).HasMaxLength(40);
    }
}

internal sealed class NewsHeadlineConfiguration : IEntityTypeConfiguration<NewsHeadlineRow>
{
    public void Configure(EntityTypeBuilder<NewsHeadlineRow> b)
    {
        b.HasKey(h => new { h.Symbol, h.HeadlineId });
        b.Property(h => h.Symbol).HasMaxLength(20);
        b.Property(h => h.HeadlineId).HasMaxLength(300);
        b.Property(h => h.Title).HasMaxLength(1000);
        b.Property(h => h.Publisher).HasMaxLength(200);
        b.Property(h => h.Url).HasMaxLength(2000);
        b.Property(h => h.Summary).HasMaxLength(4000);
        b.Property(h => h.RelatedSymbols).HasMaxLength(500);
        b.HasIndex(h => new { h.Symbol, h.PublishedAt }).HasDatabaseName("ix_news_headlines_symbol_published");
    }
}

internal sealed class DailyBarConfiguration : IEntityTypeConfiguration<DailyBarRow>
{
    public void Configure(EntityTypeBuilder<DailyBarRow> b)
    {
        b.HasKey(x => new { x.Symbol, x.Date });
        b.Property(x => x.Symbol).HasMaxLength(20);
        b.Property(x => x.Open).HasPrecision(28, 10);
        b.Property(x => x.High).HasPrecision(28, 10);
        b.Property(x => x.Low).HasPrecision(28, 10);
        b.Property(x => x.Close).HasPrecision(28, 10);
        b.Property(x => x.AdjustedClose).HasPrecision(28, 10);
        b.Property(x => x.Source).HasMaxLength(40);
    }
}

internal sealed class StockSplitConfiguration : IEntityTypeConfiguration<StockSplitRow>
{
    public void Configure(EntityTypeBuilder<StockSplitRow> b)
    {
        b.HasKey(x => new { x.Symbol, x.Date });
        b.Property(x => x.Symbol).HasMaxLength(20);
    }
}

internal sealed class DividendConfiguration : IEntityTypeConfiguration<DividendRow>
{
    public void Configure(EntityTypeBuilder<DividendRow> b)
    {
        b.ToTable("stock_dividends");
        b.HasKey(x => new { x.Symbol, x.ExDate });
        b.Property(x => x.Symbol).HasMaxLength(20);
        b.Property(x => x.Amount).HasPrecision(28, 10);
    }
}

internal sealed class StockConfiguration : IEntityTypeConfiguration<StockRow>
{
    public void Configure(EntityTypeBuilder<StockRow> b)
    {
        b.HasKey(s => s.Symbol);
        b.Property(s => s.Symbol).HasMaxLength(20);
        b.Property(s => s.Name).HasMaxLength(300);
        b.Property(s => s.Exchange).HasMaxLength(50);
        b.Property(s => s.Type).HasConversion<string>().HasMaxLength(10);
        b.Property(s => s.Sector).HasMaxLength(100);
        b.Property(s => s.Industry).HasMaxLength(200);
    }
}
