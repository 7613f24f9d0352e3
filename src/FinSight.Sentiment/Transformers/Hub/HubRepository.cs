using System.Text.RegularExpressions;

namespace FinSight.Sentiment.Transformers.Hub;

/// <summary>
/// A Hugging Face Hub model repository at a revision: <c>owner/name@revision</c>. The revision is a
/// commit id (40 hex digits; what the catalog pins) or a branch or tag name, which the Hub resolves
/// to a commit when the first file is fetched.
/// </summary>
public sealed partial record HubRepository
{
    public HubRepository(string owner, string name, string revision)
    {
        if (!NamePattern().IsMatch(owner) || !NamePattern().IsMatch(name))
        {
            throw new ArgumentException($"\"{owner}/{name}\" is not a Hub repository name (letters, digits, '-', '_', '.'; at most 96 characters each).");
        }

        if (!RevisionPattern().IsMatch(revision) || revision.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException($"\"{revision}\" is not a revision (a commit id, branch or tag).");
        }

        Owner = owner;
        Name = name;
        Revision = revision;
    }

    public string Owner { get; }
    public string Name { get; }
    public string Revision { get; }

    /// <summary>"owner/name".</summary>
    public string Id => $"{Owner}/{Name}";

    /// <summary>True when the revision is a full commit id rather than a branch or tag that can move.</summary>
    public bool IsPinned => CommitPattern().IsMatch(Revision);

    /// <summary>The same repository at another revision (e.g. the commit a branch resolved to).</summary>
    public HubRepository At(string revision) => new(Owner, Name, revision);

    /// <summary>Parses <c>owner/name@revision</c>; the revision is required.</summary>
    public static bool TryParse(string? text, out HubRepository? repository)
    {
        repository = null;
        if (text is null)
        {
            return false;
        }

        var at = text.IndexOf('@', StringComparison.Ordinal);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || at <= slash + 1 || at == text.Length - 1)
        {
            return false;
        }

        try
        {
            repository = new HubRepository(text[..slash], text[(slash + 1)..at], text[(at + 1)..]);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public override string ToString() => $"{Id}@{Revision}";

    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9_])?$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$")]
    private static partial Regex RevisionPattern();

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex CommitPattern();
}
