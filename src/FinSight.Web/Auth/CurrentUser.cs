using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;

namespace FinSight.Web.Auth;

/// <summary>
/// The signed-in user for this request. Handlers take it instead of reading claims, so "whose data
/// is this?" is answered in exactly one place.
/// </summary>
public sealed class CurrentUser(IHttpContextAccessor accessor)
{
    public ClaimsPrincipal Principal => accessor.HttpContext?.User ?? new ClaimsPrincipal();

    /// <summary>The user's id; throws when called on an endpoint that does not require authorization.</summary>
    public Guid Id =>
        Guid.TryParse(Principal.FindFirstValue(JwtRegisteredClaimNames.Sub) ?? Principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
            ? id
            : throw new InvalidOperationException("No authenticated user on this request.");
}
