namespace FinSight.Sentiment.Transformers.Hub;

/// <summary>Why a download from the Hub failed.</summary>
public enum HubErrorKind
{
    /// <summary>The Hub could not be reached (no network, DNS, refused, timed out).</summary>
    Unreachable,
    /// <summary>401: the repository does not exist, or is private or gated and needs a token.</summary>
    Unauthorized,
    /// <summary>403: the token has no access (e.g. a gated model whose terms were not accepted).</summary>
    Forbidden,
    /// <summary>The repository does not exist.</summary>
    RepositoryNotFound,
    /// <summary>The revision (commit, branch or tag) does not exist in the repository.</summary>
    RevisionNotFound,
    /// <summary>A file the model needs is not in the repository at that revision.</summary>
    FileNotFound,
    /// <summary>A downloaded file's size or hash differs from what the Hub or the catalog says.</summary>
    Corrupt,
    /// <summary>The server stopped sending data mid-file.</summary>
    Stalled,
    /// <summary>The Hub answered with an unexpected status (5xx, …).</summary>
    ServerError,
}

/// <summary>A download from the Hub failed; the message says why and what to do.</summary>
public sealed class HubException(HubErrorKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public HubErrorKind Kind { get; } = kind;
}
