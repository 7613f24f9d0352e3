using FinSight.Web.Data;
using FinSight.Web.Features.Alerts;

namespace FinSight.Web.Tests.Alerts;

/// <summary>The fire-once rule with hysteresis, at and around each kind's threshold; quiet hours; back-off; the webhook signature.</summary>
public sealed class AlertConditionsTests
{
    [Theory]
    [InlineData(AlertKind.PriceBelow, 100, 100.01, false)]
    [InlineData(AlertKind.PriceBelow, 100, 100, true)]
    [InlineData(AlertKind.PriceBelow, 100, 99.99, true)]
    [InlineData(AlertKind.PriceAbove, 100, 99.99, false)]
    [InlineData(AlertKind.PriceAbove, 100, 100, true)]
    [InlineData(AlertKind.DailyMove, 5, 4.99, false)]
    [InlineData(AlertKind.DailyMove, 5, 5, true)]
    [InlineData(AlertKind.DailyMove, 5, -5, true)]
    [InlineData(AlertKind.DailyMove, 5, -4.99, false)]
    [InlineData(AlertKind.PositionDrawdown, 10, 9.99, false)]
    [InlineData(AlertKind.PositionDrawdown, 10, 10, true)]
    [InlineData(AlertKind.PortfolioDrawdown, 10, 10.01, true)]
    [InlineData(AlertKind.NewsNegative, -0.3, -0.3, false)]
    [InlineData(AlertKind.NewsNegative, -0.3, -0.3001, true)]
    [InlineData(AlertKind.NewsNegative, -0.3, 0.2, false)]
    public void Each_kind_meets_its_condition_exactly_at_the_edge_it_states(AlertKind kind, double threshold, double value, bool met) =>
        Assert.Equal(met, AlertConditions.IsMet(kind, (decimal)threshold, (decimal)value));

    [Fact]
    public void A_rule_fires_once_and_rearms_only_when_clear_by_the_margin()
    {
        var armed = true;
        var fired = new List<decimal>();
        // Price below 100 with a margin of 2: it hovers around 100, and only a move above 102 re-arms it.
        foreach (var price in new[] { 101m, 100m, 99m, 100.5m, 99.5m, 102m, 101m, 102.01m, 101m, 99.9m })
        {
            switch (AlertConditions.Decide(AlertKind.PriceBelow, 100m, 2m, armed, price))
            {
                case AlertTransition.Fire:
                    armed = false;
                    fired.Add(price);
                    break;
                case AlertTransition.Rearm:
                    armed = true;
                    break;
            }
        }
        Assert.Equal([100m, 99.9m], fired);
    }

    [Theory]
    [InlineData(AlertKind.PriceAbove, 100, 2, 98, false)]
    [InlineData(AlertKind.PriceAbove, 100, 2, 97.99, true)]
    [InlineData(AlertKind.DailyMove, 5, 1, -4, false)]
    [InlineData(AlertKind.DailyMove, 5, 1, 3.99, true)]
    [InlineData(AlertKind.NewsNegative, -0.3, 0.1, -0.2001, false)]
    [InlineData(AlertKind.NewsNegative, -0.3, 0.1, -0.2, true)]
    [InlineData(AlertKind.PortfolioDrawdown, 10, 0, 9.99, true)]
    public void Clearing_needs_the_margin(AlertKind kind, double threshold, double margin, double value, bool clear) =>
        Assert.Equal(clear, AlertConditions.IsClear(kind, (decimal)threshold, (decimal)margin, (decimal)value));

    [Fact]
    public void Quiet_hours_defer_to_their_end_in_the_users_time_zone_across_midnight()
    {
        var start = new TimeOnly(22, 0);
        var end = new TimeOnly(7, 0);
        // 21:30 UTC = 22:30 in Berlin (winter): quiet until 07:00 Berlin = 06:00 UTC next day.
        var at = new DateTimeOffset(2026, 12, 1, 21, 30, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 6, 0, 0, TimeSpan.Zero), QuietHours.NextAllowed(at, start, end, "Europe/Berlin"));
        // 05:00 UTC = 06:00 Berlin: still quiet, until 06:00 UTC the same day.
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 6, 0, 0, TimeSpan.Zero), QuietHours.NextAllowed(at.AddHours(7.5), start, end, "Europe/Berlin"));
        // 06:00 UTC = 07:00 Berlin: the end itself is no longer quiet.
        var open = new DateTimeOffset(2026, 12, 2, 6, 0, 0, TimeSpan.Zero);
        Assert.Equal(open, QuietHours.NextAllowed(open, start, end, "Europe/Berlin"));
        Assert.Equal(at, QuietHours.NextAllowed(at, null, null, "UTC"));
    }

    [Fact]
    public void Retries_back_off_doubling_up_to_the_cap()
    {
        var options = new AlertOptions { RetryDelay = TimeSpan.FromSeconds(30), MaxRetryDelay = TimeSpan.FromMinutes(5) };
        Assert.Equal([30, 60, 120, 240, 300, 300], Enumerable.Range(1, 6).Select(n => AlertDispatcher.Backoff(n, options).TotalSeconds));
    }

    [Fact]
    public void The_webhook_signature_is_hmac_sha256_of_timestamp_dot_body()
    {
        // echo -n '1764633600.{"a":1}' | openssl dgst -sha256 -hmac 'whsec_test'
        Assert.Equal("sha256=061a9e466ef219976632ccfead66b8e555a2a73100d687fa438981b09a9a6117", AlertSenders.Sign("whsec_test", "1764633600", "{\"a\":1}"));
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("93.184.216.34", true)]
    public void Webhooks_reach_public_addresses_only_by_default(string address, bool isPublic) =>
        Assert.Equal(isPublic, AlertSenders.IsPublic(System.Net.IPAddress.Parse(address)));
}
