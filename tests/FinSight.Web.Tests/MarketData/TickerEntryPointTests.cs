using System.Net;
using System.Net.Http.Json;
using FinSight.MarketData.Directory;
using FinSight.Web.Data;
using FinSight.Web.Features.Stocks;
using FinSight.Web.Infrastructure;
using FinSight.Web.Tests.Hardening;
using FinSight.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FinSight.Web.Tests.MarketData;

/// <summary>
/// Every route that takes a symbol admits the same tickers (the Domain's <c>Ticker</c> grammar),
/// including the non-US listings, and answers a malformed one with a 4xx, never a 500.
/// </summary>
public sealed class TickerEntryPointTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    public static readonly TheoryData<string> Listings =
        ["SAP.DE", "VOD.L", "7203.T", "0700.HK", "BRK-B", "BRK.B", "^GSPC", "EURUSD=X", "RY.TO", "NESN.SW"];

    public static readonly TheoryData<string> Malformed = ["A..B", "ABCDEFGHIJKLMNO", "BRK B", ".B", "^", "AAPL.ABCDE"];

    [Theory]
    [MemberData(nameof(Listings))]
    public async Task Listings_at_home_and_abroad_are_accepted_by_every_entry_point(string symbol)
    {
        await ListAsync(symbol);
        var user = await app.CreateUserAsync();
        var asTyped = symbol.ToLowerInvariant();
        var path = Uri.EscapeDataString(asTyped);

        var bought = await (await user.Http.PostAsJsonAsync("/api/transactions",
            new { type = "buy", symbol = asTyped, quantity = 2m, price = 10m, date = "2025-01-02" })).AssertJsonAsync(HttpStatusCode.Created);
        var held = await (await user.Http.PostAsJsonAsync("/holdings/add",
            new { symbol = asTyped, purchase_cost = 12m, quantity = 1m, date = "2025-01-03" })).AssertJsonAsync(HttpStatusCode.Created);
        var bySymbol = await (await user.Http.GetAsync($"/holdings/by-symbol?symbol={path}")).AssertJsonAsync(HttpStatusCode.OK);
        var performance = await (await user.Http.GetAsync($"/api/dashboard/performance?benchmark={path}")).AssertSuccessAsync();
        var positions = await (await user.Http.GetAsync("/api/dashboard/positions")).AssertSuccessAsync();

        Assert.Equal((symbol, symbol), (bought.GetProperty("symbol").GetString(), held.GetProperty("symbol").GetString()));
        Assert.Equal(3m, bySymbol.GetProperty("quantity_held").GetDecimal());
        Assert.Equal(symbol, performance.GetProperty("benchmark").GetString());
        Assert.Equal(symbol, Assert.Single(positions.GetProperty("positions").EnumerateArray()).GetProperty("symbol").GetString());
        // The simulated market only makes up US tickers: a listing it does not know reaches it and is
        // answered "no data for <ticker>", which is not a validation error.
        await AssertReachesMarketDataAsync(await user.Http.GetAsync($"/api/dashboard/quote/{path}"), symbol, "price");
        await AssertReachesMarketDataAsync(await user.Http.GetAsync($"/api/dashboard/profile/{path}"), symbol, "company profile");
        await AssertReachesMarketDataAsync(await user.Http.GetAsync($"/api/news/{path}"), symbol, "news");
        var page = await PageSession.SignInAsync(app, user);
        var stock = await page.GetAsync($"/stock/{path}");
        Assert.Equal(HttpStatusCode.OK, stock.StatusCode);
        Assert.Contains(WebUtility.HtmlEncode(symbol), await stock.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task A_malformed_symbol_is_a_4xx_on_every_entry_point_never_a_500(string symbol)
    {
        var user = await app.CreateUserAsync();
        var path = Uri.EscapeDataString(symbol);

        foreach (var route in new[]
        {
            $"/api/dashboard/quote/{path}", $"/api/dashboard/profile/{path}", $"/api/news/{path}",
            $"/holdings/by-symbol?symbol={path}", $"/api/dashboard/performance?benchmark={path}",
        })
        {
            var problem = await (await user.Http.GetAsync(route)).AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.Equal(["Not a valid ticker symbol."], problem.GetProperty("errors").EnumerateObject().Single().Value.EnumerateArray().Select(e => e.GetString()));
        }
        await (await user.Http.PostAsJsonAsync("/api/transactions", new { type = "buy", symbol, quantity = 1m, price = 1m, date = "2025-01-02" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await user.Http.PostAsJsonAsync("/holdings/add", new { symbol, purchase_cost = 1m, quantity = 1m, date = "2025-01-02" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        var page = await PageSession.SignInAsync(app, user);
        Assert.Equal(HttpStatusCode.NotFound, (await page.GetAsync($"/stock/{path}")).StatusCode);
        var transactions = await (await user.Http.GetAsync("/api/transactions")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, transactions.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_stored_symbol_outside_the_grammar_is_named_in_a_warning_at_start_up()
    {
        var user = await app.CreateUserAsync();
        var bought = await (await user.Http.PostAsJsonAsync("/api/transactions",
            new { type = "buy", symbol = "MSFT", quantity = 1m, price = 1m, date = "2025-01-02" })).AssertJsonAsync(HttpStatusCode.Created);
        var id = Guid.Parse(bought.GetProperty("id").GetString()!);
        // Written behind the API's back, as a hand edit or an older version's grammar could have.
        await SetSymbolAsync(id, "A..B");
        try
        {
            var database = Path.Combine(app.Services.GetRequiredService<DataDirectory>().Path, "finsight.db");
            IAsyncLifetime restarted = new RestartedApp(database);
            await restarted.InitializeAsync();
            await restarted.DisposeAsync();

            var warning = Assert.Single(((RestartedApp)restarted).Logs.Entries,
                e => e.Level == LogLevel.Warning && e.Message.Contains("not valid tickers", StringComparison.Ordinal));
            Assert.Equal("'A..B'", warning.Values["Symbols"]);
        }
        finally
        {
            await SetSymbolAsync(id, "MSFT");
        }
    }

    private async Task SetSymbolAsync(Guid transactionId, string symbol)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FinSightDbContext>();
        await db.Transactions.Where(t => t.Id == transactionId).ExecuteUpdateAsync(s => s.SetProperty(t => t.Symbol, symbol));
    }

    private async Task ListAsync(string symbol) =>
        await app.Services.GetRequiredService<SymbolDirectory>().UpsertAsync(
            [new SymbolDirectoryEntry { Symbol = symbol, Name = $"{symbol} listing", Exchange = "Test" }], CancellationToken.None);

    private static async Task AssertReachesMarketDataAsync(HttpResponseMessage response, string symbol, string what)
    {
        if (response.StatusCode == HttpStatusCode.OK)
        {
            var body = response.RequestMessage!.RequestUri!.AbsolutePath.StartsWith("/api/dashboard/", StringComparison.Ordinal)
                ? await response.AssertSuccessAsync()
                : await response.AssertJsonAsync(HttpStatusCode.OK);
            Assert.Equal(symbol, body.GetProperty("symbol").GetString());
            return;
        }
        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal($"No {what} for {symbol}", problem.GetProperty("title").GetString());
    }

    /// <summary>A second instance on the fixture's SQLite file, with its log captured from the first line.</summary>
    private sealed class RestartedApp(string databaseFile) : FinSightApp(DatabaseProvider.Sqlite)
    {
        public CapturingLoggerProvider Logs { get; } = new();

        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["ConnectionStrings:Sqlite"] = $"Data Source={databaseFile}",
        };

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        }
    }
}
