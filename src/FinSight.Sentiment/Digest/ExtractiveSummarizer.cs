using System.Text;
using System.Text.RegularExpressions;
using FinSight.Sentiment.Text;

namespace FinSight.Sentiment.Digest;

/// <summary>
/// Picks the sentences that best represent a set of texts: TF-IDF vectors, scored by cosine similarity to
/// their centroid (what most headlines talk about), chosen greedily while skipping near-repeats of a sentence
/// already chosen. Deterministic: ties go to the earlier sentence, i.e. the newer headline.
/// </summary>
public static partial class ExtractiveSummarizer
{
    private const int MinWords = 4;
    private const int MaxSentenceLength = 400;

    /// <param name="texts">Titles and summaries, most important (newest) first.</param>
    /// <param name="maxSentences">Upper bound on the sentences returned.</param>
    /// <param name="redundancyThreshold">Cosine similarity above which a candidate repeats a chosen sentence.</param>
    public static IReadOnlyList<string> Summarize(IEnumerable<string> texts, int maxSentences = 3, double redundancyThreshold = 0.5)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentOutOfRangeException.ThrowIfNegative(maxSentences);
        var candidates = new List<(string Sentence, Dictionary<string, double> Terms)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            foreach (var sentence in SplitSentences(text ?? string.Empty))
            {
                var terms = ContentTerms(sentence);
                if (terms.Count > 0 && seen.Add(HeadlineDeduplicator.NormalizeTitle(sentence)))
                {
                    candidates.Add((sentence, terms));
                }
            }
        }

        if (candidates.Count == 0 || maxSentences == 0)
        {
            return [];
        }

        var documentFrequency = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var term in candidates.SelectMany(c => c.Terms.Keys))
        {
            documentFrequency[term] = documentFrequency.GetValueOrDefault(term) + 1;
        }

        var vectors = candidates.Select(c => Normalise(c.Terms.ToDictionary(
            kv => kv.Key,
            kv => kv.Value * Math.Log(1.0 + ((double)candidates.Count / documentFrequency[kv.Key])),
            StringComparer.Ordinal))).ToList();
        var centroid = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (term, weight) in vectors.SelectMany(v => v))
        {
            centroid[term] = centroid.GetValueOrDefault(term) + weight;
        }

        centroid = Normalise(centroid);
        var ranked = Enumerable.Range(0, candidates.Count)
            .OrderByDescending(i => Math.Round(Cosine(vectors[i], centroid), 12))
            .ThenBy(i => i)
            .ToList();
        var chosen = new List<int>();
        foreach (var i in ranked)
        {
            if (chosen.Count == maxSentences)
            {
                break;
            }

            if (chosen.All(j => Cosine(vectors[i], vectors[j]) <= redundancyThreshold))
            {
                chosen.Add(i);
            }
        }

        return chosen.Select(i => candidates[i].Sentence).ToArray();
    }

    internal static IEnumerable<string> SplitSentences(string text)
    {
        foreach (var part in SentenceEnd().Split(text))
        {
            var sentence = Whitespace().Replace(part, " ").Trim();
            if (sentence.Length > MaxSentenceLength)
            {
                sentence = string.Concat(sentence.AsSpan(0, MaxSentenceLength).TrimEnd(), "…");
            }

            if (sentence.Split(' ').Length >= MinWords)
            {
                yield return sentence;
            }
        }
    }

    private static Dictionary<string, double> ContentTerms(string sentence)
    {
        var terms = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var token in FinancialTokenizer.Tokenize(sentence))
        {
            if (token.Length < 2 || token[0] == '<' || (FinanceLexicon.Lookup(StableHash.Of(token)) & Lex.Function) != 0)
            {
                continue;
            }

            terms[token] = terms.GetValueOrDefault(token) + 1;
        }

        return terms;
    }

    private static Dictionary<string, double> Normalise(Dictionary<string, double> vector)
    {
        // Sum in key order: dictionary order is insertion order, which would make the norm depend on input order.
        var norm = Math.Sqrt(vector.OrderBy(kv => kv.Key, StringComparer.Ordinal).Sum(kv => kv.Value * kv.Value));
        return norm == 0 ? vector : vector.ToDictionary(kv => kv.Key, kv => kv.Value / norm, StringComparer.Ordinal);
    }

    private static double Cosine(Dictionary<string, double> a, Dictionary<string, double> b)
    {
        var (small, large) = a.Count <= b.Count ? (a, b) : (b, a);
        var sum = 0.0;
        foreach (var (term, weight) in small.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (large.TryGetValue(term, out var other))
            {
                sum += weight * other;
            }
        }

        return sum;
    }

    // A sentence ends at . ! or ? followed by whitespace and an upper-case letter, digit or quote ("3.5%" and "U.S. sales" stay whole).
    [GeneratedRegex(@"(?<=[.!?])\s+(?=[\p{Lu}\d""'])")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
