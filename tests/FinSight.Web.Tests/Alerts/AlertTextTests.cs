using FinSight.Web.Data;
using FinSight.Web.Features.Alerts;
using FinSight.Web.Ui;
using Microsoft.AspNetCore.Html;

namespace FinSight.Web.Tests.Alerts;

public sealed class AlertTextTests
{
    [Theory]
    [InlineData("TSLA", "TSLA is at $178.40, at or below your $180.00")]
    [InlineData("SHEL.L", "SHEL.L is at £178.40, at or below your £180.00")]
    [InlineData("NESN.SW", "NESN.SW is at CHF\u00A0178.40, at or below your CHF\u00A0180.00")]
    public void A_price_alert_speaks_in_the_listings_currency(string symbol, string expected) =>
        Assert.Equal(expected, AlertText.Fired(AlertKind.PriceBelow, symbol, 180m, 178.40m, simulated: false));

    [Fact]
    public void Privacy_marks_cover_amounts_written_with_a_currency_code()
    {
        var html = ((HtmlString)UiFormat.MarkAmounts(AlertText.Fired(AlertKind.PriceBelow, "NESN.SW", 180m, 178.40m, simulated: false), "EUR")).Value!;
        Assert.Equal(2, html.Split("class=\"amount").Length - 1);
    }
}
