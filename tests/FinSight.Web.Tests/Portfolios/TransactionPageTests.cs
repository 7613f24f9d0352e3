using System.Net;
using FinSight.Web.Tests.Infrastructure;

namespace FinSight.Web.Tests.Portfolios;

public sealed class TransactionPageTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public async Task The_recorded_message_survives_a_symbol_lookup_sent_while_the_browser_follows_the_redirect()
    {
        var user = await app.CreateUserAsync();
        var page = await PageSession.SignInAsync(app, user);

        var saved = await PageSession.PostFormAsync(page, "/transactions?handler=Add", new()
        {
            ["Form.Type"] = "buy", ["Form.Symbol"] = "AAPL", ["Form.Quantity"] = "2", ["Form.Price"] = "100", ["Form.Date"] = "2025-06-02",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        // The symbol box's debounced lookup of the page being left, carrying the cookie the redirect just set.
        var lookup = await page.GetAsync("/transactions?handler=Symbols&Form.Symbol=AA");
        Assert.Equal(HttpStatusCode.OK, lookup.StatusCode);

        var shown = await page.GetStringAsync("/transactions");
        Assert.Contains("Recorded: buy AAPL 2 on 2025-06-02.", shown, StringComparison.Ordinal);
        // Shown once: a reload does not repeat it.
        Assert.DoesNotContain("Recorded:", await page.GetStringAsync("/transactions"), StringComparison.Ordinal);
    }
}
