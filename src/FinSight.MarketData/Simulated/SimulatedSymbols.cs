namespace FinSight.MarketData.Simulated;

/// <summary>
/// Price levels near where these traded in 2025 (anchored on <see cref="SimulatedMarketProvider.AnchorDate"/>),
/// with plausible annual drift and volatility, shares outstanding (billions) and quarterly dividend.
/// </summary>
internal sealed record SymbolProfile(double Price, double Drift, double Volatility, double SharesBillions, decimal QuarterlyDividend, int FirstDividendMonth, string? Website);

internal static class SimulatedSymbols
{
    public static readonly Dictionary<string, SymbolProfile> Anchors = new(StringComparer.OrdinalIgnoreCase)
    {
        ["AAPL"] = new(230, 0.10, 0.26, 15.0, 0.25m, 2, "https://www.apple.com"),
        ["MSFT"] = new(420, 0.10, 0.24, 7.43, 0.83m, 2, "https://www.microsoft.com"),
        ["GOOGL"] = new(170, 0.10, 0.30, 12.2, 0.20m, 3, "https://abc.xyz"),
        ["GOOG"] = new(172, 0.10, 0.30, 12.2, 0.20m, 3, "https://abc.xyz"),
        ["AMZN"] = new(190, 0.12, 0.32, 10.5, 0m, 0, "https://www.amazon.com"),
        ["NVDA"] = new(130, 0.20, 0.50, 24.5, 0.01m, 3, "https://www.nvidia.com"),
        ["TSLA"] = new(250, 0.10, 0.60, 3.2, 0m, 0, "https://www.tesla.com"),
        ["META"] = new(560, 0.12, 0.38, 2.5, 0.50m, 3, "https://www.meta.com"),
        ["BRK.B"] = new(450, 0.08, 0.18, 2.2, 0m, 0, "https://www.berkshirehathaway.com"),
        ["AVGO"] = new(170, 0.15, 0.45, 4.7, 0.53m, 3, "https://www.broadcom.com"),
        ["JPM"] = new(220, 0.08, 0.25, 2.85, 1.25m, 1, "https://www.jpmorganchase.com"),
        ["V"] = new(280, 0.09, 0.22, 1.95, 0.59m, 2, "https://www.visa.com"),
        ["NFLX"] = new(700, 0.12, 0.40, 0.43, 0m, 0, "https://www.netflix.com"),
        ["AMD"] = new(150, 0.12, 0.50, 1.62, 0m, 0, "https://www.amd.com"),
        ["KO"] = new(62, 0.05, 0.15, 4.3, 0.485m, 3, "https://www.coca-colacompany.com"),
        ["JNJ"] = new(155, 0.05, 0.16, 2.4, 1.24m, 2, "https://www.jnj.com"),
        ["XOM"] = new(115, 0.05, 0.25, 4.4, 0.99m, 2, "https://corporate.exxonmobil.com"),
        ["WMT"] = new(80, 0.08, 0.20, 8.0, 0.21m, 3, "https://corporate.walmart.com"),
        ["SPY"] = new(560, 0.08, 0.16, 1.0, 1.75m, 3, "https://www.ssga.com"),
        ["VOO"] = new(515, 0.08, 0.16, 1.4, 1.65m, 3, "https://investor.vanguard.com"),
        ["QQQ"] = new(480, 0.10, 0.22, 0.6, 0.70m, 3, "https://www.invesco.com"),
        ["VTI"] = new(280, 0.08, 0.17, 1.8, 0.90m, 3, "https://investor.vanguard.com"),
    };

    /// <summary>Real splits, so split handling can be demonstrated offline.</summary>
    public static readonly Dictionary<string, StockSplit[]> Splits = new(StringComparer.OrdinalIgnoreCase)
    {
        ["AAPL"] = [Split(2020, 8, 31, 4)],
        ["NVDA"] = [Split(2021, 7, 20, 4), Split(2024, 6, 10, 10)],
        ["TSLA"] = [Split(2020, 8, 31, 5), Split(2022, 8, 25, 3)],
        ["GOOGL"] = [Split(2022, 7, 18, 20)],
        ["GOOG"] = [Split(2022, 7, 18, 20)],
        ["AMZN"] = [Split(2022, 6, 6, 20)],
    };

    private static StockSplit Split(int year, int month, int day, int ratio) =>
        new() { Date = new DateOnly(year, month, day), Numerator = ratio, Denominator = 1 };
}
