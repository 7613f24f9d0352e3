namespace FinSight.Web.Auth;

/// <summary>Settings under <c>Auth</c>. See the README's configuration table.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>
    /// The HMAC-SHA256 token signing key, at least 32 bytes (UTF-8). Required in Production;
    /// in Development a random one is generated once and kept in the data folder.
    /// </summary>
    public string? SigningKey { get; set; }

    public string Issuer { get; set; } = "finsight";
    public string Audience { get; set; } = "finsight";

    /// <summary>How long a bearer token is valid, in minutes (default 60).</summary>
    public int TokenLifetimeMinutes { get; set; } = 60;

    /// <summary>Failed logins for one account name or one client address before it is locked out.</summary>
    public int MaxFailedLogins { get; set; } = 5;

    /// <summary>How long a lockout lasts, in seconds (default 300).</summary>
    public int LockoutSeconds { get; set; } = 300;
}
