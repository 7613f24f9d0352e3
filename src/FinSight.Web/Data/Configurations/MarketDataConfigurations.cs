using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FinSight.Web.Data.Configurations;

internal sealed class StockQuoteConfiguration : IEntityTypeConfiguration<StockQuoteRow>
{
    public void Configure(EntityTypeBuilder<StockQuoteRow> b)
    {
        b.ToTable("stock_quotes");
        b.HasKey(q => q.Symbol);
        b.Property(q => q.Symbol).HasColumnName("symbol").HasMaxLength(20);
        b.Property(q => q.Price).HasColumnName("price").HasPrecision(28, 10);
        b.Property(q => q.PreviousClose).HasColumnName("previous_close").HasPrecision(28, 10);
        b.Property(q => q.DayHigh).HasColumnName("day_high").HasPrecision(28, 10);
        b.Property(q => q.DayLow).HasColumnName("day_low").HasPrecision(28, 10);
        b.Property(q => q.Volume).HasColumnName("volume");
        b.Property(q => q.Currency).HasColumnName("currency").HasMaxLength(3);
        b.Property(q => q.MarketTime).HasColumnName("market_time");
        b.Property(q => q.Source).HasColumnName("source").HasMaxLength(40);
        b.Property(q => q.AsOf).HasColumnName("as_of");
    }
}

internal sealed class CompanyProfileConfiguration : IEntityTypeConfiguration<CompanyProfileRow>
{
    public void Configure(EntityTypeBuilder<CompanyProfileRow> b)
    {
        b.ToTable("company_profiles");
        b.HasKey(p => p.Symbol);
        b.Property(p => p.Symbol).HasColumnName("symbol").HasMaxLength(20);
        b.Property(p => p.Name).HasColumnName("name").HasMaxLength(300);
        b.Property(p => p.LogoUrl).HasColumnName("logo_url").HasMaxLength(1000);
        b.Property(p => p.Sector).HasColumnName("sector").HasMaxLength(100);
        b.Property(p => p.Industry).HasColumnName("industry").HasMaxLength(200);
        b.Property(p => p.MarketCap).HasColumnName("market_cap").HasPrecision(28, 2);
        b.Property(p => p.Exchange).HasColumnName("exchange").HasMaxLength(100);
        b.Property(p => p.Currency).HasColumnName("currency").HasMaxLength(3);
        b.Property(p => p.Website).HasColumnName("website").HasMaxLength(1000);
        b.Property(p => p.Source).HasColumnName("source").HasMaxLength(40);
        b.Property(p => p.AsOf).HasColumnName("as_of");
    }
}

internal sealed class NewsFeedConfiguration : IEntityTypeConfiguration<NewsFeedRow>
{
    public void Configure(EntityTypeBuilder<NewsFeedRow> b)
    {
        b.ToTable("news_feeds");
        b.HasKey(f => f.Symbol);
        b.Property(f => f.Symbol).HasColumnName("symbol").HasMaxLength(20);
        b.Property(f => f.Source).HasColumnName("source").HasMaxLength(40);
        b.Property(f => f.AsOf).HasColumnName("as_of");
    }
}

internal sealed class NewsHeadlineConfiguration : IEntityTypeConfiguration<NewsHeadlineRow>
{
    public void Configure(EntityTypeBuilder<NewsHeadlineRow> b)
    {
        b.ToTable("news_headlines");
        b.HasKey(h => new { h.Symbol, h.HeadlineId });
        b.Property(h => h.Symbol).HasColumnName("symbol").HasMaxLength(20);
        b.Property(h => h.HeadlineId).HasColumnName("headline_id").HasMaxLength(300);
        b.Property(h => h.Title).HasColumnName("title").HasMaxLength(1000);
        b.Property(h => h.Publisher).HasColumnName("publisher").HasMaxLength(200);
        b.Property(h => h.Url).HasColumnName("url").HasMaxLength(2000);
        b.Property(h => h.PublishedAt).HasColumnName("published_at");
        b.Property(h => h.Summary).HasColumnName("summary").HasMaxLength(4000);
        b.Property(h => h.RelatedSymbols).HasColumnName("related_symbols").HasMaxLength(500);
        b.HasIndex(h => new { h.Symbol, h.PublishedAt }).HasDatabaseName("ix_news_headlines_symbol_published");
    }
}

internal sealed class DailyBarConfiguration : IEntityTypeConfiguration<DailyBarRow>
{
    public void Configure(EntityTypeBuilder<DailyBarRow> b)
    {
        b.ToTable("daily_bars");
        b.HasKey(x => new { x.Symbol, x.Date });
        b.Property(x => x.Symbol).HasColumnName("symbol").HasMaxLength(20);
        b.Property(x => x.Date).HasColumnName("date");
        b.Property(x => x.Open).HasColumnName("open").HasPrecision(28, 10);
        b.Property(x => x.High).HasColumnName("high").HasPrecision(28, 10);
        b.Property(x => x.Low).HasColumnName("low").HasPrecision(28, 10);
        b.Property(x => x.Close).HasColumnName("close").HasPrecision(28, 10);
        b.Property(x => x.AdjustedClose).HasColumnName("adjusted_close").HasPrecision(28, 10);
        b.Property(x => x.Volume).HasColumnName("volume");
        b.Property(x => x.Source).HasColumnName("source").HasMaxLength(40);
    }
}

internal sealed class StockSplitConfiguration : IEntityTypeConfiguration<StockSplitRow>
{
    public void Configure(EntityTypeBuilder<StockSplitRow> b)
    {
        b.ToTable("stock_splits");
        b.HasKey(x => new { x.Symbol, x.Date });
        b.Property(x => x.Symbol).HasColumnName("symbol").HasMaxLength(20);
        b.Property(x => x.Date).HasColumnName("date");
        b.Property(x => x.Numerator).HasColumnName("numerator");
        b.Property(x => x.Denominator).HasColumnName("denominator");
    }
}

internal sealed class DividendConfiguration : IEntityTypeConfiguration<DividendRow>
{
    public void Configure(EntityTypeBuilder<DividendRow> b)
    {
        b.ToTable("stock_dividends");
        b.HasKey(x => new { x.Symbol, x.ExDate });
        b.Property(x => x.Symbol).HasColumnName("symbol").HasMaxLength(20);
        b.Property(x => x.ExDate).HasColumnName("ex_date");
        b.Property(x => x.Amount).HasColumnName("amount").HasPrecision(28, 10);
    }
}

internal sealed class StockConfiguration : IEntityTypeConfiguration<StockRow>
{
    public void Configure(EntityTypeBuilder<StockRow> b)
    {
        b.ToTable("stocks");
        b.HasKey(s => s.Symbol);
        b.Property(s => s.Symbol).HasColumnName("symbol").HasMaxLength(20);
        b.Property(s => s.Name).HasColumnName("name").HasMaxLength(300);
        b.Property(s => s.Exchange).HasColumnName("exchange").HasMaxLength(50);
        b.Property(s => s.Type).HasColumnName("type").HasConversion<string>().HasMaxLength(10);
        b.Property(s => s.Sector).HasColumnName("sector").HasMaxLength(100);
        b.Property(s => s.Industry).HasColumnName("industry").HasMaxLength(200);
        b.Property(s => s.UpdatedAt).HasColumnName("updated_at");
    }
}
