using System.Collections.Frozen;

namespace FinSight.Sentiment.Text;

/// <summary>A multi-word expression with a fixed reading in company news: +1 good, −1 bad, 0 neutral despite its words.</summary>
internal readonly record struct FinancePhrase(ulong[] Words, sbyte Polarity);

/// <summary>
/// Multi-word finance expressions whose meaning is not the sum of their words: "profit warning" and "laid off" are
/// bad news although neither word alone is, "returned to profit" is good news although it names no direction, and
/// "record date" or "bad loans" are neutral although "record" and "bad" are polar. Matched before the single-word
/// rules so that the expression, not its parts, explains the decision.
/// </summary>
internal static class FinancePhrases
{
    private const int MaxSkips = 2;

    private static readonly string[] Negative =
    [
        "profit warning", "profit warnings", "earnings warning", "sales warning", "going concern",
        "job cuts", "job losses", "lay off", "laid off", "lays off", "laying off",
        "swung to loss", "swings to loss", "swing to loss", "slipped to loss", "slipped into loss", "fell into loss",
        "fell to loss", "pushed into loss", "plunged into loss", "into the red", "in the red",
        "material weakness", "material weaknesses", "class action", "short seller", "cost overruns", "over budget",
        "write down", "wrote down", "writes down", "written down", "write downs", "write off", "wrote off", "written off",
        "watch negative", "outlook negative", "week low", "record low", "year low", "all time low", "lowest level since",
        "data breach", "cyber attack", "sell off", "sold off", "chapter <num>", "low end", "lower end", "bottom end",

        // Nordic labour law: negotiations that precede redundancies, and the lay-offs themselves.
        "co operation negotiations", "cooperation negotiations", "change negotiations", "personnel negotiations", "employee negotiations",
        "co determination negotiations", "lowest level", "weakest in", "worst in", "given notice", "give notice", "gives notice",
        "giving notice", "codetermination negotiations", "lay offs", "made redundant", "personnel reductions",
        "staff reductions", "workforce reductions", "job reductions", "headcount reductions", "short time working", "short time work",
    ];

    private static readonly string[] Positive =
    [
        "returned to profit", "return to profit", "returns to profit", "returned to profitability", "return to profitability",
        "returned to black", "back in the black", "into the black", "swung to profit", "swings to profit", "turned profit",
        "turned profitable", "all time high", "record high", "week high", "year high", "top end", "upper end", "high end",
        "watch positive", "outlook positive", "special dividend",
        "highest level", "highest ever", "best ever", "highest in", "best in", "record level", "record levels", "largest ever",
    ];

    private static readonly string[] Neutral =
    [
        "record date", "track record", "on record", "in line", "stress test", "bad loan", "bad loans", "bad debt", "bad debts",
        "profit and loss", "subject to approval", "subject to regulatory approval", "subject to regulatory approvals",
        "subject to shareholder approval", "subject to customary approvals", "as a result",

        // "up" that is not a movement: "issue up to 2 million shares", "a start-up", "set up a unit".
        "up to", "start up", "set up", "sets up", "setting up", "round up",
    ];

    /// <summary>Words a phrase may step over ("swung to a net loss"), besides function words and numbers.</summary>
    private static readonly FrozenSet<ulong> Fillers = new[] { "net", "first", "quarter", "quarterly", "annual", "full", "year", "operating", "pretax" }
        .Select(w => StableHash.Of(w)).ToFrozenSet();

    private static readonly FrozenDictionary<ulong, FinancePhrase[]> ByFirstWord = Build();

    /// <summary>The longest phrase starting at token <paramref name="start"/>, as its last token index and polarity.</summary>
    public static bool TryMatch(TokenBuffer tokens, Lex[] lex, int start, out int end, out int polarity)
    {
        end = -1;
        polarity = 0;
        if (!ByFirstWord.TryGetValue(tokens.Tokens[start].Hash, out var candidates))
        {
            return false;
        }

        foreach (var phrase in candidates)
        {
            var last = Match(tokens, lex, start, phrase.Words);
            if (last > end)
            {
                end = last;
                polarity = phrase.Polarity;
            }
        }

        return end >= 0;
    }

    private static int Match(TokenBuffer tokens, Lex[] lex, int start, ulong[] words)
    {
        var j = start + 1;
        var skips = 0;
        for (var p = 1; p < words.Length;)
        {
            if (j >= tokens.Count || tokens.Tokens[j].Kind == TokenKind.Break)
            {
                return -1;
            }

            var token = tokens.Tokens[j];
            if (token.Hash == words[p])
            {
                p++;
            }
            else if (skips < MaxSkips && (token.Kind != TokenKind.Word || (lex[j] & Lex.Function) != 0 || Fillers.Contains(token.Hash)))
            {
                skips++;
            }
            else
            {
                return -1;
            }

            j++;
        }

        return j - 1;
    }

    private static FrozenDictionary<ulong, FinancePhrase[]> Build()
    {
        var phrases = Negative.Select(p => (p, (sbyte)-1))
            .Concat(Positive.Select(p => (p, (sbyte)1)))
            .Concat(Neutral.Select(p => (p, (sbyte)0)))
            .Select(x => new FinancePhrase(x.p.Split(' ').Select(w => StableHash.Of(w)).ToArray(), x.Item2));
        return phrases.GroupBy(p => p.Words[0]).ToFrozenDictionary(g => g.Key, g => g.ToArray());
    }
}
