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
