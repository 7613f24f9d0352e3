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

    /// <summary>
    /// Failed logins for one account from one client address before that pair is locked out; one
    /// address is locked after four times as many failures across all accounts.
    /// </summary>
    public int MaxFailedLogins { get; set; } = 5;

    /// <summary>How long a lockout lasts, in seconds (default 300); failures older than this are forgotten.</summary>
    public int LockoutSeconds { get; set; } = 300;

    /// <summary>Failures on one account, from all addresses together, before its attempts back off (default 10).</summary>
    public int AccountBackoffAfter { get; set; } = 10;

    /// <summary>The longest account-wide back-off, in seconds (default 30): what a real user may have to wait while someone else guesses.</summary>
    public int MaxAccountBackoffSeconds { get; set; } = 30;
}
