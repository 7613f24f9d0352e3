using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using FinSight.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;

namespace FinSight.Web.Auth;

/// <summary>Claims FinSight adds to its bearer tokens and session cookies.</summary>
public static class SessionClaims
{
    /// <summary>The account's <see cref="User.SecurityStamp"/> when the token or cookie was issued.</summary>
    public const string Stamp = "stamp";

    /// <summary>The <see cref="UserSession"/> a cookie belongs to (cookies only).</summary>
    public const string Session = "sid";
}

/// <summary>
/// Whether a token or cookie still speaks for its account, checked on every authenticated request:
/// the account exists, its security stamp is the one issued with, and (for a cookie) its session
/// has not ended. One indexed read per request is the price of revoking at once, on every instance.
/// </summary>
public static class SessionCheck
{
    public static async Task<bool> IsCurrentAsync(FinSightDbContext db, ClaimsPrincipal principal, bool requireSession, CancellationToken ct)
    {
        if (!Guid.TryParse(principal.FindFirstValue(JwtRegisteredClaimNames.Sub), out var userId)
            || principal.FindFirstValue(SessionClaims.Stamp) is not { } stamp)
        {
            return false;
        }
        var current = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.SecurityStamp).SingleOrDefaultAsync(ct);
        if (current is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(current), Encoding.UTF8.GetBytes(stamp)))
        {
            return false;
        }
        if (!requireSession)
        {
            return true;
        }
        return Guid.TryParse(principal.FindFirstValue(SessionClaims.Session), out var session)
               && await db.UserSessions.AnyAsync(s => s.Id == session && s.UserId == userId, ct);
    }
}
