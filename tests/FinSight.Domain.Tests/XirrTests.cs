using static FinSight.Domain.Tests.TestData;

namespace FinSight.Domain.Tests;

public sealed class XirrTests
{
    [Fact]
    public void Matches_the_spreadsheet_reference_example()
    {
        // The example in the spreadsheet XIRR documentation, which displays 0.373362535.
        var rate = Xirr.Compute(
        [
            new(D("2008-01-01"), -10000m),
            new(D("2008-03-01"), 2750m),
            new(D("2008-10-30"), 4250m),
            new(D("2009-02-15"), 3250m),
            new(D("2009-04-01"), 2750m),
        ]);
        Assert.Equal(0.3733625, rate!.Value, 7);
    }

    [Fact]
    public void One_year_at_ten_percent()
    {
        Assert.Equal(0.1, Xirr.Compute([new(D("2021-01-01"), -1000m), new(D("2022-01-01"), 1100m)])!.Value, 10);
    }

    [Fact]
    public void Extreme_rates_are_found_by_the_bracketing_fallback()
    {
        var boom = Xirr.Compute([new(D("2021-01-01"), -1m), new(D("2022-01-01"), 1_000_000m)], guess: 0.1);
        Assert.Equal(999_999, boom!.Value, 3);
        var bust = Xirr.Compute([new(D("2021-01-01"), -100m), new(D("2022-01-01"), 0.001m)]);
        Assert.Equal(-0.99999, bust!.Value, 8);
    }

    [Theory]
    [InlineData("2021-01-31", 10, 1.0 / 11)] // a 90 % loss in a month
    [InlineData("2021-01-02", 50, 1.0 / 365)] // half lost overnight
    [InlineData("2021-03-01", 99.9, 59.0 / 365)] // 0.1 % lost in two months
    [InlineData("2021-01-08", 300, 7.0 / 365)] // tripled in a week
    public void Large_losses_and_gains_over_short_periods_have_a_rate(string back, double amount, double years)
    {
        var rate = Xirr.Compute([new(D("2021-01-01"), -100m), new(D(back), (decimal)amount)]);

        // One flow in, one out: (1 + r)^years = amount / 100, computed in logs to keep the precision near −100 %.
        var expected = Math.Exp(Math.Log(amount / 100) / years) - 1;
        Assert.NotNull(rate);
        Assert.Equal(expected, rate.Value, Math.Abs(expected) * 1e-9 + 1e-12);
        Assert.True(rate.Value > -1);
    }

    [Fact]
    public void A_ninety_percent_loss_in_a_month_is_about_minus_one_hundred_percent_a_year()
    {
        var rate = Xirr.Compute([new(D("2021-01-01"), -100m), new(D("2021-02-01"), 10m)]);
        Assert.InRange(rate!.Value, -1, -0.9999999);
    }

    [Fact]
    public void Of_several_rates_the_one_nearest_the_simple_return_is_chosen()
    {
        // −100 + 230v − 132v² = 0 with v = 1 / (1 + r): r = 10 % or 20 % a year. The flows lose 2 of
        // the 232 paid in (simple return −0.9 %), so 10 % is the nearer story; in either order of search.
        CashFlow[] flows = [new(D("2021-01-01"), -100m), new(D("2022-01-01"), 230m), new(D("2023-01-01"), -132m)];
        Assert.Equal(0.10, Xirr.Compute(flows)!.Value, 9);
        Assert.Equal(0.10, Xirr.Compute(flows, guess: 0.25)!.Value, 9);
        // Mirrored (−100 + 230v − 132v² becomes 100 − 230v + 132v²): the same two rates, and now money
        // out exceeds money in, yet 10 % is still nearer than 20 %.
        CashFlow[] mirrored = [new(D("2021-01-01"), 100m), new(D("2022-01-01"), -230m), new(D("2023-01-01"), 132m)];
        Assert.Equal(0.10, Xirr.Compute(mirrored)!.Value, 9);
    }

    [Fact]
    public void No_answer_is_null_never_an_exception()
    {
        Assert.Null(Xirr.Compute([]));
        Assert.Null(Xirr.Compute([new(D("2021-01-01"), -1m), new(D("2021-01-01"), 2m)]));
        Assert.Null(Xirr.Compute([new(D("2021-01-01"), 1m), new(D("2022-01-01"), 2m)]));
        // 100 − 50v + 100v² has no real root in v = 1 / (1 + r)
        Assert.Null(Xirr.Compute([new(D("2021-01-01"), 100m), new(D("2022-01-01"), -50m), new(D("2023-01-01"), 100m)]));
    }

    [Fact]
    public void A_nonsense_guess_falls_back_to_the_default()
    {
        Assert.Equal(1.0, Xirr.Compute([new(D("2021-01-01"), -1m), new(D("2022-01-01"), 2m)], guess: double.NaN)!.Value, 10);
        Assert.Equal(1.0, Xirr.Compute([new(D("2021-01-01"), -1m), new(D("2022-01-01"), 2m)], guess: -5)!.Value, 10);
    }
}
