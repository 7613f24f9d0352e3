using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace FinSight.Web.Infrastructure;

/// <summary>
/// Running behind a reverse proxy or load balancer: <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c> are believed only from <c>ForwardedHeaders:KnownProxies</c> (IP
/// addresses) and <c>ForwardedHeaders:KnownNetworks</c> (CIDR), loopback by default. HTTPS
/// redirection (<c>Https:Redirect</c>, on by default outside Development and Testing) sees the
/// forwarded scheme, so a request the proxy received over HTTPS is not redirected again; it
/// redirects only when it knows the HTTPS port (<c>Https:Port</c>, or a Kestrel HTTPS endpoint).
/// Health probes are never redirected.
/// </summary>
public static class ProxySetup
{
    public static IServiceCollection AddFinSightProxySupport(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.ForwardLimit = configuration.GetValue<int?>("ForwardedHeaders:ForwardLimit") ?? 1;
            var proxies = configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [];
            var networks = configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [];
            foreach (var proxy in proxies.Where(p => !string.IsNullOrWhiteSpace(p)))
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy.Trim()));
            }
            foreach (var network in networks.Where(n => !string.IsNullOrWhiteSpace(n)))
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network.Trim()));
            }
        });
        services.AddHttpsRedirection(o =>
        {
            o.RedirectStatusCode = StatusCodes.Status308PermanentRedirect;
            o.HttpsPort = configuration.GetValue<int?>("Https:Port");
        });
        return services;
    }

    public static WebApplication UseFinSightProxySupport(this WebApplication app)
    {
        app.UseForwardedHeaders();
        var redirect = app.Configuration.GetValue<bool?>("Https:Redirect")
                       ?? !(app.Environment.IsDevelopment() || app.Environment.IsEnvironment("Testing"));
        if (redirect)
        {
            app.UseWhen(http => !http.Request.Path.StartsWithSegments("/health"), branch => branch.UseHttpsRedirection());
        }
        return app;
    }
}
