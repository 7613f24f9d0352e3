using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FinSight.Web.Tests.Infrastructure;

/// <summary>Mints tokens the way an attacker or a stale client could hold them.</summary>
public static class Tokens
{
    public static string Mint(string subject, string key, DateTime issuedAtUtc, TimeSpan lifetime) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "finsight",
            Audience = "finsight",
            IssuedAt = issuedAtUtc,
            NotBefore = issuedAtUtc,
            Expires = issuedAtUtc + lifetime,
            Subject = new ClaimsIdentity([new Claim(JwtRegisteredClaimNames.Sub, subject)]),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });
}
