using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using FinSight.Web.Tests.Infrastructure;

namespace FinSight.Web.Tests.Accounts;

/// <summary>Signup, login and /users/me, run once on SQLite and once on PostgreSQL.</summary>
public abstract class AccountsApiTests(FinSightApp app)
{
    [Fact]
    public async Task Signup_returns_the_user_without_the_password_hash()
    {
        var client = app.CreateClient();
        var username = "ada" + Guid.NewGuid().ToString("N")[..8];

        var response = await client.PostAsJsonAsync("/users/signup",
            new { name = "Ada Lovelace", username, email = $"{username}@Example.com", password = "analytical engine" });

        var json = await response.AssertJsonAsync(HttpStatusCode.Created);
        Assert.Equal(username, json.GetProperty("username").GetString());
        Assert.Equal($"{username}@Example.com", json.GetProperty("email").GetString());
        Assert.Equal("Ada Lovelace", json.GetProperty("name").GetString());
        Assert.True(Guid.TryParse(json.GetProperty("id").GetString(), out _));
        Assert.True(json.TryGetProperty("created_at", out _));
        var raw = json.GetRawText();
        Assert.DoesNotContain("hash", raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("analytical engine", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signup_then_login_by_email_and_by_username_then_me()
    {
        var client = app.CreateClient();
        var username = "grace" + Guid.NewGuid().ToString("N")[..8];
        (await client.PostAsJsonAsync("/users/signup",
            new { name = "Grace Hopper", username, email = $"{username}@example.com", password = "cobol-forever" })).EnsureSuccessStatusCode();

        // Email and username match regardless of case.
        var byEmail = await client.PostAsJsonAsync("/users/login", new { email = $"{username.ToUpperInvariant()}@EXAMPLE.com", password = "cobol-forever" });
        var token = await byEmail.AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("bearer", token.GetProperty("token_type").GetString());
        Assert.Equal(3600, token.GetProperty("expires_in").GetInt32());

        var byUsername = await client.PostAsJsonAsync("/api/auth/login", new { username = username.ToUpperInvariant(), password = "cobol-forever" });
        var token2 = await byUsername.AssertJsonAsync(HttpStatusCode.OK);

        foreach (var accessToken in new[] { token.GetProperty("access_token").GetString(), token2.GetProperty("access_token").GetString() })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/users/me");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            var me = await (await client.SendAsync(request)).AssertJsonAsync(HttpStatusCode.OK);
            Assert.Equal(username, me.GetProperty("username").GetString());
            Assert.Equal($"{username}@example.com", me.GetProperty("email").GetString());
            Assert.Equal("Grace Hopper", me.GetProperty("name").GetString());
        }
    }

    [Fact]
    public async Task Duplicate_username_or_email_in_any_case_is_one_409_that_does_not_say_which()
    {
        var existing = await app.CreateUserAsync();
        var fresh = "n" + Guid.NewGuid().ToString("N")[..10];
        var client = Client("192.0.2.30");

        var byUsername = await client.PostAsJsonAsync("/users/signup",
            new { name = "Copy", username = existing.Username.ToUpperInvariant(), email = $"{fresh}@example.com", password = "long enough" });
        var byEmail = await client.PostAsJsonAsync("/users/signup",
            new { name = "Copy", username = fresh, email = existing.Email.ToUpperInvariant(), password = "long enough" });

        var first = await byUsername.AssertProblemAsync(HttpStatusCode.Conflict);
        var second = await byEmail.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(first.GetProperty("title").GetString(), second.GetProperty("title").GetString());
        Assert.Equal(first.GetProperty("detail").GetString(), second.GetProperty("detail").GetString());
        Assert.False(first.TryGetProperty("field", out _));
        // It still tells a real person what to do.
        Assert.Contains("sign in", first.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("different username", first.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        // Nothing was created by either attempt.
        var login = await app.CreateClient().PostAsJsonAsync("/api/auth/login", new { username = fresh, password = "long enough" });
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
    }

    [Fact]
    public async Task Probing_taken_names_from_one_address_is_refused_with_429_after_20()
    {
        var existing = await app.CreateUserAsync();
        var prober = Client("192.0.2.40");
        for (var i = 0; i < 20; i++)
        {
            var probe = await prober.PostAsJsonAsync("/users/signup",
                new { name = "Probe", username = existing.Username, email = $"probe{i}{Guid.NewGuid():N}@example.com", password = "long enough" });
            Assert.Equal(HttpStatusCode.Conflict, probe.StatusCode);
        }

        var fresh = "n" + Guid.NewGuid().ToString("N")[..10];
        var refused = await prober.PostAsJsonAsync("/users/signup", new { name = "Probe", username = fresh, email = $"{fresh}@example.com", password = "long enough" });

        await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 300);
        var elsewhere = await Client("192.0.2.41").PostAsJsonAsync("/users/signup", new { name = "Probe", username = fresh, email = $"{fresh}@example.com", password = "long enough" });
        Assert.Equal(HttpStatusCode.Created, elsewhere.StatusCode);
    }

    [Theory]
    [InlineData("12345678")]
    [InlineData("          ")]
    [InlineData("1234567890")]
    [InlineData("0987654321")]
    [InlineData("qwertyuiop")]
    [InlineData("abcdefghijk")]
    [InlineData("aaaaaaaaaaaa")]
    [InlineData("abababababab")]
    [InlineData("password1234")]
    [InlineData("Password123!")]
    [InlineData("P@ssw0rd2024")]
    [InlineData("iloveyou!!!!")]
    [InlineData("Letmein 2026")]
    public async Task Weak_or_common_passwords_are_refused_with_guidance(string password)
    {
        var username = "w" + Guid.NewGuid().ToString("N")[..10];

        var response = await app.CreateClient().PostAsJsonAsync("/users/signup", new { name = "Weak", username, email = $"{username}@example.com", password });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.Equal(["password"], errors.EnumerateObject().Select(e => e.Name));
        Assert.Contains("10 characters", errors.GetProperty("password")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_containing_the_username_is_refused()
    {
        var username = "finn" + Guid.NewGuid().ToString("N")[..6];

        var response = await app.CreateClient().PostAsJsonAsync("/users/signup",
            new { name = "Finn", username, email = $"someone{Guid.NewGuid():N}@example.com", password = $"my {username} secret" });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("username", problem.GetProperty("errors").GetProperty("password")[0].GetString(), StringComparison.Ordinal);
    }

    private HttpClient Client(string address)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }

    [Fact]
    public async Task Concurrent_signups_for_one_username_create_exactly_one_account()
    {
        var username = "race" + Guid.NewGuid().ToString("N")[..8];
        var client = app.CreateClient();
        var attempts = Enumerable.Range(0, 8).Select(i => client.PostAsJsonAsync("/users/signup",
            new { name = "Racer", username, email = $"{username}{i}@example.com", password = "long enough" }));

        var responses = await Task.WhenAll(attempts);

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
    }

    [Fact]
    public async Task Signup_validation_lists_every_offending_field()
    {
        var response = await app.CreateClient().PostAsJsonAsync("/users/signup",
            new { name = "", username = "a b", email = "not-an-email", password = "short" });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "name", "username", "email", "password" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"missing error for {field}: {errors}");
        }
    }

    [Fact]
    public async Task Missing_fields_are_validation_errors_not_500()
    {
        var response = await app.CreateClient().PostAsJsonAsync("/users/signup", new { });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(4, problem.GetProperty("errors").EnumerateObject().Count());
    }

    [Theory]
    [InlineData("{\"name\": \"x\", ")]
    [InlineData("not json at all")]
    [InlineData("{\"name\": 5, \"username\": \"abc\", \"email\": \"a@b.co\", \"password\": \"12345678\"}")]
    [InlineData("[1, 2, 3]")]
    [InlineData("")]
    public async Task Malformed_or_mistyped_json_is_400_problem(string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        var response = await app.CreateClient().PostAsync("/users/signup", content);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.DoesNotContain("FinSight.", problem.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_content_type_is_415_problem()
    {
        using var content = new StringContent("{}", Encoding.UTF8, "text/plain");

        var response = await app.CreateClient().PostAsync("/users/login", content);

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Oversized_body_is_413_problem()
    {
        var huge = new string('a', 2 * 1024 * 1024);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/users/signup")
        {
            Content = new StringContent($"{{\"name\":\"{huge}\"}}", Encoding.UTF8, "application/json"),
        };
        // Waits for the server's verdict before uploading, so the 413 is read rather than racing a closed socket.
        request.Headers.ExpectContinue = true;

        var response = await app.CreateClient().SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Wrong_password_and_unknown_account_get_the_same_401()
    {
        var user = await app.CreateUserAsync();
        var client = app.CreateClient();

        var wrongPassword = await (await client.PostAsJsonAsync("/users/login", new { email = user.Email, password = "not the password" }))
            .AssertProblemAsync(HttpStatusCode.Unauthorized);
        var unknown = await (await client.PostAsJsonAsync("/users/login", new { email = "nobody-" + user.Email, password = "not the password" }))
            .AssertProblemAsync(HttpStatusCode.Unauthorized);
        var unknownUsername = await (await client.PostAsJsonAsync("/api/auth/login", new { username = "nobody" + user.Username, password = "x" }))
            .AssertProblemAsync(HttpStatusCode.Unauthorized);

        Assert.Equal(wrongPassword.GetProperty("detail").GetString(), unknown.GetProperty("detail").GetString());
        Assert.Equal(wrongPassword.GetProperty("detail").GetString(), unknownUsername.GetProperty("detail").GetString());
        Assert.Equal(wrongPassword.GetProperty("title").GetString(), unknown.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Me_without_a_token_is_401_problem()
    {
        var response = await app.CreateClient().GetAsync("/users/me");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task Tampered_tokens_are_401()
    {
        var user = await app.CreateUserAsync();
        var parts = user.Token.Split('.');
        var payload = Encoding.UTF8.GetString(Convert.FromBase64String(Pad(parts[1].Replace('-', '+').Replace('_', '/'))));
        // Claim to be somebody else while keeping the original signature.
        var forgedPayload = Base64Url(payload.Replace(user.Username, "admin", StringComparison.Ordinal).Replace("\"sub\":\"", "\"sub\":\"0", StringComparison.Ordinal));
        var flippedSignature = parts[2][..^2] + (parts[2][^2] == 'A' ? "BB" : "AA");
        var unsigned = Base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";

        foreach (var token in new[] { $"{parts[0]}.{forgedPayload}.{parts[2]}", $"{parts[0]}.{parts[1]}.{flippedSignature}", unsigned, "garbage" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/users/me");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var response = await app.CreateClient().SendAsync(request);
            await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task Expired_token_is_401_and_a_token_signed_with_another_key_is_401()
    {
        var user = await app.CreateUserAsync();
        var me = await (await user.Http.GetAsync("/users/me")).AssertJsonAsync(HttpStatusCode.OK);
        var id = me.GetProperty("id").GetString()!;

        var stamp = Tokens.StampOf(user.Token);
        var expired = Tokens.Mint(id, FinSightApp.SigningKey, DateTime.UtcNow.AddHours(-2), lifetime: TimeSpan.FromMinutes(60), stamp);
        var otherKey = Tokens.Mint(id, "another-key-that-is-also-long-enough-0123456789", DateTime.UtcNow, lifetime: TimeSpan.FromMinutes(60), stamp);
        var valid = Tokens.Mint(id, FinSightApp.SigningKey, DateTime.UtcNow, lifetime: TimeSpan.FromMinutes(60), stamp);

        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(expired)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(otherKey)).StatusCode);
        // The control: the same minting with the right key and lifetime is accepted.
        Assert.Equal(HttpStatusCode.OK, (await Send(valid)).StatusCode);

        async Task<HttpResponseMessage> Send(string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/users/me");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return await app.CreateClient().SendAsync(request);
        }
    }

    [Fact]
    public async Task A_valid_token_for_an_unknown_account_is_401()
    {
        var token = Tokens.Mint(Guid.NewGuid().ToString(), FinSightApp.SigningKey, DateTime.UtcNow, TimeSpan.FromMinutes(5));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/users/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var response = await app.CreateClient().SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    private static string Pad(string s) => s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
    private static string Base64Url(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

public sealed class AccountsApiSqliteTests(SqliteApp app) : AccountsApiTests(app), IClassFixture<SqliteApp>;

public sealed class AccountsApiPostgresTests(PostgresApp app) : AccountsApiTests(app), IClassFixture<PostgresApp>;
