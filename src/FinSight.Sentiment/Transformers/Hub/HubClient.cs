using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace FinSight.Sentiment.Transformers.Hub;

/// <summary>What the Hub says about one file at a revision, before it is downloaded.</summary>
/// <param name="Path">Path in the repository, e.g. "pytorch_model.bin".</param>
/// <param name="Size">Size in bytes, when the Hub gives it.</param>
/// <param name="Sha256">SHA-256 (lower-case hex) of a Git LFS file: the Hub's <c>X-Linked-Etag</c>.</param>
/// <param name="GitBlobSha1">Git blob id of a small (non-LFS) file: the Hub's <c>ETag</c>.</param>
/// <param name="Commit">The commit the revision resolved to (<c>X-Repo-Commit</c>).</param>
/// <param name="DownloadUri">Where the bytes are: the resolve URL, or the CDN URL an LFS file redirects to.</param>
public sealed record HubFileInfo(string Path, long? Size, string? Sha256, string? GitBlobSha1, string? Commit, Uri DownloadUri);

/// <summary>Limits of <see cref="HubClient"/>.</summary>
public sealed record HubClientOptions
{
    /// <summary>A download fails (resumably) when no byte arrives for this long.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a metadata request (HEAD) may take.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Fetches files from a Hugging Face Hub (or anything speaking its URL scheme,
/// <c>{hub}/{owner}/{repo}/resolve/{revision}/{path}</c>). Metadata comes from a HEAD request with
/// redirects not followed, because the Hub puts an LFS file's SHA-256 and size on the redirect
/// itself (<c>X-Linked-Etag</c>, <c>X-Linked-Size</c>). Downloads resume from a partial file with an
/// HTTP Range request, are verified (size, then SHA-256 for LFS files or the Git blob id for small
/// files) and only then moved into place. The token, if any, is sent to the Hub only, never to the
/// CDN a download redirects to.
/// </summary>
public sealed class HubClient
{
    private const int BufferSize = 1 << 16;
    private readonly HttpClient _http;
    private readonly Uri _baseUrl;
    private readonly string? _token;
    private readonly HubClientOptions _options;

    /// <param name="http">A client that does not follow redirects (see <see cref="CreateHttpClient"/>); this class follows them itself.</param>
    /// <param name="baseUrl">The Hub, e.g. https://huggingface.co (Sentiment:HubUrl).</param>
    /// <param name="token">An access token for private or gated repositories (Sentiment:HubToken), or null.</param>
    /// <param name="options">Timeouts; defaults when null.</param>
    public HubClient(HttpClient http, Uri baseUrl, string? token = null, HubClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(baseUrl);
        if (!baseUrl.IsAbsoluteUri || baseUrl.Scheme is not ("https" or "http"))
        {
            throw new ArgumentException($"Sentiment:HubUrl must be an absolute http(s) URL, not \"{baseUrl}\".", nameof(baseUrl));
        }

        _http = http;
        _baseUrl = new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/");
        _token = string.IsNullOrWhiteSpace(token) ? null : token.Trim();
        _options = options ?? new HubClientOptions();
    }

    public Uri BaseUrl => _baseUrl;

    /// <summary>An HttpClient suited to this class: no automatic redirects, no overall timeout (downloads are long; stalls are caught per read).</summary>
    public static HttpClient CreateHttpClient() => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = TimeSpan.FromSeconds(20),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
        DefaultRequestHeaders = { UserAgent = { new ProductInfoHeaderValue("FinSight", "1.0") } },
    };

    /// <summary>The file's metadata at the repository's revision, or null when the repository has no such file.</summary>
    /// <exception cref="HubException">The Hub is unreachable, refuses access, or the repository or revision does not exist.</exception>
    public async Task<HubFileInfo?> GetFileInfoAsync(HubRepository repository, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var uri = ResolveUri(repository, path);
        for (var redirects = 0; redirects < 5; redirects++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            using var request = new HttpRequestMessage(HttpMethod.Head, uri);
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity")); // so Content-Length is the file's size
            Authorize(request);
            using var response = await SendAsync(request, repository, timeout.Token, cancellationToken).ConfigureAwait(false);
            var commit = Header(response, "X-Repo-Commit");
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400)
            {
                var location = response.Headers.Location ?? throw new HubException(HubErrorKind.ServerError, $"The Hub redirected {path} without a Location.");
                location = location.IsAbsoluteUri ? location : new Uri(uri, location);
                if (Header(response, "X-Linked-Etag") is { } linkedEtag)
                {
                    // A Git LFS file: its SHA-256 and size are on this redirect; the bytes are on the CDN.
                    return new HubFileInfo(path, LongHeader(response, "X-Linked-Size"), Sha256FromEtag(linkedEtag), null, commit, location);
                }

                uri = location; // a renamed repository: follow, as huggingface_hub does
                continue;
            }

            if (response.IsSuccessStatusCode)
            {
                var etag = Header(response, "X-Linked-Etag") ?? response.Headers.ETag?.Tag;
                var sha256 = Sha256FromEtag(etag);
                var sha1 = sha256 is null ? GitSha1FromEtag(etag) : null;
                return new HubFileInfo(path, LongHeader(response, "X-Linked-Size") ?? response.Content.Headers.ContentLength, sha256, sha1, commit, uri);
            }

            if (status == 404 && Header(response, "X-Error-Code") is null or "EntryNotFound")
            {
                return null;
            }

            throw Failure(response, repository, path);
        }

        throw new HubException(HubErrorKind.ServerError, $"Too many redirects fetching {path} from {repository}.");
    }

    /// <summary>
    /// Downloads <paramref name="file"/> to <paramref name="destination"/>, continuing
    /// <paramref name="partialPath"/> if an earlier attempt left one, verifying the result against
    /// the Hub's size and hash (and <paramref name="expectedSha256"/> when the caller pins one) before
    /// moving it into place. A corrupt download is deleted; a cut or stalled one is kept for resuming.
    /// </summary>
    /// <returns>The SHA-256 of the file (lower-case hex).</returns>
    /// <exception cref="HubException">The download failed; the message says why.</exception>
    public async Task<string> DownloadAsync(HubFileInfo file, string partialPath, string destination, string? expectedSha256, IProgress<long>? bytesReceived, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(partialPath))!);
        var existing = File.Exists(partialPath) ? new FileInfo(partialPath).Length : 0;
        if (file.Size is { } size && existing > size)
        {
            File.Delete(partialPath);
            existing = 0;
        }

        if (file.Size is not { } known || existing < known)
        {
            existing = await FetchAsync(file, partialPath, existing, bytesReceived, cancellationToken).ConfigureAwait(false);
        }

        var sha256 = await VerifyAsync(file, partialPath, expectedSha256, cancellationToken).ConfigureAwait(false);
        File.Move(partialPath, destination, overwrite: true);
        return sha256;
    }

    private async Task<long> FetchAsync(HubFileInfo file, string partialPath, long existing, IProgress<long>? bytesReceived, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, file.DownloadUri);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity"));
        if (existing > 0)
        {
            request.Headers.Range = new RangeHeaderValue(existing, null);
        }

        if (file.DownloadUri.Host == _baseUrl.Host && file.DownloadUri.Port == _baseUrl.Port)
        {
            Authorize(request);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        using var response = await SendAsync(request, null, timeout.Token, cancellationToken, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        FileMode mode;
        switch (response.StatusCode)
        {
            case HttpStatusCode.PartialContent when response.Content.Headers.ContentRange?.From == existing:
                mode = FileMode.Append;
                break;
            case HttpStatusCode.OK:
                mode = FileMode.Create; // the server ignored the range: start over
                existing = 0;
                break;
            case HttpStatusCode.RequestedRangeNotSatisfiable when existing > 0:
                return existing; // already complete; verification decides
            default:
                throw response.IsSuccessStatusCode
                    ? new HubException(HubErrorKind.ServerError, $"The server answered {file.Path}'s range request with {(int)response.StatusCode}.")
                    : Failure(response, null, file.Path);
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        await using (var output = new FileStream(partialPath, mode, FileAccess.Write, FileShare.None, BufferSize, useAsync: true))
        {
            var buffer = new byte[BufferSize];
            while (true)
            {
                int read;
                using (var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    stall.CancelAfter(_options.StallTimeout);
                    try
                    {
                        read = await stream.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        throw new HubException(HubErrorKind.Stalled,
                            $"The server sent nothing for {_options.StallTimeout.TotalSeconds:0} s while downloading {file.Path} ({existing:N0} bytes kept); run the pull again to resume.");
                    }
                    catch (Exception error) when (error is IOException or HttpRequestException)
                    {
                        throw new HubException(HubErrorKind.Unreachable,
                            $"The connection broke while downloading {file.Path} ({existing:N0} bytes kept): {error.Message}. Run the pull again to resume.", error);
                    }
                }

                if (read == 0)
                {
                    break;
                }

                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                existing += read;
                bytesReceived?.Report(read);
            }
        }

        return existing;
    }

    private static async Task<string> VerifyAsync(HubFileInfo file, string partialPath, string? expectedSha256, CancellationToken cancellationToken)
    {
        var length = new FileInfo(partialPath).Length;
        if (file.Size is { } size && length != size)
        {
            // Shorter: the connection ended early (keep it to resume). Longer cannot be resumed.
            if (length > size)
            {
                File.Delete(partialPath);
            }

            throw new HubException(length < size ? HubErrorKind.Unreachable : HubErrorKind.Corrupt,
                $"{file.Path}: got {length:N0} of {size:N0} bytes; run the pull again{(length < size ? " to resume" : "")}.");
        }

        string sha256;
        string? sha1 = null;
        await using (var stream = new FileStream(partialPath, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true))
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var blob = file.GitBlobSha1 is null ? null : IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
            blob?.AppendData(Encoding.ASCII.GetBytes($"blob {length.ToString(CultureInfo.InvariantCulture)}\0"));
            var buffer = new byte[1 << 20];
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                sha.AppendData(buffer, 0, read);
                blob?.AppendData(buffer, 0, read);
            }

            sha256 = Convert.ToHexStringLower(sha.GetHashAndReset());
            if (blob is not null)
            {
                sha1 = Convert.ToHexStringLower(blob.GetHashAndReset());
            }
        }

        string? problem = null;
        if (file.Sha256 is { } hub && hub != sha256)
        {
            problem = $"its SHA-256 is {sha256} but the Hub says {hub}";
        }
        else if (expectedSha256 is { } pinned && !string.Equals(pinned, sha256, StringComparison.OrdinalIgnoreCase))
        {
            problem = $"its SHA-256 is {sha256} but the catalog pins {pinned}";
        }
        else if (file.GitBlobSha1 is { } id && id != sha1)
        {
            problem = $"its Git blob id is {sha1} but the Hub says {id}";
        }

        if (problem is not null)
        {
            File.Delete(partialPath); // never resume from bytes known to be wrong
            throw new HubException(HubErrorKind.Corrupt, $"{file.Path} was refused: {problem}. The file was deleted; run the pull again.");
        }

        return sha256;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HubRepository? repository, CancellationToken token, CancellationToken callerToken,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        try
        {
            return await _http.SendAsync(request, completion, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!callerToken.IsCancellationRequested)
        {
            throw new HubException(HubErrorKind.Unreachable, $"{Host(request)} did not answer within {_options.RequestTimeout.TotalSeconds:0} s{For(repository)}. Check the network or Sentiment:HubUrl.");
        }
        catch (HttpRequestException error)
        {
            throw new HubException(HubErrorKind.Unreachable,
                $"Cannot reach {Host(request)}{For(repository)}: {error.Message}. Check the network or Sentiment:HubUrl; the embedded engine keeps working meanwhile.", error);
        }
    }

    private static string Host(HttpRequestMessage request) => request.RequestUri!.GetLeftPart(UriPartial.Authority);

    private static string For(HubRepository? repository) => repository is null ? "" : $" (fetching {repository})";

    private HubException Failure(HttpResponseMessage response, HubRepository? repository, string path)
    {
        var code = Header(response, "X-Error-Code");
        var detail = Header(response, "X-Error-Message");
        var what = repository?.ToString() ?? path;
        var suffix = detail is null ? "" : $" (the Hub says: {detail})";
        return (int)response.StatusCode switch
        {
            401 => new HubException(HubErrorKind.Unauthorized, _token is null
                ? $"The Hub answered 401 for {what}: the repository does not exist, or it is private or gated and needs a token (set Sentiment__HubToken){suffix}."
                : $"The Hub answered 401 for {what}: the repository does not exist or the token (Sentiment__HubToken) is invalid{suffix}."),
            403 => new HubException(HubErrorKind.Forbidden, $"The Hub answered 403 for {what}: the token has no access (a gated model needs its terms accepted on the Hub){suffix}."),
            404 when code == "RevisionNotFound" => new HubException(HubErrorKind.RevisionNotFound, $"Revision \"{repository?.Revision}\" does not exist in {repository?.Id}{suffix}."),
            404 when code == "RepositoryNotFound" => new HubException(HubErrorKind.RepositoryNotFound, $"Repository {repository?.Id} does not exist{suffix}."),
            404 => new HubException(HubErrorKind.FileNotFound, $"{path} was not found ({what}){suffix}."),
            var status => new HubException(HubErrorKind.ServerError, $"The Hub answered {status} for {path} ({what}){suffix}; try again later."),
        };
    }

    private Uri ResolveUri(HubRepository repository, string path)
    {
        var segments = path.Split('/');
        if (segments.Any(s => s is "" or "." or ".."))
        {
            throw new ArgumentException($"\"{path}\" is not a repository file path.", nameof(path));
        }

        var encodedPath = string.Join('/', segments.Select(Uri.EscapeDataString));
        // A branch such as "refs/pr/1" is one path segment: its slashes are encoded.
        return new Uri(_baseUrl, $"{Uri.EscapeDataString(repository.Owner)}/{Uri.EscapeDataString(repository.Name)}/resolve/{Uri.EscapeDataString(repository.Revision)}/{encodedPath}");
    }

    private void Authorize(HttpRequestMessage request)
    {
        if (_token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault()
        : response.Content.Headers.TryGetValues(name, out var contentValues) ? contentValues.FirstOrDefault()
        : null;

    private static long? LongHeader(HttpResponseMessage response, string name) =>
        long.TryParse(Header(response, name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static string? Sha256FromEtag(string? etag) => Hex(etag, 64);

    private static string? GitSha1FromEtag(string? etag) => Hex(etag, 40);

    private static string? Hex(string? etag, int length)
    {
        if (etag is null)
        {
            return null;
        }

        var value = etag.StartsWith("W/", StringComparison.Ordinal) ? etag[2..] : etag;
        value = value.Trim('"').ToLowerInvariant();
        return value.Length == length && value.All(Uri.IsHexDigit) ? value : null;
    }
}
