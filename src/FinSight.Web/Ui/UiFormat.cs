using System.Globalization;

namespace FinSight.Web.Ui;

/// <summary>How the pages write numbers: one place, so every page rounds and signs alike.</summary>
public static class UiFormat
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    public static string Money(decimal? value) => value is { } v ? (v < 0 ? "−$" : "$") + Math.Abs(v).ToString("#,0.00", Culture) : "—";

    public static string SignedMoney(decimal? value) => value is { } v ? (v > 0 ? "+" : "") + Money(v) : "—";

    /// <summary>A percentage already in percent units (13.79).</summary>
    public static string Percent(decimal? percent, bool signed = true) =>
        percent is { } p ? (signed && p > 0 ? "+" : p < 0 ? "−" : "") + Math.Abs(p).ToString("0.00", Culture) + " %" : "—";

    /// <summary>A fraction (0.1379) shown as a percentage.</summary>
    public static string Fraction(double? fraction, bool signed = true) => Percent(fraction is { } f ? (decimal)Math.Round(f * 100, 2) : null, signed);

    public static string Fraction(decimal? fraction, bool signed = true) => Percent(fraction is { } f ? Math.Round(f * 100m, 2) : null, signed);

    public static string Ratio(double? value) => value is { } v ? v.ToString("0.00", Culture) : "—";

    public static string Quantity(decimal? value) => value is { } v ? v.ToString("#,0.######", Culture) : "—";

    public static string Plain(decimal? value) => value?.ToString("0.######", Culture) ?? "";

    public static string Number(decimal? value) => value?.ToString("0.######", Culture) ?? "";

    public static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", Culture);

    public static string Utc(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", Culture);

    public static string Date(DateOnly value) => value.ToString("yyyy-MM-dd", Culture);

    /// <summary>"up", "down" or "flat", for colouring a change.</summary>
    public static string Direction(decimal? value) => value switch { > 0 => "up", < 0 => "down", _ => "flat" };

    public static string Direction(double? value) => value switch { > 0 => "up", < 0 => "down", _ => "flat" };
}
