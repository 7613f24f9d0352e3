using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FinSight.Web.Tests.Infrastructure;

namespace FinSight.Web.Tests.Portfolios;

/// <summary>The transaction and holdings routes: validation, history consistency, isolation and races.</summary>
public abstract class TransactionsApiTests(FinSightApp app)
{
    private static readonly string Today = DateTime.UtcNow.ToString("yyyy-MM-dd");

    [Fact]
    public async Task Add_holding_then_by_symbol_lists_it_with_what_remains()
    {
        var user = await app.CreateUserAsync();

        var added = await (await user.Http.PostAsJsonAsync("/holdings/add",
            new { symbol = "aapl", purchase_cost = 175.50m, quantity = 50m, date = "2026-01-05", fees = 1.00m })).AssertJsonAsync(HttpStatusCode.Created);
        await Post(user, new { type = "sell", symbol = "AAPL", quantity = 20m, price = 190m, date = "2026-02-02" });

        Assert.Equal("AAPL", added.GetProperty("symbol").GetString());
        Assert.Equal(8776.00m, added.GetProperty("cost_basis").GetDecimal());
        var bySymbol = await (await user.Http.GetAsync("/holdings/by-symbol?symbol=AAPL")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(30m, bySymbol.GetProperty("quantity_held").GetDecimal());
        var lot = Assert.Single(bySymbol.GetProperty("lots").EnumerateArray());
        Assert.Equal(50m, lot.GetProperty("quantity").GetDecimal());
        Assert.Equal(30m, lot.GetProperty("remaining_quantity").GetDecimal());
        Assert.Equal(175.50m, lot.GetProperty("purchase_cost").GetDecimal());
    }

    [Fact]
    public async Task Every_transaction_type_round_trips()
    {
        var user = await app.CreateUserAsync();
        object[] bodies =
        [
            new { type = "deposit", amount = 10000m, date = "2025-01-02" },
            new { type = "buy", symbol = "MSFT", quantity = 10.5m, price = 380.25m, fees = 1m, date = "2025-01-03", notes = "first" },
            new { type = "dividend", symbol = "MSFT", amount = 7.88m, date = "2025-03-12" },
            new { type = "split", symbol = "MSFT", split_numerator = 2m, split_denominator = 1m, date = "2025-04-01" },
            new { type = "sell", symbol = "MSFT", quantity = 21m, price = 200m, fees = 1m, date = "2025-05-01" },
            new { type = "fee", amount = 5m, date = "2025-05-02" },
            new { type = "withdrawal", amount = 100m, date = "2025-06-01" },
        ];
        foreach (var body in bodies)
        {
            var created = await Post(user, body);
            var fetched = await (await user.Http.GetAsync($"/api/transactions/{created.GetProperty("id").GetString()}")).AssertJsonAsync(HttpStatusCode.OK);
            Assert.Equal(created.GetRawText(), fetched.GetRawText());
        }

        var list = await (await user.Http.GetAsync("/api/transactions")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(7, list.GetProperty("total").GetInt32());
        var types = list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("type").GetString()!).ToArray();
        Assert.Equal<string>(["withdrawal", "fee", "sell", "split", "dividend", "buy", "deposit"], types);
    }

    [Fact]
    public async Task Filters_by_symbol_type_and_dates_and_pages()
    {
        var user = await app.CreateUserAsync();
        await Post(user, new { type = "buy", symbol = "AAPL", quantity = 1m, price = 100m, date = "2025-01-10" });
        await Post(user, new { type = "buy", symbol = "AAPL", quantity = 1m, price = 110m, date = "2025-02-10" });
        await Post(user, new { type = "buy", symbol = "NVDA", quantity = 1m, price = 500m, date = "2025-02-11" });
        await Post(user, new { type = "sell", symbol = "AAPL", quantity = 1m, price = 120m, date = "2025-03-10" });

        Assert.Equal(3, (await List(user, "?symbol=aapl")).GetProperty("total").GetInt32());
        Assert.Equal(1, (await List(user, "?symbol=AAPL&type=sell")).GetProperty("total").GetInt32());
        Assert.Equal(2, (await List(user, "?from=2025-02-01&to=2025-02-28")).GetProperty("total").GetInt32());
        var page = await List(user, "?limit=2&offset=1");
        Assert.Equal(4, page.GetProperty("total").GetInt32());
        Assert.Equal<string>(["2025-02-11", "2025-02-10"], page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("date").GetString()!).ToArray());

        var bad = await user.Http.GetAsync("/api/transactions?type=short&limit=0&from=2025-03-01&to=2025-01-01");
        var problem = await bad.AssertProblemAsync(HttpStatusCode.BadRequest);
        foreach (var field in new[] { "type", "limit", "from" })
        {
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), field);
        }
    }

    [Theory]
    [InlineData("{\"type\":\"buy\",\"symbol\":\"AAPL\",\"quantity\":0,\"price\":1,\"date\":\"2025-01-01\"}", "quantity")]
    [InlineData("{\"type\":\"buy\",\"symbol\":\"AAPL\",\"quantity\":-5,\"price\":1,\"date\":\"2025-01-01\"}", "quantity")]
    [InlineData("{\"type\":\"buy\",\"symbol\":\"AAPL\",\"quantity\":1,\"price\":-1,\"date\":\"2025-01-01\"}", "price")]
    [InlineData("{\"type\":\"buy\",\"symbol\":\"AAPL\",\"quantity\":1,\"price\":1,\"fees\":-1,\"date\":\"2025-01-01\"}", "fees")]
    [InlineData("{\"type\":\"buy\",\"symbol\":\"AAPL\",\"quantity\":1,\"price\":1,\"date\":\"2999-01-01\"}", "date")]
    [InlineData("{\"type\":\"buy\",\"symbol\":\"AAPL\",\"quantity\":1,\"price\":1}", "date")]
    [InlineData("{\"type\":\"buy\",\"quantity\":1,\"price\":1,\"date\":\"2025-01-01\"}", "symbol")]
    [InlineData("{\"type\":\"buy\",\"symbol\":\"A A\",\"quantity\":1,\"price\":1,\"date\":\"2025-01-01\"}", "symbol")]
    [InlineData("{\"type\":\"buy\",\"symbol\":\"AAPL\",\"quantity\":1e15,\"price\":1,\"date\":\"2025-01-01\"}", "quantity")]
    [InlineData("{\"type\":\"buy\",\"symbol\":\"AAPL\",\"quantity\":1,\"price\":1,\"amount\":3,\"date\":\"2025-01-01\"}", "amount")]
    [InlineData("{\"type\":\"short\",\"symbol\":\"AAPL\",\"quantity\":1,\"price\":1,\"date\":\"2025-01-01\"}", "type")]
    [InlineData("{\"type\":\"3\",\"date\":\"2025-01-01\"}", "type")]
    [InlineData("{\"type\":\"deposit\",\"amount\":0,\"date\":\"2025-01-01\"}", "amount")]
    [InlineData("{\"type\":\"deposit\",\"amount\":5,\"symbol\":\"AAPL\",\"date\":\"2025-01-01\"}", "symbol")]
    [InlineData("{\"type\":\"split\",\"symbol\":\"AAPL\",\"split_numerator\":0,\"split_denominator\":1,\"date\":\"2025-01-01\"}", "split_numerator")]
    public async Task Invalid_transactions_are_400_naming_the_field_and_write_nothing(string body, string field)
    {
        var user = await app.CreateUserAsync();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        var response = await user.Http.PostAsync("/api/transactions", content);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
        Assert.Equal(0, (await List(user, "")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Today_is_not_a_future_date()
    {
        var user = await app.CreateUserAsync();

        await Post(user, new { type = "buy", symbol = "AAPL", quantity = 1m, price = 1m, date = Today });
    }

    [Fact]
    public async Task Selling_more_than_held_is_422_naming_symbol_date_and_quantity_held()
    {
        var user = await app.CreateUserAsync();
        await Post(user, new { type = "buy", symbol = "TSLA", quantity = 20m, price = 245.80m, date = "2025-03-01" });

        var response = await user.Http.PostAsJsonAsync("/api/transactions", new { type = "sell", symbol = "TSLA", quantity = 25m, price = 250m, date = "2025-04-01" });
        var early = await user.Http.PostAsJsonAsync("/api/transactions", new { type = "sell", symbol = "TSLA", quantity = 5m, price = 250m, date = "2025-02-01" });

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("insufficient_quantity", problem.GetProperty("code").GetString());
        Assert.Equal("TSLA", problem.GetProperty("symbol").GetString());
        Assert.Equal(20m, problem.GetProperty("quantity_held").GetDecimal());
        Assert.Contains("2025-04-01", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        // Before the buy nothing was held.
        Assert.Equal(0m, (await early.AssertProblemAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("quantity_held").GetDecimal());
        Assert.Equal(1, (await List(user, "")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Editing_or_deleting_a_buy_that_a_later_sell_needs_is_409_and_changes_nothing()
    {
        var user = await app.CreateUserAsync();
        var buy = await (await user.Http.PostAsJsonAsync("/holdings/add",
            new { symbol = "NVDA", purchase_cost = 495.60m, quantity = 15m, date = "2025-01-02" })).AssertJsonAsync(HttpStatusCode.Created);
        var id = buy.GetProperty("id").GetString();
        await Post(user, new { type = "sell", symbol = "NVDA", quantity = 10m, price = 600m, date = "2025-06-02" });

        var shrink = await user.Http.PutAsJsonAsync($"/holdings/update/{id}", new { symbol = "NVDA", purchase_cost = 495.60m, quantity = 5m, date = "2025-01-02" });
        var delete = await user.Http.DeleteAsync($"/holdings/delete/{id}");
        var deleteViaTransactions = await user.Http.DeleteAsync($"/api/transactions/{id}");

        var problem = await shrink.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("NVDA", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await delete.AssertProblemAsync(HttpStatusCode.Conflict);
        await deleteViaTransactions.AssertProblemAsync(HttpStatusCode.Conflict);
        var unchanged = await (await user.Http.GetAsync($"/api/transactions/{id}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(15m, unchanged.GetProperty("quantity").GetDecimal());

        // An edit that keeps enough shares is fine.
        var grow = await user.Http.PutAsJsonAsync($"/holdings/update/{id}", new { symbol = "NVDA", purchase_cost = 490m, quantity = 12m, date = "2025-01-02" });
        Assert.Equal(12m, (await grow.AssertJsonAsync(HttpStatusCode.OK)).GetProperty("quantity").GetDecimal());
    }

    [Fact]
    public async Task Update_and_delete_a_holding()
    {
        var user = await app.CreateUserAsync();
        var buy = await (await user.Http.PostAsJsonAsync("/holdings/add",
            new { symbol = "GOOGL", purchase_cost = 142.30m, quantity = 25m, date = "2025-01-02" })).AssertJsonAsync(HttpStatusCode.Created);
        var id = buy.GetProperty("id").GetString();

        var updated = await (await user.Http.PutAsJsonAsync($"/holdings/update/{id}",
            new { symbol = "GOOGL", purchase_cost = 140m, quantity = 30m, date = "2025-01-03" })).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(4200m, updated.GetProperty("cost_basis").GetDecimal());
        Assert.Equal("2025-01-03", updated.GetProperty("date").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await user.Http.DeleteAsync($"/holdings/delete/{id}")).StatusCode);
        await (await user.Http.GetAsync($"/api/transactions/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await user.Http.DeleteAsync($"/holdings/delete/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Holdings_routes_do_not_touch_non_buy_transactions()
    {
        var user = await app.CreateUserAsync();
        var deposit = await Post(user, new { type = "deposit", amount = 100m, date = "2025-01-02" });

        var response = await user.Http.DeleteAsync($"/holdings/delete/{deposit.GetProperty("id").GetString()}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_users_ids_are_404_on_every_route_and_their_data_never_shows()
    {
        var owner = await app.CreateUserAsync();
        var intruder = await app.CreateUserAsync();
        var buy = await (await owner.Http.PostAsJsonAsync("/holdings/add",
            new { symbol = "AMZN", purchase_cost = 145.03m, quantity = 10m, date = "2025-01-02" })).AssertJsonAsync(HttpStatusCode.Created);
        var id = buy.GetProperty("id").GetString();
        var portfolioId = buy.GetProperty("portfolio_id").GetString();
        var holding = new { symbol = "AMZN", purchase_cost = 1m, quantity = 1m, date = "2025-01-02" };
        var transaction = new { type = "buy", symbol = "AMZN", quantity = 1m, price = 1m, date = "2025-01-02" };

        await (await intruder.Http.GetAsync($"/api/transactions/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await intruder.Http.PutAsJsonAsync($"/api/transactions/{id}", transaction)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await intruder.Http.DeleteAsync($"/api/transactions/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await intruder.Http.PutAsJsonAsync($"/holdings/update/{id}", holding)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await intruder.Http.DeleteAsync($"/holdings/delete/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await intruder.Http.GetAsync($"/api/transactions?portfolio_id={portfolioId}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await intruder.Http.PostAsJsonAsync("/api/transactions", new { type = "buy", symbol = "AMZN", quantity = 1m, price = 1m, date = "2025-01-02", portfolio_id = portfolioId }))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        await (await intruder.Http.GetAsync($"/holdings/by-symbol?symbol=AMZN&portfolio_id={portfolioId}")).AssertProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(0, (await List(intruder, "")).GetProperty("total").GetInt32());
        Assert.Equal(0m, (await (await intruder.Http.GetAsync("/holdings/by-symbol?symbol=AMZN")).AssertJsonAsync(HttpStatusCode.OK)).GetProperty("quantity_held").GetDecimal());
        var ownerView = await (await owner.Http.GetAsync($"/api/transactions/{id}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(10m, ownerView.GetProperty("quantity").GetDecimal());
    }

    [Fact]
    public async Task Routes_require_a_token()
    {
        var anonymous = app.CreateClient();

        await (await anonymous.GetAsync("/api/transactions")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await anonymous.PostAsJsonAsync("/holdings/add", new { symbol = "AAPL", purchase_cost = 1m, quantity = 1m })).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await anonymous.GetAsync("/holdings/by-symbol?symbol=AAPL")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Concurrent_sells_of_the_same_shares_cannot_both_succeed()
    {
        var user = await app.CreateUserAsync();
        foreach (var symbol in new[] { "AAPL", "MSFT", "GOOGL", "AMZN", "META" })
        {
            await Post(user, new { type = "buy", symbol, quantity = 10m, price = 100m, date = "2025-01-02" });

            var sells = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
                user.Http.PostAsJsonAsync("/api/transactions", new { type = "sell", symbol, quantity = 10m, price = 110m, date = "2025-02-03" })));

            Assert.Single(sells, s => s.StatusCode == HttpStatusCode.Created);
            Assert.All(sells.Where(s => s.StatusCode != HttpStatusCode.Created), s => Assert.Equal(HttpStatusCode.UnprocessableEntity, s.StatusCode));
            Assert.Equal(1, (await List(user, $"?symbol={symbol}&type=sell")).GetProperty("total").GetInt32());
        }
    }

    [Fact]
    public async Task Splits_that_would_overflow_the_position_are_422_and_change_nothing()
    {
        var user = await app.CreateUserAsync();
        await Post(user, new { type = "buy", symbol = "AMD", quantity = 1_000_000_000_000m, price = 1m, date = "2024-01-02" });

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add((await user.Http.PostAsJsonAsync("/api/transactions",
                new { type = "split", symbol = "AMD", split_numerator = 1_000_000m, split_denominator = 1m, date = $"2024-0{i + 2}-01" })).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.UnprocessableEntity, HttpStatusCode.UnprocessableEntity], answers);
        var holdings = await (await user.Http.GetAsync("/holdings/by-symbol?symbol=AMD")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1_000_000_000_000_000_000m, holdings.GetProperty("quantity_held").GetDecimal());
        await (await user.Http.GetAsync("/api/dashboard/overview")).AssertSuccessAsync();
    }

    [Fact]
    public async Task A_split_between_buy_and_sell_lets_the_split_shares_be_sold()
    {
        var user = await app.CreateUserAsync();
        await Post(user, new { type = "buy", symbol = "NVDA", quantity = 10m, price = 1000m, date = "2024-05-01" });
        await Post(user, new { type = "split", symbol = "NVDA", split_numerator = 10m, split_denominator = 1m, date = "2024-06-10" });

        await Post(user, new { type = "sell", symbol = "NVDA", quantity = 100m, price = 120m, date = "2024-07-01" });

        var holdings = await (await user.Http.GetAsync("/holdings/by-symbol?symbol=NVDA")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0m, holdings.GetProperty("quantity_held").GetDecimal());
    }

    private static async Task<JsonElement> Post(UserClient user, object body) =>
        await (await user.Http.PostAsJsonAsync("/api/transactions", body)).AssertJsonAsync(HttpStatusCode.Created);

    private static async Task<JsonElement> List(UserClient user, string query) =>
        await (await user.Http.GetAsync("/api/transactions" + query)).AssertJsonAsync(HttpStatusCode.OK);
}

public sealed class TransactionsApiSqliteTests(SqliteApp app) : TransactionsApiTests(app), IClassFixture<SqliteApp>;

public sealed class TransactionsApiPostgresTests(PostgresApp app) : TransactionsApiTests(app), IClassFixture<PostgresApp>;
