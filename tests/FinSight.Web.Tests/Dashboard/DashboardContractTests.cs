using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FinSight.MarketData;
using FinSight.Web.Tests.Infrastructure;

namespace FinSight.Web.Tests.Dashboard;

/// <summary>
/// The spec's dashboard contract on a moving simulated market: every route answers
/// <c>{"status": "success", "data": ...}</c> with the spec's names and units, errors stay problem
/// details, and every risk and return figure of the overview is the performance route's, which in
/// turn is recomputed here from the daily series it returns with independent formulas.
/// </summary>
public abstract class DashboardContractTests(FinSightApp app)
{
    private static readonly string[] SpecOverviewFields =
    [
        "total_value", "cash", "invested", "market_value", "unrealized_pnl", "total_return", "total_return_percent", "sharpe_ratio",
        "max_drawdown", "volatility", "beta", "alpha", "win_rate", "total_trades", "winning_trades", "losing_trades",
    ];

    [Fact]
    public async Task All_six_routes_answer_the_specs_envelope_with_its_fields_and_units()
    {
        var user = await app.CreateUserAsync();
        await PostAll(user,
            new { type = "deposit", amount = 10000m, date = "2025-03-03" },
            new { type = "buy", symbol = "AAPL", quantity = 20m, price = 200m, date = "2025-03-04" },
            new { type = "buy", symbol = "AMZN", quantity = 10m, price = 180m, date = "2025-03-05" },
            new { type = "sell", symbol = "AMZN", quantity = 10m, price = 400m, date = "2025-05-01" });

        var overview = await (await user.Http.GetAsync("/api/dashboard/overview")).AssertSuccessAsync();
        var positions = await (await user.Http.GetAsync("/api/dashboard/positions")).AssertSuccessAsync();
        var trades = await (await user.Http.GetAsync("/api/dashboard/trades")).AssertSuccessAsync();
        var quote = await (await user.Http.GetAsync("/api/dashboard/quote/AAPL")).AssertSuccessAsync();
        var profile = await (await user.Http.GetAsync("/api/dashboard/profile/AAPL")).AssertSuccessAsync();
        var performance = await (await user.Http.GetAsync("/api/dashboard/performance?range=ALL")).AssertSuccessAsync();

        foreach (var field in SpecOverviewFields)
        {
            Assert.True(overview.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Number, $"overview.{field} is missing or not a number");
        }
        // Money: value = positions + cash; the sale's 2,200 gain is realized; total return in percent of the 10,000 paid in.
        var total = overview.GetProperty("total_value").GetDecimal();
        Assert.Equal(total, overview.GetProperty("market_value").GetDecimal() + overview.GetProperty("cash").GetDecimal());
        Assert.Equal(10000m - 4000m - 1800m + 4000m, overview.GetProperty("cash").GetDecimal());
        Assert.Equal(2200m, overview.GetProperty("realized_pnl").GetDecimal());
        Assert.Equal(Math.Round((total - 10000m) / 10000m * 100m, 2), overview.GetProperty("total_return_percent").GetDecimal());
        // Percentages: one winning sell of one is 100, not 1; risk figures are the performance route's, in percent.
        Assert.Equal((100m, 1, 1, 0), (overview.GetProperty("win_rate").GetDecimal(), overview.GetProperty("total_trades").GetInt32(),
            overview.GetProperty("winning_trades").GetInt32(), overview.GetProperty("losing_trades").GetInt32()));
        var recomputed = Recompute(performance);
        Assert.Equal(recomputed.Volatility * 100, overview.GetProperty("volatility").GetDouble(), 0.011);
        Assert.InRange(overview.GetProperty("volatility").GetDouble(), 5, 80); // percent, annualized: never a fraction like 0.2
        var drawdown = overview.GetProperty("max_drawdown").GetDouble();
        Assert.True(drawdown > 0, "max_drawdown is a positive percentage on a moving market");
        Assert.Equal(recomputed.MaxDrawdown * 100, drawdown, 0.011);
        Assert.Equal(recomputed.Beta, overview.GetProperty("beta").GetDouble(), 0.001);
        Assert.Equal(4.0, overview.GetProperty("risk_free_rate").GetDouble());
        Assert.Equal("ALL", overview.GetProperty("range").GetString());

        var weights = positions.GetProperty("positions").EnumerateArray().Select(p => p.GetProperty("weight").GetDecimal()).ToArray();
        Assert.Equal(100m, Assert.Single(weights));
        Assert.Equal(4, trades.GetProperty("total").GetInt32());
        Assert.Equal("sell", trades.GetProperty("items")[0].GetProperty("type").GetString());
        Assert.Equal(("AAPL", "simulated"), (quote.GetProperty("symbol").GetString(), quote.GetProperty("status").GetString()));
        Assert.Equal(MarketCalendar.IsOpen(app.Clock.GetUtcNow()) ? "open" : "closed", quote.GetProperty("market").GetString());
        Assert.Equal("Apple Inc.", profile.GetProperty("name").GetString());
        Assert.True(performance.GetProperty("series").GetArrayLength() > 100);

        // Errors are problem details, never wrapped in the envelope.
        await (await user.Http.GetAsync("/api/dashboard/overview?range=2W")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await user.Http.GetAsync("/api/dashboard/performance?range=2W")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await user.Http.GetAsync("/api/dashboard/trades?limit=0")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await user.Http.GetAsync("/api/dashboard/quote/A%20B")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await user.Http.GetAsync("/api/dashboard/profile/ABCDEFG")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await user.Http.GetAsync($"/api/dashboard/positions?portfolio_id={Guid.NewGuid()}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    public static TheoryData<string, string> Portfolios => new()
    {
        { "deposits and withdrawals, a buy on a holiday", "ALL" },
        { "deposits and withdrawals, a buy on a holiday", "3M" },
        { "implicit cash with a closed position", "ALL" },
        { "implicit cash with a closed position", "1Y" },
        { "a few days old", "ALL" },
        { "a few days old", "1M" },
    };

    [Theory]
    [MemberData(nameof(Portfolios))]
    public async Task The_overviews_figures_are_the_performance_series_recomputed(string portfolio, string range)
    {
        var user = await app.CreateUserAsync();
        await SeedAsync(user, portfolio);

        var performance = await (await user.Http.GetAsync($"/api/dashboard/performance?range={range}&benchmark=SPY")).AssertSuccessAsync();
        var overview = await (await user.Http.GetAsync($"/api/dashboard/overview?range={range}")).AssertSuccessAsync();

        // One source: the overview copies the performance route's figures for the same range, benchmark and rate.
        Assert.Equal(range, overview.GetProperty("range").GetString());
        Assert.Equal(performance.GetProperty("start_date").GetString(), overview.GetProperty("range_start").GetString());
        Assert.Equal(performance.GetProperty("end_date").GetString(), overview.GetProperty("risk_as_of").GetString());
        foreach (var field in new[] { "twr", "xirr", "volatility", "sharpe_ratio", "sortino_ratio", "beta", "alpha" })
        {
            Assert.True(JsonElement.DeepEquals(performance.GetProperty(field), overview.GetProperty(field)), $"{field}: {performance.GetProperty(field)} vs {overview.GetProperty(field)}");
        }
        Assert.Equal(performance.GetProperty("max_drawdown").GetProperty("depth").GetDouble(), overview.GetProperty("max_drawdown").GetDouble());

        // Independent formulas over the series the route returns.
        var series = performance.GetProperty("series").EnumerateArray().ToArray();
        Assert.All(series, p => Assert.True(MarketCalendar.IsTradingDay(Date(p.GetProperty("date"))), $"{p.GetProperty("date")} is not a trading day"));
        var expected = Recompute(performance);
        Assert.Equal(expected.RangeReturn * 100, overview.GetProperty("twr").GetDouble(), 0.011);
        Assert.Equal(expected.Volatility * 100, overview.GetProperty("volatility").GetDouble(), 0.011);
        Assert.Equal(expected.MaxDrawdown * 100, overview.GetProperty("max_drawdown").GetDouble(), 0.011);
        Assert.Equal(expected.Beta, overview.GetProperty("beta").GetDouble(), 0.001);
    }

    private async Task SeedAsync(UserClient user, string portfolio)
    {
        var lastSession = MarketCalendar.LastClosedSession(app.Clock.GetUtcNow());
        switch (portfolio)
        {
            case "deposits and withdrawals, a buy on a holiday":
                await PostAll(user,
                    new { type = "deposit", amount = 20000m, date = "2025-03-03" },
                    new { type = "buy", symbol = "MSFT", quantity = 20m, price = 390m, date = "2025-03-03" },
                    new { type = "buy", symbol = "NVDA", quantity = 40m, price = 110m, date = "2025-07-04" }, // Independence Day: counts with the 7th
                    new { type = "withdrawal", amount = 3000m, date = "2025-09-02" },
                    new { type = "deposit", amount = 8000m, date = "2025-11-03" },
                    new { type = "buy", symbol = "AAPL", quantity = 20m, price = 240m, date = Iso(lastSession.AddDays(-40)) },
                    new { type = "withdrawal", amount = 500m, date = Iso(lastSession.AddDays(-20)) });
                break;
            case "implicit cash with a closed position":
                await PostAll(user,
                    new { type = "buy", symbol = "AAPL", quantity = 30m, price = 230m, date = "2025-02-03" },
                    new { type = "buy", symbol = "AMZN", quantity = 25m, price = 200m, date = "2025-02-10" },
                    new { type = "sell", symbol = "AMZN", quantity = 25m, price = 210m, date = Iso(lastSession.AddDays(-200)) },
                    new { type = "buy", symbol = "JPM", quantity = 10m, price = 230m, date = Iso(lastSession.AddDays(-100)) });
                break;
            default:
                var start = lastSession;
                for (var i = 0; i < 4; i++)
                {
                    start = MarketCalendar.PreviousTradingDay(start);
                }
                await PostAll(user, new { type = "buy", symbol = "TSLA", quantity = 10m, price = 250m, date = Iso(start) });
                break;
        }
    }

    /// <summary>
    /// Daily returns from consecutive TWR index values (the index is 1 at the baseline: the first point
    /// when it is on or before the range's start date, else just before the first point), their sample
    /// standard deviation × √252, the deepest fall below a running peak, the range's return, and beta
    /// from the benchmark index's returns over the same pairs of days.
    /// </summary>
    private static (double RangeReturn, double Volatility, double MaxDrawdown, double Beta) Recompute(JsonElement performance)
    {
        var series = performance.GetProperty("series").EnumerateArray().ToArray();
        var startDate = Date(performance.GetProperty("start_date"));
        var index = series.Select(p => p.GetProperty("twr_index").GetDouble()).ToList();
        var bench = series.Select(p => p.GetProperty("benchmark_index") is { ValueKind: JsonValueKind.Number } b ? b.GetDouble() : (double?)null).ToList();
        if (Date(series[0].GetProperty("date")) > startDate)
        {
            index.Insert(0, 1.0);
            bench.Insert(0, null);
        }
        var returns = new List<double>();
        var pairs = new List<(double P, double B)>();
        for (var i = 1; i < index.Count; i++)
        {
            var r = index[i] / index[i - 1] - 1;
            returns.Add(r);
            if (bench[i] is { } b1 && bench[i - 1] is { } b0)
            {
                pairs.Add((r, b1 / b0 - 1));
            }
        }
        var mean = returns.Average();
        var volatility = Math.Sqrt(returns.Sum(r => (r - mean) * (r - mean)) / (returns.Count - 1)) * Math.Sqrt(252);
        double peak = 1, deepest = 0;
        foreach (var value in index)
        {
            peak = Math.Max(peak, value);
            deepest = Math.Max(deepest, 1 - value / peak);
        }
        var (mp, mb) = (pairs.Average(x => x.P), pairs.Average(x => x.B));
        var beta = pairs.Sum(x => (x.P - mp) * (x.B - mb)) / pairs.Sum(x => (x.B - mb) * (x.B - mb));
        return (index[^1] - 1, volatility, deepest, beta);
    }

    private static DateOnly Date(JsonElement value) => DateOnly.Parse(value.GetString()!, CultureInfo.InvariantCulture);

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task PostAll(UserClient user, params object[] bodies)
    {
        foreach (var body in bodies)
        {
            await (await user.Http.PostAsJsonAsync("/api/transactions", body)).AssertJsonAsync(HttpStatusCode.Created);
        }
    }
}

public sealed class DashboardContractSqliteTests(SqliteApp app) : DashboardContractTests(app), IClassFixture<SqliteApp>;

public sealed class DashboardContractPostgresTests(PostgresApp app) : DashboardContractTests(app), IClassFixture<PostgresApp>;
