namespace FinSight.MarketData;

// A provider implements the capability interfaces it supports; the chain for a capability is
// the configured provider order filtered by interface. Returning null means "this symbol does
// not exist at this vendor" (authoritative, the chain stops). Throwing means "could not answer"
// (the chain falls through to the next provider).

public interface IMarketDataProvider
{
    /// <summary>The name used in configuration (MarketData:Providers), e.g. "Yahoo".</summary>
    string Name { get; }
}

public interface IQuoteProvider : IMarketDataProvider
{
    Task<Quote?> GetQuoteAsync(string symbol, CancellationToken cancellationToken = default);
}

public interface IPriceHistoryProvider : IMarketDataProvider
{
    /// <summary>Daily bars and corporate actions for the inclusive date range.</summary>
    Task<PriceHistory?> GetDailyHistoryAsync(string symbol, DateOnly from, DateOnly to, CancellationToken cancellationToken = default);
}

/// <summary>
/// Splits and dividends outside the price history. Unlike the other capabilities every provider that has it is asked
/// and the answers are merged; a part the key's plan does not include is left out, not a failure.
/// </summary>
public interface ICorporateActionProvider : IMarketDataProvider
{
    /// <summary>What the provider reports for the inclusive date range (a next dividend's pay date may lie beyond it); null when it does not know the symbol.</summary>
    Task<CorporateActionReport?> GetCorporateActionsAsync(string symbol, DateOnly from, DateOnly to, CancellationToken cancellationToken = default);
}

public interface IProfileProvider : IMarketDataProvider
{
    Task<CompanyProfile?> GetProfileAsync(string symbol, CancellationToken cancellationToken = default);
}

public interface INewsProvider : IMarketDataProvider
{
    /// <summary>Headlines published within the inclusive date range (UTC dates).</summary>
    Task<NewsFeed?> GetNewsAsync(string symbol, DateOnly from, DateOnly to, CancellationToken cancellationToken = default);
}

public interface ISymbolSearchProvider : IMarketDataProvider
{
    Task<IReadOnlyList<SymbolMatch>> SearchAsync(string query, int limit, CancellationToken cancellationToken = default);
}

/// <summary>A provider could not answer (network, HTTP status, malformed payload, open circuit...).</summary>
public class MarketDataException(string provider, string message, Exception? inner = null)
    : Exception($"{provider}: {message}", inner)
{
    public string Provider { get; } = provider;
}

/// <summary>The provider does not offer this capability to us (e.g. Finnhub candles on a free key).</summary>
public sealed class CapabilityUnavailableException(string provider, string message)
    : MarketDataException(provider, message);

/// <summary>
/// The provider lacks what it needs to ask at all (Finnhub without an API key). Unlike
/// <see cref="CapabilityUnavailableException"/> there is no back-off: the next request may find it configured.
/// </summary>
public sealed class ProviderNotConfiguredException(string provider, string message)
    : MarketDataException(provider, message);

public enum MarketDataStatus
{
    /// <summary>Just fetched from a provider, or cached within its period.</summary>
    Fresh,
    /// <summary>Every provider failed; this is the last known value (see its AsOf).</summary>
    Stale,
    /// <summary>A provider answered that the symbol does not exist.</summary>
    NotFound,
    /// <summary>Every provider failed and nothing is stored. Never a made-up value.</summary>
    Unavailable,
}

/// <summary>What the facade returns: a value with how trustworthy it is, or an explicit reason why there is none.</summary>
public sealed record MarketDataResult<T> where T : class
{
    // Also how a result shared through Redis is read back (System.Text.Json).
    [System.Text.Json.Serialization.JsonConstructor]
    private MarketDataResult(MarketDataStatus status, T? value, string? reason)
    {
        if (value is null && status is MarketDataStatus.Fresh or MarketDataStatus.Stale)
        {
            throw new ArgumentNullException(nameof(value), "Fresh and stale results carry a value.");
        }
        Status = status;
        Value = value;
        Reason = reason;
    }

    public MarketDataStatus Status { get; }
    public T? Value { get; }
    /// <summary>Why there is no (fresh) value; null when fresh.</summary>
    public string? Reason { get; }

    public bool HasValue => Value is not null;
    public bool IsStale => Status == MarketDataStatus.Stale;

    public static MarketDataResult<T> Fresh(T value) => new(MarketDataStatus.Fresh, value, null);
    public static MarketDataResult<T> Stale(T value, string reason) => new(MarketDataStatus.Stale, value, reason);
    public static MarketDataResult<T> NotFound(string reason) => new(MarketDataStatus.NotFound, null, reason);
    public static MarketDataResult<T> Unavailable(string reason) => new(MarketDataStatus.Unavailable, null, reason);
}
