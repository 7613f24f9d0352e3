using System.Net;
using System.Text.RegularExpressions;

namespace FinSight.Web.Tests.Infrastructure;

/// <summary>Drives the UI pages over HTTP like a browser: a cookie session, antiforgery tokens, redirects seen rather than followed.</summary>
public static partial class PageSession
{
    /// <summary>Signs <paramref name="user"/> in through the sign-in form and returns the browser-like client.</summary>
    public static async Task<HttpClient> SignInAsync(FinSightApp app, UserClient user)
    {
        // A plain client against the app's loopback port, so redirects are seen rather than followed.
        var page = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = app.CreateClient().BaseAddress };
        var signedIn = await PostFormAsync(page, "/account/signin", new() { ["Account"] = user.Username, ["Password"] = user.Password });
        Assert.True(signedIn.StatusCode == HttpStatusCode.Redirect, $"{signedIn.StatusCode}: {await signedIn.Content.ReadAsStringAsync()}");
        return page;
    }

    /// <summary>Loads the form at <paramref name="url"/> for its antiforgery token, then posts <paramref name="fields"/> to it.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient page, string url, Dictionary<string, string> fields)
    {
        var form = await page.GetStringAsync(url.Split('?')[0]);
        fields["__RequestVerificationToken"] = TokenPattern().Match(form).Groups[1].Value;
        return await page.PostAsync(url, new FormUrlEncodedContent(fields));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
