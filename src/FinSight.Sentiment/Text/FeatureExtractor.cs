namespace FinSight.Sentiment.Text;

internal enum RuleNote : byte
{
    None = 0,
    Negated = 1,
    Hedged = 2,
    NegatedHedged = 3,
}

/// <summary>One active feature of a text: a hashed name, its value, and which tokens it came from (for explanations).</summary>
internal struct Feature
{
    public ulong Hash;
    public float Value;
    public EvidenceKind Kind;
    public RuleNote Note;
    public int From;
    public int To;

    /// <summary>Hand-set polarity of a rule hit (+ positive, − negative, 0 for learned-only features), blended in at scoring.</summary>
    public float Prior;
}

internal sealed class FeatureBuffer
{
    public Feature[] Items = new Feature[128];
    public int Count;
    public Lex[] Lex = new Lex[64];
    public bool[] Consumed = new bool[64];
    public bool[] Negated = new bool[64];
    public bool[] Hedged = new bool[64];

    /// <summary>Hedged by speculation ("may", "reportedly") rather than by the company's own outlook ("expects").</summary>
    public bool[] Speculative = new bool[64];

    public void Reset(int tokenCount)
    {
        if (Lex.Length < tokenCount)
        {
            var size = Math.Max(tokenCount, Lex.Length * 2);
            Lex = new Lex[size];
            Consumed = new bool[size];
            Negated = new bool[size];
            Hedged = new bool[size];
            Speculative = new bool[size];
        }

        // Every token yields at most a unigram, a prefix, a bigram and two rule features.
        if (Items.Length < (5 * tokenCount) + 4)
        {
            Items = new Feature[Math.Max((5 * tokenCount) + 4, Items.Length * 2)];
        }

        Count = 0;
    }

    public void Add(ulong hash, float value, EvidenceKind kind, int from, int to, RuleNote note = RuleNote.None, float prior = 0) =>
        Items[Count++] = new Feature { Hash = hash, Value = value, Kind = kind, From = from, To = to, Note = note, Prior = prior };
}

/// <summary>
/// Turns tokens into model features: unigrams (marked when inside a negation), bigrams within a clause,
/// and finance-rule features. The rules encode what tweets alone cannot teach reliably: a direction word
/// means good or bad news only once you know what moved ("loss narrowed" is good, "costs rose" is bad),
/// negation flips it, and hedges ("may", "expects") weaken it. The model learns how much each rule is worth.
/// </summary>
internal static class FeatureExtractor
{
    /// <summary>Bumped whenever features change meaning, so an old model file is rejected rather than misread.</summary>
    public const int Version = 4;

    private const int NegationWindow = 5;
    private const int HedgeWindow = 8;
    private const int ObjectWindowBack = 3;
    private const int PrizeWindow = 5;
    private const int ObjectWindowForward = 4;
    private const int ExpectationWindow = 4;

    private static readonly ulong UnigramSpace = StableHash.Of("uni");
    private static readonly ulong NegatedUnigramSpace = StableHash.Of("not-uni");
    private static readonly ulong BigramSpace = StableHash.Of("bi");
    private static readonly ulong PrefixSpace = StableHash.Of("prefix");
    private const int PrefixLength = 5;

    // [kind, positive?, negated?, hedged?]
    private static readonly ulong[] RuleHashes = BuildRuleHashes();
    private static readonly ulong[] GenericRuleHashes =
    [
        RuleHash("rule:neg"), RuleHash("rule:pos"), RuleHash("rule:neg:hedge"), RuleHash("rule:pos:hedge"),
    ];

    public static void Extract(TokenBuffer tokens, FeatureBuffer features)
    {
        var n = tokens.Count;
        features.Reset(n);
        MarkScopes(tokens, features);

        for (var i = 0; i < n; i++)
        {
            var token = tokens.Tokens[i];
            if (token.Kind == TokenKind.Break)
            {
                continue;
            }

            if ((features.Lex[i] & Lex.Function) == 0)
            {
                var space = features.Negated[i] && (features.Lex[i] & Lex.Negator) == 0 ? NegatedUnigramSpace : UnigramSpace;
                features.Add(StableHash.Combine(token.Hash, space), 1f, EvidenceKind.Word, i, i);
                if (token.Kind == TokenKind.Word && token.Length > PrefixLength)
                {
                    // A crude stem: "slumped", "slumps" and "slumping" share evidence, so rare inflections are not unknown words.
                    var prefix = StableHash.Of(tokens.Chars.AsSpan(token.Start, PrefixLength));
                    features.Add(StableHash.Combine(prefix, space ^ PrefixSpace), 1f, EvidenceKind.Word, i, i);
                }
            }

            if (i > 0 && tokens.Tokens[i - 1].Kind != TokenKind.Break && ((features.Lex[i - 1] & features.Lex[i] & Lex.Function) == 0))
            {
                var bigram = StableHash.Combine(StableHash.Combine(tokens.Tokens[i - 1].Hash, BigramSpace), token.Hash);
                features.Add(bigram, 1f, EvidenceKind.Phrase, i - 1, i);
            }
        }

        ApplyFinancePhrases(tokens, features);
        ApplyPhraseRules(tokens, features);
        ApplyLexicon(tokens, features);
    }

    private static void MarkScopes(TokenBuffer tokens, FeatureBuffer features)
    {
        var lastNegator = -1000;
        var lastHedge = -1000;
        var lastSpeculation = -1000;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens.Tokens[i];
            features.Consumed[i] = false;
            if (token.Kind == TokenKind.Break)
            {
                features.Lex[i] = Lex.None;
                features.Negated[i] = features.Hedged[i] = features.Speculative[i] = false;
                lastNegator = lastHedge = lastSpeculation = -1000;
                continue;
            }

            var lex = token.Kind == TokenKind.Word ? FinanceLexicon.Lookup(token.Hash) : Lex.None;
            if (token.Kind == TokenKind.Word && tokens.TextOf(token).EndsWith("n't"))
            {
                lex |= Lex.Negator;
            }

            features.Lex[i] = lex;
            features.Negated[i] = i - lastNegator <= NegationWindow;
            features.Hedged[i] = i - lastHedge <= HedgeWindow;
            features.Speculative[i] = i - lastSpeculation <= HedgeWindow;
            if ((lex & Lex.Negator) != 0)
            {
                lastNegator = i;
            }

            // "better-than-expected" states a result, not an expectation.
            if ((lex & Lex.Hedge) != 0 && !(i > 0 && (features.Lex[i - 1] & Lex.Than) != 0))
            {
                if (features.Negated[i])
                {
                    // "no longer expects growth" is a firm statement that growth is off, not a weak hint of growth:
                    // the negation reaches through the expectation to what was expected, at full strength.
                    lastNegator = i;
                }
                else
                {
                    lastHedge = i;
                    if ((lex & Lex.Outlook) == 0)
                    {
                        lastSpeculation = i;
                    }
                }
            }
        }
    }

    private static void ApplyFinancePhrases(TokenBuffer tokens, FeatureBuffer features)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens.Tokens[i].Kind == TokenKind.Break || !FinancePhrases.TryMatch(tokens, features.Lex, i, out var end, out var polarity))
            {
                continue;
            }

            if (polarity != 0)
            {
                AddRule(features, RuleKind.Phrase, polarity > 0, i, i, end, generic: true);
            }

            for (var k = i; k <= end; k++)
            {
                features.Consumed[k] = true;
            }

            i = end;
        }
    }

    private static void ApplyPhraseRules(TokenBuffer tokens, FeatureBuffer features)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            var lex = features.Lex[i];
            if (features.Consumed[i])
            {
                continue; // part of a finance phrase, or the object of an earlier rule
            }

            if ((lex & (Lex.Gain | Lex.Lose)) != 0)
            {
                var prize = FindForward(tokens, features, i, Lex.Prize, PrizeWindow);
                if (prize >= 0 && !features.Consumed[prize])
                {
                    AddRule(features, RuleKind.Prize, (lex & Lex.Gain) != 0, i, i, prize, generic: true);
                    features.Consumed[i] = features.Consumed[prize] = true;
                    continue;
                }
            }

            if ((lex & (Lex.Up | Lex.Down)) != 0)
            {
                var obj = FindObject(tokens, features, i, (lex & Lex.Transitive) != 0);
                var up = (lex & Lex.Up) != 0;
                if (obj < 0 && (lex & Lex.NeedsObject) != 0)
                {
                    continue; // "he added", "pulled out": not a financial movement
                }

                if (IsRatingChange(tokens, features, i))
                {
                    AddRule(features, RuleKind.Rating, up, i, i, i + 2, generic: true);
                    features.Consumed[i + 1] = features.Consumed[i + 2] = true;
                }
                else if (obj >= 0)
                {
                    var good = (features.Lex[obj] & Lex.GoodUp) != 0;
                    AddRule(features, RuleKind.Direction, up == good, i, Math.Min(i, obj), Math.Max(i, obj), generic: true);
                    features.Consumed[obj] = true;

                    // A compound names one thing: in "impairment charges were lower" the charges fell, so "impairment"
                    // must not also count as bad news on its own.
                    if (obj > 0 && obj - 1 != i && (features.Lex[obj - 1] & (Lex.GoodUp | Lex.BadUp)) != 0)
                    {
                        features.Consumed[obj - 1] = true;
                    }
                }
                else
                {
                    AddRule(features, RuleKind.BareDirection, up, i, i, i, generic: false);
                }

                features.Consumed[i] = true;
            }
            else if ((lex & (Lex.Beat | Lex.Miss)) != 0)
            {
                var end = i;
                if ((lex & Lex.NeedsExpectation) != 0)
                {
                    end = FindForward(tokens, features, i, Lex.Expectation, ExpectationWindow);
                    if (end < 0)
                    {
                        continue;
                    }
                }

                AddRule(features, RuleKind.Expectation, (lex & Lex.Beat) != 0, i, i, end, generic: true);
                for (var k = i; k <= end; k++)
                {
                    features.Consumed[k] = true;
                }
            }
            else if ((lex & (Lex.RatingUp | Lex.RatingDown)) != 0)
            {
                AddRule(features, RuleKind.Rating, (lex & Lex.RatingUp) != 0, i, i, i, generic: true);
                features.Consumed[i] = true;
            }
        }
    }

    private static void ApplyLexicon(TokenBuffer tokens, FeatureBuffer features)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            var lex = features.Lex[i];
            var positive = (lex & Lex.Positive) != 0;
            if (features.Consumed[i] || positive == ((lex & Lex.Negative) != 0))
            {
                continue; // already explained by a phrase rule, or not a polar word
            }

            AddRule(features, (lex & Lex.Strong) != 0 ? RuleKind.StrongLexicon : RuleKind.Lexicon, positive, i, i, i, generic: false);
        }
    }

    private static void AddRule(FeatureBuffer features, RuleKind kind, bool positive, int trigger, int from, int to, bool generic)
    {
        // A negator in front of the trigger ("did not beat") flips the polarity; a negator word
        // that is itself the trigger ("failed") is not negated by itself.
        var negated = features.Negated[trigger] && (features.Lex[trigger] & Lex.Negator) == 0;
        var hedged = features.Hedged[trigger];
        var speculative = features.Speculative[trigger];
        var polarity = positive != negated;
        var note = (RuleNote)((negated ? 1 : 0) | (hedged ? 2 : 0));
        var evidence = kind switch
        {
            RuleKind.Direction or RuleKind.BareDirection => EvidenceKind.DirectionRule,
            RuleKind.Expectation => EvidenceKind.ExpectationRule,
            RuleKind.Rating => EvidenceKind.RatingRule,
            RuleKind.Phrase or RuleKind.Prize => EvidenceKind.LexiconRule,
            _ => EvidenceKind.LexiconRule,
        };

        // The prior is what a finance reader would say without any data: phrase rules and unambiguous news words
        // are strong evidence, other polar words weaker, a bare "up"/"down" says nothing, speculation ("may") halves
        // a rule and the company's own outlook ("expects") weakens it less, because guidance is itself news.
        var strength = kind switch
        {
            RuleKind.BareDirection => 0f,
            RuleKind.Lexicon => 0.5f,
            _ => 1f,
        };
        var damping = !hedged ? 1f : speculative ? 0.5f : 0.75f;
        var prior = (polarity ? 1f : -1f) * strength * damping;
        features.Add(RuleHashes[RuleIndex(kind, polarity, negated, hedged)], 1f, evidence, from, to, note, prior);
        if (generic)
        {
            features.Add(GenericRuleHashes[(polarity ? 1 : 0) + (hedged ? 2 : 0)], 1f, evidence, from, to, note);
        }
    }

    /// <summary>"cut to neutral", "raised to buy": direction, "to", rating name.</summary>
    private static bool IsRatingChange(TokenBuffer tokens, FeatureBuffer features, int i) =>
        i + 2 < tokens.Count
        && tokens.Tokens[i + 1].Kind == TokenKind.Word
        && tokens.TextOf(tokens.Tokens[i + 1]).SequenceEqual("to")
        && (features.Lex[i + 2] & Lex.RatingName) != 0;

    private static int FindObject(TokenBuffer tokens, FeatureBuffer features, int i, bool transitive)
    {
        var back = -1;
        for (var k = i - 1; k >= Math.Max(0, i - ObjectWindowBack) && tokens.Tokens[k].Kind != TokenKind.Break; k--)
        {
            if ((features.Lex[k] & (Lex.GoodUp | Lex.BadUp)) != 0)
            {
                back = k;
                break;
            }
        }

        var forward = FindForward(tokens, features, i, Lex.GoodUp | Lex.BadUp, ObjectWindowForward);
        if (back < 0 || forward < 0)
        {
            return back >= 0 ? back : forward;
        }

        var dBack = i - back;
        var dForward = forward - i;
        return dBack < dForward || (dBack == dForward && !transitive) ? back : forward;
    }

    private static int FindForward(TokenBuffer tokens, FeatureBuffer features, int i, Lex wanted, int window)
    {
        for (var k = i + 1; k <= Math.Min(tokens.Count - 1, i + window) && tokens.Tokens[k].Kind != TokenKind.Break; k++)
        {
            if ((features.Lex[k] & wanted) != 0)
            {
                return k;
            }
        }

        return -1;
    }

    private enum RuleKind
    {
        Direction,
        BareDirection,
        Expectation,
        Rating,
        Lexicon,
        StrongLexicon,
        Phrase,
        Prize,
    }

    private static int RuleIndex(RuleKind kind, bool positive, bool negated, bool hedged) =>
        ((int)kind * 8) + (positive ? 4 : 0) + (negated ? 2 : 0) + (hedged ? 1 : 0);

    private static ulong[] BuildRuleHashes()
    {
        var hashes = new ulong[Enum.GetValues<RuleKind>().Length * 8];
        foreach (var kind in Enum.GetValues<RuleKind>())
        {
            for (var bits = 0; bits < 8; bits++)
            {
                var name = $"rule:{kind}:{((bits & 4) != 0 ? "pos" : "neg")}{((bits & 2) != 0 ? ":not" : "")}{((bits & 1) != 0 ? ":hedge" : "")}";
                hashes[((int)kind * 8) + bits] = RuleHash(name);
            }
        }

        return hashes;
    }

    private static ulong RuleHash(string name) => StableHash.Combine(StableHash.Of(name), StableHash.Of("rule"));
}
