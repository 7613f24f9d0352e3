using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using FinSight.Web.Data;
using FinSight.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace FinSight.Web.Tests.Accounts;

/// <summary>
/// Revocable sessions: a password change, "sign out everywhere" and account deletion cut off every
/// existing token and cookie at once; signing out ends the cookie on the server; two-factor sign-in.
/// </summary>
public abstract class SessionTests(FinSightApp app)
{
    [Fact]
    public async Task Sign_out_everywhere_revokes_every_token_and_cookie_at_once()
    {
        var user = await app.CreateUserAsync();
        var second = await LoginAsync(user.Username, user.Password);
        var browser = await PageSession.SignInAsync(app, user);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/settings")).StatusCode);

        var response = await user.Http.PostAsync("/users/me/sign-out-everywhere", null);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await (await user.Http.GetAsync("/users/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Me(second)).StatusCode);
        var page = await browser.GetAsync("/settings");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/account/signin", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        // Signing in again works.
        Assert.Equal(HttpStatusCode.OK, (await Me(await LoginAsync(user.Username, user.Password))).StatusCode);
    }

    [Fact]
    public async Task Signing_out_ends_the_cookie_on_the_server_so_a_copy_stops_working()
    {
        var user = await app.CreateUserAsync();
        var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true };
        var browser = new HttpClient(handler) { BaseAddress = app.CreateClient().BaseAddress };
        Assert.Equal(HttpStatusCode.Redirect, (await PageSession.PostFormAsync(browser, "/account/signin", new() { ["Account"] = user.Username, ["Password"] = user.Password })).StatusCode);
        var copy = CookieCopy(handler, browser.BaseAddress!);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/settings")).StatusCode);

        // The layout's sign-out form, with its antiforgery token.
        var form = await browser.GetStringAsync("/settings");
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var signedOut = await browser.PostAsync("/account/signout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);

        var replay = await copy.GetAsync("/settings");
        Assert.Equal(HttpStatusCode.Redirect, replay.StatusCode);
        Assert.StartsWith("/account/signin", replay.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        // Other sessions of the same user are untouched.
        Assert.Equal(HttpStatusCode.OK, (await user.Http.GetAsync("/users/me")).StatusCode);
    }

    [Fact]
    public async Task Changing_the_password_revokes_old_tokens_and_cookies_and_returns_a_working_token()
    {
        var user = await app.CreateUserAsync();
        var browser = await PageSession.SignInAsync(app, user);

        var wrong = await user.Http.PostAsJsonAsync("/users/me/password", new { current_password = "not the password", new_password = "brand new horse staple" });
        var wrongProblem = await wrong.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(wrongProblem.GetProperty("errors").TryGetProperty("current_password", out _));
        var weak = await user.Http.PostAsJsonAsync("/users/me/password", new { current_password = user.Password, new_password = "password123" });
        var weakProblem = await weak.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(weakProblem.GetProperty("errors").TryGetProperty("new_password", out _));
        Assert.Equal(HttpStatusCode.OK, (await user.Http.GetAsync("/users/me")).StatusCode);

        var changed = await user.Http.PostAsJsonAsync("/users/me/password", new { current_password = user.Password, new_password = "brand new horse staple" });

        var token = (await changed.AssertJsonAsync(HttpStatusCode.OK)).GetProperty("access_token").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await Me(token)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await user.Http.GetAsync("/users/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/settings")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().PostAsJsonAsync("/api/auth/login", new { username = user.Username, password = user.Password })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().PostAsJsonAsync("/api/auth/login", new { username = user.Username, password = "brand new horse staple" })).StatusCode);
    }

    [Fact]
    public async Task Deleting_the_account_deletes_its_data_and_its_tokens_get_401_not_500()
    {
        var user = await app.CreateUserAsync();
        var other = await app.CreateUserAsync();
        (await user.Http.PostAsJsonAsync("/api/transactions", new { type = "buy", symbol = "AAPL", quantity = 10, price = 150, date = "2025-01-02" })).EnsureSuccessStatusCode();
        (await other.Http.PostAsJsonAsync("/api/transactions", new { type = "buy", symbol = "MSFT", quantity = 1, price = 300, date = "2025-01-02" })).EnsureSuccessStatusCode();
        var id = Guid.Parse((await (await user.Http.GetAsync("/users/me")).AssertJsonAsync(HttpStatusCode.OK)).GetProperty("id").GetString()!);
        var browser = await PageSession.SignInAsync(app, user);

        var refused = await Delete(user.Http, new { password = "not the password" });
        await refused.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.OK, (await user.Http.GetAsync("/users/me")).StatusCode);

        var deleted = await Delete(user.Http, new { password = user.Password });

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        foreach (var path in new[] { "/users/me", "/api/portfolios", "/api/transactions", "/api/dashboard/overview" })
        {
            var response = await user.Http.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{path}: {(int)response.StatusCode}");
        }
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).StatusCode);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<FinSightDbContext>();
            Assert.False(await db.Users.AnyAsync(u => u.Id == id));
            Assert.Equal(0, await db.Transactions.CountAsync(t => t.UserId == id));
            Assert.Equal(0, await db.Portfolios.CountAsync(p => p.UserId == id));
            Assert.Equal(0, await db.UserSessions.CountAsync(s => s.UserId == id));
        }
        // The other user keeps everything.
        Assert.Single((await (await other.Http.GetAsync("/api/transactions")).AssertJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().PostAsJsonAsync("/api/auth/login", new { username = user.Username, password = user.Password })).StatusCode);
    }

    [Fact]
    public async Task Two_factor_sign_in_with_totp_and_single_use_recovery_codes()
    {
        var user = await app.CreateUserAsync();
        var setup = await (await user.Http.PostAsync("/users/me/two-factor", null)).AssertJsonAsync(HttpStatusCode.OK);
        var secret = setup.GetProperty("secret").GetString()!;
        Assert.StartsWith($"otpauth://totp/FinSight%3A{user.Username}?secret={secret}", setup.GetProperty("otpauth_uri").GetString(), StringComparison.Ordinal);
        var totp = new Totp(Base32Encoding.ToBytes(secret));
        // Until confirmed, sign-in does not ask for a code.
        Assert.Equal(HttpStatusCode.OK, (await Login(null)).StatusCode);

        var badConfirm = await user.Http.PostAsJsonAsync("/users/me/two-factor/confirm", new { code = Wrong(totp) });
        await badConfirm.AssertProblemAsync(HttpStatusCode.BadRequest);
        var confirmed = await user.Http.PostAsJsonAsync("/users/me/two-factor/confirm", new { code = Now(totp, 0) });
        var codes = (await confirmed.AssertJsonAsync(HttpStatusCode.OK)).GetProperty("recovery_codes").EnumerateArray().Select(c => c.GetString()!).ToList();
        Assert.Equal(10, codes.Distinct().Count());
        Assert.True((await (await user.Http.GetAsync("/users/me")).AssertJsonAsync(HttpStatusCode.OK)).GetProperty("two_factor_enabled").GetBoolean());

        // The password alone is no longer enough; the answer says a code is needed.
        var needsCode = await (await Login(null)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.True(needsCode.GetProperty("two_factor_required").GetBoolean());
        await (await Login(Wrong(totp))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        // The code used to confirm cannot be replayed; the next one works, once.
        await (await Login(Now(totp, 0))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await Login(Now(totp, 30))).StatusCode);
        await (await Login(Now(totp, 30))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        // A recovery code works once, in any letter case and without its dash.
        Assert.Equal(HttpStatusCode.OK, (await Login(codes[0].ToLowerInvariant().Replace("-", ""))).StatusCode);
        await (await Login(codes[0])).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await Login(codes[1])).StatusCode);

        // Turning it off takes the password.
        var fresh = await user.Http.PostAsJsonAsync("/users/me/two-factor/disable", new { password = "not the password" });
        await fresh.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.NoContent, (await user.Http.PostAsJsonAsync("/users/me/two-factor/disable", new { password = user.Password })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Login(null)).StatusCode);

        Task<HttpResponseMessage> Login(string? code) =>
            app.CreateClient().PostAsJsonAsync("/users/login", new { email = user.Email, password = user.Password, code });
    }

    [Fact]
    public async Task Two_factor_sign_in_on_the_web_asks_for_the_code_after_the_password()
    {
        var user = await app.CreateUserAsync();
        var secret = (await (await user.Http.PostAsync("/users/me/two-factor", null)).AssertJsonAsync(HttpStatusCode.OK)).GetProperty("secret").GetString()!;
        var totp = new Totp(Base32Encoding.ToBytes(secret));
        (await user.Http.PostAsJsonAsync("/users/me/two-factor/confirm", new { code = Now(totp, 0) })).EnsureSuccessStatusCode();
        var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = app.CreateClient().BaseAddress };

        var first = await PageSession.PostFormAsync(browser, "/account/signin", new() { ["Account"] = user.Username, ["Password"] = user.Password });
        var html = await first.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("Authentication code", html, StringComparison.Ordinal);
        Assert.DoesNotContain(user.Password, html, StringComparison.Ordinal);
        var pending = System.Text.RegularExpressions.Regex.Match(html, "name=\"Pending\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(pending);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/settings")).StatusCode);

        var wrong = await PageSession.PostFormAsync(browser, "/account/signin", new() { ["Pending"] = pending, ["Code"] = Wrong(totp) });
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        var right = await PageSession.PostFormAsync(browser, "/account/signin", new() { ["Pending"] = pending, ["Code"] = Now(totp, 30) });

        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/settings")).StatusCode);
    }

    [Fact]
    public async Task The_account_page_changes_the_password_and_keeps_only_this_browser_signed_in()
    {
        var user = await app.CreateUserAsync();
        var browser = await PageSession.SignInAsync(app, user);
        var otherBrowser = await PageSession.SignInAsync(app, user);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account")).StatusCode);

        var changed = await PageSession.PostFormAsync(browser, "/account?handler=Password",
            new() { ["currentPassword"] = user.Password, ["newPassword"] = "a different horse staple" });

        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await otherBrowser.GetAsync("/account")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await user.Http.GetAsync("/users/me")).StatusCode);
    }

    private static string Now(Totp totp, int secondsAhead) => totp.ComputeTotp(DateTime.UtcNow.AddSeconds(secondsAhead));

    private static string Wrong(Totp totp)
    {
        var window = new[] { -30, 0, 30 }.Select(s => totp.ComputeTotp(DateTime.UtcNow.AddSeconds(s))).ToHashSet();
        return Enumerable.Range(0, 1000).Select(i => i.ToString("000000")).First(c => !window.Contains(c));
    }

    private async Task<string> LoginAsync(string username, string password)
    {
        var login = await app.CreateClient().PostAsJsonAsync("/api/auth/login", new { username, password });
        return (await login.AssertJsonAsync(HttpStatusCode.OK)).GetProperty("access_token").GetString()!;
    }

    private Task<HttpResponseMessage> Me(string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/users/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return app.CreateClient().SendAsync(request);
    }

    private static Task<HttpResponseMessage> Delete(HttpClient client, object body) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/users/me") { Content = JsonContent.Create(body) });

    /// <summary>A second client holding the same cookies, as someone who copied them would.</summary>
    private static HttpClient CookieCopy(HttpClientHandler original, Uri site)
    {
        var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true };
        foreach (Cookie cookie in original.CookieContainer.GetCookies(site))
        {
            handler.CookieContainer.Add(site, new Cookie(cookie.Name, cookie.Value));
        }
        return new HttpClient(handler) { BaseAddress = site };
    }
}

public sealed class SessionSqliteTests(SqliteApp app) : SessionTests(app), IClassFixture<SqliteApp>;

public sealed class SessionPostgresTests(PostgresApp app) : SessionTests(app), IClassFixture<PostgresApp>;
