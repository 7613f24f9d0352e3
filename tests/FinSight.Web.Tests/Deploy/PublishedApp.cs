using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace FinSight.Web.Tests.Deploy;

/// <summary>
/// <c>dotnet publish src/FinSight.Web --no-build</c> of the build the tests run on (their own
/// configuration, Debug under a plain <c>dotnet test</c>), once per test run and shared by every
/// test that needs the published app. The publish step (what lands in the folder: assemblies,
/// settings, native libraries, compressed static files) is the Dockerfile's; only the compiler's
/// optimisation differs from its <c>-c Release</c>, and a second, Release compile of every project
/// took minutes of the suite on a busy machine.
/// </summary>
public static class Publish
{
    private static readonly Lazy<Task<string>> Shared = new(PublishAsync);

    /// <summary>How long the shared publish took (reported by the deploy test).</summary>
    public static TimeSpan Duration { get; private set; }

    /// <summary>The folder holding FinSight.Web.dll.</summary>
    public static Task<string> GetAsync() => Shared.Value;

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FinSight.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("Could not find the repository root (FinSight.slnx) above the test binaries.");
    }

    /// <summary>The configuration this test assembly (and so FinSight.Web beside it) was built in.</summary>
    private static string BuildConfiguration =>
        typeof(Publish).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration
        ?? throw new InvalidOperationException("The test assembly does not say which configuration it was built in.");

    private static async Task<string> PublishAsync()
    {
        var root = RepositoryRoot();
        RemoveStalePublishFolders();
        var work = Directory.CreateTempSubdirectory("finsight-publish-").FullName;
        var output = Path.Combine(work, "app");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A leftover temp folder is harmless.
            }
        };

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])[
            "publish", "src/FinSight.Web/FinSight.Web.csproj", "-c", BuildConfiguration, "--no-build", "-o", output,
            // No MSBuild node or compiler server may outlive the publish (they would hold our pipes open).
            "--disable-build-servers", "-nodeReuse:false", "-nologo", "-clp:ErrorsOnly"])
        {
            start.ArgumentList.Add(argument);
        }
        // `dotnet test` exports MSBuild settings for its own build; a nested build must not inherit them.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
                                                              || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToArray())
        {
            start.Environment.Remove(key);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet publish.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("dotnet publish took more than 5 minutes.");
        }
        Duration = clock.Elapsed;
        if (process.ExitCode != 0 || !File.Exists(Path.Combine(output, "FinSight.Web.dll")))
        {
            throw new InvalidOperationException($"dotnet publish failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        }
        return output;
    }

    // A test host that is killed never runs its exit handlers; runs older than any test run are leftovers.
    private static void RemoveStalePublishFolders()
    {
        foreach (var folder in new DirectoryInfo(Path.GetTempPath()).EnumerateDirectories("finsight-publish-*"))
        {
            if (folder.CreationTimeUtc < DateTime.UtcNow.AddHours(-3))
            {
                try
                {
                    folder.Delete(recursive: true);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // In use or not ours: leave it.
                }
            }
        }
    }
}

/// <summary>
/// The published FinSight.Web.dll as a separate process, configured by environment variables only
/// (no settings file is touched; variables the test process inherited are removed first).
/// </summary>
public sealed class PublishedApp : IAsyncDisposable
{
    private static readonly string[] InheritedPrefixes =
        ["ASPNETCORE_", "DOTNET_ENVIRONMENT", "ConnectionStrings__", "DATABASE_URL", "Auth__", "MarketData__", "FinSight__", "Database__", "SymbolDirectory__", "QuoteRefresh__"];

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly DirectoryInfo _dataDirectory;

    private PublishedApp(Process process, DirectoryInfo dataDirectory, Uri? baseUrl)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        BaseUrl = baseUrl;
        Http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri? BaseUrl { get; }
    public HttpClient Http { get; }
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the app listening on a free loopback port with exactly these settings (plus the URL), from <paramref name="workingDirectory"/> (default: the publish folder).</summary>
    public static async Task<PublishedApp> StartAsync(IDictionary<string, string?> environment, string? workingDirectory = null) =>
        Run(await Publish.GetAsync(), environment, [], listen: true, workingDirectory);

    /// <summary>Runs a command of the published app (e.g. <c>backup file</c>) without listening.</summary>
    public static async Task<PublishedApp> RunCommandAsync(IDictionary<string, string?> environment, params string[] args) =>
        Run(await Publish.GetAsync(), environment, args, listen: false);

    private static PublishedApp Run(string folder, IDictionary<string, string?> environment, string[] args, bool listen, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory ?? folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(folder, "FinSight.Web.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var key in start.Environment.Keys.Where(k => InheritedPrefixes.Any(p => k.StartsWith(p, StringComparison.OrdinalIgnoreCase))).ToArray())
        {
            start.Environment.Remove(key);
        }
        var dataDirectory = Directory.CreateTempSubdirectory("finsight-published-data-");
        start.Environment["FinSight__DataDirectory"] = dataDirectory.FullName;
        Uri? baseUrl = null;
        if (listen)
        {
            baseUrl = new Uri($"http://127.0.0.1:{FreePort()}/");
            start.Environment["ASPNETCORE_URLS"] = baseUrl.ToString().TrimEnd('/');
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        var app = new PublishedApp(process, dataDirectory, baseUrl);
        process.OutputDataReceived += (_, e) => app.Append(e.Data);
        process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    /// <summary>Polls <c>/health/ready</c> until it answers 200; fails with the app's output if it exits or takes too long.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(3));
        using var probe = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The published app exited with code {_process.ExitCode} before it was ready:\n{Output}");
            }
            try
            {
                using var response = await probe.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The published app was not ready within {timeout ?? TimeSpan.FromMinutes(3)}:\n{Output}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Waits for the process to end by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The published app did not exit within {timeout}:\n{Output}");
        }
        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    /// <summary>Ends the process at once, as a crash or an OOM kill would: no shutdown code runs.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        Http.Dispose();
        try
        {
            _dataDirectory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans temp folders.
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Signs up and logs in a fresh user over HTTP; returns a client that sends their token.</summary>
    public async Task<HttpClient> SignUpAsync(string username, string password = "correct horse battery")
    {
        var signup = await Http.PostAsJsonAsync("/users/signup", new { name = "Published " + username, username, email = $"{username}@example.com", password });
        Assert.True(signup.StatusCode == HttpStatusCode.Created, $"signup: {(int)signup.StatusCode} {await signup.Content.ReadAsStringAsync()}");
        return await LogInAsync(username, password);
    }

    public async Task<HttpClient> LogInAsync(string username, string password = "correct horse battery")
    {
        var login = await Http.PostAsJsonAsync("/users/login", new { email = $"{username}@example.com", password });
        Assert.True(login.StatusCode == HttpStatusCode.OK, $"login: {(int)login.StatusCode} {await login.Content.ReadAsStringAsync()}");
        var token = (await login.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("access_token").GetString();
        var client = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
