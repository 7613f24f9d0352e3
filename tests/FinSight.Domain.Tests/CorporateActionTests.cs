using static FinSight.Domain.Tests.TestData;

namespace FinSight.Domain.Tests;

/// <summary>Matching market splits and dividends against a history: what is proposed, what counts as recorded, and that applying is idempotent.</summary>
public sealed class CorporateActionTests
{
    private static readonly MarketCorporateAction AaplSplit = MarketCorporateAction.Split("AAPL", D("2020-08-31"), 4m, 1m, 129.04m, "Yahoo");

    private static IReadOnlyList<Transaction> Apply(IEnumerable<Transaction> history, IEnumerable<CorporateActionProposal> proposals) =>
        [.. history, .. proposals.SelectMany(p => p.ToTransactions())];

    [Fact]
    public void A_missing_split_is_proposed_once_and_never_again_once_applied()
    {
        Transaction[] history = [Transaction.Buy(D("2019-05-01"), "AAPL", 10m, 200m)];

        var pending = CorporateActionMatcher.Pending(history, [AaplSplit]);

        var split = Assert.Single(pending);
        Assert.Equal("split:AAPL:2020-08-31", split.Action.Key);
        Assert.Equal(10m, split.SharesHeld);
        Assert.Equal(40m, split.SharesAfter);
        Assert.Null(split.CashInLieuShares);
        Assert.Equal("AAPL 4-for-1 split on 2020-08-31: 10 shares become 40", split.Description);

        var applied = Apply(history, pending);
        Assert.Empty(CorporateActionMatcher.Pending(applied, [AaplSplit]));
        // Applying the same proposals a second time (a double click, two tabs) would double the shares:
        // the proposals computed from the applied history are empty, so there is nothing to apply twice.
        var state = PortfolioState.Replay(applied);
        Assert.Equal(40m, state.FindPosition("AAPL")!.Quantity);
        Assert.Equal(2000m, state.FindPosition("AAPL")!.CostBasis);
        Assert.Equal(50m, state.FindPosition("AAPL")!.AverageCost);
    }

    [Fact]
    public void A_vendor_reporting_the_same_split_twice_proposes_it_once()
    {
        // Wealthfolio #541: one split reached the history twice and the position quadrupled twice.
        Transaction[] history = [Transaction.Buy(D("2019-05-01"), "AAPL", 10m, 200m)];
        var again = MarketCorporateAction.Split("AAPL", D("2020-08-28"), 4m, 1m, null, "Finnhub");

        var pending = CorporateActionMatcher.Pending(history, [AaplSplit, again, AaplSplit]);

        Assert.Single(pending);
        Assert.Equal(40m, PortfolioState.Replay(Apply(history, pending)).FindPosition("AAPL")!.Quantity);
    }

    [Theory]
    [InlineData("2020-08-31", 4, 1, false)]
    [InlineData("2020-08-27", 4, 1, false)]
    [InlineData("2020-09-04", 8, 2, false)]
    [InlineData("2020-08-31", 2, 1, true)]
    [InlineData("2020-09-07", 4, 1, true)]
    public void A_hand_entered_split_of_the_same_ratio_within_five_days_counts_as_recorded(string date, int numerator, int denominator, bool proposed)
    {
        Transaction[] history = [Transaction.Buy(D("2019-05-01"), "AAPL", 10m, 200m), Transaction.Split(D(date), "AAPL", numerator, denominator)];

        Assert.Equal(proposed, CorporateActionMatcher.Pending(history, [AaplSplit]).Count == 1);
    }

    [Fact]
    public void Nothing_is_proposed_for_a_symbol_not_held_before_the_ex_date()
    {
        Transaction[] history =
        [
            Transaction.Buy(D("2019-05-01"), "AAPL", 10m, 200m), Transaction.Sell(D("2020-08-28"), "AAPL", 10m, 500m),
            Transaction.Buy(D("2020-08-31"), "AAPL", 4m, 129m), Transaction.Buy(D("2020-01-02"), "MSFT", 1m, 160m),
        ];

        Assert.Empty(CorporateActionMatcher.Pending(history, [AaplSplit, MarketCorporateAction.Split("NVDA", D("2021-07-20"), 4m, 1m, null, "Yahoo")]));
    }

    [Fact]
    public void A_dismissed_action_stays_dismissed_and_later_dividends_do_not_count_its_shares()
    {
        Transaction[] history = [Transaction.Buy(D("2019-05-01"), "AAPL", 10m, 200m)];
        var dividend = MarketCorporateAction.Dividend("AAPL", D("2020-11-06"), 0.205m, D("2020-11-12"), "Yahoo");

        var all = CorporateActionMatcher.Pending(history, [AaplSplit, dividend]);
        var withoutSplit = CorporateActionMatcher.Pending(history, [AaplSplit, dividend], new HashSet<string> { AaplSplit.Key });

        Assert.Equal([40m * 0.205m, 10m * 0.205m], [all[1].Amount!.Value, withoutSplit[0].Amount!.Value]);
        Assert.Equal(CorporateActionKind.Dividend, Assert.Single(withoutSplit).Action.Kind);
        Assert.Empty(CorporateActionMatcher.Pending(history, [AaplSplit, dividend], new HashSet<string> { AaplSplit.Key, dividend.Key }));
    }

    [Fact]
    public void A_dividend_is_proposed_on_the_shares_held_before_its_ex_date_and_recorded_on_its_pay_date()
    {
        Transaction[] history =
        [
            Transaction.Buy(D("2025-01-02"), "MSFT", 30m, 420m),
            Transaction.Buy(D("2025-08-21"), "MSFT", 5m, 500m), // on the ex-date: no dividend for these
        ];
        var dividend = MarketCorporateAction.Dividend("MSFT", D("2025-08-21"), 0.83m, D("2025-09-11"), "Yahoo");

        var proposal = Assert.Single(CorporateActionMatcher.Pending(history, [dividend]));

        Assert.Equal(24.90m, proposal.Amount);
        Assert.Equal(D("2025-09-11"), proposal.RecordDate);
        Assert.Equal("MSFT dividend 0.83 per share (ex-date 2025-08-21, paid 2025-09-11) on 30 shares: record 24.90", proposal.Description);
        var recorded = Apply(history, [proposal]);
        Assert.Empty(CorporateActionMatcher.Pending(recorded, [dividend]));
        Assert.Equal(24.90m, PortfolioState.Replay(recorded).Dividends);
    }

    [Theory]
    [InlineData("2025-09-12", 24.90, false)]
    [InlineData("2025-09-11", 21.17, false)] // 15 % withheld
    [InlineData("2025-09-11", 16.18, false)] // 35 % withheld (Swiss tax): 24.90 × 0.65 = 16.185
    [InlineData("2025-09-11", 15.93, true)] // 36 % less: not this dividend
    [InlineData("2025-08-20", 24.90, false)]
    [InlineData("2025-09-11", 12.45, true)] // half: another payment, not this one
    [InlineData("2025-10-01", 24.90, true)] // outside ex-date − 5 … pay date + 5
    public void A_hand_entered_dividend_counts_when_its_date_and_amount_fit(string date, double amount, bool proposed)
    {
        Transaction[] history = [Transaction.Buy(D("2025-01-02"), "MSFT", 30m, 420m), Transaction.Dividend(D(date), "MSFT", (decimal)amount)];
        var dividend = MarketCorporateAction.Dividend("MSFT", D("2025-08-21"), 0.83m, D("2025-09-11"), "Yahoo");

        Assert.Equal(proposed, CorporateActionMatcher.Pending(history, [dividend]).Count == 1);
    }

    [Fact]
    public void One_hand_entered_dividend_matches_one_payment_only()
    {
        Transaction[] history = [Transaction.Buy(D("2025-01-02"), "O", 100m, 55m), Transaction.Dividend(D("2025-03-14"), "O", 26.80m)];
        var march = MarketCorporateAction.Dividend("O", D("2025-03-03"), 0.268m, null, "Yahoo");
        var april = MarketCorporateAction.Dividend("O", D("2025-04-01"), 0.268m, null, "Yahoo");

        var pending = CorporateActionMatcher.Pending(history, [march, april]);

        Assert.Equal("dividend:O:2025-04-01", Assert.Single(pending).Action.Key);
    }

    [Fact]
    public void A_reverse_split_pays_the_fraction_as_cash_in_lieu_and_does_not_show_a_gain()
    {
        // Ghostfolio #6271: +200 % after a reverse split. 105 shares at 2.00 (cost 210), 1-for-10 at an
        // ex-date close of 20.00 (the same 2.00 a share before): 10 shares kept, 0.5 paid out at 20.00.
        Transaction[] history = [Transaction.Buy(D("2024-03-01"), "XYZ", 105m, 2m)];
        var reverse = MarketCorporateAction.Split("XYZ", D("2024-06-03"), 1m, 10m, 20m, "Yahoo");

        var proposal = Assert.Single(CorporateActionMatcher.Pending(history, [reverse]));
        Assert.Equal(10.5m, proposal.SharesAfter);
        Assert.Equal((0.5m, 20m, 10.00m), (proposal.CashInLieuShares!.Value, proposal.CashInLieuPrice!.Value, proposal.CashInLieuAmount!.Value));
        Assert.Equal("XYZ 1-for-10 reverse split on 2024-06-03: 105 shares become 10.5; 0.5 sold for cash in lieu at 20.00 = 10.00", proposal.Description);

        var applied = Apply(history, [proposal]);
        var state = PortfolioState.Replay(applied);
        var position = state.FindPosition("XYZ")!;
        Assert.Equal(10m, position.Quantity);
        Assert.Equal(200m, position.CostBasis);
        Assert.Equal(0m, state.RealizedGain);
        var valued = state.Value(new Dictionary<string, ValuationPrice> { ["XYZ"] = new(20m, 20m) });
        Assert.Equal(0m, valued.UnrealizedGain);
        Assert.Empty(CorporateActionMatcher.Pending(applied, [reverse]));

        // The portfolio's daily series is flat through the split: closes as traded (2.00 before, 20.00 after)
        // on the recorded shares. No cliff, no +900 % or +200 %.
        var prices = Prices(Series("XYZ", ("2024-05-30", 2m), ("2024-05-31", 2m), ("2024-06-03", 20m), ("2024-06-04", 20m)));
        var daily = PortfolioHistory.Build(applied, prices, D("2024-06-04"), new HistoryOptions { CloseAdjustment = CloseAdjustment.AsTraded });
        Assert.All(daily.Points.Where(p => p.Date >= D("2024-05-30")), p => Assert.Equal(1.0, p.TwrIndex, 9));
    }

    [Fact]
    public void A_split_that_leaves_a_fraction_of_an_already_fractional_holding_keeps_it()
    {
        Transaction[] history = [Transaction.Buy(D("2024-03-01"), "XYZ", 10.25m, 2m)];
        var reverse = MarketCorporateAction.Split("XYZ", D("2024-06-03"), 1m, 10m, 20m, "Yahoo");

        var proposal = Assert.Single(CorporateActionMatcher.Pending(history, [reverse]));

        Assert.Equal(1.025m, proposal.SharesAfter);
        Assert.Null(proposal.CashInLieuShares);
        Assert.Single(proposal.ToTransactions());
    }

    [Fact]
    public void Market_actions_validate_their_arguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MarketCorporateAction.Split("AAPL", D("2020-08-31"), 0m, 1m, null, "Yahoo"));
        Assert.Throws<ArgumentOutOfRangeException>(() => MarketCorporateAction.Dividend("AAPL", D("2020-08-31"), -1m, null, "Yahoo"));
        Assert.Throws<ArgumentOutOfRangeException>(() => MarketCorporateAction.Dividend("AAPL", D("2020-08-31"), 1m, D("2020-08-30"), "Yahoo"));
        Assert.Throws<ArgumentException>(() => MarketCorporateAction.Split("not a ticker!", D("2020-08-31"), 4m, 1m, null, "Yahoo"));
    }
}
