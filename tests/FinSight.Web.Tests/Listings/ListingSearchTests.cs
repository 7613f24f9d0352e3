using System.Net;
using System.Text.Json;
using FinSight.Web.Tests.Infrastructure;

namespace FinSight.Web.Tests.Listings;

/// <summary>
/// The symbol search asks the provider's search too (Yahoo's <c>/v1/finance/search</c>, hand-built answers
/// over loopback, see <see cref="ListingsYahoo"/>) and merges its listings after the directory's: cached and
/// coalesced, and never failing when the provider is down.
/// </summary>
public sealed class ListingSearchTests(ListingsSqliteApp app) : IClassFixture<ListingsSqliteApp>
{
    [Fact]
    public async Task A_listing_only_the_provider_knows_is_found_after_the_directory_matches()
    {
        var user = await app.CreateUserAsync();

        var etf = await SearchAsync(user, "CSPX");
        var shell = await SearchAsync(user, "Shell");

        var found = Assert.Single(Items(etf), i => i.GetProperty("symbol").GetString() == "CSPX.L");
        Assert.Equal(("iShares Core S&P 500 UCITS ETF USD (Acc)", "London", "etf"),
            (found.GetProperty("name").GetString(), found.GetProperty("exchange").GetString(), found.GetProperty("type").GetString()?.ToLowerInvariant()));
        // Shell is in the directory and the provider's answer: listed once, with the directory's details first.
        var shells = Items(shell).Where(i => i.GetProperty("symbol").GetString() == "SHEL.L").ToArray();
        Assert.Equal("London Stock Exchange", Assert.Single(shells).GetProperty("exchange").GetString());
        Assert.Equal(Items(shell).Length, shell.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Concurrent_and_repeated_searches_cost_one_provider_call()
    {
        var user = await app.CreateUserAsync();

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => SearchAsync(user, "iShares")));
        await SearchAsync(user, "ishares");

        Assert.Equal(1, app.Yahoo.SearchRequests("iShares") + app.Yahoo.SearchRequests("ishares"));
    }

    [Fact]
    public async Task The_symbol_box_suggests_the_providers_listings_too()
    {
        var user = await app.CreateUserAsync();
        using var page = await PageSession.SignInAsync(app, user);

        var options = await page.GetStringAsync("/transactions?handler=Symbols&Form.Symbol=CSPX");

        Assert.Contains("<option value=\"CSPX.L\">iShares Core S&amp;P 500 UCITS ETF USD (Acc) (London)</option>", options, StringComparison.Ordinal);
    }

    internal static JsonElement[] Items(JsonElement page) => [.. page.GetProperty("items").EnumerateArray()];

    internal static async Task<JsonElement> SearchAsync(UserClient user, string q) =>
        await (await user.Http.GetAsync($"/stocks/symbols?q={Uri.EscapeDataString(q)}")).AssertJsonAsync(HttpStatusCode.OK);
}

/// <summary>The provider's search down (its own app: the outage must not open the circuit for the other tests' Yahoo).</summary>
public sealed class ListingSearchOutageTests(ListingsSqliteApp app) : IClassFixture<ListingsSqliteApp>
{
    [Fact]
    public async Task A_provider_that_is_down_leaves_the_directory_matches()
    {
        var user = await app.CreateUserAsync();
        app.Yahoo.SearchDown = true;
        try
        {
            var vodafone = await ListingSearchTests.SearchAsync(user, "Vodafone");
            var onlyAtTheProvider = await ListingSearchTests.SearchAsync(user, "UCITS");

            Assert.Contains(ListingSearchTests.Items(vodafone), i => i.GetProperty("symbol").GetString() == "VOD.L");
            Assert.Empty(ListingSearchTests.Items(onlyAtTheProvider));
            Assert.True(app.Yahoo.SearchRequests("Vodafone") >= 1);
        }
        finally
        {
            app.Yahoo.SearchDown = false;
        }
    }

}

/// <summary>The app on <see cref="ListingsYahoo"/> with a fair-use budget of two unknown symbols or searches per user.</summary>
public sealed class ListingsBudgetApp() : ListingsApp(Data.DatabaseProvider.Sqlite)
{
    protected override IDictionary<string, string?> ExtraSettings =>
        new Dictionary<string, string?>(base.ExtraSettings) { ["MarketData:FairUse:SymbolsPerWindow"] = "2" };
}

/// <summary>A search the cache does not hold counts against the caller's fair-use budget; the directory answers beyond it.</summary>
public sealed class ListingSearchBudgetTests(ListingsBudgetApp app) : IClassFixture<ListingsBudgetApp>
{
    [Fact]
    public async Task Searches_beyond_a_users_budget_reach_no_vendor_and_still_list_the_directory_matches()
    {
        var user = await app.CreateUserAsync();
        await ListingSearchTests.SearchAsync(user, "Shell");
        await ListingSearchTests.SearchAsync(user, "Apple");

        var third = await ListingSearchTests.SearchAsync(user, "Vodafone");

        Assert.Contains(ListingSearchTests.Items(third), i => i.GetProperty("symbol").GetString() == "VOD.L");
        Assert.Equal((1, 1, 0), (app.Yahoo.SearchRequests("Shell"), app.Yahoo.SearchRequests("Apple"), app.Yahoo.SearchRequests("Vodafone")));
        // Another user's budget is their own.
        await ListingSearchTests.SearchAsync(await app.CreateUserAsync(), "Vodafone");
        Assert.Equal(1, app.Yahoo.SearchRequests("Vodafone"));
    }
}
