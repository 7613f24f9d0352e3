using System.Text.Json;
using System.Text.Json.Serialization;
using FinSight.Web.Auth;
using FinSight.Web.Data;
using FinSight.Web.Features.Accounts;
using FinSight.Web.Features.Holdings;
using FinSight.Web.Features.Portfolios;
using FinSight.Web.Features.Transactions;
using FinSight.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(args);

builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = RequestLimits.MaxBodyBytes);
builder.Services.AddSingleton(TimeProvider.System);
var dataDirectory = new DataDirectory(builder.Configuration, builder.Environment);
builder.Services.AddSingleton(dataDirectory);

builder.Services.ConfigureHttpJsonOptions(json =>
{
    json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
    json.SerializerOptions.DictionaryKeyPolicy = null;
    json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
});
builder.Services.AddFinSightProblemDetails();
builder.Services.AddFinSightDatabase(builder.Configuration, dataDirectory);
builder.Services.AddFinSightAuth(builder.Configuration, builder.Environment, dataDirectory);
builder.Services.AddFinSightOpenApi();
builder.Services.AddFinSightHealth();
builder.Services.AddScoped<PortfolioStore>();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRequestBodyLimit();
app.UseAuthentication();
app.UseAuthorization();

app.MapFinSightHealth();
app.MapFinSightOpenApi();
app.MapAccountsApi();
app.MapTransactionsApi();
app.MapHoldingsApi();
app.MapPortfoliosApi();
app.MapGet("/", () => Results.Redirect("/docs")).ExcludeFromDescription();

await app.MigrateFinSightDatabaseAsync();
await app.RunAsync();

/// <summary>Entry point; public so integration tests can host the app.</summary>
public partial class Program;
