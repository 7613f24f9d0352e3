namespace FinSight.Domain;

/// <summary>A look-back window ending at the history's as-of date.</summary>
public enum PerformanceRange
{
    /// <summary>One calendar month back (same day of month, clamped at month end).</summary>
    OneMonth,

    /// <summary>Three calendar months back.</summary>
    ThreeMonths,

    /// <summary>Since the close of 31 December of the previous year.</summary>
    YearToDate,

    /// <summary>One calendar year back.</summary>
    OneYear,

    /// <summary>Three calendar years back.</summary>
    ThreeYears,

    /// <summary>Five calendar years back.</summary>
    FiveYears,

    /// <summary>The whole history.</summary>
    All,

    /// <summary>Since the previous day's close (the last one in the history on or before the day before).</summary>
    OneDay,

    /// <summary>Since the close of the last day of the previous month.</summary>
    MonthToDate,
}

/// <summary>Helpers for <see cref="PerformanceRange"/>.</summary>
public static class PerformanceRanges
{
    /// <summary>Every range, shortest first.</summary>
    public static IReadOnlyList<PerformanceRange> AllRanges { get; } =
        [PerformanceRange.OneDay, PerformanceRange.MonthToDate, PerformanceRange.OneMonth, PerformanceRange.ThreeMonths, PerformanceRange.YearToDate, PerformanceRange.OneYear, PerformanceRange.ThreeYears, PerformanceRange.FiveYears, PerformanceRange.All];

    /// <summary>
    /// The baseline date of a range: returns are measured from the end of this day to the end of
    /// <paramref name="asOf"/>. Null for <see cref="PerformanceRange.All"/> (the baseline is before the first day).
    /// </summary>
    /// <param name="range">The range.</param>
    /// <param name="asOf">The range's last day.</param>
    /// <returns>The baseline date or null.</returns>
    public static DateOnly? StartDate(PerformanceRange range, DateOnly asOf) => range switch
    {
        PerformanceRange.OneDay => asOf.AddDays(-1),
        PerformanceRange.MonthToDate => new DateOnly(asOf.Year, asOf.Month, 1).AddDays(-1),
        PerformanceRange.OneMonth => asOf.AddMonths(-1),
        PerformanceRange.ThreeMonths => asOf.AddMonths(-3),
        PerformanceRange.YearToDate => new DateOnly(asOf.Year - 1, 12, 31),
        PerformanceRange.OneYear => asOf.AddYears(-1),
        PerformanceRange.ThreeYears => asOf.AddYears(-3),
        PerformanceRange.FiveYears => asOf.AddYears(-5),
        PerformanceRange.All => null,
        _ => throw new ArgumentOutOfRangeException(nameof(range), range, "Unknown range."),
    };

    /// <summary>Parses the API spellings 1D, MTD, 1M, 3M, YTD, 1Y, 3Y, 5Y and ALL (case-insensitive).</summary>
    /// <param name="text">The text.</param>
    /// <param name="range">The range parsed.</param>
    /// <returns>False when the text is not one of the spellings.</returns>
    public static bool TryParse(string? text, out PerformanceRange range)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "1D": range = PerformanceRange.OneDay; return true;
            case "MTD": range = PerformanceRange.MonthToDate; return true;
            case "1M": range = PerformanceRange.OneMonth; return true;
            case "3M": range = PerformanceRange.ThreeMonths; return true;
            case "YTD": range = PerformanceRange.YearToDate; return true;
            case "1Y": range = PerformanceRange.OneYear; return true;
            case "3Y": range = PerformanceRange.ThreeYears; return true;
            case "5Y": range = PerformanceRange.FiveYears; return true;
            case "ALL": range = PerformanceRange.All; return true;
            default: range = default; return false;
        }
    }

    /// <summary>The API spelling of a range (1D, MTD, 1M, 3M, YTD, 1Y, 3Y, 5Y, ALL).</summary>
    /// <param name="range">The range.</param>
    /// <returns>The spelling.</returns>
    public static string ToCode(this PerformanceRange range) => range switch
    {
        PerformanceRange.OneDay => "1D",
        PerformanceRange.MonthToDate => "MTD",
        PerformanceRange.OneMonth => "1M",
        PerformanceRange.ThreeMonths => "3M",
        PerformanceRange.YearToDate => "YTD",
        PerformanceRange.OneYear => "1Y",
        PerformanceRange.ThreeYears => "3Y",
        PerformanceRange.FiveYears => "5Y",
        PerformanceRange.All => "ALL",
        _ => throw new ArgumentOutOfRangeException(nameof(range), range, "Unknown range."),
    };
}
