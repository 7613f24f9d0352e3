using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;

namespace FinSight.Web.Infrastructure;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c> and Swagger UI at <c>/docs</c>: served except in
/// Production, where they describe every route to anyone; <c>Docs:Enabled=true</c> serves them there too.
/// </summary>
public static class OpenApiSetup
{
    private const string Bearer = "Bearer";

    public static IServiceCollection AddFinSightOpenApi(this IServiceCollection services) => services.AddOpenApi(options =>
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "FinSight API",
                Version = "v1",
                Description = "Portfolio tracking with news sentiment. Sign in with POST /users/login or /api/auth/login, then send the token as 'Authorization: Bearer <token>'. JSON field names are snake_case; errors are RFC 9457 problem details.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A token from POST /users/login or POST /api/auth/login.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            var anonymous = metadata.OfType<IAllowAnonymous>().Any();
            if (!anonymous && metadata.OfType<IAuthorizeData>().Any())
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, context.Document)] = [] });
                operation.Responses ??= new OpenApiResponses();
                operation.Responses.TryAdd("401", new OpenApiResponse { Description = "Missing, expired or invalid bearer token." });
            }
            return Task.CompletedTask;
        });
    });

    /// <summary>Whether <c>/docs</c>, <c>/redoc</c> and <c>/openapi/v1.json</c> are served (<c>Docs:Enabled</c>, default: everywhere but Production).</summary>
    public static bool IsEnabled(IConfiguration configuration, IHostEnvironment environment) =>
        configuration.GetValue<bool?>("Docs:Enabled") ?? !environment.IsProduction();

    public static WebApplication MapFinSightOpenApi(this WebApplication app)
    {
        if (!IsEnabled(app.Configuration, app.Environment))
        {
            return app;
        }
        app.MapOpenApi().AllowAnonymous().WithApiPolicy();
        app.UseSwaggerUI(ui =>
        {
            ui.RoutePrefix = "docs";
            ui.DocumentTitle = "FinSight API";
            ui.SwaggerEndpoint("/openapi/v1.json", "FinSight API v1");
        });
        // The spec's second reader of the same document. Its assets are served from /redoc; the page is
        // the package's own minus its Google Fonts link, which the site's CSP (and an offline machine)
        // would refuse: ReDoc falls back to the system fonts.
        app.UseReDoc(redoc =>
        {
            redoc.RoutePrefix = "redoc";
            redoc.DocumentTitle = "FinSight API";
            redoc.SpecUrl = "/openapi/v1.json";
            redoc.IndexStream = () => new MemoryStream(System.Text.Encoding.UTF8.GetBytes(ReDocIndex));
        });
        return app;
    }

    private const string ReDocIndex = """
        <!DOCTYPE html>
        <html>
        <head>
            <title>%(DocumentTitle)</title>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <link href="index.css" rel="stylesheet" type="text/css">
            %(HeadContent)
        </head>
        <body>
            <div id="redoc-container"></div>
            <script src="redoc.standalone.js"></script>
            <script src="index.js"></script>
        </body>
        </html>
        """;
}
