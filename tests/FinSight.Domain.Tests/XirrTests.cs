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
