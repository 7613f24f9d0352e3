using System.Security.Claims;
using FinSight.Web.Auth;
using FinSight.Web.Data;
using FinSight.Web.Features.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.JsonWebTokens;

namespace FinSight.Web.Ui;

/// <summary>
/// Issues the UI's session cookie. It carries the same <c>sub</c> claim as a token, so
/// <see cref="CurrentUser"/> works unchanged, plus the security stamp and a server-side session
/// (<see cref="SessionClaims"/>) that every request checks, so signing out really ends it.
/// </summary>
public static class UiSignIn
{
    public static async Task SignInAsync(HttpContext http, User user, AccountService accounts, CancellationToken ct)
    {
        var session = await accounts.StartSessionAsync(user, ct);
        var identity = new ClaimsIdentity(
            [
                new Claim(JwtRegisteredClaimNames.Sub, user.Id.ToString()),
                new Claim(ClaimTypes.Name, user.Username),
                new Claim(SessionClaims.Stamp, user.SecurityStamp),
                new Claim(SessionClaims.Session, session.ToString()),
            ],
            UiSetup.CookieScheme, ClaimTypes.Name, ClaimTypes.Role);
        await http.SignInAsync(UiSetup.CookieScheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = true });
    }
}
