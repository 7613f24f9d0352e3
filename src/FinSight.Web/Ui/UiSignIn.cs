using System.Security.Claims;
using FinSight.Web.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.JsonWebTokens;

namespace FinSight.Web.Ui;

/// <summary>Issues the UI's session cookie. It carries the same <c>sub</c> claim as a token, so <see cref="Auth.CurrentUser"/> works unchanged.</summary>
public static class UiSignIn
{
    public static Task SignInAsync(HttpContext http, User user)
    {
        var identity = new ClaimsIdentity(
            [new Claim(JwtRegisteredClaimNames.Sub, user.Id.ToString()), new Claim(ClaimTypes.Name, user.Username)],
            UiSetup.CookieScheme, ClaimTypes.Name, ClaimTypes.Role);
        return http.SignInAsync(UiSetup.CookieScheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = true });
    }
}
