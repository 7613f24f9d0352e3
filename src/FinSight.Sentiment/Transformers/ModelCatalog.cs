using FinSight.Sentiment.Transformers.Hub;

namespace FinSight.Sentiment.Transformers;

/// <summary>A file the catalog knows in advance: its size and SHA-256 (null where not known).</summary>
public sealed record PinnedFile(string Path, long? Size, string? Sha256);

/// <summary>A model FinSight knows by name.</summary>
/// <param name="Name">The name used on the command line and in Sentiment:Engine.</param>
/// <param name="Source">The Hub repository, pinned to a commit.</param>
/// <param name="Description">One line for lists and the settings page.</param>
/// <param name="Licence">What the repository declares; downloaded at run time, never redistributed.</param>
/// <param name="Files">Sizes and hashes known in advance; the Hub's own SHA-256 is checked in any case.</param>
/// <param name="PinsVerified">Whether the commit and hashes were checked against the Hub when they were written down.</param>
public sealed record CatalogModel(string Name, HubRepository Source, string Description, string Licence, IReadOnlyList<PinnedFile> Files, bool PinsVerified);

/// <summary>
/// The models FinSight offers by name, best first (Sentiment:Engine = auto picks the first one
/// installed). <c>finbert-tone</c> is the product spec's model and the default.
/// </summary>
/// <remarks>
/// The pins were written on a machine without Hub access. The commit ids are the snapshot
/// folders third-party projects show in their Hugging Face caches (models--yiyanghkust--finbert-tone/
/// snapshots/4921590d…, models--ProsusAI--finbert/snapshots/4556d130…), not checked against the Hub,
/// and the files' SHA-256 were not available, so none is pinned: every download is verified against
/// the SHA-256 the Hub reports for its LFS files (X-Linked-Etag) and the Git blob id of small files,
/// and the hashes found are recorded in the installed model's manifest. If a pinned commit is not
/// found, pull the repository by hand, e.g.
/// <c>models pull yiyanghkust/finbert-tone@main --as finbert-tone</c>.
/// </remarks>
public static class ModelCatalog
{
    public const string DefaultModel = "finbert-tone";

    public static IReadOnlyList<CatalogModel> Models { get; } =
    [
        new(
            "finbert-tone",
            new HubRepository("yiyanghkust", "finbert-tone", "4921590d3c0c3832c0efea24c8381ce0bda7844b"),
            "FinBERT fine-tuned on 10,000 analyst-report sentences (Huang, Wang & Yang); neutral/positive/negative; the product spec's model",
            "none declared (download at run time, do not redistribute)",
            [],
            PinsVerified: false),
        new(
            "finbert",
            new HubRepository("ProsusAI", "finbert", "4556d13015211d73dccd3fdd39d39232506f3e43"),
            "ProsusAI FinBERT fine-tuned on Financial PhraseBank; positive/negative/neutral",
            "see the repository's model card (downloaded at run time, never redistributed)",
            [],
            PinsVerified: false),
    ];

    public static CatalogModel? Find(string name) =>
        Models.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Position in the "best first" order: catalog models by their order, any other model after them.</summary>
    public static int Rank(string name)
    {
        for (var i = 0; i < Models.Count; i++)
        {
            if (string.Equals(Models[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return Models.Count;
    }
}
