using System.Security.Cryptography;
using System.Text;
using FinSight.Web.Infrastructure;
using Microsoft.IdentityModel.Tokens;

namespace FinSight.Web.Auth;

/// <summary>
/// Resolves the token signing key once at start-up. A weak or missing key outside Development is a
/// start-up refusal (<see cref="StartupRefusedException"/>: a clear message and exit code 2) rather
/// than a silent fallback, because tokens signed with a guessable key let anyone act as any user.
/// </summary>
public static class SigningKey
{
    public const int MinimumBytes = 32;

    /// <summary>The least estimated entropy a configured key must have, in bits (character frequencies × length).</summary>
    public const double MinimumEntropyBits = 128;

    private const string DevelopmentKeyFile = "jwt-signing.key";
    private const string Generate = "Generate one with: openssl rand -base64 48";

    public static SymmetricSecurityKey Resolve(AuthOptions options, IHostEnvironment environment, DataDirectory dataDirectory)
    {
        if (!string.IsNullOrEmpty(options.SigningKey))
        {
            var bytes = Encoding.UTF8.GetBytes(options.SigningKey);
            if (bytes.Length < MinimumBytes)
            {
                throw new StartupRefusedException($"Auth:SigningKey is {bytes.Length} bytes; at least {MinimumBytes} are required. {Generate}");
            }
            if (WeaknessOf(options.SigningKey) is { } weakness)
            {
                throw new StartupRefusedException($"Auth:SigningKey is guessable: {weakness}. {Generate}");
            }
            return new SymmetricSecurityKey(bytes);
        }

        if (!environment.IsDevelopment())
        {
            throw new StartupRefusedException(
                $"Auth:SigningKey is not set. Outside Development FinSight refuses to start without a signing key of at least {MinimumBytes} bytes: set the Auth__SigningKey environment variable ({Generate}).");
        }

        var path = Path.Combine(dataDirectory.Path, DevelopmentKeyFile);
        if (!File.Exists(path))
        {
            // Written once so that tokens survive restarts during development; readable by its owner only.
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using var file = new FileStream(path, create);
            file.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(48))));
        }
        else if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & ~(UnixFileMode.UserRead | UnixFileMode.UserWrite)) != 0)
        {
            // A key file an older version left readable by others.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return new SymmetricSecurityKey(Encoding.UTF8.GetBytes(File.ReadAllText(path).Trim()));
    }

    /// <summary>Why a key of sufficient length is still guessable (a repeated pattern, or too few different characters), or null.</summary>
    public static string? WeaknessOf(string key)
    {
        for (var period = 1; period <= key.Length / 2; period++)
        {
            if (IsRepetition(key, period))
            {
                return $"it repeats a {period}-character pattern";
            }
        }
        var bits = key.GroupBy(c => c).Sum(g => -g.Count() * Math.Log2((double)g.Count() / key.Length));
        return bits < MinimumEntropyBits ? $"about {bits:0} bits of entropy, at least {MinimumEntropyBits:0} are required" : null;
    }

    private static bool IsRepetition(string key, int period)
    {
        for (var i = period; i < key.Length; i++)
        {
            if (key[i] != key[i - period])
            {
                return false;
            }
        }
        return true;
    }
}
