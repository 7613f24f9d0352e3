using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FinSight.MarketData;
using FinSight.Web.Data;
using FinSight.Web.Features.Alerts;
using FinSight.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace FinSight.Web.Tests.Alerts;

/// <summary>One message as the server accepted it: over TLS or not, and as which logged-in user.</summary>
public sealed record SmtpReceipt(MimeMessage Message, bool Secure, string? User);

/// <summary>
/// A real SMTP server on loopback (the SmtpServer package) that keeps every message it accepts. With a
/// certificate it offers STARTTLS on <see cref="Port"/> and implicit TLS on <see cref="TlsPort"/>; with a
/// login it requires AUTH (PLAIN or LOGIN), and only over TLS.
/// </summary>
public sealed class SmtpSink : MessageStore, IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly SmtpServer.SmtpServer _server;
    private readonly Task _running;

    public SmtpSink(X509Certificate2? certificate = null, (string User, string Password)? login = null)
    {
        Port = FreePort();
        TlsPort = certificate is null ? 0 : FreePort();
        var builder = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(e => Secure(e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)).IsSecure(false), certificate, login));
        if (certificate is not null)
        {
            builder.Endpoint(e => Secure(e.Endpoint(new IPEndPoint(IPAddress.Loopback, TlsPort)).IsSecure(true), certificate, login));
        }
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(this);
        if (login is { } expected)
        {
            services.Add(new DelegatingUserAuthenticator((user, password) => user == expected.User && password == expected.Password));
        }
        _server = new SmtpServer.SmtpServer(builder.Build(), services);
        _running = _server.StartAsync(_stop.Token);
    }

    private static EndpointDefinitionBuilder Secure(EndpointDefinitionBuilder endpoint, X509Certificate2? certificate, (string, string)? login)
    {
        if (certificate is not null)
        {
            endpoint.Certificate(certificate).AllowUnsecureAuthentication(false);
        }
        return login is null ? endpoint : endpoint.AuthenticationRequired();
    }

    /// <summary>A throwaway self-signed certificate for CN=localhost and 127.0.0.1, valid for a day.</summary>
    public static X509Certificate2 SelfSignedCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
        // Through PKCS#12, so the server's TLS stream gets a private key it can use on every platform.
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), null);
    }

    public int Port { get; }

    /// <summary>The implicit-TLS port; 0 without a certificate.</summary>
    public int TlsPort { get; }

    public ConcurrentQueue<SmtpReceipt> Receipts { get; } = new();

    public ConcurrentQueue<MimeMessage> Messages { get; } = new();

    public IReadOnlyList<MimeMessage> To(string address) => Messages.Where(m => m.To.Mailboxes.Any(x => x.Address == address)).ToArray();

    public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        await using var stream = new MemoryStream(buffer.ToArray());
        var message = await MimeMessage.LoadAsync(stream, cancellationToken);
        Receipts.Enqueue(new SmtpReceipt(message, context.Pipe.IsSecure, context.Authentication.IsAuthenticated ? context.Authentication.User : null));
        Messages.Enqueue(message);
        return SmtpResponse.Ok;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _server.Shutdown();
        await _running.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>One webhook call as the receiver saw it, and whether its signature checked out.</summary>
public sealed record WebhookCall(string Name, string Body, string? Signature, string? Timestamp, string? DeliveryId, int AnsweredWith);

/// <summary>
/// A webhook receiver on loopback (Kestrel): records every POST to <c>/hook/{name}</c>, and answers
/// 500 to the first <see cref="FailFirst"/> calls for a name.
/// </summary>
public sealed class WebhookSink : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookSink(WebApplication app) => _app = app;

    public ConcurrentQueue<WebhookCall> Calls { get; } = new();

    /// <summary>Per name, how many calls still get a 500. Lock it to change it.</summary>
    public Dictionary<string, int> FailFirst { get; } = new();

    public string BaseUrl { get; private set; } = "";

    public string Url(string name) => $"{BaseUrl}/hook/{name}";

    public IReadOnlyList<WebhookCall> For(string name) => Calls.Where(c => c.Name == name).ToArray();

    public static async Task<WebhookSink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var sink = new WebhookSink(app);
        app.MapPost("/hook/{name}", async (string name, HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            int status;
            lock (sink.FailFirst)
            {
                var failing = sink.FailFirst.TryGetValue(name, out var left) && left > 0;
                if (failing)
                {
                    sink.FailFirst[name] = left - 1;
                }
                status = failing ? 500 : 200;
            }
            sink.Calls.Enqueue(new WebhookCall(name, body, request.Headers[AlertSenders.SignatureHeader], request.Headers[AlertSenders.TimestampHeader],
                request.Headers[AlertSenders.DeliveryHeader], status));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        sink.BaseUrl = app.Urls.First().TrimEnd('/');
        return sink;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>
/// The app with pinned simulated prices for TSLA and AAPL, SMTP pointed at a loopback sink, webhooks
/// allowed to reach loopback, short retry waits, and the alert jobs off: tests run the evaluator and
/// the dispatcher themselves, at the moments they choose.
/// </summary>
public class AlertApp(DatabaseProvider provider, int smtpPort, string? sharedPostgres = null, string? sqliteFile = null, bool jobs = false) : FinSightApp(provider)
{
    protected override IDictionary<string, string?> ExtraSettings
    {
        get
        {
            var settings = new Dictionary<string, string?>
            {
                ["MarketData:Simulated:FixedPrices:TSLA"] = "250",
                ["MarketData:Simulated:FixedPrices:AAPL"] = "200",
                ["MarketData:Simulated:FixedPrices:SPY"] = "500",
                // Quotes expire at once, so a moved price reaches the next evaluation without moving the
                // clock (a token issued at a clock ahead of real time is not yet valid).
                ["MarketData:QuoteCacheDuration"] = "00:00:00.001",
                ["Alerts:Enabled"] = jobs ? "true" : "false",
                ["Alerts:EvaluationInterval"] = "00:00:00.200",
                ["Alerts:DeliveryInterval"] = "00:00:00.200",
                ["Alerts:AllowPrivateWebhookAddresses"] = "true",
                ["Alerts:RetryDelay"] = "00:00:00.050",
                ["Alerts:MaxRetryDelay"] = "00:00:00.200",
                ["Alerts:MaxAttempts"] = "3",
                ["Alerts:MaxRulesPerUser"] = "5",
                ["Alerts:MaxDeliveriesPerUserPerHour"] = "4",
                ["Alerts:Smtp:Host"] = "127.0.0.1",
                ["Alerts:Smtp:Port"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Alerts:Smtp:Security"] = "None",
                ["Alerts:Smtp:From"] = "alerts@finsight.test",
            };
            if (sharedPostgres is not null)
            {
                settings["ConnectionStrings:Postgres"] = sharedPostgres;
            }
            if (sqliteFile is not null)
            {
                settings["ConnectionStrings:Sqlite"] = $"Data Source={sqliteFile}";
            }
            return settings;
        }
    }

    public AlertEvaluator Evaluator => Services.GetRequiredService<AlertEvaluator>();

    public AlertDispatcher Dispatcher => Services.GetRequiredService<AlertDispatcher>();

    /// <summary>Moves a pinned price, as a market move would reach the app.</summary>
    public void SetPrice(string symbol, decimal price)
    {
        Services.GetRequiredService<IOptions<MarketDataOptions>>().Value.Simulated.FixedPrices[symbol] = price;
        Thread.Sleep(5); // past the 1 ms quote cache
    }

    /// <summary>Sends what is due until nothing is left (retries included), waiting out the short test back-off.</summary>
    public async Task DeliverAllAsync(int rounds = 20)
    {
        for (var i = 0; i < rounds; i++)
        {
            await Dispatcher.DeliverDueAsync(CancellationToken.None);
            await using var scope = Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<FinSightDbContext>();
            if (!db.AlertDeliveries.Any(d => d.Status == AlertDeliveryStatus.Pending))
            {
                return;
            }
            await Task.Delay(100);
        }
    }
}

/// <summary>The sinks and one app per database provider, shared by a test class.</summary>
public abstract class AlertFixture(DatabaseProvider provider) : IAsyncLifetime
{
    public SmtpSink Smtp { get; } = new();
    public WebhookSink Webhooks { get; private set; } = null!;
    public AlertApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Webhooks = await WebhookSink.StartAsync();
        App = new AlertApp(provider, Smtp.Port);
        await App.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)App).DisposeAsync();
        await Webhooks.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

public sealed class SqliteAlertFixture() : AlertFixture(DatabaseProvider.Sqlite);

public sealed class PostgresAlertFixture() : AlertFixture(DatabaseProvider.Postgres);
