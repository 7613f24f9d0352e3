using System.Text.Json;
using System.Text.Json.Serialization;
using FinSight.Domain;
using FinSight.MarketData;
using FinSight.MarketData.Caching;
using FinSight.Sentiment;
using FinSight.Sentiment.Cli;
using FinSight.Web.Auth;
using FinSight.Web.Data;
using FinSight.Web.Features.Accounts;
using FinSight.Web.Features.Alerts;
using FinSight.Web.Features.CorporateActions;
using FinSight.Web.Features.Dashboard;
using FinSight.Web.Features.Demo;
using FinSight.Web.Features.Holdings;
using FinSight.Web.Features.Insights;
using FinSight.Web.Features.Models;
using FinSight.Web.Features.News;
using FinSight.Web.Features.Portfolios;
using FinSight.Web.Features.Settings;
using FinSight.Web.Features.Stocks;
using FinSight.Web.Features.Transactions;
using FinSight.Web.Infrastructure;
using FinSight.Web.Jobs;
using FinSight.Web.Ui;

StartupRefusedException.ExitCleanlyOnRefusal();
// A published app carries its wwwroot next to FinSight.Web.dll: make that folder the content root, so
// `dotnet /srv/finsight/FinSight.Web.dll` serves its styles and scripts from any working directory. In
// a development build (no wwwroot beside the dll) the default, the project folder, stays.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = Directory.Exists(Path.Combine(AppContext.BaseDirectory, "wwwroot")) ? AppContext.BaseDirectory : null,
});
var demo = DemoMode.IsRequested(args, builder.Configuration);
if (demo)
{
    DemoMode.Configure(builder, args);
}

if (SqliteBackup.IsRequested(args))
{
    // `FinSight.Web backup <file>`: copy the SQLite database (safe while the app runs), then exit.
    Environment.ExitCode = await SqliteBackup.RunAsync(args, builder.Configuration, builder.Environment);
    return;
}

if (SentimentCommandLine.IsRequested(args))
{
    // `FinSight.Web models pull|list|remove …` and `FinSight.Web sentiment …`: manage and try the sentiment models, then exit.
    var sentiment = builder.Configuration.GetSection(SentimentOptions.SectionName).Get<SentimentOptions>() ?? new SentimentOptions();
    Environment.ExitCode = await SentimentCommandLine.RunConsoleAsync(args, sentiment, new DataDirectory(builder.Configuration, builder.Environment).Path);
    return;
}

builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = RequestLimits.MaxBodyBytes);
builder.AddFinSightLogging();
builder.Services.AddFinSightProxySupport(builder.Configuration);
builder.Services.AddFinSightSecurityHeaders();
builder.Services.AddFinSightCors(builder.Configuration);
builder.Services.AddFinSightRateLimiting(builder.Configuration);
builder.Services.AddFinSightInputSafety();
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
builder.Services.AddFinSightUi(builder.Configuration, dataDirectory);
builder.Services.AddFinSightOpenApi();
builder.Services.AddFinSightHealth(builder.Configuration);
builder.Services.AddScoped<AccountService>();
builder.Services.Configure<StorageOptions>(builder.Configuration.GetSection(StorageOptions.Section));
builder.Services.AddScoped<PortfolioStore>();
builder.Services.AddScoped<TransactionWriter>();
builder.Services.AddScoped<CsvImporter>();
builder.Services.AddScoped<CorporateActionService>();
builder.Services.AddScoped<InsightsQueries>();
builder.Services.AddFinSightCache(builder.Configuration);
builder.Services.AddOptions<AnalyticsOptions>().Bind(builder.Configuration.GetSection(AnalyticsOptions.Section))
    .Validate(o => Ticker.TryParse(o.Benchmark, out _), "Analytics:Benchmark must be a ticker symbol (for example SPY or ^GSPC).").ValidateOnStart();
builder.Services.AddSingleton<SnapshotStore>();
builder.Services.AddSingleton<PortfolioAnalytics>();
builder.Services.AddSingleton<DashboardQueries>();
builder.Services.AddSingleton<WarmState>();
builder.Services.AddFinSightLivePrices(builder.Configuration);
builder.Services.AddFinSightSettings();

builder.Services.AddSingleton<IMarketDataStore, EfMarketDataStore>();
builder.Services.AddFinSightMarketData(builder.Configuration);
builder.Services.Configure<SymbolDirectoryOptions>(builder.Configuration.GetSection(SymbolDirectoryOptions.Section));
builder.Services.AddSingleton<SymbolDirectory>();
builder.Services.AddScoped<SymbolValidator>();
builder.Services.AddScoped<ListingCurrency>();
builder.Services.AddSingleton<ListingSearch>();
builder.Services.AddFinSightNews(builder.Configuration);

builder.Services.Configure<QuoteRefreshOptions>(builder.Configuration.GetSection(QuoteRefreshOptions.Section));
builder.Services.AddSingleton<JobLeadership>();
builder.Services.AddSingleton<QuoteRefreshJob>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<QuoteRefreshJob>());
builder.Services.AddHttpClient(SymbolDirectoryJob.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(30));
builder.Services.AddHostedService<SymbolDirectoryJob>();
builder.Services.AddSingleton<SnapshotJob>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<SnapshotJob>());
builder.Services.AddSingleton<CorporateActionJob>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<CorporateActionJob>());
builder.Services.AddFinSightAlerts(builder.Configuration);

var app = builder.Build();

app.UseFinSightProxySupport();
app.UseFinSightRequestLogging();
app.UseFinSightSecurityHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRequestBodyLimit();
app.UseFinSightInputSafety();
app.UseFinSightCors();
app.UseAuthentication();
app.UseFinSightFairUse();
app.UseRateLimiter();
app.UseAuthorization();

app.MapFinSightHealth();
app.MapFinSightOpenApi();
app.MapAccountsApi();
app.MapTransactionsApi();
app.MapHoldingsApi();
app.MapPortfoliosApi();
app.MapStocksApi();
app.MapDashboardApi();
app.MapCorporateActionsApi();
app.MapInsightsApi();
app.MapNewsApi();
app.MapModelsApi();
app.MapAlertsApi();
if (demo)
{
    app.MapDemoApi();
}
app.MapFinSightUi();
app.MapFinSightLivePrices();

await app.MigrateFinSightDatabaseAsync();
await app.ReportStoredSymbolsOutsideTickerGrammarAsync(app.Lifetime.ApplicationStopping);
await app.Services.GetRequiredService<SymbolDirectory>().InitializeAsync(app.Lifetime.ApplicationStopping);
if (demo)
{
    await DemoMode.SeedAsync(app.Services, app.Lifetime.ApplicationStopping);
    app.Logger.LogInformation("Demo mode: simulated market, data in {DataDirectory}; sign in as {User} / {Password}.",
        app.Services.GetRequiredService<DataDirectory>().Path, DemoMode.Username, DemoMode.Password);
}
await app.RunAsync();

/// <summary>Entry point; public so integration tests can host the app.</summary>
public partial class Program;
