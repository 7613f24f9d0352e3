using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FinSight.Web.Tests.Infrastructure;

/// <summary>Mints tokens the way an attacker or a stale client could hold them.</summary>
public static class Tokens
{
    /// <summary>The security stamp a token the app issued carries (a minted token needs it to be accepted).</summary>
    public static string? StampOf(string token) =>
        new JsonWebTokenHandler().ReadJsonWebToken(token).TryGetPayloadValue<string>("stamp", out var stamp) ? stamp : null;

    public static string Mint(string subject, string key, DateTime issuedAtUtc, TimeSpan lifetime, string? stamp = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "finsight",
            Audience = "finsight",
            IssuedAt = issuedAtUtc,
            NotBefore = issuedAtUtc,
            Expires = issuedAtUtc + lifetime,
            Subject = new ClaimsIdentity(stamp is null
                ? [new Claim(JwtRegisteredClaimNames.Sub, subject)]
                : [new Claim(JwtRegisteredClaimNames.Sub, subject), new Claim("stamp", stamp)]),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });
}
