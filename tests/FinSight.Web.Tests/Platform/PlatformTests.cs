using System.Net;
using System.Text.Json;
using FinSight.Web.Tests.Infrastructure;

namespace FinSight.Web.Tests.Platform;

/// <summary>Health, API documentation and error shapes, on both databases.</summary>
public abstract class PlatformTests(FinSightApp app)
{
    [Fact]
    public async Task Health_is_up_and_ready_checks_the_database()
    {
        var client = app.CreateClient();

        var live = await (await client.GetAsync("/health")).AssertJsonAsync(HttpStatusCode.OK);
        var ready = await (await client.GetAsync("/health/ready")).AssertJsonAsync(HttpStatusCode.OK);

        Assert.Equal("Healthy", live.GetProperty("status").GetString());
        Assert.Equal("Healthy", ready.GetProperty("status").GetString());
        Assert.Equal("Healthy", ready.GetProperty("checks").GetProperty("database").GetString());
    }

    [Fact]
    public async Task Swagger_ui_is_served_at_docs()
    {
        var response = await app.CreateClient().GetAsync("/docs/index.html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("swagger-ui", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Openapi_document_describes_every_account_route_with_summary_schemas_and_auth()
    {
        var doc = await (await app.CreateClient().GetAsync("/openapi/v1.json")).AssertJsonAsync(HttpStatusCode.OK);
        var paths = doc.GetProperty("paths");

        foreach (var (path, method) in new[] { ("/users/signup", "post"), ("/users/login", "post"), ("/api/auth/login", "post"), ("/users/me", "get") })
        {
            var operation = paths.GetProperty(path).GetProperty(method);
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), $"{path} has no summary");
            Assert.True(operation.GetProperty("responses").EnumerateObject().Any(r => r.Name.StartsWith('2')), $"{path} has no success response");
            if (method == "post")
            {
                Assert.True(operation.TryGetProperty("requestBody", out _), $"{path} has no request schema");
            }
        }
        Assert.True(paths.GetProperty("/users/me").GetProperty("get").TryGetProperty("security", out _), "/users/me must declare bearer auth");
        Assert.False(paths.GetProperty("/users/signup").GetProperty("post").TryGetProperty("security", out _), "signup must be anonymous");
        Assert.Equal("bearer", doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme").GetString());

        // Bodies are snake_case in the schemas, as on the wire.
        var schemas = doc.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.GetProperty("TokenResponse").GetProperty("properties").TryGetProperty("access_token", out _));
    }

    [Fact]
    public async Task Every_operation_has_a_summary_and_every_protected_one_declares_bearer_auth()
    {
        var doc = await (await app.CreateClient().GetAsync("/openapi/v1.json")).AssertJsonAsync(HttpStatusCode.OK);
        string[] anonymous = ["/users/signup", "/users/login", "/api/auth/login", "/health", "/health/ready"];
        var operations = 0;

        foreach (var path in doc.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                operations++;
                Assert.False(string.IsNullOrWhiteSpace(operation.Value.TryGetProperty("summary", out var s) ? s.GetString() : null),
                    $"{operation.Name.ToUpperInvariant()} {path.Name} has no summary");
                Assert.Equal(!anonymous.Contains(path.Name), operation.Value.TryGetProperty("security", out _));
            }
        }
        Assert.True(operations >= 27, $"only {operations} operations documented");
    }

    [Fact]
    public async Task Unknown_routes_are_404_problem_details()
    {
        var response = await app.CreateClient().GetAsync("/no/such/route");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }
}

public sealed class PlatformSqliteTests(SqliteApp app) : PlatformTests(app), IClassFixture<SqliteApp>;

public sealed class PlatformPostgresTests(PostgresApp app) : PlatformTests(app), IClassFixture<PostgresApp>;
