using System.Globalization;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace FinSight.Web.Ui;

/// <summary>How the pages write numbers: one place, so every page rounds and signs alike.</summary>
public static partial class UiFormat
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    /// <summary>
    /// An amount of money on a page, always with its currency: <c>&lt;span class="amount" data-currency="EUR"&gt;€1,234.50&lt;/span&gt;</c>.
    /// Every amount on every page (and in every live update) is written by this or <see cref="Shares"/>:
    /// privacy mode hides exactly the elements marked <c>amount</c>, and the browser tests find each figure's
    /// currency in <c>data-currency</c>. A figure in a currency other than <paramref name="baseCurrency"/>
    /// (a price in its listing's currency on a EUR portfolio) is followed by its ISO code, so "$" is never
    /// mistaken for the portfolio's money; leave <paramref name="baseCurrency"/> null where the page says
    /// the currency otherwise.
    /// </summary>
    /// <param name="value">The amount in <paramref name="currency"/>; null shows "—".</param>
    /// <param name="currency">ISO 4217 code of the amount.</param>
    /// <param name="baseCurrency">The portfolio's base currency, when the figure may be in another one.</param>
    /// <param name="signed">"+" before a gain (a change, a profit).</param>
    /// <param name="testId">A <c>data-testid</c> for the browser tests.</param>
    public static IHtmlContent Amount(decimal? value, string currency, string? baseCurrency = null, bool signed = false, string? testId = null) =>
        Marked(signed ? SignedMoney(value, currency) : Money(value, currency), currency, baseCurrency, testId);

    /// <summary>A cash amount per share (a dividend of 0.2625), with up to 4 decimals: <see cref="Amount"/> otherwise.</summary>
    public static IHtmlContent PerShare(decimal? value, string currency, string? baseCurrency = null) =>
        Marked(value is { } v ? CurrencySign(currency) + v.ToString("#,0.00##", Culture) : "—", currency, baseCurrency, null);

    /// <summary>A large amount in millions, billions or trillions ("$2.91 T"), marked as <see cref="Amount"/> is.</summary>
    public static IHtmlContent CompactAmount(decimal? value, string currency, string? baseCurrency = null) => Marked(value switch
    {
        null => "—",
        >= 1_000_000_000_000m => Money(value / 1_000_000_000_000m, currency) + " T",
        >= 1_000_000_000m => Money(value / 1_000_000_000m, currency) + " B",
        >= 1_000_000m => Money(value / 1_000_000m, currency) + " M",
        _ => Money(value, currency),
    }, currency, baseCurrency, null);

    /// <summary>
    /// Text written elsewhere with amounts in it (an alert's stored message, "AAPL is at $180.00"): each
    /// "$180.00" is marked as <see cref="Amount"/> marks one, so privacy mode hides it and a figure in
    /// a currency other than <paramref name="baseCurrency"/> says its code. "$" is USD, "€" EUR, "£" GBP, "¥" JPY;
    /// other currencies are written as their code, a no-break space and the number ("CHF 24.50").
    /// </summary>
    public static IHtmlContent MarkAmounts(string? text, string baseCurrency)
    {
        if (string.IsNullOrEmpty(text))
        {
            return HtmlString.Empty;
        }
        var html = new System.Text.StringBuilder();
        var at = 0;
        foreach (System.Text.RegularExpressions.Match m in AmountInText().Matches(text))
        {
            html.Append(Encode(text[at..m.Index]));
            var currency = m.Groups["code"].Success ? m.Groups["code"].Value
                : m.Groups["sign"].Value switch { "$" => "USD", "€" => "EUR", "£" => "GBP", _ => "JPY" };
            html.Append(((HtmlString)Marked(m.Value, currency, baseCurrency, null)).Value);
            at = m.Index + m.Length;
        }
        html.Append(Encode(text[at..]));
        return new HtmlString(html.ToString());
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"[−+-]?(?:(?<sign>[$€£¥])|(?<code>[A-Z]{3})\u00A0)\d[\d,]*(\.\d+)?")]
    private static partial System.Text.RegularExpressions.Regex AmountInText();

    private static IHtmlContent Marked(string text, string currency, string? baseCurrency, string? testId)
    {
        var code = baseCurrency is not null && !string.Equals(baseCurrency, currency, StringComparison.Ordinal)
            ? $"<span class=\"currency-code\">&#x202F;{Encode(currency)}</span>"
            : "";
        return new HtmlString($"<span class=\"amount\" data-currency=\"{Encode(currency)}\"{TestId(testId)}>{Encode(text)}</span>{code}");
    }

    /// <summary>A signed amount (a change, a profit): <see cref="Amount"/> with "+" before a gain.</summary>
    public static IHtmlContent SignedAmount(decimal? value, string currency, string? baseCurrency = null, string? testId = null) =>
        Amount(value, currency, baseCurrency, signed: true, testId);

    /// <summary>A quantity of shares, marked like an amount so that privacy mode hides it too.</summary>
    public static IHtmlContent Shares(decimal? quantity, string? testId = null) =>
        new HtmlString($"<span class=\"amount\" data-quantity{TestId(testId)}>{Encode(Quantity(quantity))}</span>");

    private static string TestId(string? testId) => testId is null ? "" : $" data-testid=\"{Encode(testId)}\"";

    private static string Encode(string text) => HtmlEncoder.Default.Encode(text);

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
