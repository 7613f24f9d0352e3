using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FinSight.Web.Data;
using FinSight.Web.Features.Alerts;
using FinSight.Web.Tests.Infrastructure;
using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FinSight.Web.Tests.Alerts;

/// <summary>Which server certificates the SMTP client accepts.</summary>
public sealed class SmtpCertificateTests
{
    private const string Fingerprint = "AB01CD23EF45AB01CD23EF45AB01CD23EF45AB01CD23EF45AB01CD23EF45AB01";

    [Fact]
    public void A_trusted_certificate_passes_and_an_untrusted_one_only_when_it_is_the_pinned_one()
    {
        Assert.True(AlertSenders.AcceptCertificate(Fingerprint, SslPolicyErrors.None, null));
        Assert.False(AlertSenders.AcceptCertificate(Fingerprint, SslPolicyErrors.RemoteCertificateChainErrors, null));
        Assert.False(AlertSenders.AcceptCertificate(Fingerprint, SslPolicyErrors.RemoteCertificateChainErrors, " "));
        var colons = string.Join(':', Fingerprint.ToLowerInvariant().Chunk(2).Select(c => new string(c)));
        Assert.True(AlertSenders.AcceptCertificate(Fingerprint, SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch, colons));
        Assert.False(AlertSenders.AcceptCertificate(Fingerprint, SslPolicyErrors.RemoteCertificateChainErrors, Fingerprint[..^1] + "2"));
        Assert.False(AlertSenders.AcceptCertificate(null, SslPolicyErrors.RemoteCertificateNotAvailable, Fingerprint));
    }

    [Fact]
    public void A_login_without_tls_to_another_machine_is_refused_at_start()
    {
        Assert.True(new SmtpOptions { Host = "mail.example.com", Username = "me", Security = SecureSocketOptions.None }.SendsPasswordInClear);
        Assert.False(new SmtpOptions { Host = "127.0.0.1", Username = "me", Security = SecureSocketOptions.None }.SendsPasswordInClear);
        Assert.False(new SmtpOptions { Host = "mail.example.com", Username = "me", Security = SecureSocketOptions.StartTls }.SendsPasswordInClear);
        Assert.False(new SmtpOptions { Host = "mail.example.com", Security = SecureSocketOptions.None }.SendsPasswordInClear);
    }
}

/// <summary>The app sending through a loopback SMTP server that needs TLS (STARTTLS, or implicit on a second port) and a login.</summary>
public sealed class TlsAlertApp(DatabaseProvider provider, int smtpPort, string certificateSha256) : AlertApp(provider, smtpPort)
{
    public const string User = "finsight-alerts";
    public const string Password = "correct horse battery staple";

    protected override IDictionary<string, string?> ExtraSettings
    {
        get
        {
            var settings = base.ExtraSettings;
            settings["Alerts:Smtp:Security"] = "StartTls";
            settings["Alerts:Smtp:Username"] = User;
            settings["Alerts:Smtp:Password"] = Password;
            settings["Alerts:Smtp:CertificateSha256"] = certificateSha256;
            return settings;
        }
    }

    public SmtpOptions Smtp => Services.GetRequiredService<IOptions<AlertOptions>>().Value.Smtp;
}

/// <summary>A TLS SMTP server with a throwaway self-signed certificate and a login, and the app pinned to that certificate.</summary>
public abstract class SmtpTlsFixture(DatabaseProvider provider) : IAsyncLifetime
{
    public X509Certificate2 Certificate { get; } = SmtpSink.SelfSignedCertificate();
    public SmtpSink Smtp { get; private set; } = null!;
    public TlsAlertApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Smtp = new SmtpSink(Certificate, (TlsAlertApp.User, TlsAlertApp.Password));
        App = new TlsAlertApp(provider, Smtp.Port, string.Join(':', Certificate.GetCertHashString(HashAlgorithmName.SHA256).Chunk(2).Select(c => new string(c))));
        await App.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)App).DisposeAsync();
        await Smtp.DisposeAsync();
        Certificate.Dispose();
    }
}

public sealed class SqliteSmtpTlsFixture() : SmtpTlsFixture(DatabaseProvider.Sqlite);

public sealed class PostgresSmtpTlsFixture() : SmtpTlsFixture(DatabaseProvider.Postgres);

/// <summary>Email over STARTTLS and implicit TLS with AUTH; an untrusted certificate or a wrong password is a visible failure that is retried, never lost.</summary>
public abstract class AlertSmtpTlsTests(SmtpTlsFixture fixture)
{
    private TlsAlertApp App => fixture.App;

    [Fact]
    public async Task The_email_arrives_over_starttls_and_over_implicit_tls_logged_in()
    {
        var user = await App.CreateUserAsync();
        await (await user.Http.PostAsync("/api/alerts/test-email", null)).AssertJsonAsync(HttpStatusCode.OK);
        var receipt = Assert.Single(fixture.Smtp.Receipts, r => r.Message.To.Mailboxes.Any(m => m.Address == user.Email));
        Assert.Equal((true, TlsAlertApp.User, "FinSight test email"), (receipt.Secure, receipt.User, receipt.Message.Subject));

        var (port, security) = (App.Smtp.Port, App.Smtp.Security);
        try
        {
            (App.Smtp.Port, App.Smtp.Security) = (fixture.Smtp.TlsPort, SecureSocketOptions.SslOnConnect);
            await (await user.Http.PostAsync("/api/alerts/test-email", null)).AssertJsonAsync(HttpStatusCode.OK);
        }
        finally
        {
            (App.Smtp.Port, App.Smtp.Security) = (port, security);
        }
        var both = fixture.Smtp.Receipts.Where(r => r.Message.To.Mailboxes.Any(m => m.Address == user.Email)).ToArray();
        Assert.Equal(2, both.Length);
        Assert.All(both, r => Assert.Equal((true, TlsAlertApp.User), (r.Secure, r.User)));
    }

    [Fact]
    public async Task Every_user_sees_how_email_is_sent_but_never_the_login()
    {
        var user = await App.CreateUserAsync();
        var answer = await user.Http.GetAsync("/api/alerts/settings");
        var raw = await answer.Content.ReadAsStringAsync();
        var smtp = (await answer.AssertJsonAsync(HttpStatusCode.OK)).GetProperty("smtp");
        Assert.Equal((true, "127.0.0.1", fixture.Smtp.Port, "StartTls", true, true),
            (smtp.GetProperty("configured").GetBoolean(), smtp.GetProperty("host").GetString(), smtp.GetProperty("port").GetInt32(),
             smtp.GetProperty("security").GetString(), smtp.GetProperty("login").GetBoolean(), smtp.GetProperty("certificate_pinned").GetBoolean()));
        var page = await PageSession.SignInAsync(App, user);
        var expected = $"Email goes through 127.0.0.1:{fixture.Smtp.Port} (STARTTLS, its certificate pinned by fingerprint), with a login, from alerts@finsight.test.";
        var settings = await page.GetStringAsync("/settings");
        var alerts = await page.GetStringAsync("/alerts");
        Assert.Contains(expected, settings);
        Assert.Contains(expected, alerts);
        Assert.Contains("Send test email", alerts);
        foreach (var shown in new[] { raw, settings, alerts })
        {
            Assert.DoesNotContain(TlsAlertApp.Password, shown);
            Assert.DoesNotContain(TlsAlertApp.User, shown);
        }
    }

    [Fact]
    public async Task Without_the_pinned_fingerprint_the_self_signed_server_is_refused_and_the_error_names_its_fingerprint()
    {
        var user = await App.CreateUserAsync();
        var pinned = App.Smtp.CertificateSha256;
        try
        {
            App.Smtp.CertificateSha256 = null;
            var problem = await (await user.Http.PostAsync("/api/alerts/test-email", null)).AssertProblemAsync(HttpStatusCode.BadGateway);
            var detail = problem.GetProperty("detail").GetString()!;
            Assert.Contains(fixture.Certificate.GetCertHashString(HashAlgorithmName.SHA256), detail);
            Assert.Contains("Alerts:Smtp:CertificateSha256", detail);
        }
        finally
        {
            App.Smtp.CertificateSha256 = pinned;
        }
        Assert.DoesNotContain(fixture.Smtp.Receipts, r => r.Message.To.Mailboxes.Any(m => m.Address == user.Email));
        var log = Assert.Single((await (await user.Http.GetAsync("/api/alerts/deliveries")).AssertJsonAsync(HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal("failed", log.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_wrong_password_is_a_visible_failed_delivery_that_is_retried_and_sent_once_the_login_is_fixed()
    {
        var user = await App.CreateUserAsync();
        App.SetPrice("AAPL", 200m);
        (await user.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "price_above", symbol = "AAPL", threshold = 150, notify_email = true })).EnsureSuccessStatusCode();
        await App.Evaluator.EvaluateAsync(CancellationToken.None);
        try
        {
            App.Smtp.Password = "wrong password";
            await App.DeliverAllAsync();
        }
        finally
        {
            App.Smtp.Password = TlsAlertApp.Password;
        }
        var delivery = Assert.Single((await (await user.Http.GetAsync("/api/alerts/deliveries")).AssertJsonAsync(HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal("failed", delivery.GetProperty("status").GetString());
        Assert.Equal(3, delivery.GetProperty("attempts").GetInt32()); // Alerts:MaxAttempts in these tests
        Assert.Equal(3, delivery.GetProperty("attempt_log").GetArrayLength());
        Assert.Contains("AuthenticationException", delivery.GetProperty("last_error").GetString());
        Assert.DoesNotContain(fixture.Smtp.Receipts, r => r.Message.To.Mailboxes.Any(m => m.Address == user.Email));

        Assert.Equal(HttpStatusCode.Accepted, (await user.Http.PostAsync($"/api/alerts/deliveries/{delivery.GetProperty("id").GetGuid()}/retry", null)).StatusCode);
        await App.DeliverAllAsync();
        delivery = Assert.Single((await (await user.Http.GetAsync("/api/alerts/deliveries")).AssertJsonAsync(HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal("delivered", delivery.GetProperty("status").GetString());
        var receipt = Assert.Single(fixture.Smtp.Receipts, r => r.Message.To.Mailboxes.Any(m => m.Address == user.Email));
        Assert.Equal((true, TlsAlertApp.User), (receipt.Secure, receipt.User));
        Assert.Contains("AAPL is at $200.00, at or above your $150.00", receipt.Message.TextBody);
    }
}

public sealed class AlertSmtpTlsSqliteTests(SqliteSmtpTlsFixture fixture) : AlertSmtpTlsTests(fixture), IClassFixture<SqliteSmtpTlsFixture>;

public sealed class AlertSmtpTlsPostgresTests(PostgresSmtpTlsFixture fixture) : AlertSmtpTlsTests(fixture), IClassFixture<PostgresSmtpTlsFixture>;
