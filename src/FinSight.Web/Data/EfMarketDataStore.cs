using FinSight.MarketData;
using Microsoft.EntityFrameworkCore;

namespace FinSight.Web.Data;

/// <summary>
/// The database behind the market-data facade: last quotes, profiles and news survive restarts
/// and outages, and completed daily bars are fetched once. A singleton (as the facade is), so it
/// opens a scope per call.
/// </summary>
public sealed class EfMarketDataStore(IServiceScopeFactory scopes, ILogger<EfMarketDataStore> logger) : IMarketDataStore
{
    public async Task<Quote?> GetQuoteAsync(string symbol, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var row = await Db(scope).StockQuotes.AsNoTracking().SingleOrDefaultAsync(q => q.Symbol == symbol, cancellationToken);
        return row is null ? null : new Quote
        {
            Symbol = row.Symbol,
            Price = row.Price,
            PreviousClose = row.PreviousClose,
            DayHigh = row.DayHigh,
            DayLow = row.DayLow,
            Volume = row.Volume,
            Currency = row.Currency,
            MarketTime = row.MarketTime,
            Source = row.Source,
            AsOf = row.AsOf,
        };
    }

    public async Task SaveQuoteAsync(Quote quote, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = Db(scope);
        var row = await db.StockQuotes.SingleOrDefaultAsync(q => q.Symbol == quote.Symbol, cancellationToken);
        if (row is null)
        {
            row = new StockQuoteRow { Symbol = quote.Symbol, Currency = quote.Currency, Source = quote.Source };
            db.StockQuotes.Add(row);
        }
        row.Price = quote.Price;
        row.PreviousClose = quote.PreviousClose;
        row.DayHigh = quote.DayHigh;
        row.DayLow = quote.DayLow;
        row.Volume = quote.Volume;
        row.Currency = quote.Currency;
        row.MarketTime = quote.MarketTime;
        row.Source = quote.Source;
        row.AsOf = quote.AsOf;
        await SaveIgnoringRacesAsync(db, cancellationToken);
    }

    public async Task<CompanyProfile?> GetProfileAsync(string symbol, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var row = await Db(scope).CompanyProfiles.AsNoTracking().SingleOrDefaultAsync(p => p.Symbol == symbol, cancellationToken);
        return row is null ? null : new CompanyProfile
        {
            Symbol = row.Symbol,
            Name = row.Name,
            LogoUrl = row.LogoUrl,
            Sector = row.Sector,
            Industry = row.Industry,
            MarketCap = row.MarketCap,
            Exchange = row.Exchange,
            Currency = row.Currency,
            Website = row.Website,
            Source = row.Source,
            AsOf = row.AsOf,
        };
    }

    public async Task SaveProfileAsync(CompanyProfile profile, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = Db(scope);
        var row = await db.CompanyProfiles.SingleOrDefaultAsync(p => p.Symbol == profile.Symbol, cancellationToken);
        if (row is null)
        {
            row = new CompanyProfileRow { Symbol = profile.Symbol, Name = profile.Name, Currency = profile.Currency, Source = profile.Source };
            db.CompanyProfiles.Add(row);
        }
        row.Name = Clip(profile.Name, 300)!;
        row.LogoUrl = profile.LogoUrl is { Length: <= 1000 } logo ? logo : null;
        row.Sector = Clip(profile.Sector, 100);
        row.Industry = Clip(profile.Industry, 200);
        row.MarketCap = profile.MarketCap;
        row.Exchange = Clip(profile.Exchange, 100);
        row.Currency = profile.Currency;
        row.Website = profile.Website is { Length: <= 1000 } site ? site : null;
        row.Source = profile.Source;
        row.AsOf = profile.AsOf;
        await SaveIgnoringRacesAsync(db, cancellationToken);
    }

    public async Task<NewsFeed?> GetNewsAsync(string symbol, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = Db(scope);
        var feed = await db.NewsFeeds.AsNoTracking().SingleOrDefaultAsync(f => f.Symbol == symbol, cancellationToken);
        if (feed is null)
        {
            return null;
        }
        var rows = await db.NewsHeadlines.AsNoTracking().Where(h => h.Symbol == symbol).ToListAsync(cancellationToken);
        return new NewsFeed
        {
            Symbol = symbol,
            Source = feed.Source,
            AsOf = feed.AsOf,
            // Rows stored before links were checked may hold javascript: or data: links: never served.
            Headlines = [.. rows.Where(r => NewsHeadline.TryParseLink(r.Url, out _)).Select(ToHeadline)],
        };
    }

    public async Task SaveNewsAsync(NewsFeed feed, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = Db(scope);
        var meta = await db.NewsFeeds.SingleOrDefaultAsync(f => f.Symbol == feed.Symbol, cancellationToken);
        if (meta is null)
        {
            meta = new NewsFeedRow { Symbol = feed.Symbol, Source = feed.Source };
            db.NewsFeeds.Add(meta);
        }
        meta.Source = feed.Source;
        meta.AsOf = feed.AsOf;

        var ids = feed.Headlines.Select(h => h.Id).ToArray();
        var existing = await db.NewsHeadlines.Where(h => h.Symbol == feed.Symbol && ids.Contains(h.HeadlineId))
            .ToDictionaryAsync(h => h.HeadlineId, StringComparer.Ordinal, cancellationToken);
        foreach (var headline in feed.Headlines)
        {
            if (!existing.TryGetValue(headline.Id, out var row))
            {
                row = new NewsHeadlineRow { Symbol = feed.Symbol, HeadlineId = headline.Id, Title = "", Publisher = "", Url = "" };
                db.NewsHeadlines.Add(row);
            }
            // Vendors' text has no length limit; the columns do.
            row.Title = Clip(headline.Title, 1000)!;
            row.Publisher = Clip(headline.Publisher, 200)!;
            row.Url = headline.Url.ToString();
            row.PublishedAt = headline.PublishedAt;
            row.Summary = Clip(headline.Summary, 4000);
            row.RelatedSymbols = Clip(string.Join(' ', headline.RelatedSymbols), 500)!;
        }
        await SaveIgnoringRacesAsync(db, cancellationToken);
    }

    public async Task<PriceHistory?> GetDailyHistoryAsync(string symbol, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = Db(scope);
        var bars = await db.DailyBars.AsNoTracking()
            .Where(b => b.Symbol == symbol && b.Date >= from && b.Date <= to)
            .OrderBy(b => b.Date)
            .ToListAsync(cancellationToken);
        if (bars.Count == 0)
        {
            return null;
        }
        var splits = await db.StockSplits.AsNoTracking().Where(s => s.Symbol == symbol && s.Date >= from && s.Date <= to).ToListAsync(cancellationToken);
        var dividends = await db.Dividends.AsNoTracking().Where(d => d.Symbol == symbol && d.ExDate >= from && d.ExDate <= to).ToListAsync(cancellationToken);
        return new PriceHistory
        {
            Symbol = symbol,
            Source = bars[^1].Source,
            Bars = [.. bars.Select(b => new DailyBar
            {
                Date = b.Date, Open = b.Open, High = b.High, Low = b.Low, Close = b.Close, AdjustedClose = b.AdjustedClose, Volume = b.Volume,
            })],
            Splits = [.. splits.Select(s => new StockSplit { Date = s.Date, Numerator = s.Numerator, Denominator = s.Denominator })],
            Dividends = [.. dividends.Select(d => new Dividend { ExDate = d.ExDate, Amount = d.Amount })],
        };
    }

    public async Task SaveDailyHistoryAsync(PriceHistory history, CancellationToken cancellationToken = default)
    {
        if (history.Bars.Count == 0 && history.Splits.Count == 0 && history.Dividends.Count == 0)
        {
            return;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = Db(scope);
        var symbol = history.Symbol;
        var from = new[] { history.Bars.FirstOrDefault()?.Date, history.Splits.FirstOrDefault()?.Date, history.Dividends.FirstOrDefault()?.ExDate }.Min() ?? DateOnly.MinValue;
        var to = new[] { history.Bars.LastOrDefault()?.Date, history.Splits.LastOrDefault()?.Date, history.Dividends.LastOrDefault()?.ExDate }.Max() ?? DateOnly.MaxValue;

        // Insert-only: what is stored for a date stays as it was.
        var knownBars = (await db.DailyBars.Where(b => b.Symbol == symbol && b.Date >= from && b.Date <= to).Select(b => b.Date).ToListAsync(cancellationToken)).ToHashSet();
        var knownSplits = (await db.StockSplits.Where(s => s.Symbol == symbol).Select(s => s.Date).ToListAsync(cancellationToken)).ToHashSet();
        var knownDividends = (await db.Dividends.Where(d => d.Symbol == symbol).Select(d => d.ExDate).ToListAsync(cancellationToken)).ToHashSet();
        db.DailyBars.AddRange(history.Bars.Where(b => !knownBars.Contains(b.Date)).Select(b => new DailyBarRow
        {
            Symbol = symbol, Date = b.Date, Open = b.Open, High = b.High, Low = b.Low, Close = b.Close,
            AdjustedClose = b.AdjustedClose, Volume = b.Volume, Source = history.Source,
        }));
        db.StockSplits.AddRange(history.Splits.Where(s => !knownSplits.Contains(s.Date))
            .Select(s => new StockSplitRow { Symbol = symbol, Date = s.Date, Numerator = s.Numerator, Denominator = s.Denominator }));
        db.Dividends.AddRange(history.Dividends.Where(d => !knownDividends.Contains(d.ExDate))
            .Select(d => new DividendRow { Symbol = symbol, ExDate = d.ExDate, Amount = d.Amount }));
        await SaveIgnoringRacesAsync(db, cancellationToken);
    }

    private static string? Clip(string? value, int max) => value is { Length: > 0 } && value.Length > max ? value[..max] : value;

    private static FinSightDbContext Db(AsyncServiceScope scope) => scope.ServiceProvider.GetRequiredService<FinSightDbContext>();

    private static NewsHeadline ToHeadline(NewsHeadlineRow row) => new()
    {
        Id = row.HeadlineId,
        Title = row.Title,
        Publisher = row.Publisher,
        Url = new Uri(row.Url),
        PublishedAt = row.PublishedAt,
        Summary = row.Summary,
        RelatedSymbols = row.RelatedSymbols.Split(' ', StringSplitOptions.RemoveEmptyEntries),
    };

    /// <summary>
    /// This is a cache of what vendors said: failing to keep a copy must not fail the request that
    /// fetched it. The usual cause is a race (two instances storing the same fact; the unique keys
    /// keep one copy), so it is logged, not thrown.
    /// </summary>
    private async Task SaveIgnoringRacesAsync(FinSightDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException error)
        {
            logger.LogWarning(error, "Could not store market data; it will be fetched again when needed.");
        }
    }
}
