using System.Collections.Concurrent;
using System.Security.Claims;
using FinSight.MarketData;
using FinSight.MarketData.Caching;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.IdentityModel.JsonWebTokens;

namespace FinSight.Web.Features.Dashboard;

/// <summary>
/// <c>/hubs/prices</c>: open dashboards are told when a price they show has changed, instead of
/// polling. Each signed-in connection joins its user's group only, so a user hears about their own
/// holdings and nothing else. With Redis the groups span every instance (the SignalR backplane),
/// so a change seen by the instance that refreshes quotes reaches pages open on any instance.
/// </summary>
[Authorize]
public sealed class PricesHub : Hub
{
    public const string Path = "/hubs/prices";

    /// <summary>The message: <c>prices</c> with a list of <see cref="PriceChange"/>.</summary>
    public const string Message = "prices";

    public override async Task OnConnectedAsync()
    {
        if (UserGroup(Context.User) is { } group)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, group);
        }
        await base.OnConnectedAsync();
    }

    internal static string? UserGroup(ClaimsPrincipal? user) =>
        Guid.TryParse(user?.FindFirstValue(JwtRegisteredClaimNames.Sub), out var id) ? UserGroup(id) : null;

    internal static string UserGroup(Guid userId) => "user:" + userId.ToString("N");
}

/// <summary>A changed price as pushed: the symbol, the new price and its previous close, and when it was obtained (UTC).</summary>
public sealed record PriceChange(string Symbol, decimal Price, decimal? PreviousClose, DateTimeOffset AsOf, bool IsSimulated);

/// <summary>
/// Sends <see cref="PricesHub"/> messages for the prices the quote refresh job found changed, to
/// the users who hold them. Remembers the last price sent per symbol (bounded by what users hold).
/// </summary>
public sealed class PricePush(IHubContext<PricesHub> hub, ILogger<PricePush> logger)
{
    private readonly ConcurrentDictionary<string, decimal> _sent = new(StringComparer.Ordinal);

    /// <summary>Tells each user in <paramref name="holders"/> about the quotes of theirs that changed since the last push.</summary>
    public async Task PublishAsync(IReadOnlyDictionary<string, MarketDataResult<Quote>> quotes, IReadOnlyDictionary<Guid, IReadOnlyCollection<string>> holders, CancellationToken ct)
    {
        var changed = new Dictionary<string, PriceChange>(StringComparer.Ordinal);
        foreach (var (symbol, result) in quotes)
        {
            if (result.Value is { } quote && (!_sent.TryGetValue(symbol, out var last) || last != quote.Price))
            {
                _sent[symbol] = quote.Price;
                changed[symbol] = new PriceChange(symbol, quote.Price, quote.PreviousClose, quote.AsOf, quote.IsSimulated);
            }
        }
        if (changed.Count == 0)
        {
            return;
        }
        foreach (var (user, symbols) in holders)
        {
            var mine = symbols.Where(changed.ContainsKey).Select(s => changed[s]).ToArray();
            if (mine.Length > 0)
            {
                try
                {
                    await hub.Clients.Group(PricesHub.UserGroup(user)).SendAsync(PricesHub.Message, mine, ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Pages fall back to polling; a failed push must not stop the refresh.
                    logger.LogWarning(ex, "Could not push price changes to user {UserId}", user);
                }
            }
        }
    }
}

/// <summary>Registration of the live price push.</summary>
public static class LivePricesSetup
{
    /// <summary>SignalR, on the Redis backplane when Redis is configured, and <see cref="PricePush"/>.</summary>
    public static IServiceCollection AddFinSightLivePrices(this IServiceCollection services, IConfiguration configuration)
    {
        var signalR = services.AddSignalR();
        if (configuration.GetConnectionString(SharedRedis.ConnectionStringName) is { Length: > 0 } redis)
        {
            // SignalR's backplane keeps a connection of its own (it closes it on shutdown).
            signalR.AddStackExchangeRedis(redis, o =>
            {
                o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal(SharedRedis.KeyPrefixOf(configuration) + "signalr");
                o.Configuration.AbortOnConnectFail = false;
            });
        }
        services.AddSingleton<PricePush>();
        return services;
    }

    /// <summary>Maps <see cref="PricesHub.Path"/>.</summary>
    public static void MapFinSightLivePrices(this IEndpointRouteBuilder app) => app.MapHub<PricesHub>(PricesHub.Path);
}
