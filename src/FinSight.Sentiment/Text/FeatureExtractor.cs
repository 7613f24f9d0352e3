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

        // Every token yields at most a unigram, a prefix, a bigram and two rule features (a figure: two comparison features).
        if (Items.Length < (6 * tokenCount) + 8)
        {
            Items = new Feature[Math.Max((6 * tokenCount) + 8, Items.Length * 2)];
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
    public const int Version = 5;

    private const int NegationWindow = 5;
    private const int HedgeWindow = 8;
    /// <summary>"Net sales for the third quarter grew": the subject may stand a few words before its verb, within its clause.</summary>
    private const int ObjectWindowBack = 6;
    private const int PrizeWindow = 5;
    private const int ObjectWindowForward = 4;
    private const int ExpectationWindow = 4;

    /// <summary>How far before a figure to look for what it measures: "operating profit for the January-September period rose to EUR 31.7 mn".</summary>
    private const int FigureObjectWindow = 10;

    /// <summary>Words between "compared with" and the earlier figure: "compared with a net profit of EUR 3.8 mn".</summary>
    private const int ComparedFigureWindow = 6;

    private static readonly ulong UnigramSpace = StableHash.Of("uni");
    private static readonly ulong NegatedUnigramSpace = StableHash.Of("not-uni");
    private static readonly ulong BigramSpace = StableHash.Of("bi");
    private static readonly ulong PrefixSpace = StableHash.Of("prefix");
    private static readonly ulong SignedUpHash = StableHash.Combine(StableHash.Of("+<pct>"), StableHash.Of("uni"));
    private static readonly ulong SignedDownHash = StableHash.Combine(StableHash.Of("-<pct>"), StableHash.Of("uni"));
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
                if (token.Kind == TokenKind.Percent && token.Mark is '+' or '-')
                {
                    // "shares +4%", "(-8.7% pre)": the sign is the news.
                    features.Add(token.Mark == '+' ? SignedUpHash : SignedDownHash, 1f, EvidenceKind.Word, i, i);
                }
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
        ApplyComparisons(tokens, features);
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

            if ((lex & (Lex.Gain | Lex.Lose | Lex.Sign)) != 0)
            {
                var prize = FindForward(tokens, features, i, Lex.Prize, PrizeWindow);
                if (prize >= 0 && !features.Consumed[prize])
                {
                    var kind = (lex & (Lex.Gain | Lex.Lose)) != 0 ? RuleKind.Prize : RuleKind.Deal;
                    AddRule(features, kind, (lex & Lex.Lose) == 0, i, i, prize, generic: kind == RuleKind.Prize);
                    features.Consumed[i] = features.Consumed[prize] = true;
                    continue;
                }
            }

            if ((lex & Lex.OpenClose) != 0)
            {
                // "will close its printing plant", "opened a new office": a site opened is growth, a site closed is retreat.
                // Only forward: "the plant will be closed for the holidays" is a schedule, not a closure.
                var site = FindForward(tokens, features, i, Lex.Facility, PrizeWindow);
                if (site >= 0 && !features.Consumed[site])
                {
                    var opens = tokens.TextOf(tokens.Tokens[i]).StartsWith("open");
                    AddRule(features, RuleKind.Facility, opens, i, i, site, generic: true);
                    features.Consumed[i] = features.Consumed[site] = true;
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
            RuleKind.Direction or RuleKind.BareDirection or RuleKind.Comparison or RuleKind.BareComparison => EvidenceKind.DirectionRule,
            RuleKind.Expectation => EvidenceKind.ExpectationRule,
            RuleKind.Rating => EvidenceKind.RatingRule,
            RuleKind.Phrase or RuleKind.Prize or RuleKind.Deal or RuleKind.Facility => EvidenceKind.LexiconRule,
            RuleKind.PercentChange => EvidenceKind.DirectionRule,
            _ => EvidenceKind.LexiconRule,
        };

        // The prior is what a finance reader would say without any data: phrase rules and unambiguous news words
        // are strong evidence, other polar words weaker, a bare "up"/"down" says nothing, speculation ("may") halves
        // a rule and the company's own outlook ("expects") weakens it less, because guidance is itself news.
        var strength = kind switch
        {
            RuleKind.BareDirection or RuleKind.BareComparison => 0f,
            RuleKind.Lexicon => 0.25f,
            RuleKind.Deal => 0.5f,
            RuleKind.Facility => 0.75f,
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

    /// <summary>
    /// Reads the direction of change from the figures themselves, as company reports state it: "operating profit was
    /// EUR 12.6 mn (EUR 8.1 mn)", "EPS of EUR 0.88, versus EUR 0.61", "rose to EUR 9.1 mn from EUR 6.0 mn", "grew from
    /// 1.4 to 2.6". What the figure measures decides whether up is good, as for direction words; a loss compared with
    /// a profit (or the other way round) is compared with its sign. A figure whose quantity a direction rule already
    /// explained is left alone, so "profit rose to X from Y" counts once.
    /// </summary>
    private static void ApplyComparisons(TokenBuffer tokens, FeatureBuffer features)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            if (TryPercentChange(tokens, features, i))
            {
                i++;
                continue;
            }

            if (!TryComparison(tokens, features, i, out var current, out var prior, out var priorObject, out var end))
            {
                continue;
            }

            var currentValue = tokens.Tokens[current].Value * WordScale(tokens, current, fallback: 1);
            var priorValue = tokens.Tokens[prior].Value * WordScale(tokens, prior, fallback: WordScale(tokens, current, fallback: 1));
            var obj = FindBackward(tokens, features, Math.Min(current, prior), Lex.GoodUp | Lex.BadUp, FigureObjectWindow);
            if (obj >= 0 && features.Consumed[obj])
            {
                continue; // "profit rose to X from Y": the direction rule already said it
            }

            // A loss compared with a profit: the same quantity with opposite signs.
            var objectLex = obj >= 0 ? features.Lex[obj] : Lex.None;
            var priorLex = priorObject >= 0 ? features.Lex[priorObject] : Lex.None;
            var signed = (objectLex & (Lex.ProfitLike | Lex.LossLike)) != 0 && (priorLex & (Lex.ProfitLike | Lex.LossLike)) != 0
                && (objectLex & Lex.LossLike) != (priorLex & Lex.LossLike);
            if (signed)
            {
                currentValue = (objectLex & Lex.LossLike) != 0 ? -Math.Abs(currentValue) : Math.Abs(currentValue);
                priorValue = (priorLex & Lex.LossLike) != 0 ? -Math.Abs(priorValue) : Math.Abs(priorValue);
            }

            if (currentValue == priorValue || !double.IsFinite(currentValue) || !double.IsFinite(priorValue))
            {
                continue; // unchanged says nothing either way
            }

            var up = currentValue > priorValue;
            var from = obj >= 0 ? Math.Min(obj, Math.Min(current, prior)) : Math.Min(current, prior);
            if (obj < 0)
            {
                AddRule(features, RuleKind.BareComparison, up, current, from, end, generic: false);
            }
            else
            {
                var good = signed || (features.Lex[obj] & Lex.GoodUp) != 0;
                AddRule(features, RuleKind.Comparison, up == good, current, from, end, generic: true);
                features.Consumed[obj] = true;
            }

            i = end;
        }
    }

    /// <summary>
    /// "carried 15 % more passengers", "orders were 28 % lower than a year ago": a percentage with a comparative says
    /// which way the quantity moved.
    /// </summary>
    private static bool TryPercentChange(TokenBuffer tokens, FeatureBuffer features, int i)
    {
        if (tokens.Tokens[i].Kind != TokenKind.Percent || i + 1 >= tokens.Count || tokens.Tokens[i + 1].Kind != TokenKind.Word || features.Consumed[i + 1])
        {
            return false;
        }

        var word = tokens.TextOf(tokens.Tokens[i + 1]);
        bool up;
        if (word is "more" or "higher" or "larger" or "greater" or "bigger")
        {
            up = true;
        }
        else if (word is "less" or "lower" or "fewer" or "smaller")
        {
            up = false;
        }
        else
        {
            return false;
        }

        var obj = FindForward(tokens, features, i + 1, Lex.GoodUp | Lex.BadUp, 2);
        if (obj < 0)
        {
            obj = FindSubject(tokens, features, i, ObjectWindowBack);
        }

        if (obj < 0)
        {
            obj = FindAcrossComma(tokens, features, i);
        }

        if (obj < 0 || features.Consumed[obj])
        {
            AddRule(features, RuleKind.BareComparison, up, i, i, i + 1, generic: false);
        }
        else
        {
            AddRule(features, RuleKind.PercentChange, up == ((features.Lex[obj] & Lex.GoodUp) != 0), i, Math.Min(obj, i), Math.Max(obj, i + 1), generic: true);
            features.Consumed[obj] = true;
        }

        features.Consumed[i + 1] = true;
        return true;
    }

    /// <summary>
    /// A current figure and the earlier one it is compared with, starting at token <paramref name="i"/>:
    /// "A (B)", "A from B", "A, up from B", "A, compared with [a net profit of] B", "A versus B", "from B to A".
    /// </summary>
    private static bool TryComparison(TokenBuffer tokens, FeatureBuffer features, int i, out int current, out int prior, out int priorObject, out int end)
    {
        current = prior = priorObject = end = -1;
        var t = tokens.Tokens;
        if (!IsFigure(tokens, i))
        {
            return false;
        }

        var next = AfterScale(tokens, i);

        // "EUR 12.6 mn (EUR 8.1 mn)"
        if (next < tokens.Count && t[next].Kind == TokenKind.Break && t[next].Mark == '(' && next + 1 < tokens.Count && SameMeasure(tokens, i, next + 1))
        {
            var close = AfterScale(tokens, next + 1);
            if (close >= tokens.Count || t[close].Kind == TokenKind.Break)
            {
                (current, prior, end) = (i, next + 1, close < tokens.Count && t[close].Mark == ')' ? close : close - 1);
                return true;
            }
        }

        // "from B to A"
        if (i > 0 && IsWord(tokens, i - 1, "from") && next < tokens.Count && IsWord(tokens, next, "to") && next + 1 < tokens.Count && SameMeasure(tokens, next + 1, i))
        {
            (current, prior, end) = (next + 1, i, AfterScale(tokens, next + 1) - 1);
            return true;
        }

        // "A, up from B", "A from B", "A compared with a profit of B", "A versus B", "A against B"
        var k = next;
        if (k < tokens.Count && t[k].Kind == TokenKind.Break && t[k].Mark == ',')
        {
            k++;
        }

        if (k < tokens.Count && (features.Lex[k] & (Lex.Up | Lex.Down)) != 0 && k + 1 < tokens.Count && IsWord(tokens, k + 1, "from"))
        {
            k++;
        }

        if (k >= tokens.Count || t[k].Kind != TokenKind.Word)
        {
            return false;
        }

        if (IsWord(tokens, k, "from"))
        {
            if (k + 1 < tokens.Count && SameMeasure(tokens, i, k + 1))
            {
                (current, prior, end) = (i, k + 1, AfterScale(tokens, k + 1) - 1);
                return true;
            }

            return false;
        }

        if (IsWord(tokens, k, "as") && IsWord(tokens, k + 1, "against"))
        {
            k++; // "as against"
        }

        if ((features.Lex[k] & Lex.Comparator) == 0)
        {
            return false;
        }

        for (var b = k + 1; b < tokens.Count && b <= k + 1 + ComparedFigureWindow && t[b].Kind != TokenKind.Break; b++)
        {
            if (t[b].IsQuantity)
            {
                if (!SameMeasure(tokens, i, b))
                {
                    return false;
                }

                priorObject = FindBackward(tokens, features, b, Lex.ProfitLike | Lex.LossLike, b - k - 1);
                (current, prior, end) = (i, b, AfterScale(tokens, b) - 1);
                return true;
            }
        }

        return false;
    }

    /// <summary>A money amount, a percentage, or a plain number that is not a year or a day of a month.</summary>
    private static bool IsFigure(TokenBuffer tokens, int i)
    {
        var token = tokens.Tokens[i];
        if (token.Kind is TokenKind.Money or TokenKind.Percent)
        {
            return true;
        }

        if (token.Kind != TokenKind.Number)
        {
            return false;
        }

        var value = token.Value;
        if (value >= 1900 && value <= 2100 && value == Math.Floor(value))
        {
            return false; // "from 2009 to 2010"
        }

        return !(IsMonth(tokens, i - 1) || IsMonth(tokens, i + 1));
    }

    private static bool SameMeasure(TokenBuffer tokens, int a, int b)
    {
        if (!IsFigure(tokens, a) || !IsFigure(tokens, b))
        {
            return false;
        }

        var ka = tokens.Tokens[a].Kind;
        var kb = tokens.Tokens[b].Kind;

        // "EUR 13.1 mn (8.7)" omits the currency of the earlier figure; a percentage never compares with an amount.
        return ka == kb || (ka != TokenKind.Percent && kb != TokenKind.Percent);
    }

    /// <summary>The index after a figure and its scale word ("EUR 13.1 mn"), if it has one.</summary>
    private static int AfterScale(TokenBuffer tokens, int i) =>
        i + 1 < tokens.Count && tokens.Tokens[i + 1].Kind == TokenKind.Word && FinancialTokenizer.Scale(tokens.TextOf(tokens.Tokens[i + 1])) != 1 ? i + 2 : i + 1;

    private static double WordScale(TokenBuffer tokens, int i, double fallback) =>
        AfterScale(tokens, i) == i + 2 ? FinancialTokenizer.Scale(tokens.TextOf(tokens.Tokens[i + 1])) : fallback;

    private static bool IsWord(TokenBuffer tokens, int i, string word) =>
        i >= 0 && i < tokens.Count && tokens.Tokens[i].Kind == TokenKind.Word && tokens.TextOf(tokens.Tokens[i]).SequenceEqual(word);

    private static bool IsMonth(TokenBuffer tokens, int i) =>
        i >= 0 && i < tokens.Count && tokens.Tokens[i].Kind == TokenKind.Word && (FinanceLexicon.Lookup(tokens.Tokens[i].Hash) & Lex.Month) != 0;

    private static int FindBackward(TokenBuffer tokens, FeatureBuffer features, int i, Lex wanted, int window)
    {
        for (var k = i - 1; k >= Math.Max(0, i - window) && tokens.Tokens[k].Kind != TokenKind.Break; k--)
        {
            if ((features.Lex[k] & wanted) != 0)
            {
                return k;
            }
        }

        return -1;
    }

    /// <summary>A figure within three words after token <paramref name="i"/>, in its clause: "up 9 %", "a fall of 6.2 %".</summary>
    private static bool FigureFollows(TokenBuffer tokens, int i)
    {
        for (var k = i + 1; k < tokens.Count && k <= i + 3 && tokens.Tokens[k].Kind != TokenKind.Break; k++)
        {
            if (tokens.Tokens[k].IsQuantity)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"cut to neutral", "raised to buy": direction, "to", rating name.</summary>
    private static bool IsRatingChange(TokenBuffer tokens, FeatureBuffer features, int i) =>
        i + 2 < tokens.Count
        && tokens.Tokens[i + 1].Kind == TokenKind.Word
        && tokens.TextOf(tokens.Tokens[i + 1]).SequenceEqual("to")
        && (features.Lex[i + 2] & Lex.RatingName) != 0;

    /// <summary>
    /// What a direction word moved: a transitive verb's object usually follows it ("cut its dividend", "customers
    /// reduce energy costs"), an intransitive verb's subject precedes it ("net sales for the quarter grew"). The search
    /// back stops at a clause boundary ("sales collapsed after duties were raised": "raised" did not move sales), and an
    /// appositive after a comma reaches back to its sentence ("turnover was EUR 171.4 mn, a fall of 6.2 %").
    /// </summary>
    private static int FindObject(TokenBuffer tokens, FeatureBuffer features, int i, bool transitive)
    {
        var back = FindSubject(tokens, features, i, ObjectWindowBack);
        var forward = FindForward(tokens, features, i, Lex.GoodUp | Lex.BadUp, ObjectWindowForward);
        if (back < 0 && forward < 0)
        {
            return FindAcrossComma(tokens, features, i);
        }

        if (back < 0 || forward < 0)
        {
            return back >= 0 ? back : forward;
        }

        return transitive && !IsPassive(tokens, back, i) ? forward : back;
    }

    /// <summary>
    /// "targets trimmed on compute headwinds", "the dividend was cut": a transitive verb used as a participle right after
    /// its quantity (or after "was", "were" ...) moved that quantity, not the one after it.
    /// </summary>
    private static bool IsPassive(TokenBuffer tokens, int subject, int verb)
    {
        var k = verb - 1;
        if (k > subject && tokens.Tokens[k].Kind == TokenKind.Word && tokens.TextOf(tokens.Tokens[k]) is "was" or "were" or "is" or "are" or "been" or "be" or "being" or "got" or "gets" or "get")
        {
            k--;
        }

        if (k != subject)
        {
            return false;
        }

        var word = tokens.TextOf(tokens.Tokens[verb]);
        return word.EndsWith("ed") || word is "cut" or "shed" or "upped";
    }

    /// <summary>The nearest financial quantity before token <paramref name="i"/> in its clause.</summary>
    private static int FindSubject(TokenBuffer tokens, FeatureBuffer features, int i, int window)
    {
        for (var k = i - 1; k >= Math.Max(0, i - window) && tokens.Tokens[k].Kind != TokenKind.Break; k--)
        {
            if ((features.Lex[k] & (Lex.GoodUp | Lex.BadUp)) != 0)
            {
                return k;
            }

            if ((features.Lex[k] & Lex.ClauseBoundary) != 0)
            {
                break;
            }
        }

        return -1;
    }

    /// <summary>", up 9 %", ", a fall of 6.2 %": the direction word opens an appositive, so what moved is before the comma.</summary>
    private static int FindAcrossComma(TokenBuffer tokens, FeatureBuffer features, int i)
    {
        var k = i - 1;
        if (IsWord(tokens, k, "a") || IsWord(tokens, k, "an"))
        {
            k--; // ", a fall of"; but not ", after plummeting": that is another clause
        }

        if (k <= 0 || tokens.Tokens[k].Kind != TokenKind.Break || tokens.Tokens[k].Mark != ',' || !FigureFollows(tokens, i))
        {
            return -1; // "Lower Truck Capacity, Higher Rates": a list, not an appositive
        }

        return FindBackward(tokens, features, k, Lex.GoodUp | Lex.BadUp, FigureObjectWindow);
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
        Comparison,
        BareComparison,
        Deal,
        Facility,
        PercentChange,
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
