using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FinSight.MarketData.Tests.Infrastructure;

/// <summary>A real Kestrel server on 127.0.0.1:random that answers with recorded vendor responses.</summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requestCount;

    private LoopbackServer(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;
    public int RequestCount => Volatile.Read(ref _requestCount);
    /// <summary>Path and query of every request, in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();
    public ConcurrentQueue<IHeaderDictionary> Headers { get; } = new();

    public static async Task<LoopbackServer> StartAsync(Func<HttpContext, Task> handle)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new LoopbackServer(app);
        app.Run(async context =>
        {
            Interlocked.Increment(ref server._requestCount);
            server.Requests.Enqueue(context.Request.Path + context.Request.QueryString);
            // Kestrel recycles header collections once the request ends: keep a copy.
            server.Headers.Enqueue(new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value)));
            await handle(context);
        });
        await app.StartAsync();
        server.BaseUrl = new Uri(app.Urls.First().TrimEnd('/') + "/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public static class Recordings
{
    public static string Read(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Recordings", name));

    public static Task Json(this HttpResponse response, string recording, int status = 200)
    {
        response.StatusCode = status;
        response.ContentType = recording.EndsWith(".html", StringComparison.Ordinal) ? "text/html" : "application/json";
        return response.WriteAsync(Read(recording));
    }
}
