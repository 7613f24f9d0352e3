using System.Security.Cryptography;

namespace FinSight.Web.Data;

/// <summary>
/// An account. Username and email are unique regardless of case: the normalized columns carry
/// the unique indexes so that the rule holds the same way on SQLite and PostgreSQL.
/// </summary>
public sealed class User
{
    public Guid Id { get; init; }
    public required string Username { get; set; }
    public required string NormalizedUsername { get; set; }
    public required string Email { get; set; }
    public required string NormalizedEmail { get; set; }
    public required string DisplayName { get; set; }
    public required string PasswordHash { get; set; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// Every token and session cookie carries the stamp it was issued with and stops working once
    /// it differs: a new one is set by a password change, "sign out everywhere" and turning
    /// two-factor sign-in on or off.
    /// </summary>
    public string SecurityStamp { get; set; } = NewSecurityStamp();

    /// <summary>The TOTP shared secret (base32), protected with Data Protection; set at enrolment, used once <see cref="TwoFactorEnabled"/>.</summary>
    public string? TwoFactorSecret { get; set; }

    /// <summary>Whether signing in asks for a TOTP (or recovery) code after the password.</summary>
    public bool TwoFactorEnabled { get; set; }

    /// <summary>The unused recovery codes as SHA-256 hex digests, separated by ';'. Each works once.</summary>
    public string? RecoveryCodes { get; set; }

    /// <summary>The TOTP time step (30 s since the Unix epoch) of the last code accepted, so that a code works only once.</summary>
    public long? LastTotpStep { get; set; }

    /// <summary>128 random bits as hex.</summary>
    public static string NewSecurityStamp() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public static string Normalize(string value) => value.Trim().ToUpperInvariant();
}

/// <summary>Field lengths shared by the schema and request validation, so they cannot disagree.</summary>
public static class UserLimits
{
    public const int UsernameMin = 3;
    public const int UsernameMax = 32;
    public const int EmailMax = 254;
    public const int NameMax = 100;
    public const int PasswordMin = 10;
    public const int PasswordMax = 128;
}
