using System.Net;
using System.Threading.RateLimiting;
using FinSight.MarketData.FairUse;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace FinSight.MarketData.Resilience;

/// <summary>
/// A vendor's HttpClient pipeline, per attempt from the outside in: retry, circuit breaker, the
/// shared pause after a 429, the outbound rate limits, and a timeout that starts once a permit is
/// granted (time queued for our own limiter is not the vendor's fault). Microsoft.Extensions.Http.Resilience
/// builds it once per vendor for the process lifetime, so breaker and limiter state outlive the
/// handlers that IHttpClientFactory recycles.
/// </summary>
public static class VendorResilience
{
    /// <summary>Adds the vendor's pipeline to an HttpClient, which needs an infinite <see cref="HttpClient.Timeout"/>.</summary>
    public static IHttpClientBuilder AddVendorResilience(this IHttpClientBuilder http, string vendor, Func<IServiceProvider, VendorHttpOptions> select)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(select);
        // Outside the pipeline, so that retry and breaker still see Polly's own exceptions.
        http.AddHttpMessageHandler(sp => new VendorRejections(vendor, select(sp).Timeout));
        http.AddResilienceHandler(vendor, (pipeline, context) =>
        {
            var options = select(context.ServiceProvider);
            var time = context.ServiceProvider.GetRequiredService<TimeProvider>();
            pipeline.TimeProvider = time;
            if (options.MaxRetries > 0)
            {
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    // Transient (network, timeout, 408, 429, 5xx), unless the vendor asks for a longer wait than we allow.
                    ShouldHandle = args => ValueTask.FromResult(
                        HttpClientResiliencePredicates.IsTransient(args.Outcome) && !(RetryAfter(args.Outcome.Result, time) > options.MaxRetryAfter)),
                    MaxRetryAttempts = options.MaxRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = options.RetryBaseDelay,
                    ShouldRetryAfterHeader = true, // a vendor that says how long to wait is believed over our backoff
                });
            }
            pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = options.BreakerMinimumThroughput,
                SamplingDuration = options.BreakerSamplingDuration,
                BreakDuration = options.BreakerBreakDuration,
            });
            pipeline.AddStrategy(_ => new SharedPause(vendor, options, time));
            if (CreateLimiter(options) is { } shared)
            {
                var limiter = new LanedLimiter(shared, options, time);
                pipeline.AddRateLimiter(limiter);
                context.OnPipelineDisposed(limiter.Dispose);
            }
            pipeline.AddTimeout(options.Timeout);
        });
        return http;
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeProvider time) => response?.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > time.GetUtcNow() ? date - time.GetUtcNow() : TimeSpan.Zero,
        _ => null,
    };

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

    /// <summary>
    /// The vendor's limits with two lanes and a bounded wait. An interactive call queues (oldest
    /// first) for at most <see cref="VendorHttpOptions.PermitWait"/>, then is refused, so its
    /// caller gets the answer it would get with the vendor offline instead of waiting behind
    /// someone else's burst; a background call (<see cref="VendorCaller"/>) never queues: it takes
    /// a permit only while no interactive call is waiting, polling for up to
    /// <see cref="VendorHttpOptions.BackgroundPermitWait"/>. Cancelling the token (every waiter
    /// of the fetch left) takes the call out of the queue at once.
    /// </summary>
    private sealed class LanedLimiter(RateLimiter inner, VendorHttpOptions options, TimeProvider time) : RateLimiter
    {
        private static readonly TimeSpan BackgroundPoll = TimeSpan.FromMilliseconds(200);

        public override TimeSpan? IdleDuration => inner.IdleDuration;

        public override RateLimiterStatistics? GetStatistics() => inner.GetStatistics();

        protected override RateLimitLease AttemptAcquireCore(int permitCount) => inner.AttemptAcquire(permitCount);

        protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
        {
            if (VendorCaller.Current?.Lane == VendorLane.Background)
            {
                return await BackgroundAsync(permitCount, cancellationToken);
            }
            using var timeout = new CancellationTokenSource(options.PermitWait, time);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                return await inner.AcquireAsync(permitCount, wait.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return Refused.Instance;
            }
        }

        private async ValueTask<RateLimitLease> BackgroundAsync(int permitCount, CancellationToken cancellationToken)
        {
            var deadline = time.GetUtcNow() + options.BackgroundPermitWait;
            while (true)
            {
                if (inner.GetStatistics() is not { CurrentQueuedCount: > 0 })
                {
                    var lease = inner.AttemptAcquire(permitCount);
                    if (lease.IsAcquired)
                    {
                        return lease;
                    }
                    lease.Dispose();
                }
                if (time.GetUtcNow() >= deadline)
                {
                    return Refused.Instance;
                }
                await Task.Delay(BackgroundPoll, time, cancellationToken);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }

    private sealed class Refused : RateLimitLease
    {
        public static readonly Refused Instance = new();

        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }

    /// <summary>
    /// After a 429 every request to the vendor waits, not just the one that was told to. Polly's
    /// retry delays only its own execution and no library strategy shares a pause across
    /// executions, so this part stays hand-written. A pause longer than
    /// <see cref="VendorHttpOptions.MaxRetryAfter"/> fails at once, so the market-data chain can
    /// fall through to the next provider.
    /// </summary>
    private sealed class SharedPause(string vendor, VendorHttpOptions options, TimeProvider time) : ResilienceStrategy<HttpResponseMessage>
    {
        private long _pausedUntilTicks;

        protected override async ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
            Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback, ResilienceContext context, TState state)
        {
            var wait = new DateTimeOffset(Interlocked.Read(ref _pausedUntilTicks), TimeSpan.Zero) - time.GetUtcNow();
            if (wait > options.MaxRetryAfter)
            {
                return Outcome.FromException<HttpResponseMessage>(new MarketDataException(vendor, $"rate limited by the vendor for another {wait:g}"));
            }
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, time, context.CancellationToken).ConfigureAwait(context.ContinueOnCapturedContext);
                }
                catch (OperationCanceledException ex)
                {
                    return Outcome.FromException<HttpResponseMessage>(ex);
                }
            }
            var outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
            if (outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } response)
            {
                PauseFor(RetryAfter(response, time) ?? options.RetryBaseDelay);
            }
            return outcome;
        }

        private void PauseFor(TimeSpan delay)
        {
            var until = (time.GetUtcNow() + delay).UtcTicks;
            long current;
            while ((current = Interlocked.Read(ref _pausedUntilTicks)) < until
                   && Interlocked.CompareExchange(ref _pausedUntilTicks, until, current) != current)
            {
            }
        }
    }

    /// <summary>The providers handle timeouts and market-data failures; Polly's rejections are neither.</summary>
    private sealed class VendorRejections(string vendor, TimeSpan timeout) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            catch (TimeoutRejectedException ex)
            {
                throw new TimeoutException($"{vendor} did not answer within {timeout}.", ex);
            }
            catch (BrokenCircuitException ex)
            {
                throw new MarketDataException(vendor, "circuit open after repeated failures", ex);
            }
            catch (RateLimiterRejectedException ex)
            {
                throw new MarketDataException(vendor, "busy: no request slot came free in time (its rate limit is shared by every user)", ex);
            }
        }
    }
}
