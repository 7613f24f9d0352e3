using MailKit.Security;

namespace FinSight.Web.Features.Alerts;

/// <summary>Settings under <c>Alerts</c> (environment: <c>Alerts__Smtp__Host</c> and so on). See the README's alerts section.</summary>
public sealed class AlertOptions
{
    public const string Section = "Alerts";

    /// <summary>Runs the evaluation and delivery jobs (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often rules are evaluated (default 60 s); quotes come through the market-data cache.</summary>
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often due deliveries are looked for (default 5 s).</summary>
    public TimeSpan DeliveryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Rules one user may have (default 50).</summary>
    public int MaxRulesPerUser { get; set; } = 50;

    /// <summary>Emails and webhook calls one user may cause per hour (default 30); beyond that they wait, they are not dropped.</summary>
    public int MaxDeliveriesPerUserPerHour { get; set; } = 30;

    /// <summary>Tries before a delivery is marked failed (default 8); a failed one can be sent again from the alerts page.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Wait after the first failure (default 30 s), doubled after each further one up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a claimed delivery is held by the instance sending it before another may take it over (default 2 min).</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Lets webhooks reach loopback and private-network addresses (default false: a user's webhook
    /// URL must not become a way into the server's own network). Development turns it on.
    /// </summary>
    public bool AllowPrivateWebhookAddresses { get; set; }

    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public SmtpOptions Smtp { get; set; } = new();
}

/// <summary>The SMTP server alert emails go through (<c>Alerts:Smtp:*</c>). No host means no email.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    /// <summary>
    /// None, Auto, SslOnConnect (implicit TLS, usually port 465), StartTls (usually 587) or StartTlsWhenAvailable
    /// (MailKit's names; default StartTls). Auto and StartTlsWhenAvailable fall back to plain text when the server offers no TLS.
    /// </summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTls;
    /// <summary>Logs in with AUTH (PLAIN, LOGIN or what the server offers) when set.</summary>
    public string? Username { get; set; }
    /// <summary>A secret: from the environment (<c>Alerts__Smtp__Password</c>), never shown.</summary>
    public string? Password { get; set; }
    /// <summary>
    /// The SHA-256 fingerprint (hex; colons allowed) of a certificate to trust besides those the system trusts:
    /// a self-hosted server's self-signed one. Only that certificate is accepted, name and expiry unchecked.
    /// </summary>
    public string? CertificateSha256 { get; set; }
    /// <summary>The From address (default <c>finsight@localhost</c>).</summary>
    public string From { get; set; } = "finsight@localhost";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    /// <summary>A password would cross the network in clear text: a login without TLS to a host other than this machine.</summary>
    public bool SendsPasswordInClear =>
        IsConfigured && !string.IsNullOrEmpty(Username) && Security == SecureSocketOptions.None
        && !(Host is "localhost" || (System.Net.IPAddress.TryParse(Host, out var address) && System.Net.IPAddress.IsLoopback(address)));
}
