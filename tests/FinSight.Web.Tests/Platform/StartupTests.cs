using FinSight.Web.Auth;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FinSight.Web.Tests.Platform;

/// <summary>The signing-key rules decide whether the app may start at all.</summary>
public sealed class StartupTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("too-short-key")]
    public void Production_refuses_to_start_without_a_strong_signing_key(string? key)
    {
        using var dataDir = new TempFolder();
        using var factory = Configure("Production", dataDir.Path, key);

        var error = Assert.ThrowsAny<InvalidOperationException>(() => factory.CreateClient());

        Assert.Contains("SigningKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Development_generates_a_signing_key_once_and_keeps_it_in_the_data_folder()
    {
        using var dataDir = new TempFolder();
        string first;
        using (var factory = Configure("Development", dataDir.Path, null))
        {
            (await factory.CreateClient().GetAsync("/health")).EnsureSuccessStatusCode();
            first = await File.ReadAllTextAsync(Path.Combine(dataDir.Path, "jwt-signing.key"));
        }
        using (var again = Configure("Development", dataDir.Path, null))
        {
            (await again.CreateClient().GetAsync("/health")).EnsureSuccessStatusCode();
        }

        Assert.True(Convert.FromBase64String(first).Length >= SigningKey.MinimumBytes);
        Assert.Equal(first, await File.ReadAllTextAsync(Path.Combine(dataDir.Path, "jwt-signing.key")));
        Assert.True(File.Exists(Path.Combine(dataDir.Path, "finsight.db")), "the SQLite database is created in the data folder");
        // The key file is readable by its owner only.
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dataDir.Path, "jwt-signing.key")));
        }
    }

    private static WebApplicationFactory<Program> Configure(string environment, string dataDir, string? key) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment(environment);
            b.UseSetting("FinSight:DataDirectory", dataDir);
            b.UseSetting("Auth:SigningKey", key);
        });

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("finsight-startup-").FullName;

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
