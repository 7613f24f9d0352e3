using FinSight.MarketData;
using FinSight.Web.Data;
using FinSight.Web.Features.Models;
using FinSight.Web.Features.News;
using Microsoft.EntityFrameworkCore;

namespace FinSight.Web.Jobs;

/// <summary>Where the relabelling of stored headlines is.</summary>
/// <param name="ModelVersion">The model version being (or last) applied; null before the first run.</param>
/// <param name="Running">True while headlines are being labelled.</param>
/// <param name="Done">Headlines labelled (or found already labelled) by this model so far.</param>
/// <param name="Total">Stored headlines to go through.</param>
/// <param name="FinishedAt">When the last run ended (UTC).</param>
/// <param name="Error">Why the last run stopped early, if it did.</param>
public sealed record RelabelStatus(string? ModelVersion, bool Running, int Done, int Total, DateTimeOffset? FinishedAt, string? Error);

/// <summary>
/// Labels the stored headlines (news_headlines: what real vendors delivered) with the engine in use,
/// at start and whenever the engine changes (a model installed, removed, or Sentiment:Engine edited
/// and the app restarted), so pages read ready labels instead of computing them on a request.
/// Labels are kept per model version: earlier models' rows stay, and a page shows the current one's.
/// Simulated news is never stored; it is labelled when shown, like any headline not labelled yet.
/// </summary>
public sealed class SentimentRelabelJob(
    SentimentEngineSelection engine, IServiceScopeFactory scopes, TimeProvider clock, ILogger<SentimentRelabelJob> logger) : BackgroundService
{
    private const int Batch = 32;
    private RelabelStatus _status = new(null, false, 0, 0, null, null);

    public RelabelStatus Status => Volatile.Read(ref _status);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var version in engine.Changes.ReadAllAsync(stoppingToken))
            {
                try
                {
                    var labelled = await RelabelAsync(version, stoppingToken);
                    logger.LogInformation("Stored headlines labelled by {Version}: {Count}.", version, labelled);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    logger.LogWarning(error, "Relabelling stored headlines with {Version} failed; they are labelled when shown.", version);
                    Volatile.Write(ref _status, Status with { Running = false, FinishedAt = clock.GetUtcNow(), Error = error.Message });
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; what was labelled is stored.
        }
    }

    /// <summary>Labels every stored headline that <paramref name="version"/> has not labelled; returns how many headlines were gone through.</summary>
    public async Task<int> RelabelAsync(string version, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<FinSightDbContext>();
        var news = scope.ServiceProvider.GetRequiredService<IMarketDataStore>();
        var sentiments = scope.ServiceProvider.GetRequiredService<HeadlineSentimentStore>();

        var headlines = new List<NewsHeadline>();
        foreach (var symbol in await db.NewsFeeds.AsNoTracking().Select(f => f.Symbol).ToListAsync(ct))
        {
            if (await news.GetNewsAsync(symbol, ct) is { } feed)
            {
                headlines.AddRange(feed.Headlines);
            }
        }
        var unique = headlines.DistinctBy(HeadlineSentimentStore.KeyOf).ToList();
        Volatile.Write(ref _status, new RelabelStatus(version, true, 0, unique.Count, null, null));
        var done = 0;
        foreach (var chunk in unique.Chunk(Batch))
        {
            if (engine.ModelVersion != version)
            {
                break; // the engine changed again; its own run follows
            }
            // Labels only what this model has not labelled yet, and stores it under its version.
            await sentiments.GetOrAnalyzeAsync(chunk, ct);
            done += chunk.Length;
            Volatile.Write(ref _status, new RelabelStatus(version, true, done, unique.Count, null, null));
        }
        Volatile.Write(ref _status, new RelabelStatus(version, false, done, unique.Count, clock.GetUtcNow(), null));
        return done;
    }
}
