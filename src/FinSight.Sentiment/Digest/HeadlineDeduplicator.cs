using System.Text;

namespace FinSight.Sentiment.Digest;

/// <summary>
/// Recognises the same story delivered by several providers: equal normalised titles (case, punctuation and a
/// trailing " - Publisher" ignored) or equal normalised links (scheme, "www.", tracking parameters and fragments ignored).
/// </summary>
public static class HeadlineDeduplicator
{
    private static readonly string[] TrackingPrefixes = ["utm_"];
    private static readonly HashSet<string> TrackingParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "fbclid", "gclid", "guccounter", "guce_referrer", "guce_referrer_sig", "ncid", "cmpid", "soc_src", "soc_trk", "mod", "ref", "src", "yptr",
    };

    /// <summary>Keeps the first item of each story, in input order; put the preferred provider first.</summary>
    public static IReadOnlyList<T> Deduplicate<T>(IEnumerable<T> items, Func<T, string> title, Func<T, string?> url)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(url);
        var titles = new HashSet<string>(StringComparer.Ordinal);
        var urls = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<T>();
        foreach (var item in items)
        {
            var key = NormalizeTitle(title(item) ?? string.Empty);
            var link = NormalizeUrl(url(item));
            var duplicate = (key.Length > 0 && titles.Contains(key)) || (link is not null && urls.Contains(link));
            if (key.Length > 0)
            {
                titles.Add(key);
            }

            if (link is not null)
            {
                urls.Add(link);
            }

            if (!duplicate)
            {
                result.Add(item);
            }
        }

        return result;
    }

    /// <summary>Lower-case letters and digits separated by single spaces, without a trailing publisher name.</summary>
    public static string NormalizeTitle(string title)
    {
        ArgumentNullException.ThrowIfNull(title);
        var text = StripPublisher(title.Trim());
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                if (pendingSpace && builder.Length > 0)
                {
                    builder.Append(' ');
                }

                builder.Append(char.ToLowerInvariant(c));
                pendingSpace = false;
            }
            else if (c != '\'' && c != '\u2019')
            {
                pendingSpace = true; // apostrophes join ("Apple's" == "Apples"), everything else separates
            }
        }

        return builder.ToString();
    }

    /// <summary>host/path?sorted-query of an http(s) link, or null when it is not one.</summary>
    public static string? NormalizeUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)
            || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return null;
        }

        var host = uri.IdnHost.ToLowerInvariant();
        if (host.StartsWith("www.", StringComparison.Ordinal))
        {
            host = host[4..];
        }

        var path = uri.AbsolutePath.TrimEnd('/');
        var query = uri.Query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !IsTracking(p.Split('=')[0]))
            .Order(StringComparer.Ordinal)
            .ToArray();
        return query.Length == 0 ? host + path : $"{host}{path}?{string.Join('&', query)}";
    }

    private static bool IsTracking(string name) =>
        TrackingParameters.Contains(name) || TrackingPrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase));

    private static string StripPublisher(string title)
    {
        // "Apple beats estimates - Reuters": a short tail after the last separator is the outlet, not the story.
        foreach (var separator in new[] { " - ", " | ", " – ", " — " })
        {
            var at = title.LastIndexOf(separator, StringComparison.Ordinal);
            if (at > 0)
            {
                var head = title[..at];
                var tail = title[(at + separator.Length)..];
                if (WordCount(tail) <= 4 && WordCount(head) >= 4)
                {
                    return head;
                }
            }
        }

        return title;
    }

    private static int WordCount(string s) => s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
}
