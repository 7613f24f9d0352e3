using System.Globalization;
using System.Text.Json;

namespace FinSight.Domain.Tests;

/// <summary>
/// Runs the golden scenario files in Scenarios/: each holds one trade history, prices, and the expected
/// figures worked out by hand in comments. A number is checked to the precision it is written with
/// (200.00 means ±0.005; an integer means exactly).
/// </summary>
public sealed class ScenarioTests
{
    private static readonly JsonDocumentOptions JsonOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Scenarios"), "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Fact]
    public void There_are_golden_scenarios()
    {
        Assert.True(Files().Count >= 10);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Scenario_matches_hand_worked_figures(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Scenarios", file)), JsonOptions);
        var root = doc.RootElement;
        var method = Enum.Parse<CostBasisMethod>(root.GetProperty("method").GetString()!);
        var transactions = root.GetProperty("transactions").EnumerateArray().Select(ParseTransaction).ToArray();
        var expected = root.GetProperty("expected");
        DateOnly? asOf = root.TryGetProperty("asOf", out var a) ? Date(a) : null;

        if (expected.TryGetProperty("error", out var error))
        {
            var ex = Assert.ThrowsAny<PortfolioException>(() => PortfolioState.Replay(transactions, method, null, Rates(root)));
            CheckError(error, ex);
            return;
        }

        var rates = Rates(root);
        var state = PortfolioState.Replay(transactions, method, asOf, rates);
        var quotes = new Dictionary<string, ValuationPrice>();
        if (root.TryGetProperty("quotes", out var q))
        {
            foreach (var quote in q.EnumerateObject())
            {
                quotes[quote.Name] = new ValuationPrice(
                    quote.Value.GetProperty("price").GetDecimal(),
                    quote.Value.TryGetProperty("previousClose", out var pc) ? pc.GetDecimal() : null);
            }
        }

        Dictionary<string, decimal>? valuationRates = null;
        if (root.TryGetProperty("valuationRates", out var vr))
        {
            valuationRates = vr.EnumerateObject().ToDictionary(r => r.Name, r => r.Value.GetDecimal());
        }

        var valuation = state.Value(quotes, valuationRates);
        CheckTotals(expected, state, valuation);
        if (expected.TryGetProperty("sells", out var sells))
        {
            CheckSells(sells, state.RealizedTrades);
        }

        if (expected.TryGetProperty("positions", out var positions))
        {
            CheckPositions(positions, valuation.Positions);
        }

        if (expected.TryGetProperty("history", out _) || expected.TryGetProperty("performanceAll", out _))
        {
            CheckHistory(root, expected, transactions, method, asOf ?? transactions.Max(t => t.Date), rates);
        }
    }

    private static void CheckTotals(JsonElement expected, PortfolioState state, PortfolioValuation valuation)
    {
        foreach (var p in expected.EnumerateObject())
        {
            decimal? actual = p.Name switch
            {
                "cash" => state.Cash,
                "realizedGain" => state.RealizedGain,
                "unrealizedGain" => valuation.UnrealizedGain,
                "totalGain" => valuation.TotalGain,
                "totalValue" => valuation.TotalValue,
                "netContributions" => state.NetContributions,
                "dividends" => state.Dividends,
                "fees" => state.Fees,
                "cashCurrencyGain" => valuation.CashCurrencyGain,
                "currencyEffect" => valuation.CurrencyEffect,
                "priceEffect" => valuation.PriceEffect,
                "marketValue" => valuation.MarketValue,
                "costBasis" => valuation.CostBasis,
                _ => null,
            };
            if (actual is { } value)
            {
                Near(p.Value, value, p.Name);
            }
        }

        if (expected.TryGetProperty("cashBalances", out var balances))
        {
            Assert.Equal(balances.EnumerateObject().Count(), state.CashBalances.Count);
            foreach (var balance in balances.EnumerateObject())
            {
                Near(balance.Value, state.CashBalances[balance.Name], "cash in " + balance.Name);
            }
        }

        // Price and currency effects add up to the total gain.
        Assert.Equal(valuation.TotalGain, valuation.PriceEffect + valuation.CurrencyEffect);

        if (expected.TryGetProperty("cashMode", out var mode))
        {
            Assert.Equal(Enum.Parse<CashMode>(mode.GetString()!), state.CashMode);
        }

        // The accounting identity holds in every scenario.
        Assert.Equal(valuation.TotalValue - valuation.NetContributions, valuation.TotalGain);
    }

    private static void CheckSells(JsonElement sells, IReadOnlyList<RealizedTrade> actual)
    {
        Assert.Equal(sells.GetArrayLength(), actual.Count);
        var i = 0;
        foreach (var sell in sells.EnumerateArray())
        {
            var trade = actual[i++];
            var what = $"sell #{i}";
            foreach (var p in sell.EnumerateObject())
            {
                switch (p.Name)
                {
                    case "date": Assert.Equal(Date(p.Value), trade.Date); break;
                    case "symbol": Assert.Equal(p.Value.GetString(), trade.Symbol); break;
                    case "quantity": Near(p.Value, trade.Quantity, what + " quantity"); break;
                    case "costBasis": Near(p.Value, trade.CostBasis, what + " cost"); break;
                    case "proceeds": Near(p.Value, trade.Proceeds, what + " proceeds"); break;
                    case "gain": Near(p.Value, trade.Gain, what + " gain"); break;
                    case "gainRatio": Near(p.Value, trade.GainRatio!.Value, what + " gain ratio"); break;
                    case "currencyEffect": Near(p.Value, trade.CurrencyEffect, what + " currency effect"); break;
                    case "priceEffect": Near(p.Value, trade.PriceEffect, what + " price effect"); break;
                    default: throw new InvalidOperationException($"Unknown sell field {p.Name}.");
                }
            }
        }
    }

    private static void CheckPositions(JsonElement positions, IReadOnlyList<PositionValuation> actual)
    {
        Assert.Equal(positions.GetArrayLength(), actual.Count);
        var i = 0;
        foreach (var position in positions.EnumerateArray())
        {
            var v = actual[i++];
            var what = $"position {v.Symbol}";
            foreach (var p in position.EnumerateObject())
            {
                switch (p.Name)
                {
                    case "symbol": Assert.Equal(p.Value.GetString(), v.Symbol); break;
                    case "quantity": Near(p.Value, v.Quantity, what + " quantity"); break;
                    case "costBasis": Near(p.Value, v.CostBasis, what + " cost"); break;
                    case "averageCost": Near(p.Value, v.AverageCost, what + " average cost"); break;
                    case "marketValue": Near(p.Value, v.MarketValue, what + " market value"); break;
                    case "unrealizedGain": Near(p.Value, v.UnrealizedGain, what + " unrealized"); break;
                    case "unrealizedGainRatio": Near(p.Value, v.UnrealizedGainRatio!.Value, what + " unrealized ratio"); break;
                    case "dayChange": Near(p.Value, v.DayChange!.Value, what + " day change"); break;
                    case "weight": Near(p.Value, v.Weight!.Value, what + " weight"); break;
                    case "dividends": Near(p.Value, v.Position.Dividends, what + " dividends"); break;
                    case "openedOn": Assert.Equal(Date(p.Value), v.Position.OpenedOn); break;
                    case "lots": Assert.Equal(p.Value.GetInt32(), v.Position.Lots.Count); break;
                    case "currency": Assert.Equal(p.Value.GetString(), v.Currency.Code); break;
                    case "localCostBasis": Near(p.Value, v.Position.LocalCostBasis, what + " local cost"); break;
                    case "localMarketValue": Near(p.Value, v.LocalMarketValue, what + " local market value"); break;
                    case "currencyEffect": Near(p.Value, v.CurrencyEffect, what + " currency effect"); break;
                    case "priceEffect": Near(p.Value, v.PriceEffect, what + " price effect"); break;
                    default: throw new InvalidOperationException($"Unknown position field {p.Name}.");
                }
            }
        }
    }

    /// <summary>The scenario's base currency and daily rates into it (<c>"rates": {"USD": {"2024-01-02": 0.90}}</c>: 1 USD = 0.90 of the base).</summary>
    private static ExchangeRates? Rates(JsonElement root)
    {
        if (!root.TryGetProperty("baseCurrency", out var b))
        {
            return null;
        }

        var series = new List<PriceSeries>();
        if (root.TryGetProperty("rates", out var rates))
        {
            foreach (var currency in rates.EnumerateObject())
            {
                series.Add(new PriceSeries(currency.Name, currency.Value.EnumerateObject().Select(c => new DailyClose(DateOnly.Parse(c.Name, CultureInfo.InvariantCulture), c.Value.GetDecimal()))));
            }
        }

        return new ExchangeRates(Currency.Parse(b.GetString()), series);
    }

    private static void CheckHistory(JsonElement root, JsonElement expected, Transaction[] transactions, CostBasisMethod method, DateOnly to, ExchangeRates? rates)
    {
        var series = new List<PriceSeries>();
        if (root.TryGetProperty("prices", out var prices))
        {
            foreach (var symbol in prices.EnumerateObject())
            {
                series.Add(new PriceSeries(symbol.Name, symbol.Value.EnumerateObject().Select(c => new DailyClose(DateOnly.Parse(c.Name, CultureInfo.InvariantCulture), c.Value.GetDecimal()))));
            }
        }

        var adjustment = root.TryGetProperty("closeAdjustment", out var adj) ? Enum.Parse<CloseAdjustment>(adj.GetString()!) : CloseAdjustment.SplitAdjusted;
        var history = PortfolioHistory.Build(transactions, new MarketPrices(series), to, new HistoryOptions { Method = method, CloseAdjustment = adjustment, Rates = rates ?? ExchangeRates.UsdOnly });
        if (expected.TryGetProperty("history", out var points))
        {
            foreach (var point in points.EnumerateArray())
            {
                var date = Date(point.GetProperty("date"));
                var actual = Assert.Single(history.Points, p => p.Date == date);
                foreach (var p in point.EnumerateObject())
                {
                    var what = $"{date:yyyy-MM-dd} {p.Name}";
                    switch (p.Name)
                    {
                        case "date": break;
                        case "totalValue": Near(p.Value, actual.TotalValue, what); break;
                        case "cash": Near(p.Value, actual.Cash, what); break;
                        case "costBasis": Near(p.Value, actual.CostBasis, what); break;
                        case "inflow": Near(p.Value, actual.Inflow, what); break;
                        case "outflow": Near(p.Value, actual.Outflow, what); break;
                        case "netContributions": Near(p.Value, actual.NetContributions, what); break;
                        case "dailyReturn": Near(p.Value, (decimal)actual.DailyReturn!.Value, what); break;
                        case "twrIndex": Near(p.Value, (decimal)actual.TwrIndex, what); break;
                        case "drawdown": Near(p.Value, (decimal)actual.Drawdown, what); break;
                        default: throw new InvalidOperationException($"Unknown history field {p.Name}.");
                    }
                }
            }
        }

        if (expected.TryGetProperty("performanceAll", out var performance))
        {
            var all = PerformanceMetrics.ComputeRange(history, PerformanceRange.All);
            foreach (var p in performance.EnumerateObject())
            {
                var actual = p.Name switch
                {
                    "timeWeightedReturn" => (decimal)all.TimeWeightedReturn!.Value,
                    "simpleReturn" => (decimal)all.SimpleReturn!.Value,
                    "gain" => all.Gain,
                    "maxDrawdown" => (decimal)all.Risk.MaxDrawdown!.Depth,
                    "xirr" => (decimal)all.AnnualizedMoneyWeightedReturn!.Value,
                    _ => throw new InvalidOperationException($"Unknown performance field {p.Name}."),
                };
                Near(p.Value, actual, "ALL " + p.Name);
            }
        }
    }

    private static void CheckError(JsonElement error, PortfolioException ex)
    {
        foreach (var p in error.EnumerateObject())
        {
            switch (p.Name)
            {
                case "type": Assert.Equal(p.Value.GetString() + "Exception", ex.GetType().Name); break;
                case "date": Assert.Equal(Date(p.Value), ex.Date); break;
                case "transactionId": Assert.Equal(p.Value.GetString(), ex.TransactionId); break;
                case "symbol": Assert.Equal(p.Value.GetString(), ((InsufficientQuantityException)ex).Symbol); break;
                case "quantityHeld": Near(p.Value, ((InsufficientQuantityException)ex).QuantityHeld, "held"); break;
                case "quantityRequested": Near(p.Value, ((InsufficientQuantityException)ex).QuantityRequested, "requested"); break;
                default: throw new InvalidOperationException($"Unknown error field {p.Name}.");
            }
        }
    }

    private static Transaction ParseTransaction(JsonElement t)
    {
        var date = Date(t.GetProperty("date"));
        var id = t.TryGetProperty("id", out var i) ? i.GetString() : null;
        decimal D(string name, decimal fallback = 0m) => t.TryGetProperty(name, out var v) ? v.GetDecimal() : fallback;
        string S() => t.GetProperty("symbol").GetString()!;
        Currency C(string name) => Currency.Parse(t.GetProperty(name).GetString());
        Currency? currency = t.TryGetProperty("currency", out _) ? C("currency") : null;
        Settlement? settlement = t.TryGetProperty("settlement", out var st)
            ? new Settlement(Currency.Parse(st.GetProperty("currency").GetString()), st.TryGetProperty("rate", out var r) ? r.GetDecimal() : null)
            : null;
        Transaction transaction = t.GetProperty("type").GetString() switch
        {
            "Buy" => Transaction.Buy(date, S(), D("quantity"), D("price"), D("fees"), id) with { Settlement = settlement },
            "Sell" => Transaction.Sell(date, S(), D("quantity"), D("price"), D("fees"), id) with { Settlement = settlement },
            "Dividend" => Transaction.Dividend(date, S(), D("amount"), id) with { Settlement = settlement },
            "Split" => Transaction.Split(date, S(), D("numerator"), D("denominator"), id),
            "Deposit" => Transaction.Deposit(date, D("amount"), id),
            "Withdrawal" => Transaction.Withdrawal(date, D("amount"), id),
            "Fee" => Transaction.Fee(date, D("amount"), id),
            "Exchange" => Transaction.Exchange(date, C("from"), D("fromAmount"), C("to"), D("toAmount"), id),
            var other => throw new InvalidOperationException($"Unknown transaction type {other}."),
        };
        return currency is null ? transaction : transaction with { Currency = currency };
    }

    private static DateOnly Date(JsonElement e) => DateOnly.Parse(e.GetString()!, CultureInfo.InvariantCulture);

    /// <summary>Compares to the precision the expected number is written with.</summary>
    private static void Near(JsonElement expected, decimal actual, string what)
    {
        var raw = expected.GetRawText();
        var dot = raw.IndexOf('.', StringComparison.Ordinal);
        var decimals = dot < 0 ? 0 : raw.Length - dot - 1;
        var tolerance = decimals == 0 ? 0m : 0.5m / (decimal)Math.Pow(10, decimals);
        var value = expected.GetDecimal();
        Assert.True(Math.Abs(actual - value) <= tolerance, $"{what}: expected {raw}, got {actual}");
    }
}
