using System.Globalization;
using System.Security.Claims;
using FinSight.MarketData;
using FinSight.MarketData.Caching;
using FinSight.Web.Auth;
using FinSight.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using ZiggyCreatures.Caching.Fusion;

namespace FinSight.Web.Infrastructure;

/// <summary>
/// What a warm dashboard request needs without a database round trip, kept in this instance's
/// memory (never in Redis: it is one user's data):
/// <list type="bullet">
/// <item>per user and <see cref="UserEpochs">epoch</see>: whether a token or cookie is still current,
/// the user's portfolios as looked up by id (or the default one), and the user's settings;</item>
/// <item>per portfolio, version and quote generation: the dashboard's answers
/// (<see cref="DashboardAsync{T}"/>), which are the same for any request until a write changes the
/// version or a price changes.</item>
/// </list>
/// Every key names the user, so one user's entry can never answer another's request. When the
/// epoch is unknown (Redis or the PostgreSQL listener unreachable) every read goes to the database.
/// </summary>
public sealed class WarmState(UserEpochs epochs, IFusionCache cache, IServiceScopeFactory scopes, MarketDataService marketData, TimeProvider clock)
{
    private static readonly TimeSpan UserLifetime = TimeSpan.FromMinutes(10);

    /// <summary>How long a dashboard answer is reused at most: it carries "market open" and the time it was computed.</summary>
    public static readonly TimeSpan DashboardLifetime = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan NotReused = TimeSpan.FromTicks(1);

    /// <summary><see cref="SessionCheck.IsCurrentAsync"/>, answered from memory while the user's epoch is unchanged.</summary>
    public async Task<bool> IsCurrentAsync(FinSightDbContext db, ClaimsPrincipal principal, bool requireSession, CancellationToken ct)
    {
        if (!Guid.TryParse(principal.FindFirstValue(JwtRegisteredClaimNames.Sub), out var userId)
            || principal.FindFirstValue(SessionClaims.Stamp) is not { } stamp
            || await epochs.CurrentAsync(userId) is not { } epoch)
        {
            return await SessionCheck.IsCurrentAsync(db, principal, requireSession, ct);
        }
        var session = requireSession ? principal.FindFirstValue(SessionClaims.Session) ?? "?" : "-";
        // A stamp or session that is not current never becomes current again, so "no" may be kept too.
        return await cache.GetOrCreateSharedAsync(Key($"warm:auth:{userId:N}:{epoch}:{stamp}:{session}"), async () =>
        {
            await using var scope = scopes.CreateAsyncScope();
            var current = await SessionCheck.IsCurrentAsync(scope.ServiceProvider.GetRequiredService<FinSightDbContext>(), principal, requireSession, CancellationToken.None);
            return new Cached<bool>(current, UserLifetime, 1);
        }, ct);
    }

    /// <summary>
    /// The user's portfolio <paramref name="portfolioId"/> (the default one when null) as last
    /// committed, a copy the caller may keep; null when it is not known here (the caller then asks
    /// the database, which also creates a missing default portfolio).
    /// </summary>
    public async Task<Portfolio?> PortfolioAsync(Guid userId, Guid? portfolioId, CancellationToken ct)
    {
        if (await epochs.CurrentAsync(userId) is not { } epoch)
        {
            return null;
        }
        var found = await cache.GetOrCreateSharedAsync(Key($"warm:portfolio:{userId:N}:{epoch}:{portfolioId?.ToString("N") ?? "default"}"), async () =>
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<FinSightDbContext>();
            var portfolio = await db.Portfolios.AsNoTracking()
                .Where(p => p.UserId == userId && (portfolioId == null ? p.IsDefault : p.Id == portfolioId))
                .SingleOrDefaultAsync(CancellationToken.None);
            return new Cached<Portfolio?>(portfolio, portfolio is null ? NotReused : UserLifetime, 1);
        }, ct);
        return found?.Copy();
    }

    /// <summary>What <paramref name="load"/> reads for the user, kept while the user's epoch is unchanged; read afresh when it is unknown.</summary>
    public async Task<T> UserAsync<T>(Guid userId, string what, Func<FinSightDbContext, Task<T>> load, CancellationToken ct)
    {
        if (await epochs.CurrentAsync(userId) is not { } epoch)
        {
            await using var direct = scopes.CreateAsyncScope();
            return await load(direct.ServiceProvider.GetRequiredService<FinSightDbContext>());
        }
        return await cache.GetOrCreateSharedAsync(Key($"warm:{what}:{userId:N}:{epoch}"), async () =>
        {
            await using var scope = scopes.CreateAsyncScope();
            return new Cached<T>(await load(scope.ServiceProvider.GetRequiredService<FinSightDbContext>()), UserLifetime, 1);
        }, ct);
    }

    /// <summary>
    /// A dashboard answer for <paramref name="portfolio"/> (one its user looked up), computed once
    /// per version of the portfolio, change of any quote (<see cref="MarketDataService.QuoteGeneration"/>),
    /// last closed session and <paramref name="variant"/> (everything else the answer depends on:
    /// range, benchmark, risk-free rate), and for at most <see cref="DashboardLifetime"/>.
    /// </summary>
    public Task<T> DashboardAsync<T>(Portfolio portfolio, string variant, Func<Task<T>> compute, CancellationToken ct)
    {
        // Read before computing: a quote that changes meanwhile files the answer under a retired generation.
        var generation = marketData.QuoteGeneration;
        var now = clock.GetUtcNow();
        var session = MarketCalendar.LastClosedSession(now);
        // The day's change runs from the close before the current session, which moves at the open.
        var current = MarketCalendar.CurrentSession(now);
        return cache.GetOrCreateSharedAsync(
            Key($"warm:dashboard:{portfolio.UserId:N}:{portfolio.Id:N}:{portfolio.Version}:{generation}:{session:yyyy-MM-dd}:{current:yyyy-MM-dd}:{variant}"),
            async () => new Cached<T>(await compute(), DashboardLifetime, 4), ct);
    }

    private static string Key(FormattableString key) => key.ToString(CultureInfo.InvariantCulture);
}
