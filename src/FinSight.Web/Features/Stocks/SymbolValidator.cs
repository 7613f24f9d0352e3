using FinSight.MarketData;
using FinSight.MarketData.Directory;
using FinSight.Web.Features.Portfolios;

namespace FinSight.Web.Features.Stocks;

/// <summary>
/// Decides whether a ticker may be recorded: it is in the directory, or a real (not simulated)
/// market data provider knows it, in which case it joins the directory. Otherwise the answer
/// is 422 with the closest listed symbols, so a typo (APPL) is caught before it is stored.
/// </summary>
public sealed class SymbolValidator(SymbolDirectory directory, MarketDataService marketData)
{
    /// <summary>
    /// Null when the directory lists <paramref name="symbol"/>, else 422 with the closest listings,
    /// without asking a vendor: for choices that cost a fetch per symbol and record nothing (a benchmark).
    /// </summary>
    public WriteProblem? CheckListed(string symbol) => directory.Find(symbol) is null ? Unknown(symbol) : null;

    public async Task<WriteProblem?> CheckAsync(string symbol, CancellationToken ct)
    {
        if (directory.Find(symbol) is not null)
        {
            return null;
        }
        var profile = await marketData.GetProfileAsync(symbol, ct);
        if (profile is { HasValue: true, Value: { IsSimulated: false } known })
        {
            await directory.UpsertAsync([new SymbolDirectoryEntry
            {
                Symbol = known.Symbol, Name = known.Name, Exchange = known.Exchange ?? "Other",
                Sector = known.Sector, Industry = known.Industry,
            }], ct);
            return null;
        }
        return Unknown(symbol);
    }

    private WriteProblem Unknown(string symbol)
    {
        var matches = directory.CloseMatches(symbol).Select(s => new { s.Symbol, s.Name }).ToArray();
        return new WriteProblem(StatusCodes.Status422UnprocessableEntity, "Unknown symbol",
            matches.Length > 0
                ? $"'{symbol}' is not a listed symbol. Did you mean {string.Join(", ", matches.Select(m => m.Symbol))}?"
                : $"'{symbol}' is not a listed symbol.",
            new Dictionary<string, object?> { ["code"] = "unknown_symbol", ["symbol"] = symbol, ["matches"] = matches }) { Field = "symbol" };
    }
}
