using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FinSight.Web.Data;
using FinSight.Web.Tests.Infrastructure;

namespace FinSight.Web.Tests.Abuse;

/// <summary>The app with the API rate limit off and a high login lockout, so abuse traffic tests the routes themselves.</summary>
public class AbuseApp(DatabaseProvider provider) : FinSightApp(provider)
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["RateLimiting:Enabled"] = "false",
        ["Auth:MaxFailedLogins"] = "100000",
    };
}

public sealed class AbuseSqliteApp() : AbuseApp(DatabaseProvider.Sqlite);

public sealed class AbusePostgresApp() : AbuseApp(DatabaseProvider.Postgres);

/// <summary>One API operation as the OpenAPI document describes it.</summary>
public sealed record Operation(string Method, string Path, IReadOnlyList<string> PathParameters, IReadOnlyList<string> QueryParameters,
    string? BodyType, JsonObject? BodySchema, bool RequiresAuth)
{
    public override string ToString() => $"{Method} {Path}";

    public static async Task<IReadOnlyList<Operation>> ReadAsync(HttpClient client)
    {
        var doc = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!.AsObject();
        var schemas = doc["components"]?["schemas"]?.AsObject();
        var operations = new List<Operation>();
        foreach (var (path, item) in doc["paths"]!.AsObject())
        {
            foreach (var (method, op) in item!.AsObject())
            {
                if (method is "parameters" or "summary" or "description")
                {
                    continue;
                }
                var parameters = op!["parameters"]?.AsArray().Select(p => p!) ?? [];
                var content = op["requestBody"]?["content"]?.AsObject();
                var bodyType = content?.Select(c => c.Key).OrderBy(k => k == "application/json" ? 0 : 1).FirstOrDefault();
                var schema = bodyType is null ? null : Resolve(content![bodyType]!["schema"], schemas);
                operations.Add(new Operation(method.ToUpperInvariant(), path,
                    parameters.Where(p => (string?)p["in"] == "path").Select(p => (string)p["name"]!).ToList(),
                    parameters.Where(p => (string?)p["in"] == "query").Select(p => (string)p["name"]!).ToList(),
                    bodyType, schema, op["security"] is JsonArray { Count: > 0 }));
            }
        }
        return operations;
    }

    private static JsonObject? Resolve(JsonNode? schema, JsonObject? schemas)
    {
        for (var i = 0; i < 5 && schema?["$ref"] is JsonValue reference; i++)
        {
            schema = schemas?[((string)reference!).Split('/')[^1]];
        }
        return schema as JsonObject;
    }
}

/// <summary>
/// Every API route, enumerated from the OpenAPI document so new routes are covered as they are
/// added: hostile input answers 4xx ProblemDetails (never 5xx) and changes nothing; other users'
/// ids, tampered, expired and missing tokens answer 404/401 and leak nothing.
/// </summary>
public abstract class AbuseTests(AbuseApp app)
{
    private const string Script = "<script>alert('x')</script>";
    private const string Sql = "'; DROP TABLE users; --";

    private static readonly string[] StringPayloads =
    [
        "", " ", Sql, "1 OR 1=1", Script, "\"><img src=x onerror=alert(1)>", "../../../../etc/passwd", "%00", "\u0000", "ｱ𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🚀 \u202Eevil", new string('x', 100_000),
        "{{7*7}}", "${jndi:ldap://127.0.0.1/x}",
    ];

    private static readonly JsonNode?[] ValuePayloads =
    [
        null, 0, -1, -1e308, 1e308, JsonValue.Create(decimal.MaxValue), JsonValue.Create(long.MinValue), true, new JsonArray(), new JsonObject(), "NaN", "1e400",
    ];

    private static readonly string[] RawBodies =
    [
        "", "{", "{\"a\":", "[]", "null", "\"text\"", "123", "{\"symbol\":\"AAPL\",}", new string('[', 10_000) + new string(']', 10_000),
        "{\"quantity\": 1e400}", "{\"quantity\": 79228162514264337593543950336}", "\uFEFF{}", "<xml/>",
    ];

    [Fact]
    public async Task Hostile_input_on_every_route_answers_4xx_problem_details_and_writes_nothing_partial()
    {
        var operations = await Operation.ReadAsync(app.CreateClient());
        Assert.True(operations.Count >= 20, $"only {operations.Count} operations in the OpenAPI document");
        var pending = new ConcurrentQueue<Operation>(operations);
        var failures = new ConcurrentQueue<string>();
        var requests = 0;

        // The routes are independent, so two workers take them in turn, each as an owner of its own
        // with the same data (more would only take the CPU from the tests running beside this one).
        await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            var owner = await app.CreateUserAsync();
            (await owner.Http.PostAsJsonAsync("/api/transactions", new { type = "buy", symbol = "AAPL", quantity = 10, price = 150, date = "2025-01-02" })).EnsureSuccessStatusCode();
            var fingerprint = await FingerprintAsync(owner.Http);
            while (pending.TryDequeue(out var operation))
            {
                // A POST may rightly write when it succeeds, so its requests are checked one by one.
                // The other routes must not change the owner's data whatever they answer (reads, and
                // writes to ids the owner does not have), so their requests are checked together.
                var oneByOne = operation.Method == "POST";
                var start = fingerprint;
                (fingerprint, var sent) = await SendHostileRequestsAsync(owner.Http, operation, fingerprint, oneByOne, failures);
                Interlocked.Add(ref requests, sent);
                if (!oneByOne && fingerprint != start)
                {
                    failures.Enqueue($"{operation}: hostile requests changed the user's data; again one by one:");
                    (fingerprint, _) = await SendHostileRequestsAsync(owner.Http, operation, fingerprint, oneByOne: true, failures);
                }
            }
        })));
        Assert.True(failures.IsEmpty, $"{failures.Count} of {requests} hostile requests misbehaved:\n" + string.Join("\n", failures.Take(40)));
    }

    [Fact]
    public async Task Another_users_ids_and_bad_tokens_get_404_or_401_on_every_route_and_nothing_leaks()
    {
        var owner = await app.CreateUserAsync();
        var intruder = await app.CreateUserAsync();
        (await owner.Http.PostAsJsonAsync("/api/transactions", new { type = "buy", symbol = "NFLX", quantity = 7, price = 400, date = "2025-01-02", notes = "owner-secret-note" })).EnsureSuccessStatusCode();
        var portfolio = await (await owner.Http.PostAsJsonAsync("/api/portfolios", new { name = "Owner Secret Portfolio" })).AssertJsonAsync(HttpStatusCode.Created);
        var portfolioId = portfolio.GetProperty("id").ToString();
        var transaction = await (await owner.Http.PostAsJsonAsync($"/api/transactions?portfolio_id={portfolioId}", new { type = "buy", symbol = "NFLX", quantity = 3, price = 410, date = "2025-01-03" })).AssertJsonAsync(HttpStatusCode.Created);
        var transactionId = transaction.GetProperty("id").ToString();
        var defaultTransactionId = FirstId(await (await owner.Http.GetAsync("/api/transactions")).AssertJsonAsync(HttpStatusCode.OK));
        var secrets = new[] { "NFLX", portfolioId, transactionId, defaultTransactionId, owner.Username, owner.Email, "owner-secret-note", "Owner Secret Portfolio" };
        var before = await FingerprintAsync(owner.Http) + await FingerprintAsync(owner.Http, $"?portfolio_id={portfolioId}");

        var operations = await Operation.ReadAsync(app.CreateClient());
        var failures = new List<string>();
        var tampered = owner.Token[..^6] + (owner.Token[^6] == 'A' ? "BBBBBB" : "AAAAAA");
        var expired = Tokens.Mint(Guid.NewGuid().ToString(), FinSightApp.SigningKey, DateTime.UtcNow.AddHours(-3), TimeSpan.FromHours(1));
        var ownerId = (await (await owner.Http.GetAsync("/users/me")).AssertJsonAsync(HttpStatusCode.OK)).GetProperty("id").ToString();
        var expiredOwner = Tokens.Mint(ownerId, FinSightApp.SigningKey, DateTime.UtcNow.AddHours(-3), TimeSpan.FromHours(1));
        var forged = Tokens.Mint(ownerId, "another-signing-key-that-is-long-enough-0123456789", DateTime.UtcNow, TimeSpan.FromHours(1));
        var checkedRoutes = 0;

        foreach (var operation in operations.Where(o => o.RequiresAuth))
        {
            var targets = Targets(operation, portfolioId, transactionId, defaultTransactionId).ToList();
            foreach (var (path, body) in targets)
            {
                checkedRoutes++;
                // Bad or missing tokens: 401, whatever the target.
                foreach (var (name, token) in new[] { ("no token", (string?)null), ("tampered", tampered), ("expired", expired), ("expired owner", expiredOwner), ("forged", forged) })
                {
                    var response = await SendAsync(operation.Method, path, body, token);
                    await CheckAsync(response, [HttpStatusCode.Unauthorized], $"{operation} as {name} ({path})");
                }
                // Another user's token on the owner's ids: 404 (never 200/403), nothing about the owner.
                // (Market data by symbol is public and sentiment models by name are the instance's, refused
                // with 403 to all but its admin: only ids and portfolio ids belong to a user.)
                if (operation.PathParameters.Any(p => p is not ("symbol" or "model")) || path.Contains("portfolio_id", StringComparison.Ordinal))
                {
                    var response = await SendAsync(operation.Method, path, body, intruder.Token);
                    await CheckAsync(response, [HttpStatusCode.NotFound], $"{operation} as another user ({path})");
                }
            }
        }
        Assert.True(checkedRoutes >= 20, $"only {checkedRoutes} authenticated routes checked");
        Assert.Equal(before, await FingerprintAsync(owner.Http) + await FingerprintAsync(owner.Http, $"?portfolio_id={portfolioId}"));
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(40)));

        async Task CheckAsync(HttpResponseMessage response, HttpStatusCode[] expected, string what)
        {
            var raw = await response.Content.ReadAsStringAsync();
            // The problem's "instance" echoes the caller's own request path: not a leak.
            var text = System.Text.RegularExpressions.Regex.Replace(raw, "\"instance\":\"[^\"]*\"", "");
            if (!expected.Contains(response.StatusCode))
            {
                failures.Add($"{what} → {(int)response.StatusCode}, expected {string.Join("/", expected.Cast<int>())}: {Trim(text)}");
            }
            foreach (var secret in secrets.Where(s => text.Contains(s, StringComparison.OrdinalIgnoreCase)))
            {
                failures.Add($"{what} leaked '{secret}': {Trim(text)}");
            }
        }
    }

    [Fact]
    public async Task Stored_text_is_rendered_html_encoded_in_the_ui()
    {
        const string Payload = "<script>alert('pwn')</script><img src=x onerror=alert(1)>\"'&";
        var username = "x" + Guid.NewGuid().ToString("N")[..10];
        var anonymous = app.CreateClient();
        (await anonymous.PostAsJsonAsync("/users/signup", new { name = Payload, username, email = $"{username}@example.com", password = "correct horse battery" })).EnsureSuccessStatusCode();
        var token = (await (await anonymous.PostAsJsonAsync("/api/auth/login", new { username, password = "correct horse battery" })).AssertJsonAsync(HttpStatusCode.OK)).GetProperty("access_token").GetString();
        var api = app.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        (await api.PostAsJsonAsync("/api/transactions", new { type = "buy", symbol = "AAPL", quantity = 1, price = 100, date = "2025-01-02", notes = Payload })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/api/portfolios", new { name = Payload })).EnsureSuccessStatusCode();

        // Sign in to the UI with a cookie.
        var cookies = new CookieContainer();
        var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = app.CreateClient().BaseAddress };
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        var signIn = await browser.GetStringAsync("/account/signin");
        var antiforgery = System.Text.RegularExpressions.Regex.Match(signIn, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var signedIn = await browser.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Account"] = username, ["Password"] = "correct horse battery", ["__RequestVerificationToken"] = antiforgery,
        }));
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);

        var rendered = 0;
        foreach (var page in new[] { "/", "/transactions", "/stock/AAPL", "/news" })
        {
            var response = await browser.GetAsync(page);
            var html = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{page} answered {(int)response.StatusCode}");
            Assert.DoesNotContain("<script>alert('pwn')", html);
            Assert.DoesNotContain("<img src=x onerror", html);
            if (html.Contains("&lt;script&gt;alert(", StringComparison.Ordinal) || html.Contains("\\u003Cscript\\u003Ealert(", StringComparison.OrdinalIgnoreCase))
            {
                rendered++;
            }
        }
        Assert.True(rendered >= 1, "the stored payload (notes) was not shown encoded on any page");
    }

    /// <summary>
    /// Sends every hostile request for one operation as the owner: none may answer 5xx, every other
    /// refusal is ProblemDetails, and none refused may change the owner's data. With
    /// <paramref name="oneByOne"/> the data is compared right before and right after each request
    /// (the one's "after" is the next one's "before"); otherwise only once, after the last.
    /// </summary>
    /// <returns>The owner's fingerprint after the last request, and how many were sent.</returns>
    private async Task<(string Fingerprint, int Sent)> SendHostileRequestsAsync(HttpClient owner, Operation operation, string fingerprint, bool oneByOne, ConcurrentQueue<string> failures)
    {
        var sent = 0;
        foreach (var (description, request) in HostileRequests(operation))
        {
            var before = fingerprint;
            int? status = null;
            var body = "";
            string? contentType = null;
            try
            {
                using var response = await owner.SendAsync(request);
                status = (int)response.StatusCode;
                body = await response.Content.ReadAsStringAsync();
                contentType = response.Content.Headers.ContentType?.MediaType;
            }
            catch (HttpRequestException) when (description == "10 MB body")
            {
                // Kestrel answers 413 and closes the connection before the client finished
                // sending; the client may see the reset instead of the answer. Still refused.
            }
            sent++;
            if (oneByOne)
            {
                fingerprint = await FingerprintAsync(owner);
            }
            if (status >= 500)
            {
                failures.Enqueue($"{operation} [{description}] → {status}: {Trim(body)}");
                continue;
            }
            if (status is null or >= 400)
            {
                // Kestrel refuses a NUL in the path at the protocol level (empty 400, connection
                // closed) before any middleware runs, so no ProblemDetails can be written for it.
                var refusedByKestrel = status == 400 && description.StartsWith("path ", StringComparison.Ordinal) && description.Contains('\0') && body.Length == 0;
                if (status is not null && !refusedByKestrel && contentType != "application/problem+json")
                {
                    failures.Enqueue($"{operation} [{description}] → {status} without ProblemDetails ({contentType})");
                }
                if (fingerprint != before)
                {
                    failures.Enqueue($"{operation} [{description}] → {status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "connection reset"} but the user's data changed");
                }
            }
        }
        return (oneByOne ? fingerprint : await FingerprintAsync(owner), sent);
    }

    private IEnumerable<(string Description, HttpRequestMessage Request)> HostileRequests(Operation operation)
    {
        var basePath = FillPath(operation.Path, _ => Guid.NewGuid().ToString());
        // Path parameters.
        foreach (var name in operation.PathParameters)
        {
            foreach (var payload in StringPayloads.Where(p => p.Length is > 0 and < 1000).Append("-1").Append("99999999999999999999999").Append(new string('9', 2000)))
            {
                yield return ($"path {name}={Trim(payload, 20)}", Build(operation, FillPath(operation.Path, n => n == name ? Uri.EscapeDataString(payload) : Guid.NewGuid().ToString()), operation.BodyType is null ? null : ValidBody(operation)));
            }
        }
        // Query parameters.
        foreach (var name in operation.QueryParameters)
        {
            foreach (var payload in StringPayloads.Where(p => p.Length < 1000).Concat(["-1", "0", "1e400", "99999999999999999999999", "2025-13-45", "true"]))
            {
                yield return ($"query {name}={Trim(payload, 20)}", Build(operation, basePath + "?" + name + "=" + Uri.EscapeDataString(payload), operation.BodyType is null ? null : ValidBody(operation)));
            }
        }
        if (operation.BodyType is null)
        {
            yield break;
        }
        // Raw bodies: malformed, wrong shapes, 10 MB.
        foreach (var raw in RawBodies)
        {
            yield return ($"raw body {Trim(raw, 20)}", Build(operation, basePath, new StringContent(raw, Encoding.UTF8, operation.BodyType.StartsWith("multipart", StringComparison.Ordinal) ? "application/json" : operation.BodyType)));
        }
        yield return ("10 MB body", Build(operation, basePath, new ByteArrayContent(Encoding.UTF8.GetBytes(new string('a', 10 * 1024 * 1024))) { Headers = { ContentType = new MediaTypeHeaderValue(operation.BodyType.StartsWith("multipart", StringComparison.Ordinal) ? "text/csv" : operation.BodyType) } }));
        // Field by field: wrong types, huge, negative and zero numbers, long strings, Unicode, SQL and script.
        var properties = operation.BodySchema?["properties"]?.AsObject().Select(p => p.Key).ToList() ?? [];
        if (operation.BodyType == "application/json")
        {
            foreach (var property in properties)
            {
                foreach (var value in ValuePayloads.Concat(StringPayloads.Select(s => (JsonNode?)JsonValue.Create(s))))
                {
                    var body = ValidJson(operation);
                    body[property] = value?.DeepClone();
                    yield return ($"{property}={Trim(value?.ToJsonString() ?? "null", 20)}", Build(operation, basePath, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json")));
                }
            }
        }
    }

    private static HttpRequestMessage Build(Operation operation, string path, HttpContent? content) =>
        new(new HttpMethod(operation.Method), path) { Content = content };

    private static string FillPath(string template, Func<string, string> value) =>
        System.Text.RegularExpressions.Regex.Replace(template, "{([^}:]+)[^}]*}", m => value(m.Groups[1].Value));

    private static HttpContent? ValidBody(Operation operation) =>
        operation.BodyType == "application/json" ? new StringContent(ValidJson(operation).ToJsonString(), Encoding.UTF8, "application/json")
        : operation.BodyType is "text/csv" or "multipart/form-data" ? new StringContent("date,type,amount\r\n2025-01-02,deposit,10\r\n", Encoding.UTF8, "text/csv")
        : null;

    /// <summary>A plausible body from the schema, so single-field mutations reach the route's own checks.</summary>
    private static JsonObject ValidJson(Operation operation)
    {
        var body = new JsonObject();
        foreach (var (name, schema) in operation.BodySchema?["properties"]?.AsObject() ?? [])
        {
            var type = schema?["type"]?.ToString() ?? "";
            body[name] = name switch
            {
                "symbol" => "AAPL",
                "type" => "buy",
                "date" => "2025-01-02",
                "email" => $"a{Guid.NewGuid():N}@example.com",
                "username" => "u" + Guid.NewGuid().ToString("N")[..10],
                "password" => "correct horse battery",
                "cost_basis_method" => "fifo",
                "texts" => new JsonArray("Shares rose"),
                _ when type.Contains("integer") || type.Contains("number") => 1,
                _ when type.Contains("boolean") => false,
                _ when type.Contains("array") => new JsonArray(),
                _ => "x",
            };
        }
        return body;
    }

    private IEnumerable<(string Path, HttpContent? Body)> Targets(Operation operation, string portfolioId, string transactionId, string defaultTransactionId)
    {
        HttpContent? Body() => operation.Path switch
        {
            _ when operation.BodyType is null => null,
            var p when p.StartsWith("/api/transactions/", StringComparison.Ordinal) && operation.Method == "PUT" =>
                JsonContent.Create(new { type = "buy", symbol = "NFLX", quantity = 1, price = 1, date = "2025-01-02" }),
            var p when p.StartsWith("/holdings/update", StringComparison.Ordinal) =>
                JsonContent.Create(new { symbol = "NFLX", purchase_cost = 1, quantity = 1, date = "2025-01-02" }),
            var p when p.StartsWith("/api/portfolios/", StringComparison.Ordinal) => JsonContent.Create(new { name = "hijacked" }),
            var p when p.StartsWith("/api/alerts/rules/", StringComparison.Ordinal) && operation.Method == "PUT" =>
                JsonContent.Create(new { kind = "price_above", symbol = "NFLX", threshold = 1 }),
            _ => ValidBody(operation),
        };
        if (operation.PathParameters.Count > 0)
        {
            if (operation.Path.Contains("portfolios", StringComparison.Ordinal))
            {
                yield return (FillPath(operation.Path, _ => portfolioId), Body());
            }
            else if (operation.Path.Contains("{symbol", StringComparison.Ordinal))
            {
                yield return (FillPath(operation.Path, _ => "AAPL"), Body());
            }
            else
            {
                yield return (FillPath(operation.Path, _ => transactionId), Body());
                yield return (FillPath(operation.Path, _ => defaultTransactionId), Body());
            }
        }
        else
        {
            yield return (operation.Path, Body());
        }
        if (operation.QueryParameters.Contains("portfolio_id"))
        {
            yield return (FillPath(operation.Path, _ => operation.Path.Contains("portfolios", StringComparison.Ordinal) ? portfolioId : transactionId) + "?portfolio_id=" + portfolioId
                + (operation.QueryParameters.Contains("symbol") ? "&symbol=NFLX" : ""), Body());
        }
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string path, HttpContent? body, string? token)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            var bytes = await body.ReadAsByteArrayAsync();
            request.Content = new ByteArrayContent(bytes) { Headers = { ContentType = body.Headers.ContentType } };
        }
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await app.CreateClient().SendAsync(request);
    }

    private static async Task<string> FingerprintAsync(HttpClient owner, string query = "")
    {
        var parts = await Task.WhenAll(new[] { "/api/transactions/export" + query, "/api/portfolios", "/users/me" }.Select(owner.GetStringAsync));
        return string.Join('\n', parts) + '\n';
    }

    private static string FirstId(JsonElement list)
    {
        var items = list.ValueKind == JsonValueKind.Array ? list : list.EnumerateObject().First(p => p.Value.ValueKind == JsonValueKind.Array).Value;
        return items.EnumerateArray().First().GetProperty("id").ToString();
    }

    private static string Trim(string text, int length = 300) => text.Length <= length ? text : text[..length] + "…";
}

public sealed class AbuseSqliteTests(AbuseSqliteApp app) : AbuseTests(app), IClassFixture<AbuseSqliteApp>;

public sealed class AbusePostgresTests(AbusePostgresApp app) : AbuseTests(app), IClassFixture<AbusePostgresApp>;
