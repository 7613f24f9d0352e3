using System.Security.Claims;
using FinSight.Web.Auth;
using FinSight.Web.Data;
using FinSight.Web.Features.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using FinSight.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics;

namespace FinSight.Web.Ui;

/// <summary>
/// The server-rendered web UI: Razor Pages signed in with a cookie, next to the JSON API signed in
/// with bearer tokens. One policy scheme picks per request: an API endpoint
/// (<see cref="ApiEndpointMetadata"/>) means JWT (so the API keeps answering 401 ProblemDetails,
/// never a redirect), a page (and its data handlers) the cookie only, and an unmatched URL JWT when
/// it carries a bearer header. The API never accepts the cookie, which keeps its routes out of reach
/// of cross-site requests; the pages never accept a token, so the API's per-user limits cannot be
/// sidestepped through them. Pages carry the same per-user rate limit as the API.
/// </summary>
public static class UiSetup
{
    public const string Scheme = "FinSight";
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;

    public static IServiceCollection AddFinSightUi(this IServiceCollection services, IConfiguration configuration, DataDirectory dataDirectory)
    {
        services.Configure<UiOptions>(configuration.GetSection(UiOptions.Section));
        // Cookies, antiforgery tokens and stored API keys stay readable across restarts, and across
        // instances: the key ring lives in the database (data_protection_keys). The keys are stored
        // unencrypted, as the file system store did: protect the database and its backups like the keys.
        services.AddDataProtection()
            .SetApplicationName("FinSight")
            .PersistKeysToDbContext<FinSightDbContext>();

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = Scheme;
                o.DefaultChallengeScheme = Scheme;
                o.DefaultForbidScheme = Scheme;
            })
            .AddPolicyScheme(Scheme, "Bearer token for the API, cookie for the web UI", o =>
                o.ForwardDefaultSelector = http => http.IsApiRequest() || (HasBearer(http.Request) && !IsPage(http)) ? JwtBearerDefaults.AuthenticationScheme : CookieScheme)
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = "finsight.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = AccountService.SessionLifetime;
                o.SlidingExpiration = true;
                o.LoginPath = "/account/signin";
                o.LogoutPath = "/account/signout";
                o.AccessDeniedPath = "/error/403";
                o.Events.OnValidatePrincipal = async context =>
                {
                    // Every request: the session still exists and the stamp is current, so sign-out,
                    // "sign out everywhere", a password change and deletion take effect at once.
                    var db = context.HttpContext.RequestServices.GetRequiredService<FinSightDbContext>();
                    var ct = context.HttpContext.RequestAborted;
                    if (!await context.HttpContext.RequestServices.GetRequiredService<Infrastructure.WarmState>().IsCurrentAsync(db, context.Principal!, requireSession: true, ct))
                    {
                        context.RejectPrincipal();
                        await context.HttpContext.SignOutAsync(CookieScheme);
                        return;
                    }
                    if (context.ShouldRenew && Guid.TryParse(context.Principal!.FindFirstValue(SessionClaims.Session), out var session))
                    {
                        var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
                        await db.UserSessions.Where(s => s.Id == session).ExecuteUpdateAsync(s => s.SetProperty(x => x.SeenAt, now), ct);
                    }
                };
                o.Events.OnRedirectToLogin = context =>
                {
                    // An htmx poll after the session ended: make the whole page go to sign-in,
                    // instead of swapping the sign-in form into a table cell.
                    if (context.Request.Headers.ContainsKey("HX-Request"))
                    {
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        context.Response.Headers["HX-Redirect"] = context.RedirectUri;
                        return Task.CompletedTask;
                    }
                    context.Response.Redirect(context.RedirectUri);
                    return Task.CompletedTask;
                };
            });

        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "finsight.antiforgery";
            // Secure whenever the request came over HTTPS (directly or, per the forwarded headers, via the proxy).
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.HeaderName = "X-CSRF-TOKEN";
        });
        services.AddRazorPages(o =>
        {
            // Named one by one rather than "everything but": the error page must carry no
            // authorization metadata, because a re-executed error request skips that middleware.
            o.Conventions.AuthorizePage("/Index");
            o.Conventions.AuthorizePage("/Account/Index");
            foreach (var folder in new[] { "/Transactions", "/Stock", "/News", "/Settings", "/Alerts", "/Income", "/Actions" })
            {
                o.Conventions.AuthorizeFolder(folder);
            }
        });
        return services;
    }

    /// <summary>Static files, HTML error pages for the UI's routes, and the pages themselves; <c>/</c> is the dashboard.</summary>
    public static WebApplication MapFinSightUi(this WebApplication app)
    {
        // Browsers get a page that helps; API endpoints (and clients that do not ask for HTML)
        // keep getting ProblemDetails from the outer handlers in Program.cs, because this inner
        // status-code feature is switched off for them.
        app.UseStatusCodePagesWithReExecute("/error/{0}");
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("FinSight.Ui");
        app.Use(async (http, next) =>
        {
            if (!IsPageRequest(http))
            {
                http.Features.Get<IStatusCodePagesFeature>()?.Enabled = false;
                await next(http);
                return;
            }
            try
            {
                await next(http);
            }
            catch (Domain.MissingExchangeRateException missing) when (!http.Response.HasStarted && !http.RequestAborted.IsCancellationRequested)
            {
                // An outage, as for the API (MissingExchangeRateExceptionHandler): the 503 page says which rate and when to come back.
                logger.LogWarning("{Path}: {Error}", http.Request.Path, missing.Message);
                http.Response.Clear();
                http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                http.Response.Headers.RetryAfter = "60";
                http.Items[Pages.ErrorModel.ReasonItemKey] = ("Exchange rates unavailable",
                    $"{missing.Message} No market data source could provide it, and none is stored, so figures in {missing.BaseCurrency} cannot be computed yet. Nothing was changed; try again in a minute.");
            }
            catch (Exception error) when (!http.Response.HasStarted && !http.RequestAborted.IsCancellationRequested)
            {
                // Left to the status-code page above, which renders the 500 page.
                logger.LogError(error, "Unhandled error on {Path}", http.Request.Path);
                http.Response.Clear();
                http.Response.StatusCode = StatusCodes.Status500InternalServerError;
            }
        });
        app.UseStaticFiles();
        // Endpoint metadata, like the API's groups: every page and page handler, no URL list.
        app.MapRazorPages().RequireRateLimiting(RateLimitingSetup.PerUserPolicy);
        return app;
    }

    /// <summary>The request was routed to a Razor page (or one of its handlers).</summary>
    private static bool IsPage(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.RazorPages.PageActionDescriptor>() is not null;

    private static bool HasBearer(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A browser's request for a page, or for a URL that matches nothing: it gets the HTML error
    /// pages. The endpoint's metadata decides for matched requests; for unmatched ones only the
    /// Accept header can say whether a person or a program is asking.
    /// </summary>
    private static bool IsPageRequest(HttpContext http) =>
        !http.IsApiRequest() && http.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Settings under <c>Ui</c>.</summary>
public sealed class UiOptions
{
    public const string Section = "Ui";

    /// <summary>Default seconds between live price refreshes on the dashboard (a user may choose their own).</summary>
    public int RefreshSeconds { get; set; } = 15;
}
