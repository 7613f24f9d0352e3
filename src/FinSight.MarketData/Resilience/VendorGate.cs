using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace FinSight.MarketData.Resilience;

/// <summary>
/// Per-vendor rate limiter, retry, circuit breaker, 429 back-off and per-attempt timeout. One
/// instance per vendor lives for the whole process: IHttpClientFactory recycles handlers every
/// few minutes, and breaker or limiter state must survive that.
/// </summary>
public sealed class VendorGate : IDisposable
{
    private readonly string _vendor;
    private readonly VendorHttpOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RateLimiter? _limiter;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private long _pausedUntilTicks;

    public VendorGate(string vendor, VendorHttpOptions options, TimeProvider time, ILogger logger)
    {
        _vendor = vendor;
        _options = options;
        _time = time;
        _logger = logger;
        _limiter = CreateLimiter(options);

        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome) && !WaitsTooLong(args.Outcome.Result)),
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                // A vendor that says how long to wait is believed over our own backoff.
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
                OnRetry = args =>
                {
                    _logger.LogWarning("{Vendor} attempt {Attempt} failed ({Outcome}); retrying in {Delay}",
                        _vendor, args.AttemptNumber + 1, Describe(args.Outcome), args.RetryDelay);
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            });
        }
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
            FailureRatio = options.BreakerFailureRatio,
            MinimumThroughput = options.BreakerMinimumThroughput,
            SamplingDuration = options.BreakerSamplingDuration,
            BreakDuration = options.BreakerBreakDuration,
            OnOpened = args =>
            {
                _logger.LogWarning("{Vendor} circuit opened for {Duration} after {Outcome}", _vendor, args.BreakDuration, Describe(args.Outcome));
                return ValueTask.CompletedTask;
            },
            OnClosed = _ =>
            {
                _logger.LogInformation("{Vendor} circuit closed", _vendor);
                return ValueTask.CompletedTask;
            },
        });
        _pipeline = builder.Build();
    }

    public string Vendor => _vendor;

    public async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request,
        Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send,
        CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.ExecuteAsync(
                async (state, token) => await SendOnceAsync(state.request, state.send, token),
                (request, send),
                cancellationToken);
        }
        catch (BrokenCircuitException ex)
        {
            throw new MarketDataException(_vendor, "circuit open after repeated failures", ex);
        }
    }

    private async Task<HttpResponseMessage> SendOnceAsync(
        HttpRequestMessage request,
        Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send,
        CancellationToken cancellationToken)
    {
        await WaitWhilePausedAsync(cancellationToken);
        using var lease = _limiter is null ? null : await _limiter.AcquireAsync(1, cancellationToken);
        if (lease is { IsAcquired: false })
        {
            throw new MarketDataException(_vendor, "rate limit queue is full");
        }

        // The timeout starts after the permit: time spent queued for our own limiter is not the vendor's fault.
        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var response = await send(request, linked.Token);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                PauseFor(RetryAfter(response) ?? _options.RetryBaseDelay);
            }
            return response;
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{_vendor} did not answer within {_options.Timeout}.", ex);
        }
    }

    // After a 429 every caller waits, not just the one that was told to.
    private void PauseFor(TimeSpan delay)
    {
        var until = (_time.GetUtcNow() + delay).UtcTicks;
        long current;
        while ((current = Interlocked.Read(ref _pausedUntilTicks)) < until
               && Interlocked.CompareExchange(ref _pausedUntilTicks, until, current) != current)
        {
        }
    }

    private async Task WaitWhilePausedAsync(CancellationToken cancellationToken)
    {
        var wait = new DateTimeOffset(Interlocked.Read(ref _pausedUntilTicks), TimeSpan.Zero) - _time.GetUtcNow();
        if (wait <= TimeSpan.Zero)
        {
            return;
        }
        if (wait > _options.MaxRetryAfter)
        {
            throw new MarketDataException(_vendor, $"rate limited by the vendor for another {wait:g}");
        }
        await Task.Delay(wait, _time, cancellationToken);
    }

    private bool WaitsTooLong(HttpResponseMessage? response) => RetryAfter(response) > _options.MaxRetryAfter;

    private TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        var header = response?.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }
        if (header?.Date is { } date)
        {
            var wait = date - _time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutException } => true,
        { Result: { } response } => response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout
                                    || (int)response.StatusCode >= 500,
        _ => false,
    };

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception?.GetType().Name ?? $"HTTP {(int?)outcome.Result?.StatusCode}";

    private static RateLimiter? CreateLimiter(VendorHttpOptions options)
    {
        var limiters = new List<RateLimiter>();
        if (options.RequestsPerSecond > 0)
        {
            limiters.Add(new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
            {
                PermitLimit = options.RequestsPerSecond,
                Window = TimeSpan.FromSeconds(1),
                SegmentsPerWindow = 4,
                QueueLimit = options.RateLimitQueueLimit,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            }));
        }
        if (options.RequestsPerMinute > 0)
        {
            limiters.Add(new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
            {
                PermitLimit = options.RequestsPerMinute,
                Window = TimeSpan.FromMinutes(1),
                SegmentsPerWindow = 6,
                QueueLimit = options.RateLimitQueueLimit,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            }));
        }
        return limiters.Count switch
        {
            0 => null,
            1 => limiters[0],
            _ => RateLimiter.CreateChained([.. limiters]),
        };
    }

    public void Dispose() => _limiter?.Dispose();
}

/// <summary>Puts a <see cref="VendorGate"/> in front of a vendor's HttpClient.</summary>
public sealed class VendorGateHandler(VendorGate gate) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        gate.SendAsync(request, base.SendAsync, cancellationToken);
}
