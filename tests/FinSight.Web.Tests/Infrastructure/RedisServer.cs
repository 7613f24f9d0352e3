using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace FinSight.Web.Tests.Infrastructure;

/// <summary>
/// One real Redis server for the whole test run (Debian's <c>redis-server</c>, on a free loopback
/// port, nothing saved to disk), stopped at exit; or, for a test that takes Redis down and brings it
/// back, a <see cref="StartDedicatedAsync">dedicated</see> one. A missing <c>redis-server</c> fails the
/// tests that need it, saying how to install it; they are never skipped.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly Lazy<Task<RedisServer>> Shared = new(() => StartAsync(FreePort()));
    private readonly int _port;
    private Process? _process;

    private RedisServer(int port) => _port = port;

    /// <summary>The StackExchange.Redis connection string (<c>ConnectionStrings:Redis</c>).</summary>
    public string ConnectionString => $"127.0.0.1:{_port}";

    public static Task<RedisServer> GetAsync() => Shared.Value;

    /// <summary>A server of its own that the test may <see cref="StopAsync"/> and <see cref="StartAsync()"/> (same port).</summary>
    public static Task<RedisServer> StartDedicatedAsync() => StartAsync(FreePort());

    /// <summary>Stops the server (an outage): its connections are cut and its data is gone, as after a crash.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        _process = null;
    }

    /// <summary>Starts it again on the same port.</summary>
    public async Task StartAsync()
    {
        var binary = Binary();
        var start = new ProcessStartInfo(binary,
            $"--bind 127.0.0.1 --port {_port} --save \"\" --appendonly no --protected-mode no --daemonize no --loglevel warning")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {binary}.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, _port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(50);
            }
            catch (SocketException)
            {
                throw new InvalidOperationException($"redis-server did not start on 127.0.0.1:{_port} (exit code {(_process.HasExited ? _process.ExitCode : null)}).");
            }
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static async Task<RedisServer> StartAsync(int port)
    {
        var server = new RedisServer(port);
        await server.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                server._process?.Kill();
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        };
        return server;
    }

    private static string Binary()
    {
        foreach (var candidate in new[] { Environment.GetEnvironmentVariable("REDIS_SERVER"), "/usr/bin/redis-server", "/usr/local/bin/redis-server" })
        {
            if (!string.IsNullOrEmpty(candidate) && File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException(
            "redis-server was not found, so the Redis tests cannot run. Install it (./test.sh does; Debian: apt-get install -y redis-server) " +
            "or set REDIS_SERVER to its path.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
