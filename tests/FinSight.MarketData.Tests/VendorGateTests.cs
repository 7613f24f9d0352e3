using FinSight.MarketData.Finnhub;
using FinSight.MarketData.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace FinSight.MarketData.Tests;

public sealed class VendorGateTests
{
    [Fact]
    public async Task The_circuit_opens_after_repeated_failures_and_closes_after_the_break()
    {
        var clock = TestClock.At("2024-06-12T15:00:00Z");
        var healthy = false;
        await using var finnhub = await FakeFinnhub.StartAsync(clock, o =>
        {
            o.MaxRetries = 0;
            o.BreakerMinimumThroughput = 2;
            o.BreakerBreakDuration = TimeSpan.FromSeconds(30);
        });
        finnhub.Intercept = async context =>
        {
            if (healthy) return false;
            context.Response.StatusCode = 503;
            await context.Response.WriteAsync("down");
            return true;
        };
        var provider = finnhub.CreateProvider(clock);

        await Assert.ThrowsAsync<MarketDataException>(() => provider.GetQuoteAsync("AAPL"));
        await Assert.ThrowsAsync<MarketDataException>(() => provider.GetQuoteAsync("AAPL"));
        var open = await Assert.ThrowsAsync<MarketDataException>(() => provider.GetQuoteAsync("AAPL"));
        Assert.Contains("circuit open", open.Message, StringComparison.Ordinal);
        Assert.Equal(2, finnhub.Server.RequestCount); // the open circuit answered without calling

        healthy = true;
        clock.Advance(TimeSpan.FromSeconds(31));
        Assert.NotNull(await provider.GetQuoteAsync("AAPL")); // half-open probe succeeds and closes it
        Assert.NotNull(await provider.GetQuoteAsync("AAPL"));
        Assert.Equal(4, finnhub.Server.RequestCount);
    }

    [Fact]
    public async Task Requests_over_the_rate_limit_are_queued_not_failed()
    {
        await using var finnhub = await FakeFinnhub.StartAsync(TimeProvider.System, o =>
        {
            o.RequestsPerSecond = 2;
            o.PermitWait = TimeSpan.FromSeconds(10); // longer than the queue here: see the bounded-wait test below
        });
        var arrivals = new List<long>();
        finnhub.Intercept = context =>
        {
            lock (arrivals) arrivals.Add(TimeProvider.System.GetTimestamp());
            return Task.FromResult(false);
        };
        var provider = finnhub.CreateProvider(TimeProvider.System);

        var quotes = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => provider.GetQuoteAsync("AAPL")));

        Assert.All(quotes, Assert.NotNull);
        var spread = TimeProvider.System.GetElapsedTime(arrivals.Min(), arrivals.Max());
        Assert.True(spread >= TimeSpan.FromSeconds(1.4), $"6 calls at 2/s arrived within {spread}");
    }

    [Fact]
    public async Task A_call_waits_at_most_the_permit_wait_then_fails_like_an_unreachable_vendor()
    {
        await using var finnhub = await FakeFinnhub.StartAsync(TimeProvider.System, o =>
        {
            o.RequestsPerSecond = 1;
            o.PermitWait = TimeSpan.FromMilliseconds(300);
            o.MaxRetries = 0;
        });
        var provider = finnhub.CreateProvider(TimeProvider.System);
        var started = TimeProvider.System.GetTimestamp();

        var calls = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            try
            {
                return (await provider.GetQuoteAsync("AAPL")) is not null ? "quote" : "none";
            }
            catch (MarketDataException error)
            {
                return error.Message;
            }
        }));

        Assert.Contains("quote", calls);
        Assert.Contains(calls, c => c.Contains("busy", StringComparison.Ordinal));
        Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(3), "refused calls must not wait for the next window");
        Assert.True(finnhub.Server.RequestCount <= 2);
    }

    [Fact]
    public async Task A_background_call_takes_no_permit_an_interactive_call_is_waiting_for()
    {
        await using var finnhub = await FakeFinnhub.StartAsync(TimeProvider.System, o =>
        {
            o.RequestsPerSecond = 1;
            o.PermitWait = TimeSpan.FromSeconds(5);
            o.BackgroundPermitWait = TimeSpan.FromMilliseconds(600);
            o.MaxRetries = 0;
        });
        var provider = finnhub.CreateProvider(TimeProvider.System);
        Assert.NotNull(await provider.GetQuoteAsync("AAPL")); // spends this second's permit

        var interactive = provider.GetQuoteAsync("AAPL"); // queues for the next one
        Task<Quote?> background;
        using (FinSight.MarketData.FairUse.VendorCaller.Enter(new("job", FinSight.MarketData.FairUse.VendorLane.Background)))
        {
            background = provider.GetQuoteAsync("AAPL");
        }

        Assert.NotNull(await interactive);
        var refused = await Assert.ThrowsAsync<MarketDataException>(() => background);
        Assert.Contains("busy", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retries_recover_from_a_transient_server_error()
    {
        var calls = 0;
        await using var finnhub = await FakeFinnhub.StartAsync(TimeProvider.System);
        finnhub.Intercept = async context =>
        {
            if (Interlocked.Increment(ref calls) > 1) return false;
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            await context.Response.WriteAsync("bad gateway");
            return true;
        };

        Assert.NotNull(await finnhub.CreateProvider(TimeProvider.System).GetQuoteAsync("AAPL"));
        Assert.Equal(2, finnhub.Server.RequestCount);
    }

    [Fact]
    public async Task Client_errors_are_not_retried()
    {
        await using var finnhub = await FakeFinnhub.StartAsync(TimeProvider.System);

        await Assert.ThrowsAsync<CapabilityUnavailableException>(() =>
            finnhub.CreateProvider(TimeProvider.System).GetDailyHistoryAsync("AAPL", new DateOnly(2024, 6, 3), new DateOnly(2024, 6, 7)));
        Assert.Equal(1, finnhub.Server.RequestCount);
        Assert.Equal(FinnhubProvider.ProviderName, finnhub.Http.Vendor);
    }
}
