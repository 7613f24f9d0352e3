using System.Globalization;

namespace FinSight.Web.Ui;

/// <summary>How the pages write numbers: one place, so every page rounds and signs alike.</summary>
public static class UiFormat
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    public static string Money(decimal? value) => Money(value, "USD");

    public static string SignedMoney(decimal? value) => SignedMoney(value, "USD");

    /// <summary>An amount in <paramref name="currency"/>: $, €, £ or ¥ before it, else the ISO code ("CHF 1,234.50").</summary>
    public static string Money(decimal? value, string currency) =>
        value is { } v ? (v < 0 ? "−" : "") + CurrencySign(currency) + Math.Abs(v).ToString("#,0.00", Culture) : "—";

    public static string SignedMoney(decimal? value, string currency) => value is { } v ? (v > 0 ? "+" : "") + Money(v, currency) : "—";

    public static string CurrencySign(string currency) => currency switch
    {
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "JPY" => "¥",
        _ => currency + " ",
    };

    /// <summary>A percentage already in percent units (13.79).</summary>
    public static string Percent(decimal? percent, bool signed = true) =>
        percent is { } p ? (signed && p > 0 ? "+" : p < 0 ? "−" : "") + Math.Abs(p).ToString("0.00", Culture) + " %" : "—";

    /// <summary>A percentage already in percent units, as the dashboard's double figures are (18.32).</summary>
    public static string Percent(double? percent, bool signed = true) => Percent(percent is { } p ? (decimal)Math.Round(p, 2) : null, signed);

    /// <summary>A range code as words: "since the first trade" for ALL, else "over 1Y".</summary>
    public static string RangeName(string code) => code == "ALL" ? "since the first trade" : "over " + code;

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
