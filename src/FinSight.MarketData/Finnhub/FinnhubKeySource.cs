using Microsoft.Extensions.Options;

namespace FinSight.MarketData.Finnhub;

/// <summary>
/// Where the Finnhub provider gets its API key, asked on every request so that a key set while
/// the process runs takes effect without a restart. Null or blank means "not configured".
/// </summary>
public interface IFinnhubKeySource
{
    ValueTask<string?> GetApiKeyAsync(CancellationToken cancellationToken);
}

/// <summary>The default: <c>MarketData:Finnhub:ApiKey</c> from configuration.</summary>
public sealed class ConfiguredFinnhubKey(IOptionsMonitor<MarketDataOptions> options) : IFinnhubKeySource
{
    public ValueTask<string?> GetApiKeyAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(options.CurrentValue.Finnhub.ApiKey);
}
