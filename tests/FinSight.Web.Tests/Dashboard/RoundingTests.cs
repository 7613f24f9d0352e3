using System.Text.Json;
using FinSight.Web.Features.Dashboard;

namespace FinSight.Web.Tests.Dashboard;

public sealed class RoundingTests
{
    // A flat portfolio's XIRR came back as a tiny negative ratio, which rounded to -0 and reached the API as "xirr": -0.
    [Theory]
    [InlineData(-0.000001)]
    [InlineData(-0.0)]
    public void A_figure_that_rounds_to_zero_is_written_as_0_not_minus_0(double ratio)
    {
        Assert.Equal("0", JsonSerializer.Serialize(Round.Percent(ratio)));
        Assert.Equal("0", JsonSerializer.Serialize(Round.Number(ratio / 1000)));
        Assert.Equal("-0.01", JsonSerializer.Serialize(Round.Percent(-0.0001)));
    }
}
