using System.Net;
using System.Net.Http.Json;
using FinSight.MarketData;
using FinSight.Web.Features.Stocks;
using FinSight.Web.Jobs;
using FinSight.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FinSight.Web.Tests.MarketData;

/// <summary>The market-data library as the host wires it: EF store, symbol directory, provider choice.</summary>
public abstract class MarketDataWiringTests(FinSightApp app)
{
    [Fact]
    public void Tests_run_on_the_simulated_market_only()
    {
        Assert.Equal(["Simulated"], app.Services.GetRequiredService<MarketDataService>().Providers);
    }

    [Fact]
    public async Task Unknown_symbols_are_422_with_close_matches()
    {
        var user = await app.CreateUserAsync();

        var response = await user.Http.PostAsJsonAsync("/holdings/add", new { symbol = "APPL", purchase_cost = 1m, quantity = 1m, date = "2025-01-02" });

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("unknown_symbol", problem.GetProperty("code").GetString());
        Assert.Contains(problem.GetProperty("matches").EnumerateArray(), m => m.GetProperty("symbol").GetString() == "AAPL");
        Assert.Contains("AAPL", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var viaTransactions = await user.Http.PostAsJsonAsync("/api/transactions", new { type = "buy", symbol = "ZZZZZZ", quantity = 1m, price = 1m, date = "2025-01-02" });
        await viaTransactions.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Symbol_search_ranks_exact_symbol_then_prefix_then_name()
    {
        var user = await app.CreateUserAsync();

        var exact = await (await user.Http.GetAsync("/stocks/symbols?q=meta")).AssertJsonAsync(HttpStatusCode.OK);
        var byName = await (await user.Http.GetAsync("/stocks/symbols?q=apple")).AssertJsonAsync(HttpStatusCode.OK);
        var browse = await (await user.Http.GetAsync("/stocks/symbols?limit=5&offset=5")).AssertJsonAsync(HttpStatusCode.OK);

        Assert.Equal("META", exact.GetProperty("items")[0].GetProperty("symbol").GetString());
        var apple = byName.GetProperty("items")[0];
        Assert.Equal("AAPL", apple.GetProperty("symbol").GetString());
        Assert.False(string.IsNullOrEmpty(apple.GetProperty("sector").GetString()));
        Assert.Equal(5, browse.GetProperty("items").GetArrayLength());
        Assert.True(browse.GetProperty("total").GetInt32() >= 100);
        await (await user.Http.GetAsync("/stocks/symbols?limit=1000")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await app.CreateClient().GetAsync("/stocks/symbols?q=a")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_store_keeps_quotes_profiles_news_and_bars_across_instances()
    {
        var store = app.Services.GetRequiredService<IMarketDataStore>();
        var symbol = "MSFT";
        var asOf = new DateTimeOffset(2026, 3, 2, 15, 0, 0, TimeSpan.Zero);
        await store.SaveQuoteAsync(new Quote { Symbol = symbol, Price = 401.25m, PreviousClose = 399.5m, Currency = "USD", MarketTime = asOf, Source = "Yahoo", AsOf = asOf });
        await store.SaveQuoteAsync(new Quote { Symbol = symbol, Price = 402.75m, PreviousClose = 399.5m, Currency = "USD", MarketTime = asOf.AddMinutes(1), Source = "Yahoo", AsOf = asOf.AddMinutes(1) });
        await store.SaveProfileAsync(new CompanyProfile { Symbol = symbol, Name = "Microsoft Corporation", Sector = "Technology", MarketCap = 3.1e12m, Currency = "USD", Source = "Yahoo", AsOf = asOf });
        var headline = new NewsHeadline { Id = "y-1", Title = "Microsoft beats estimates", Publisher = "Wire", Url = new Uri("https://example.com/a"), PublishedAt = asOf, RelatedSymbols = ["MSFT"] };
        await store.SaveNewsAsync(new NewsFeed { Symbol = symbol, Headlines = [headline], Source = "Yahoo", AsOf = asOf });
        await store.SaveNewsAsync(new NewsFeed { Symbol = symbol, Headlines = [headline with { Title = "Microsoft beats estimates again" }], Source = "Yahoo", AsOf = asOf.AddHours(1) });
        var day1 = new DailyBar { Date = new DateOnly(2026, 2, 26), Open = 1, High = 2, Low = 1, Close = 1.5m, AdjustedClose = 1.5m, Volume = 10 };
        await store.SaveDailyHistoryAsync(new PriceHistory { Symbol = symbol, Bars = [day1], Source = "Yahoo", Splits = [new StockSplit { Date = day1.Date, Numerator = 2, Denominator = 1 }] });
        // Past bars never change: a second write of the same date keeps the first.
        await store.SaveDailyHistoryAsync(new PriceHistory { Symbol = symbol, Bars = [day1 with { Close = 99m }, day1 with { Date = day1.Date.AddDays(1), Close = 1.75m }], Source = "Yahoo" });

        var quote = await store.GetQuoteAsync(symbol);
        var profile = await store.GetProfileAsync(symbol);
        var news = await store.GetNewsAsync(symbol);
        var history = await store.GetDailyHistoryAsync(symbol, new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 28));

        Assert.Equal(402.75m, quote!.Price);
        Assert.Equal(asOf.AddMinutes(1), quote.AsOf);
        Assert.Equal(3.1e12m, profile!.MarketCap);
        Assert.Equal("Microsoft beats estimates again", Assert.Single(news!.Headlines).Title);
        Assert.Equal(asOf.AddHours(1), news.AsOf);
        Assert.Equal([1.5m, 1.75m], history!.Bars.Select(b => b.Close));
        Assert.Equal(2, Assert.Single(history.Splits).Numerator);
        Assert.Null(await store.GetQuoteAsync("NOPE"));
        Assert.Null(await store.GetDailyHistoryAsync(symbol, new DateOnly(2020, 1, 1), new DateOnly(2020, 2, 1)));
    }

    [Fact]
    public async Task The_nasdaq_trader_directory_imports_with_sectors()
    {
        var directory = app.Services.GetRequiredService<SymbolDirectory>();

        await directory.ImportFolderAsync(SharedData.Folder("symbols"), CancellationToken.None);

        Assert.True(directory.Count > 10_000, $"only {directory.Count} listings");
        Assert.Equal("Information Technology", directory.Find("NVDA")!.Sector);
        Assert.Equal("NYSE", directory.Find("BRK.B")?.Exchange);
        Assert.Contains(directory.CloseMatches("MFST"), s => s.Symbol == "MSFT");
    }

    [Fact]
    public async Task The_quote_refresh_job_warms_quotes_for_held_symbols()
    {
        var user = await app.CreateUserAsync();
        (await user.Http.PostAsJsonAsync("/holdings/add", new { symbol = "NVDA", purchase_cost = 100m, quantity = 1m, date = "2025-01-02" })).EnsureSuccessStatusCode();

        var refreshed = await app.Services.GetRequiredService<QuoteRefreshJob>().RefreshAsync(CancellationToken.None);

        Assert.True(refreshed >= 1);
    }
}

public sealed class MarketDataWiringSqliteTests(SqliteApp app) : MarketDataWiringTests(app), IClassFixture<SqliteApp>;

public sealed class MarketDataWiringPostgresTests(PostgresApp app) : MarketDataWiringTests(app), IClassFixture<PostgresApp>
{
    [Fact]
    public async Task Only_one_instance_leads_a_background_job_and_another_takes_over_when_it_stops()
    {
        var database = app.Services.GetRequiredService<FinSight.Web.Data.ResolvedDatabase>();
        var logger = Microsoft.Extensions.Logging.Abstractions.NullLogger<JobLeadership>.Instance;
        var first = new JobLeadership(database, logger);
        await using var second = new JobLeadership(database, logger);

        Assert.True(await first.IsLeaderAsync(42, CancellationToken.None));
        Assert.False(await second.IsLeaderAsync(42, CancellationToken.None));
        Assert.True(await second.IsLeaderAsync(43, CancellationToken.None));
        Assert.True(await first.IsLeaderAsync(42, CancellationToken.None));

        await first.DisposeAsync();

        // PostgreSQL frees a session's advisory locks when its backend has ended, a moment after the
        // client closed the connection.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await second.IsLeaderAsync(42, CancellationToken.None))
        {
            Assert.True(DateTime.UtcNow < deadline, "the second instance did not take over within 30 s of the first stopping");
            await Task.Delay(50);
        }
    }
}
