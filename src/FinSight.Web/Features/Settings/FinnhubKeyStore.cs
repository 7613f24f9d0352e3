using System.Security.Cryptography;
using FinSight.MarketData;
using FinSight.MarketData.Finnhub;
using FinSight.Web.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FinSight.Web.Features.Settings;

/// <summary>Where the Finnhub key in use comes from, and its last four characters for recognition.</summary>
public sealed record FinnhubKeyStatus(FinnhubKeySource Source, string? Hint)
{
    public bool IsConfigured => Source != FinnhubKeySource.None;
    public string Masked => "••••" + Hint;
}

public enum FinnhubKeySource
{
    None,
    /// <summary><c>MarketData:Finnhub:ApiKey</c> (environment or configuration); wins over the stored key.</summary>
    Configuration,
    /// <summary>Set by the instance admin on the Settings page, stored protected in <c>app_settings</c>.</summary>
    Stored,
}

/// <summary>
/// The instance's Finnhub key: the configured one when set, else the one the admin stored. The
/// stored key is protected with Data Protection, so a copy of the database alone does not reveal
/// it. It is read at most once a minute (other instances pick up a change within that); a change
/// made here takes effect at once. The key itself is never logged nor returned to a page.
/// </summary>
public sealed class FinnhubKeyStore(
    IServiceScopeFactory scopes, IDataProtectionProvider protection, IOptionsMonitor<MarketDataOptions> options,
    TimeProvider clock, ILogger<FinnhubKeyStore> logger) : IFinnhubKeySource
{
    public const string Purpose = "FinSight.AppSettings.FinnhubApiKey";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    private readonly IDataProtector _protector = protection.CreateProtector(Purpose);
    private (string? Key, DateTimeOffset Until) _cached;

    public async ValueTask<string?> GetApiKeyAsync(CancellationToken cancellationToken)
    {
        var configured = options.CurrentValue.Finnhub.ApiKey;
        return string.IsNullOrWhiteSpace(configured) ? await StoredAsync(cancellationToken) : configured;
    }

    public async Task<FinnhubKeyStatus> StatusAsync(CancellationToken ct)
    {
        var configured = options.CurrentValue.Finnhub.ApiKey;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new(FinnhubKeySource.Configuration, Hint(configured));
        }
        var stored = await StoredAsync(ct);
        return stored is null ? new(FinnhubKeySource.None, null) : new(FinnhubKeySource.Stored, Hint(stored));
    }

    /// <summary>Stores (or, with null, removes) the key. The caller checks that the user is the admin.</summary>
    public async Task SetAsync(string? key, CancellationToken ct)
    {
        key = string.IsNullOrWhiteSpace(key) ? null : key.Trim();
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<FinSightDbContext>();
            var row = await db.AppSettings.SingleOrDefaultAsync(s => s.Key == AppSetting.FinnhubApiKey, ct);
            if (key is null)
            {
                if (row is not null)
                {
                    db.AppSettings.Remove(row);
                }
            }
            else if (row is null)
            {
                db.AppSettings.Add(new AppSetting { Key = AppSetting.FinnhubApiKey, Value = _protector.Protect(key), UpdatedAt = clock.StoredUtcNow() });
            }
            else
            {
                row.Value = _protector.Protect(key);
                row.UpdatedAt = clock.StoredUtcNow();
            }
            await db.SaveChangesAsync(ct);
        }
        _cached = (key, clock.GetUtcNow() + Lifetime);
        logger.LogInformation(key is null ? "The stored Finnhub API key was removed." : "A Finnhub API key was stored.");
    }

    private async Task<string?> StoredAsync(CancellationToken ct)
    {
        var cached = _cached;
        if (cached.Until > clock.GetUtcNow())
        {
            return cached.Key;
        }
        string? key = null;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<FinSightDbContext>();
            var value = await db.AppSettings.AsNoTracking().Where(s => s.Key == AppSetting.FinnhubApiKey).Select(s => s.Value).SingleOrDefaultAsync(ct);
            if (value is not null)
            {
                try
                {
                    key = _protector.Unprotect(value);
                }
                catch (CryptographicException)
                {
                    // The data-protection keys changed (a new data folder or key ring): the admin must enter it again.
                    logger.LogWarning("The stored Finnhub API key cannot be decrypted with this instance's data-protection keys; set it again on the Settings page.");
                }
            }
        }
        _cached = (key, clock.GetUtcNow() + Lifetime);
        return key;
    }

    // A short key would be half revealed by its last four characters.
    private static string? Hint(string key) => key.Length >= 12 ? key[^4..] : null;
}
