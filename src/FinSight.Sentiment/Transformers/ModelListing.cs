using System.Globalization;

namespace FinSight.Sentiment.Transformers;

/// <summary>One line of the model list shown by <c>models list</c> and the settings page.</summary>
/// <param name="Name">The engine name (what Sentiment:Engine takes).</param>
/// <param name="Source">"owner/repo" on the Hub, or "built in (linear model)" for the embedded engine.</param>
/// <param name="Revision">The installed commit (12 characters), else the catalog's pinned revision; null for the embedded engine.</param>
/// <param name="SizeBytes">Bytes on disk when installed; null otherwise.</param>
/// <param name="Status">Whether it can be used now.</param>
/// <param name="Description">The catalog's one-line description, when the model is in the catalog.</param>
/// <param name="InCatalog">True for catalog models (they can be installed by name).</param>
public sealed record ModelListEntry(string Name, string Source, string? Revision, long? SizeBytes, ModelStatus Status, string? Description, bool InCatalog)
{
    /// <summary>The status as the list prints it ("ready", "partial (pull again to resume)", …).</summary>
    public string StatusText => ModelListing.Describe(Status);
}

/// <summary>The models there are: the embedded engine, the installed models (best first), then the catalog models not installed.</summary>
public static class ModelListing
{
    public const string EmbeddedSource = "built in (linear model)";

    /// <summary>Every engine the store can offer, in the order of <c>models list</c>.</summary>
    public static IReadOnlyList<ModelListEntry> Of(ModelStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var rows = new List<ModelListEntry> { new(SentimentEngines.Embedded, EmbeddedSource, null, null, ModelStatus.Ready, null, false) };
        var installed = store.List();
        foreach (var model in installed)
        {
            var m = model.Manifest;
            var catalog = ModelCatalog.Find(m.Name);
            rows.Add(new(m.Name, m.Repository, Short(m.Commit ?? m.Revision), model.SizeOnDisk, store.GetStatus(m.Name), catalog?.Description, catalog is not null));
        }

        foreach (var entry in ModelCatalog.Models.Where(c => installed.All(i => i.Manifest.Name != c.Name)))
        {
            rows.Add(new(entry.Name, entry.Source.Id, Short(entry.Source.Revision), null, store.GetStatus(entry.Name), entry.Description, true));
        }

        return rows;
    }

    public static string Describe(ModelStatus status) => status switch
    {
        ModelStatus.NotInstalled => "not installed",
        ModelStatus.Downloading => "downloading",
        ModelStatus.Partial => "partial (pull again to resume)",
        ModelStatus.Ready => "ready",
        _ => "broken (pull again)",
    };

    /// <summary>A commit as its first 12 characters; branches and tags unchanged.</summary>
    public static string Short(string revision) => revision.Length == 40 ? revision[..12] : revision;

    /// <summary>Bytes in binary units with one decimal ("420.1 MB").</summary>
    public static string FormatBytes(double bytes) =>
        bytes >= 1 << 30 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1 << 30):0.0} GB")
        : bytes >= 1 << 20 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1 << 20):0.0} MB")
        : bytes >= 1 << 10 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1 << 10):0.0} KB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes:0} B");
}
