namespace FinSight.Domain;

/// <summary>One calendar year's time-weighted returns, as fractions (0.012 = +1.2 %).</summary>
/// <param name="Year">The calendar year.</param>
/// <param name="Months">Twelve entries, January first; null for a month the history does not cover.</param>
/// <param name="Total">The year's return: the months compounded (only the months covered).</param>
public sealed record YearReturns(int Year, IReadOnlyList<double?> Months, double Total);

/// <summary>Time-weighted returns by month and year from a daily growth index (Portfolio Performance's table).</summary>
public static class MonthlyReturns
{
    /// <summary>
    /// Each month's return is the index at its last point over the index at the last point before it
    /// (the first month starts from the history's first point), so deposits and withdrawals do not
    /// count as returns and the months compound exactly to the whole history's time-weighted return.
    /// </summary>
    /// <param name="points">Dated growth index values (<see cref="HistoryPoint.TwrIndex"/>), ascending by date, &gt; 0.</param>
    /// <returns>One entry per calendar year covered, oldest first.</returns>
    public static IReadOnlyList<YearReturns> From(IReadOnlyList<(DateOnly Date, double Index)> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
        {
            return [];
        }
        var monthEnds = points.GroupBy(p => (p.Date.Year, p.Date.Month)).Select(g => (g.Key.Year, g.Key.Month, Index: g.Last().Index)).ToArray();
        var previous = points[0].Index;
        var years = new List<YearReturns>();
        foreach (var year in monthEnds.GroupBy(m => m.Year))
        {
            var months = new double?[12];
            var total = 1.0;
            foreach (var (_, month, index) in year)
            {
                var r = previous > 0 ? index / previous - 1 : 0;
                months[month - 1] = r;
                total *= 1 + r;
                previous = index;
            }
            years.Add(new YearReturns(year.Key, months, total - 1));
        }
        return years;
    }
}
