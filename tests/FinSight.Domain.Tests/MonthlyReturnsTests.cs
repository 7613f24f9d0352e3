using static FinSight.Domain.Tests.TestData;

namespace FinSight.Domain.Tests;

public sealed class MonthlyReturnsTests
{
    [Fact]
    public void Months_chain_from_month_end_to_month_end_and_compound_to_the_year_and_the_whole()
    {
        (DateOnly, double)[] points = [(D("2024-11-29"), 1.0), (D("2024-11-30"), 1.10), (D("2024-12-31"), 0.99), (D("2025-01-15"), 1.2), (D("2025-01-31"), 1.089)];

        var years = MonthlyReturns.From(points);

        Assert.Equal([2024, 2025], years.Select(y => y.Year));
        Assert.Equal(0.10, years[0].Months[10]!.Value, 9);
        Assert.Equal(-0.10, years[0].Months[11]!.Value, 9);
        Assert.Null(years[0].Months[0]);
        Assert.Equal(0.1, years[1].Months[0]!.Value, 9);
        Assert.Equal(-0.01, years[0].Total, 9);
        Assert.Equal(1.089 - 1, (1 + years[0].Total) * (1 + years[1].Total) - 1, 9);
        Assert.Empty(MonthlyReturns.From([]));
    }
}
