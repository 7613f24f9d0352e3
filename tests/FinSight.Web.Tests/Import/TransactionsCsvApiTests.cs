using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FinSight.Web.Tests.Infrastructure;

namespace FinSight.Web.Tests.Import;

/// <summary>GET /api/transactions/export and POST /api/transactions/import, on both databases.</summary>
public abstract class TransactionsCsvApiTests(FinSightApp app)
{
    private const string Header = "date,type,symbol,quantity,price,fees,amount,split_numerator,split_denominator,notes";
    private const string ExportHeader = Header + ",currency,settlement_currency,settlement_rate,to_currency,to_amount";

    [Fact]
    public async Task Export_then_import_into_another_account_gives_identical_transactions()
    {
        var owner = await app.CreateUserAsync();
        object[] bodies =
        [
            new { type = "deposit", amount = 25000m, date = "2025-01-02", notes = "café ✓, \"first\" deposit" },
            new { type = "buy", symbol = "MSFT", quantity = 10.5m, price = 380.25m, fees = 1m, date = "2025-01-03", notes = "two\nlines" },
            new { type = "sell", symbol = "MSFT", quantity = 0.5m, price = 381m, date = "2025-01-03", notes = "=HYPERLINK(\"http://x\")" },
            new { type = "dividend", symbol = "MSFT", amount = 7.88m, date = "2025-03-12", notes = "'@already quoted" },
            new { type = "split", symbol = "MSFT", split_numerator = 2m, split_denominator = 1m, date = "2025-04-01" },
            new { type = "sell", symbol = "MSFT", quantity = 20m, price = 200m, fees = 0.35m, date = "2025-05-01", notes = "-10% stop" },
            new { type = "fee", amount = 5m, date = "2025-05-02" },
            new { type = "withdrawal", amount = 100m, date = "2025-06-01" },
        ];
        foreach (var body in bodies)
        {
            await (await owner.Http.PostAsJsonAsync("/api/transactions", body)).AssertJsonAsync(HttpStatusCode.Created);
        }
        var exported = await ExportAsync(owner);

        var copy = await app.CreateUserAsync();
        var imported = await (await ImportAsync(copy, exported)).AssertJsonAsync(HttpStatusCode.OK);

        Assert.Equal(8, imported.GetProperty("imported").GetInt32());
        Assert.Equal("finsight", imported.GetProperty("format").GetString());
        Assert.Equal(exported, await ExportAsync(copy));
        Assert.Equal(Comparable(await ListAsync(owner)), Comparable(await ListAsync(copy)));
        var notes = (await ListAsync(copy)).Select(i => i.GetProperty("notes").GetString()).ToList();
        Assert.Contains("=HYPERLINK(\"http://x\")", notes);
        Assert.Contains("'@already quoted", notes);
        Assert.Contains("two\nlines", notes);
    }

    [Fact]
    public async Task Export_is_a_dated_csv_download_in_replay_order_with_formulas_defused()
    {
        var user = await app.CreateUserAsync();
        await PostAsync(user, new { type = "buy", symbol = "AAPL", quantity = 3m, price = 175.5m, date = "2025-02-01", notes = "=1+2" });
        await PostAsync(user, new { type = "deposit", amount = 1000m, date = "2025-01-15", notes = "a, b" });

        var response = await user.Http.GetAsync("/api/transactions/export");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var disposition = response.Content.Headers.ContentDisposition;
        Assert.Equal("attachment", disposition?.DispositionType);
        Assert.Matches(@"^finsight-transactions-\d{4}-\d{2}-\d{2}\.csv$", disposition?.FileNameStar ?? disposition?.FileName?.Trim('"'));
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n");
        Assert.Equal(
            [ExportHeader, "2025-01-15,deposit,,,,,1000,,,\"a, b\",USD,,,,", "2025-02-01,buy,AAPL,3,175.5,0,,,,'=1+2,USD,,,,", ""],
            lines);
    }

    [Fact]
    public async Task A_good_finsight_file_imports_every_type_in_file_order_within_a_day()
    {
        var user = await app.CreateUserAsync();
        var csv = "\uFEFF" + Header + "\n"
            + "2025-01-02,deposit,,,,,10000,,,opening\n"
            + "\n"
            + "2025-01-03,buy,nvda,10,500,1,,,,\n"
            + "2025-01-03,sell,NVDA,4,510,,,,,\"same day, after the buy\"\n"
            + "2025-02-01,dividend,NVDA,,,,1.20,,,\n"
            + "2025-06-10,split,NVDA,,,,,10,1,\n"
            + "2025-06-11,sell,NVDA,60,120,0.5,,,,\n"
            + "2025-06-12,fee,,,,,2,,,\n"
            + "2025-06-13,withdrawal,,,,,500,,,";

        var result = await (await ImportAsync(user, csv)).AssertJsonAsync(HttpStatusCode.OK);

        Assert.False(result.GetProperty("dry_run").GetBoolean());
        Assert.True(result.GetProperty("valid").GetBoolean());
        Assert.Equal(8, result.GetProperty("rows").GetInt32());
        Assert.Equal(8, result.GetProperty("imported").GetInt32());
        Assert.Empty(result.GetProperty("errors").EnumerateArray());
        var preview = result.GetProperty("preview").EnumerateArray().ToList();
        Assert.Equal([2, 4, 5, 6, 7, 8, 9, 10], preview.Select(p => p.GetProperty("line").GetInt32()));
        Assert.Equal("NVDA", preview[1].GetProperty("symbol").GetString());
        Assert.Equal(JsonValueKind.String, preview[1].GetProperty("id").ValueKind);
        var holding = await (await user.Http.GetAsync("/holdings/by-symbol?symbol=NVDA")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0m, holding.GetProperty("quantity_held").GetDecimal());
        Assert.Equal(8, (await ListAsync(user)).Count);
    }

    [Fact]
    public async Task A_fidelity_style_export_is_read_by_its_column_names_and_action_words()
    {
        var user = await app.CreateUserAsync();
        const string csv = """


            Run Date,Account,Action,Symbol,Security Description,Security Type,Quantity,Price ($),Commission ($),Fees ($),Accrued Interest ($),Amount ($),Settlement Date
            03/10/2025,X123,YOU SOLD APPLE INC (AAPL) (Cash),AAPL,APPLE INC,Cash,-4,$190.00,,0.02,,$759.98,03/11/2025
            02/14/2025,X123,DIVIDEND RECEIVED APPLE INC (AAPL) (Cash),AAPL,APPLE INC,Cash,0.000,,,,,$2.50,
            01/06/2025,X123,YOU BOUGHT APPLE INC (AAPL) (Cash),AAPL,APPLE INC,Cash,10,"$1,175.50",$1.00,$0.50,,"($11,756.50)",01/07/2025
            01/02/2025,X123,ELECTRONIC FUNDS TRANSFER RECEIVED (Cash),,No Description,Cash,0.000,,,,,"$20,000.00",

            "The data and information in this spreadsheet is provided to you solely for your use, and is not for distribution."
            "Date downloaded 03/15/2025 10:30 am"
            """;

        var result = await (await ImportAsync(user, csv)).AssertJsonAsync(HttpStatusCode.OK);

        Assert.Equal("broker", result.GetProperty("format").GetString());
        Assert.Equal(4, result.GetProperty("imported").GetInt32());
        Assert.Equal([9, 10], result.GetProperty("skipped_lines").EnumerateArray().Select(l => l.GetInt32()));
        Assert.Contains("Settlement Date", result.GetProperty("ignored_columns").EnumerateArray().Select(c => c.GetString()));
        var items = await ListAsync(user);
        var buy = Assert.Single(items, i => i.GetProperty("type").GetString() == "buy");
        Assert.Equal(("2025-01-06", 10m, 1175.50m, 1.50m), (buy.GetProperty("date").GetString(), buy.GetProperty("quantity").GetDecimal(),
            buy.GetProperty("price").GetDecimal(), buy.GetProperty("fees").GetDecimal()));
        var sell = Assert.Single(items, i => i.GetProperty("type").GetString() == "sell");
        Assert.Equal((4m, 0.02m), (sell.GetProperty("quantity").GetDecimal(), sell.GetProperty("fees").GetDecimal()));
        Assert.Equal(2.50m, Assert.Single(items, i => i.GetProperty("type").GetString() == "dividend").GetProperty("amount").GetDecimal());
        Assert.Equal(20000m, Assert.Single(items, i => i.GetProperty("type").GetString() == "deposit").GetProperty("amount").GetDecimal());
    }

    [Fact]
    public async Task A_schwab_style_export_with_as_of_dates_transfers_and_a_total_line()
    {
        var user = await app.CreateUserAsync();
        const string csv = """
            "Date","Action","Symbol","Description","Quantity","Price","Fees & Comm","Amount"
            "02/10/2025","MoneyLink Transfer","","Tfr BANK","","","","-$200.00"
            "02/03/2025 as of 01/31/2025","Qualified Dividend","MSFT","MICROSOFT CORP","","","","$8.30"
            "01/15/2025","Sell","MSFT","MICROSOFT CORP","5","$420.00","$0.65","$2,099.35"
            "01/10/2025","Reinvest Shares","MSFT","MICROSOFT CORP","0.02","$400.00","","-$8.00"
            "01/10/2025","Buy","msft","MICROSOFT CORP","10","$400.00","","-$4,000.00"
            "01/09/2025","MoneyLink Transfer","","Tfr BANK","","","","$5,000.00"
            "Transactions Total","","","","","","","$2,899.65"
            """;

        var result = await (await ImportAsync(user, csv)).AssertJsonAsync(HttpStatusCode.OK);

        Assert.Equal(6, result.GetProperty("imported").GetInt32());
        Assert.Equal([8], result.GetProperty("skipped_lines").EnumerateArray().Select(l => l.GetInt32()));
        var items = await ListAsync(user);
        Assert.Equal(["withdrawal", "dividend", "sell", "buy", "buy", "deposit"], items.Select(i => i.GetProperty("type").GetString()));
        Assert.Equal("2025-01-31", items[1].GetProperty("date").GetString());
        Assert.Equal(200m, items[0].GetProperty("amount").GetDecimal());
        Assert.Equal("MICROSOFT CORP", items[2].GetProperty("notes").GetString());
        var holding = await (await user.Http.GetAsync("/holdings/by-symbol?symbol=MSFT")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(5.02m, holding.GetProperty("quantity_held").GetDecimal());
    }

    [Fact]
    public async Task An_explicit_mapping_reads_columns_the_aliases_do_not_know()
    {
        var user = await app.CreateUserAsync();
        const string csv = "When,What,Stock,How many,Each\n2025-03-03,Bought,AMZN,2,$145.03\n";
        var mapping = Uri.EscapeDataString("""{"date":"When","type":"What","symbol":"Stock","quantity":"How many","price":"Each"}""");

        var withoutMapping = await ImportAsync(user, csv);
        var result = await (await ImportAsync(user, csv, $"mapping={mapping}")).AssertJsonAsync(HttpStatusCode.OK);

        var problem = await withoutMapping.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("mapping", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, result.GetProperty("imported").GetInt32());
        Assert.Equal(145.03m, Assert.Single(await ListAsync(user)).GetProperty("price").GetDecimal());
    }

    [Fact]
    public async Task Several_bad_rows_are_422_listing_each_line_and_reason_and_nothing_is_written()
    {
        var user = await app.CreateUserAsync();
        var csv = string.Join("\n",
            Header,
            "2025-01-02,deposit,,,,,1000,,,",
            "2025-01-03,buy,AAPL,0,100,,,,,",
            "2999-01-01,buy,AAPL,1,100,,,,,",
            "2025-01-05,short,AAPL,1,100,,,,,",
            "2025-01-06,buy,AAPL,abc,100,,,,,",
            "2025-01-07,deposit,AAPL,,,,50,,,",
            "01/08/2025,buy,AAPL,1,100,,,,,",
            "2025-01-09,buy,AAPL,1,100,,,,",
            "2025-01-10,buy,MSFT,2,300,,,,,fine");

        var problem = await (await ImportAsync(user, csv)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);

        var errors = problem.GetProperty("errors").EnumerateArray()
            .Select(e => (Line: e.GetProperty("line").GetInt32(), Field: e.GetProperty("field").GetString(), Message: e.GetProperty("message").GetString()!))
            .ToList();
        Assert.Equal<(int, string?)>(
            [(3, "quantity"), (4, "date"), (5, "type"), (6, "quantity"), (7, "symbol"), (8, "date"), (9, null)],
            errors.Select(e => (e.Line, e.Field)));
        Assert.Contains("abc", errors[3].Message, StringComparison.Ordinal);
        Assert.Contains("future", errors[1].Message, StringComparison.Ordinal);
        Assert.False(problem.GetProperty("valid").GetBoolean());
        Assert.Equal(9, problem.GetProperty("rows").GetInt32());
        Assert.Empty(await ListAsync(user));
    }

    [Fact]
    public async Task An_action_word_that_is_not_understood_is_an_error_on_its_line()
    {
        var user = await app.CreateUserAsync();
        const string csv = "Trade Date,Action,Ticker,Qty,Trade Price,Amount\n01/02/2025,Buy,AAPL,1,100,-100\n01/03/2025,INTEREST EARNED,,,,0.12\n";

        var problem = await (await ImportAsync(user, csv)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);

        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal(3, error.GetProperty("line").GetInt32());
        Assert.Equal("type", error.GetProperty("field").GetString());
        Assert.Contains("'INTEREST EARNED'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(await ListAsync(user));
    }

    [Fact]
    public async Task Rows_with_an_unlisted_symbol_are_422_on_each_of_their_lines_with_suggestions()
    {
        var user = await app.CreateUserAsync();
        var csv = string.Join("\r\n",
            Header,
            "2025-02-03,buy,AAPL,1,200,,,,,",
            "2025-02-04,buy,APPL,1,200,,,,,",
            "2025-02-05,sell,APPL,1,210,,,,,");

        var problem = await (await ImportAsync(user, csv, "dry_run=true")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);

        var errors = problem.GetProperty("errors").EnumerateArray().ToArray();
        Assert.Equal([3, 4], errors.Select(e => e.GetProperty("line").GetInt32()));
        Assert.All(errors, e => Assert.Equal("symbol", e.GetProperty("field").GetString()));
        Assert.Contains("AAPL", errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(await ListAsync(user));
    }

    [Fact]
    public async Task A_row_that_sells_more_than_held_is_422_naming_its_line_and_nothing_is_written()
    {
        var user = await app.CreateUserAsync();
        await PostAsync(user, new { type = "buy", symbol = "TSLA", quantity = 5m, price = 200m, date = "2025-01-02" });
        var csv = string.Join("\r\n",
            Header,
            "2025-02-01,buy,TSLA,10,245.80,,,,,",
            "2025-02-02,deposit,,,,,100,,,",
            "2025-03-01,sell,TSLA,20,250,,,,,too many");

        foreach (var query in new[] { "dry_run=true", "dry_run=false" })
        {
            var problem = await (await ImportAsync(user, csv, query)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);

            var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
            Assert.Equal(4, error.GetProperty("line").GetInt32());
            Assert.Equal("quantity", error.GetProperty("field").GetString());
            Assert.Contains("only 15 held", error.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Equal("insufficient_quantity", problem.GetProperty("code").GetString());
        }
        Assert.Single(await ListAsync(user));
    }

    [Fact]
    public async Task A_dry_run_previews_and_writes_nothing()
    {
        var user = await app.CreateUserAsync();
        var rows = Enumerable.Range(1, 60).Select(i => $"2025-01-{(i % 28) + 1:00},deposit,,,,,{i},,,");
        var csv = Header + "\n" + string.Join("\n", rows);

        var result = await (await ImportAsync(user, csv, "dry_run=true")).AssertJsonAsync(HttpStatusCode.OK);

        Assert.True(result.GetProperty("dry_run").GetBoolean());
        Assert.True(result.GetProperty("valid").GetBoolean());
        Assert.Equal(60, result.GetProperty("rows").GetInt32());
        Assert.Equal(0, result.GetProperty("imported").GetInt32());
        var preview = result.GetProperty("preview").EnumerateArray().ToList();
        Assert.Equal(50, preview.Count);
        Assert.Equal(JsonValueKind.Null, preview[0].GetProperty("id").ValueKind);
        Assert.Equal(("deposit", 1m, 2), (preview[0].GetProperty("type").GetString(), preview[0].GetProperty("amount").GetDecimal(), preview[0].GetProperty("line").GetInt32()));
        Assert.Empty(await ListAsync(user));
    }

    [Fact]
    public async Task A_browser_form_upload_is_accepted()
    {
        var user = await app.CreateUserAsync();
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(Header + "\n2025-01-02,deposit,,,,,750,,,\n"));
        file.Headers.ContentType = new("text/csv");
        form.Add(file, "file", "my-transactions.csv");
        using var noFile = new MultipartFormDataContent { { new StringContent("x"), "other" } };

        var result = await (await user.Http.PostAsync("/api/transactions/import", form)).AssertJsonAsync(HttpStatusCode.OK);
        var missing = await user.Http.PostAsync("/api/transactions/import", noFile);

        Assert.Equal(1, result.GetProperty("imported").GetInt32());
        Assert.Contains("'file'", (await missing.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Single(await ListAsync(user));
    }

    [Fact]
    public async Task Another_users_portfolio_is_404_for_import_and_export()
    {
        var owner = await app.CreateUserAsync();
        var intruder = await app.CreateUserAsync();
        var created = await PostAsync(owner, new { type = "deposit", amount = 10m, date = "2025-01-02" });
        var portfolioId = created.GetProperty("portfolio_id").GetString();
        var csv = Header + "\n2025-01-03,deposit,,,,,99,,,\n";

        await (await ImportAsync(intruder, csv, $"portfolio_id={portfolioId}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await ImportAsync(intruder, csv, $"portfolio_id={portfolioId}&dry_run=true")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await intruder.Http.GetAsync($"/api/transactions/export?portfolio_id={portfolioId}")).AssertProblemAsync(HttpStatusCode.NotFound);

        Assert.Single(await ListAsync(owner));
        Assert.Empty(await ListAsync(intruder));
    }

    [Fact]
    public async Task Routes_require_a_token()
    {
        var anonymous = app.CreateClient();
        using var content = new StringContent(Header + "\n2025-01-03,deposit,,,,,99,,,\n", Encoding.UTF8, "text/csv");

        await (await anonymous.GetAsync("/api/transactions/export")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await anonymous.PostAsync("/api/transactions/import", content)).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("date,type\n2025-01-02,\"deposit\n", "", "closing quote")]
    [InlineData("", "", "empty")]
    [InlineData("date,type,symbol,amount\n", "", "no transactions")]
    [InlineData("date,type,amount,colour\n2025-01-02,deposit,5,red\n", "format=finsight", "'colour'")]
    [InlineData("Day,Kind\n2025-01-02,deposit\n", "", "mapping")]
    [InlineData("date,type\n2025-01-02,deposit\n", "format=xml", "format")]
    [InlineData("date,type\n2025-01-02,deposit\n", "mapping=%7Bnope", "mapping")]
    [InlineData("date,type\n2025-01-02,deposit\n", "mapping=%7B%22colour%22:%22date%22%7D", "'colour'")]
    [InlineData("date,type\n2025-01-02,deposit\n", "dry_run=perhaps", "")]
    public async Task Malformed_files_and_options_are_400_saying_what_is_wrong(string csv, string query, string expected)
    {
        var user = await app.CreateUserAsync();

        var problem = await (await ImportAsync(user, csv, query)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await ListAsync(user));
    }

    [Fact]
    public async Task Too_many_rows_or_a_non_csv_body_are_refused()
    {
        var user = await app.CreateUserAsync();
        var csv = Header + "\n" + string.Concat(Enumerable.Repeat("2025-01-02,deposit,,,,,1,,,\n", 10_001));

        var tooMany = await ImportAsync(user, csv);
        var json = await user.Http.PostAsJsonAsync("/api/transactions/import", new { date = "2025-01-02" });

        Assert.Contains("10,000", (await tooMany.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        await json.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Empty(await ListAsync(user));
    }

    [Fact]
    public async Task An_import_sent_again_after_a_lost_answer_does_not_double_its_rows()
    {
        var user = await app.CreateUserAsync();
        const string csv = "date,type,symbol,quantity,price,fees,amount,split_numerator,split_denominator,notes\r\n"
            + "2025-01-02,deposit,,,,,1000,,,opening\r\n2025-01-03,buy,MSFT,1,300,,,,,\r\n2025-01-03,buy,MSFT,1,300,,,,,\r\n";

        var first = await (await ImportAsync(user, csv)).AssertJsonAsync(HttpStatusCode.OK);
        var retries = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => ImportAsync(user, csv)));
        var dryRun = await (await ImportAsync(user, csv, "dry_run=true")).AssertJsonAsync(HttpStatusCode.OK);

        Assert.Equal((3, false), (first.GetProperty("imported").GetInt32(), first.GetProperty("already_imported").GetBoolean()));
        foreach (var retry in retries)
        {
            var body = await retry.AssertJsonAsync(HttpStatusCode.OK);
            Assert.Equal((0, true), (body.GetProperty("imported").GetInt32(), body.GetProperty("already_imported").GetBoolean()));
        }
        Assert.True(dryRun.GetProperty("already_imported").GetBoolean());
        Assert.Equal(3, (await ListAsync(user)).Count);

        // One new row makes it a different file: imported whole, as before.
        var more = await (await ImportAsync(user, csv + "2025-01-04,buy,MSFT,1,310,,,,,\r\n")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(4, more.GetProperty("imported").GetInt32());
        Assert.Equal(7, (await ListAsync(user)).Count);
    }

    private static async Task<HttpResponseMessage> ImportAsync(UserClient user, string csv, string query = "")
    {
        using var content = new StringContent(csv, Encoding.UTF8, "text/csv");
        return await user.Http.PostAsync("/api/transactions/import" + (query.Length > 0 ? "?" + query : ""), content);
    }

    private static async Task<string> ExportAsync(UserClient user)
    {
        var response = await user.Http.GetAsync("/api/transactions/export");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<JsonElement> PostAsync(UserClient user, object body) =>
        await (await user.Http.PostAsJsonAsync("/api/transactions", body)).AssertJsonAsync(HttpStatusCode.Created);

    private static async Task<List<JsonElement>> ListAsync(UserClient user) =>
        [.. (await (await user.Http.GetAsync("/api/transactions?limit=500")).AssertJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray()];

    /// <summary>A transaction without what belongs to its account and its moment of recording.</summary>
    private static List<string> Comparable(List<JsonElement> items) =>
        [.. items.Select(i => string.Join("|", i.EnumerateObject()
            .Where(p => p.Name is not ("id" or "portfolio_id" or "created_at" or "updated_at"))
            .Select(p => $"{p.Name}={p.Value.GetRawText()}")))];
}

public sealed class TransactionsCsvApiSqliteTests(SqliteApp app) : TransactionsCsvApiTests(app), IClassFixture<SqliteApp>;

public sealed class TransactionsCsvApiPostgresTests(PostgresApp app) : TransactionsCsvApiTests(app), IClassFixture<PostgresApp>;
