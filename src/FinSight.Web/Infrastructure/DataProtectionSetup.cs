using System.Xml.Linq;
using FinSight.Web.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FinSight.Web.Infrastructure;

/// <summary>
/// Data Protection keys (which sign and encrypt session cookies and antiforgery tokens) live in
/// the database table <c>data_protection_keys</c>, on SQLite and PostgreSQL alike, so every
/// instance sharing the database reads the same key ring and a user may move between instances.
/// (Microsoft.AspNetCore.DataProtection.EntityFrameworkCore is not on the package mirror; this
/// is the same idea in a few lines.) The keys themselves are stored unencrypted, like the file
/// system store did: protect the database (and its backups) as you would the keys.
/// </summary>
public static class DataProtectionSetup
{
    public static IDataProtectionBuilder PersistKeysToFinSightDatabase(this IDataProtectionBuilder builder)
    {
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new DatabaseXmlRepository(sp.GetRequiredService<IServiceScopeFactory>())));
        return builder;
    }
}

internal sealed class DatabaseXmlRepository(IServiceScopeFactory scopes) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<FinSightDbContext>();
        return db.Set<DataProtectionKey>().AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).ToList()
            .Select(xml => XElement.Parse(xml)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<FinSightDbContext>();
        db.Set<DataProtectionKey>().Add(new DataProtectionKey { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }
}
