using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using MailKit;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace FinSight.Web.Features.Alerts;

/// <summary>How one try to send went.</summary>
/// <param name="StatusCode">The webhook's HTTP status or the SMTP reply code; null when no answer came.</param>
public sealed record SendOutcome(bool Succeeded, int? StatusCode, string? Error, int DurationMs);

/// <summary>
/// Sends alert emails over SMTP (MailKit) and webhook calls signed with HMAC-SHA256. Each call is one
/// try; retries, back-off and the log are the dispatcher's. Errors are returned, never thrown.
/// </summary>
public sealed class AlertSenders(IHttpClientFactory http, IOptions<AlertOptions> options)
{
    public const string WebhookClient = "alerts-webhook";
    public const string SignatureHeader = "X-FinSight-Signature";
    public const string TimestampHeader = "X-FinSight-Timestamp";
    public const string DeliveryHeader = "X-FinSight-Delivery";

    public bool EmailConfigured => options.Value.Smtp.IsConfigured;

    /// <summary>One email; <paramref name="messageKey"/> makes the Message-Id, so a resend after a crash is recognisably the same message.</summary>
    public async Task<SendOutcome> SendEmailAsync(string to, string subject, string body, string messageKey, CancellationToken ct)
    {
        var smtp = options.Value.Smtp;
        var watch = Stopwatch.StartNew();
        if (!smtp.IsConfigured)
        {
            return new(false, null, "No SMTP server is configured (Alerts:Smtp:Host).", 0);
        }
        try
        {
            var message = new MimeMessage();
            message.From.Add(MailboxAddress.Parse(smtp.From));
            message.To.Add(MailboxAddress.Parse(to));
            message.Subject = subject;
            message.MessageId = $"{messageKey}@finsight";
            message.Body = new TextPart("plain") { Text = body };
            using var client = new SmtpClient();
            client.Timeout = (int)TimeSpan.FromSeconds(30).TotalMilliseconds;
            string? presented = null;
            client.ServerCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                presented = certificate?.GetCertHashString(HashAlgorithmName.SHA256);
                return AcceptCertificate(presented, errors, smtp.CertificateSha256);
            };
            try
            {
                await client.ConnectAsync(smtp.Host!, smtp.Port, smtp.Security, ct);
            }
            catch (MailKit.Security.SslHandshakeException error) when (presented is not null)
            {
                return new(false, null, Trim($"SslHandshakeException: the server's certificate (SHA-256 {presented}) is not trusted by this system"
                    + $"{(string.IsNullOrWhiteSpace(smtp.CertificateSha256) ? "" : " nor the one in Alerts:Smtp:CertificateSha256")}; if it is your server's own, "
                    + $"set Alerts:Smtp:CertificateSha256 to that fingerprint. ({error.Message})"), (int)watch.ElapsedMilliseconds);
            }
            if (!string.IsNullOrEmpty(smtp.Username))
            {
                await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", ct);
            }
            await client.SendAsync(message, ct);
            await client.DisconnectAsync(quit: true, ct);
            return new(true, 250, null, (int)watch.ElapsedMilliseconds);
        }
        catch (Exception error) when (error is SmtpCommandException or SmtpProtocolException or IOException or SocketException
            or MailKit.Security.AuthenticationException or MailKit.Security.SslHandshakeException or ServiceNotConnectedException
            or FormatException or ParseException or TimeoutException)
        {
            var code = error is SmtpCommandException command ? (int)command.StatusCode : (int?)null;
            return new(false, code, Trim($"{error.GetType().Name}: {error.Message}"), (int)watch.ElapsedMilliseconds);
        }
    }

    /// <summary>
    /// Whether to talk to an SMTP server presenting a certificate: one the system trusts (chain and name), or
    /// the one whose SHA-256 fingerprint (hex, colons and spaces allowed) is <paramref name="pinned"/>: a
    /// self-hosted server's self-signed certificate, trusted as that one certificate only.
    /// </summary>
    public static bool AcceptCertificate(string? presentedSha256, SslPolicyErrors errors, string? pinned) =>
        errors == SslPolicyErrors.None
        || (presentedSha256 is not null && !string.IsNullOrWhiteSpace(pinned)
            && string.Equals(presentedSha256, pinned.Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// One POST of <paramref name="body"/> (JSON) with <c>X-FinSight-Signature: sha256=hex(HMAC-SHA256(secret, timestamp + "." + body))</c>,
    /// the Unix <c>X-FinSight-Timestamp</c> it covers, and <c>X-FinSight-Delivery</c> (the same on every retry, for de-duplication).
    /// </summary>
    public async Task<SendOutcome> SendWebhookAsync(string url, string secret, string body, Guid deliveryId, DateTimeOffset now, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var timestamp = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add(SignatureHeader, Sign(secret, timestamp, body));
            request.Headers.Add(TimestampHeader, timestamp);
            request.Headers.Add(DeliveryHeader, deliveryId.ToString());
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.Value.WebhookTimeout);
            using var response = await http.CreateClient(WebhookClient).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var code = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? new(true, code, null, (int)watch.ElapsedMilliseconds)
                : new(false, code, $"HTTP {code} {response.ReasonPhrase}", (int)watch.ElapsedMilliseconds);
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException or InvalidOperationException && !ct.IsCancellationRequested)
        {
            return new(false, null, Trim(error is TaskCanceledException ? "Timed out" : error.Message), (int)watch.ElapsedMilliseconds);
        }
    }

    /// <summary><c>sha256=</c> and the lower-case hex HMAC-SHA256 of <c>timestamp + "." + body</c> under the UTF-8 secret.</summary>
    public static string Sign(string secret, string timestamp, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "." + body)));

    /// <summary>
    /// Refuses connections to loopback, private, link-local and unspecified addresses unless allowed, checked on the
    /// address actually connected to (after DNS), so a name that resolves inwards cannot reach the server's network.
    /// </summary>
    public static SocketsHttpHandler Handler(bool allowPrivate) => new()
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = async (context, ct) =>
        {
            var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct);
            var allowed = addresses.Where(a => allowPrivate || IsPublic(a)).ToArray();
            if (allowed.Length == 0)
            {
                throw new HttpRequestException($"Webhook host {context.DnsEndPoint.Host} is not a public address (Alerts:AllowPrivateWebhookAddresses is off).");
            }
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    internal static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)
            || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal)
        {
            return false;
        }
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 10 || b[0] == 0 || b[0] == 127 || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) || (b[0] == 192 && b[1] == 168)
                || (b[0] == 169 && b[1] == 254) || (b[0] == 100 && b[1] >= 64 && b[1] <= 127) || b[0] >= 224);
        }
        return true;
    }

    private static string Trim(string text) => text.Length <= Data.AlertLimits.ErrorMax ? text : text[..Data.AlertLimits.ErrorMax];
}
