using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FinSight.Sentiment.Tests.Transformers;

/// <summary>
/// A local stand-in for the Hugging Face Hub on 127.0.0.1 (Kestrel, real HTTP) that speaks its URL
/// scheme and headers: <c>/{owner}/{repo}/resolve/{revision}/{path}</c>, small files answered with
/// their Git blob id as ETag, large (LFS) files redirected to a CDN path on another host name with
/// <c>X-Linked-Etag</c> (SHA-256) and <c>X-Linked-Size</c>, <c>X-Repo-Commit</c> on every answer,
/// 401/404 with <c>X-Error-Code</c> as the Hub sends them. The CDN honours Range requests and can be
/// told to cut the connection, corrupt bytes, stall or trickle.
/// </summary>
internal sealed class FakeHub : IAsyncDisposable
{
    private const int LfsThreshold = 1024;
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Repository> _repositories = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte[]> _blobs = new(StringComparer.Ordinal);

    private FakeHub(WebApplication app)
    {
        _app = app;
    }

    public Uri Url { get; private set; } = null!;

    /// <summary>Every request: method, path, Range header, whether it carried a token, host.</summary>
    public ConcurrentQueue<(string Method, string Path, string? Range, bool Authorized, string Host)> Requests { get; } = new();

    /// <summary>Cut the next CDN response after this many bytes (once).</summary>
    public long? CutAfterBytes { get; set; }

    /// <summary>Serve LFS files with one byte flipped.</summary>
    public bool Corrupt { get; set; }

    /// <summary>After this many bytes of a CDN response, send nothing more (until the client gives up).</summary>
    public long? StallAfterBytes { get; set; }

    /// <summary>Pause between 1 KB chunks of CDN responses.</summary>
    public TimeSpan Trickle { get; set; }

    public static async Task<FakeHub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var hub = new FakeHub(app);
        app.MapMethods("/{owner}/{name}/resolve/{revision}/{**path}", ["HEAD", "GET"], hub.ResolveAsync);
        app.MapGet("/cdn/{sha}", hub.CdnAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        hub.Url = new Uri(address);
        return hub;
    }

    /// <summary>Publishes <paramref name="files"/> as commit <paramref name="commit"/> of owner/name, with branch "main" pointing at it.</summary>
    public void Add(string repository, string commit, IReadOnlyDictionary<string, byte[]> files, string? token = null)
    {
        var repo = _repositories.GetOrAdd(repository, _ => new Repository(token));
        repo.Commits[commit] = new Dictionary<string, byte[]>(files, StringComparer.Ordinal);
        repo.Branches["main"] = commit;
        foreach (var bytes in files.Values)
        {
            _blobs[Sha256(bytes)] = bytes;
        }
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private sealed record Repository(string? Token)
    {
        public ConcurrentDictionary<string, Dictionary<string, byte[]>> Commits { get; } = new(StringComparer.Ordinal);
        public ConcurrentDictionary<string, string> Branches { get; } = new(StringComparer.Ordinal);
    }

    private async Task ResolveAsync(HttpContext context, string owner, string name, string revision, string path)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        Log(context);
        var response = context.Response;
        if (!_repositories.TryGetValue($"{owner}/{name}", out var repo) || (repo.Token is { } token && authorization != "Bearer " + token))
        {
            // The Hub answers 401 for both a missing and a private repository when the caller may not see it.
            response.StatusCode = 401;
            response.Headers["X-Error-Code"] = "RepositoryNotFound";
            response.Headers["X-Error-Message"] = "Repository not found";
            return;
        }

        var commit = repo.Branches.TryGetValue(revision, out var branchCommit) ? branchCommit : revision;
        if (!repo.Commits.TryGetValue(commit, out var files))
        {
            response.StatusCode = 404;
            response.Headers["X-Error-Code"] = "RevisionNotFound";
            response.Headers["X-Error-Message"] = $"Invalid rev id: {revision}";
            return;
        }

        response.Headers["X-Repo-Commit"] = commit;
        if (!files.TryGetValue(path, out var bytes))
        {
            response.StatusCode = 404;
            response.Headers["X-Error-Code"] = "EntryNotFound";
            response.Headers["X-Error-Message"] = $"{path} does not exist on \"{revision}\"";
            return;
        }

        if (bytes.Length > LfsThreshold)
        {
            var sha = Sha256(bytes);
            response.StatusCode = 302;
            response.Headers["X-Linked-Etag"] = $"\"{sha}\"";
            response.Headers["X-Linked-Size"] = bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
            response.Headers.ETag = $"\"{sha}\"";
            // Another host name for the same server, as the real CDN is another host: the token must not follow.
            response.Headers.Location = $"http://localhost:{Url.Port}/cdn/{sha}";
            return;
        }

        response.Headers.ETag = $"\"{GitBlobSha1(bytes)}\"";
        response.ContentLength = bytes.Length;
        if (HttpMethods.IsGet(context.Request.Method))
        {
            await response.Body.WriteAsync(bytes, context.RequestAborted);
        }
    }

    private async Task CdnAsync(HttpContext context, string sha)
    {
        Log(context);
        if (!_blobs.TryGetValue(sha, out var bytes))
        {
            context.Response.StatusCode = 404;
            return;
        }

        if (Corrupt)
        {
            bytes = (byte[])bytes.Clone();
            bytes[bytes.Length / 2] ^= 0xFF;
        }

        long start = 0;
        var range = context.Request.Headers.Range.ToString();
        if (range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
        {
            start = long.Parse(range[6..^1], System.Globalization.CultureInfo.InvariantCulture);
            if (start >= bytes.Length)
            {
                context.Response.StatusCode = 416;
                return;
            }

            context.Response.StatusCode = 206;
            context.Response.Headers.ContentRange = $"bytes {start}-{bytes.Length - 1}/{bytes.Length}";
        }

        context.Response.ContentLength = bytes.Length - start;
        var cut = CutAfterBytes;
        CutAfterBytes = null;
        long sent = 0;
        for (var offset = start; offset < bytes.Length; offset += 1024)
        {
            var chunk = (int)Math.Min(1024, bytes.Length - offset);
            if (cut is { } c && sent + chunk > c)
            {
                await context.Response.Body.WriteAsync(bytes.AsMemory((int)offset, (int)(c - sent)));
                await context.Response.Body.FlushAsync();
                await Task.Delay(300); // let the client read what was sent: a reset can discard unread data
                context.Abort(); // the connection drops mid-file
                return;
            }

            if (StallAfterBytes is { } stall && sent >= stall)
            {
                await context.Response.Body.FlushAsync();
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            await context.Response.Body.WriteAsync(bytes.AsMemory((int)offset, chunk), context.RequestAborted);
            sent += chunk;
            if (Trickle > TimeSpan.Zero)
            {
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(Trickle, context.RequestAborted);
            }
        }
    }

    private void Log(HttpContext context) => Requests.Enqueue((context.Request.Method, context.Request.Path.Value ?? "",
        context.Request.Headers.Range.Count > 0 ? context.Request.Headers.Range.ToString() : null,
        context.Request.Headers.Authorization.Count > 0, context.Request.Host.Host));

    private static string GitBlobSha1(byte[] bytes) =>
        Convert.ToHexStringLower(SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {bytes.Length}\0"), .. bytes]));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
