using System.Security.Cryptography;
using System.Text;
using FinSight.Web.Infrastructure;
using Microsoft.IdentityModel.Tokens;

namespace FinSight.Web.Auth;

/// <summary>
/// Resolves the token signing key once at start-up. A weak or missing key in Production is a
/// start-up failure rather than a silent fallback, because tokens signed with a guessable key
/// let anyone act as any user.
/// </summary>
public static class SigningKey
{
    public const int MinimumBytes = 32;
    private const string DevelopmentKeyFile = "jwt-signing.key";

    public static SymmetricSecurityKey Resolve(AuthOptions options, IHostEnvironment environment, DataDirectory dataDirectory)
    {
        if (!string.IsNullOrEmpty(options.SigningKey))
        {
            var bytes = Encoding.UTF8.GetBytes(options.SigningKey);
            if (bytes.Length < MinimumBytes)
            {
                throw new InvalidOperationException(
                    $"Auth:SigningKey is {bytes.Length} bytes; at least {MinimumBytes} are required. Generate one with: openssl rand -base64 48");
            }
            return new SymmetricSecurityKey(bytes);
        }

        if (!environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"Auth:SigningKey is not set. Outside Development FinSight refuses to start without a signing key of at least {MinimumBytes} bytes: set the Auth__SigningKey environment variable (e.g. openssl rand -base64 48).");
        }

        var path = Path.Combine(dataDirectory.Path, DevelopmentKeyFile);
        if (!File.Exists(path))
        {
            // Written once so that tokens survive restarts during development.
            File.WriteAllText(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)));
        }
        return new SymmetricSecurityKey(Encoding.UTF8.GetBytes(File.ReadAllText(path).Trim()));
    }
}
