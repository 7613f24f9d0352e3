using FinSight.Domain;
using FinSight.MarketData;
using FinSight.MarketData.Currencies;
using FinSight.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FinSight.Web.Features.Stocks;

/// <summary>
/// The currency a symbol's transaction is in when the request names none. In order: the currency the
/// symbol already trades in within the portfolio (one symbol, one currency); USD for a US ticker; for a
/// listing with an exchange suffix, what market data states (the quote's currency, which is Yahoo's
/// chart <c>meta.currency</c> with pence already turned into pounds, or the simulated market's; else the
/// profile's, which is Finnhub's <c>profile2</c> <c>currency</c>); else, when no provider answers, the
/// exchange suffix's (<see cref="Exchanges.CurrencyOf"/>).
/// </summary>
public sealed class ListingCurrency(FinSightDbContext db, MarketDataService marketData)
{
    /// <summary>The currency for a new or edited transaction of <paramref name="symbol"/> in <paramref name="portfolioId"/>.</summary>
    public async Task<string> ResolveAsync(Guid portfolioId, string symbol, CancellationToken ct)
    {
        var recorded = await db.Transactions.AsNoTracking()
            .Where(t => t.PortfolioId == portfolioId && t.Symbol == symbol && t.Type != TransactionType.Split)
            .OrderBy(t => t.Date).Select(t => t.Currency).FirstOrDefaultAsync(ct);
        // A US ticker (no exchange suffix) is a US listing, in dollars at every vendor: recording it costs no vendor call.
        return recorded ?? (Exchanges.Of(symbol) is null ? "USD" : await FromMarketDataAsync(symbol, ct) ?? Exchanges.CurrencyOf(symbol));
    }

    /// <summary>The currency market data states for <paramref name="symbol"/>; null when no provider answered.</summary>
    public async Task<string?> FromMarketDataAsync(string symbol, CancellationToken ct)
    {
        var quote = await marketData.GetQuoteAsync(symbol, ct);
        if (quote.Value is { } q)
        {
            return q.Currency;
        }
        var profile = await marketData.GetProfileAsync(symbol, ct);
        return profile.Value?.Currency;
    }
}
