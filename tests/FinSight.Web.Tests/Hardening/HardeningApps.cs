using FinSight.Web.Data;
using FinSight.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace FinSight.Web.Tests.Hardening;

/// <summary>The app with every log entry captured, at Trace level for all categories the app does not pin.</summary>
public sealed class LogCaptureApp() : FinSightApp(DatabaseProvider.Sqlite)
{
    public CapturingLoggerProvider Logs { get; } = new();

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }
}

/// <summary>Proxy, HTTPS redirection, CORS allow-list and a tight rate limit switched on.</summary>
public sealed class HardenedApp() : FinSightApp(DatabaseProvider.Sqlite)
{
    public const string FrontEnd = "https://app.example.com";

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Https:Redirect"] = "true",
        ["Https:Port"] = "443",
        ["Cors:AllowedOrigins:0"] = FrontEnd,
        ["RateLimiting:BurstLimit"] = "5",
        ["RateLimiting:PermitsPerSecond"] = "1",
    };
}

internal static class SharedPaths
{
    public static string RepositoryRoot
    {
        get
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
    }
}
