using System.Net;
using System.Net.Http.Headers;

namespace FinSight.MarketData.Yahoo;

/// <summary>
/// quoteSummary needs a crumb tied to a session cookie: visit fc.yahoo.com for the cookie, then
/// ask /v1/test/getcrumb for the crumb. Both live for the process and are refreshed after a 401.
/// Cookies are handled by hand because pooled handlers (and their CookieContainers) are recycled.
/// </summary>
public sealed class YahooSession(YahooOptions options)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Credentials? _current;

    internal sealed record Credentials(string Cookie, string Crumb);

    internal async Task<Credentials> GetAsync(HttpClient http, Credentials? rejected, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Another caller may have refreshed while we waited; only refresh the credentials that failed.
            if (_current is not null && _current != rejected)
            {
                return _current;
            }
            return _current = await HandshakeAsync(http, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Credentials> HandshakeAsync(HttpClient http, CancellationToken cancellationToken)
    {
        // fc.yahoo.com answers 404 but sets the cookie; the status is irrelevant.
        using var cookieResponse = await http.GetAsync(options.CookieUrl, cancellationToken);
        var cookie = string.Join("; ",
            (cookieResponse.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
                .Select(v => v.Split(';', 2)[0].Trim())
                .Where(v => v.Contains('=')));
        if (cookie.Length == 0)
        {
            throw new MarketDataException(YahooFinanceProvider.ProviderName, "no session cookie from " + options.CookieUrl);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/test/getcrumb");
        request.Headers.Add("Cookie", cookie);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain"));
        using var crumbResponse = await http.SendAsync(request, cancellationToken);
        var crumb = (await crumbResponse.Content.ReadAsStringAsync(cancellationToken)).Trim();
        if (crumbResponse.StatusCode != HttpStatusCode.OK || crumb.Length is 0 or > 64 || crumb.Contains('<') || crumb.Contains('{'))
        {
            throw new MarketDataException(YahooFinanceProvider.ProviderName, $"crumb handshake failed (HTTP {(int)crumbResponse.StatusCode})");
        }
        return new Credentials(cookie, crumb);
    }
}
