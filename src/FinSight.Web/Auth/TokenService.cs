using System.Security.Claims;
using FinSight.Web.Data;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FinSight.Web.Auth;

/// <summary>The token shape of the spec: <c>access_token</c>, <c>token_type</c> ("bearer"), <c>expires_in</c> seconds.</summary>
public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn);

/// <summary>Issues HMAC-signed JWT bearer tokens whose subject is the user's id, carrying the account's security stamp.</summary>
public sealed class TokenService(SymmetricSecurityKey key, IOptions<AuthOptions> options, TimeProvider clock)
{
    private readonly JsonWebTokenHandler _handler = new();

    public TokenResponse Issue(User user)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var lifetime = TimeSpan.FromMinutes(settings.TokenLifetimeMinutes);
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Subject = new ClaimsIdentity(
            [
                new Claim(JwtRegisteredClaimNames.Sub, user.Id.ToString()),
                new Claim(JwtRegisteredClaimNames.UniqueName, user.Username),
                new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
                // Checked on every request (SessionCheck): a new stamp revokes the token.
                new Claim(SessionClaims.Stamp, user.SecurityStamp),
            ]),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
        return new TokenResponse(token, "bearer", (int)lifetime.TotalSeconds);
    }
}
