using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using FinSight.MarketData;
using FinSight.Sentiment;
using FinSight.Sentiment.Digest;
using FinSight.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FinSight.Web.Features.News;

/// <summary>A sentiment result and when the model first produced it for this headline.</summary>
public sealed record AnalyzedSentiment(SentimentResult Result, DateTimeOffset AnalyzedAt);

/// <summary>
/// Labels each headline once per model version and keeps the answer in <c>headline_sentiments</c>.
/// Whatever is not stored yet (or was stored for another title) is analysed in one batch.
/// </summary>
public sealed class HeadlineSentimentStore(FinSightDbContext db, ISentimentAnalyzer analyzer, TimeProvider clock, ILogger<HeadlineSentimentStore> logger)
{
    private static readonly JsonSerializerOptions EvidenceJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public string ModelVersion => analyzer.ModelVersion;

    /// <summary>The stable key of a headline: the same story keeps it across fetches, providers' ids aside when it has a link.</summary>
    public static string KeyOf(NewsHeadline headline) =>
        Sha256(HeadlineDeduplicator.NormalizeUrl(headline.Url.ToString()) is { } url ? "url:" + url : "id:" + headline.Id);

    /// <summary>The text the model labels: the title. Vendor summaries vary in length and style and only feed the digest's summary.</summary>
    public static string TextOf(NewsHeadline headline) => headline.Title;

    /// <summary>Sentiment per headline key for every headline given.</summary>
    public async Task<IReadOnlyDictionary<string, AnalyzedSentiment>> GetOrAnalyzeAsync(IEnumerable<NewsHeadline> headlines, CancellationToken ct)
    {
        // Two headlines with one key are one story (the same link); the first one's text stands for both.
        var wanted = headlines.Select(h => (Key: KeyOf(h), Text: TextOf(h))).DistinctBy(h => h.Key).ToList();
        var found = new Dictionary<string, AnalyzedSentiment>(StringComparer.Ordinal);
        if (wanted.Count == 0)
        {
            return found;
        }
        var version = analyzer.ModelVersion;
        var keys = wanted.Select(w => w.Key).ToArray();
        var rows = await db.HeadlineSentiments.AsNoTracking()
            .Where(r => r.ModelVersion == version && keys.Contains(r.HeadlineKey))
            .ToDictionaryAsync(r => r.HeadlineKey, StringComparer.Ordinal, ct);

        var missing = new List<(string Key, string Text, string TextHash, bool Exists)>();
        foreach (var (key, text) in wanted)
        {
            var hash = Sha256(text);
            var row = rows.GetValueOrDefault(key);
            if (row is not null && row.TextHash == hash && TryRead(row) is { } stored)
            {
                found[key] = stored;
            }
            else
            {
                missing.Add((key, text, hash, row is not null));
            }
        }
        if (missing.Count == 0)
        {
            return found;
        }

        var results = analyzer.Analyze([.. missing.Select(m => m.Text)]);
        var now = clock.StoredUtcNow();
        for (var i = 0; i < missing.Count; i++)
        {
            var (key, _, hash, exists) = missing[i];
            var result = results[i];
            var row = new HeadlineSentiment
            {
                HeadlineKey = key, ModelVersion = result.ModelVersion, TextHash = hash, Label = result.Label,
                Positive = result.Probabilities.Positive, Negative = result.Probabilities.Negative, Neutral = result.Probabilities.Neutral,
                Net = result.Probabilities.Net, Evidence = JsonSerializer.Serialize(result.Evidence, EvidenceJson), AnalyzedAt = now,
            };
            if (exists && result.ModelVersion == version)
            {
                db.HeadlineSentiments.Update(row);
            }
            else
            {
                db.HeadlineSentiments.Add(row);
            }
            found[key] = new AnalyzedSentiment(result, now);
        }
        await SaveAsync(ct);
        return found;
    }

    private async Task SaveAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException error)
        {
            // Another request stored the same headlines first. The model is deterministic, so its
            // rows say what ours would; the next request reads them.
            logger.LogDebug(error, "Headline sentiments were stored concurrently; keeping the stored ones.");
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>A stored row as a result, or null when it cannot be read back (then it is analysed again).</summary>
    private AnalyzedSentiment? TryRead(HeadlineSentiment row)
    {
        try
        {
            var evidence = JsonSerializer.Deserialize<SentimentEvidence[]>(row.Evidence, EvidenceJson) ?? [];
            var probabilities = new SentimentProbabilities(row.Positive, row.Negative, row.Neutral);
            return new AnalyzedSentiment(new SentimentResult(row.Label, probabilities, evidence, row.ModelVersion), row.AnalyzedAt);
        }
        catch (Exception error) when (error is JsonException or ArgumentException)
        {
            logger.LogWarning(error, "Stored sentiment {Key} ({Version}) is unreadable; analysing the headline again.", row.HeadlineKey, row.ModelVersion);
            return null;
        }
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
