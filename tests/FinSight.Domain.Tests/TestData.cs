namespace FinSight.Domain.Tests;

internal static class TestData
{
    public static DateOnly D(string iso) => DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    public static PriceSeries Series(string symbol, params (string Date, decimal Close)[] closes) =>
        new(symbol, closes.Select(c => new DailyClose(D(c.Date), c.Close)));

    public static MarketPrices Prices(params PriceSeries[] series) => new(series);
}
