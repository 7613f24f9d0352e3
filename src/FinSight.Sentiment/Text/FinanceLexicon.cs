using System.Collections.Frozen;

namespace FinSight.Sentiment.Text;

[Flags]
internal enum Lex : uint
{
    None = 0,
    /// <summary>Says something went up (rose, raised, widened).</summary>
    Up = 1 << 0,
    /// <summary>Says something went down (fell, cut, narrowed).</summary>
    Down = 1 << 1,
    /// <summary>Usually takes its object after it ("raised guidance"), so look forward first.</summary>
    Transitive = 1 << 2,
    /// <summary>More of it is good for holders (revenue, guidance, rating).</summary>
    GoodUp = 1 << 3,
    /// <summary>More of it is bad for holders (loss, costs, debt).</summary>
    BadUp = 1 << 4,
    /// <summary>Did better than expected (beat, topped).</summary>
    Beat = 1 << 5,
    /// <summary>Did worse than expected (missed, fell short).</summary>
    Miss = 1 << 6,
    /// <summary>Only a beat/miss when an expectation noun follows ("ahead of estimates", not "ahead of the meeting").</summary>
    NeedsExpectation = 1 << 7,
    Expectation = 1 << 8,
    RatingUp = 1 << 9,
    RatingDown = 1 << 10,
    Positive = 1 << 11,
    Negative = 1 << 12,
    Negator = 1 << 13,
    Hedge = 1 << 14,
    /// <summary>"than": stops "better-than-expected" from reading as a hedge.</summary>
    Than = 1 << 15,
    /// <summary>A function word: no unigram feature, because alone it carries no sentiment and would tie the score to text length.</summary>
    Function = 1 << 16,
    /// <summary>An analyst rating ("buy", "neutral"): "cut to neutral" is a downgrade, "raised to buy" an upgrade.</summary>
    RatingName = 1 << 17,
    /// <summary>Polar in company news whatever else the sentence says ("recall", "bankruptcy", "accretive"): full rule strength.</summary>
    Strong = 1 << 18,
    /// <summary>A company's own outlook ("expects"): guidance is news, so it weakens a rule less than speculation ("may") does.</summary>
    Outlook = 1 << 19,
    /// <summary>A direction verb that is only financial with a financial object ("added subscribers", not "he added").</summary>
    NeedsObject = 1 << 20,
    /// <summary>Obtaining something ("won", "secured", "awarded"): good news when what is obtained is a <see cref="Prize"/>.</summary>
    Gain = 1 << 21,
    /// <summary>Losing something ("lost"): bad news when what is lost is a <see cref="Prize"/>.</summary>
    Lose = 1 << 22,
    /// <summary>Something a company wants to win: a contract, an order, an approval, a customer, a case.</summary>
    Prize = 1 << 23,
    /// <summary>A result that can be a profit: compared with a loss, it is compared with its sign.</summary>
    ProfitLike = 1 << 24,
    /// <summary>A result that is a loss: "a loss of EUR 5 mn compared with a profit of EUR 3 mn" went down.</summary>
    LossLike = 1 << 25,
    /// <summary>Introduces the earlier figure of a comparison: "EUR 5.6 mn, compared with EUR 2.7 mn".</summary>
    Comparator = 1 << 26,
    /// <summary>A month name: "1 May" is a date, not a figure.</summary>
    Month = 1 << 27,
    /// <summary>Starts a new clause ("after", "because", "were"): what stands before it is not the subject of what follows.</summary>
    ClauseBoundary = 1 << 28,
    /// <summary>Concluding a deal ("signed", "agreed"): news that a contract exists, weaker than winning one.</summary>
    Sign = 1 << 29,
    /// <summary>Opening or closing something ("opened", "will close"): news when what opens or closes is a <see cref="Facility"/>.</summary>
    OpenClose = 1 << 30,
    /// <summary>A site a company runs: a plant, a mill, a store, an office.</summary>
    Facility = 1u << 31,
}

/// <summary>
/// Hand-written finance knowledge, keyed by the tokenizer's word hash so lookups allocate nothing.
/// Inflected forms are listed explicitly: a stemmer would conflate "cut" the verb with unrelated words.
/// </summary>
internal static class FinanceLexicon
{
    private const string UpWords =
        "rose rise rises rising risen climbed climb climbs climbing jumped jump jumps jumping surged surge surges surging " +
        "soared soar soars soaring gained gain gains gaining increased increase increases increasing grew grow grows growing grown " +
        "higher up widened widen widens widening expanded expand expands expanding doubled doubles doubling tripled triples " +
        "accelerated accelerates accelerating rallied rally rallies rallying spiked spikes spiking mounted mounting deepened deepens deepening " +
        "swelled swells ballooned advanced advances larger bigger wider quadrupled twofold threefold fourfold fivefold tenfold tripling quadrupling pops popped popping bounce bounces bounced bouncing";

    private const string UpTransitive =
        "ups raised raise raises raising lifted lift lifts lifting boosted boost boosts boosting hiked hike hikes hiking upped";

    /// <summary>Verbs that move a financial object only when one is there: "added 310,000 subscribers", "reinstated its dividend".</summary>
    private const string UpNeedsObject =
        "added adds adding restored restores restoring reinstated reinstates reinstating resumed resumes hire hires hired hiring " +
        "recruit recruits recruited recruiting";

    private const string DownNeedsObject =
        "eliminate eliminates eliminated eliminating shed sheds shedding suspend suspends suspended suspending withdrew withdraws " +
        "withdrawn withdrawing pulled pulls scrapped scraps scrap scrapping axed axes lost lose loses losing axe axing idle idles idled idling hamper hampers hampered hampering";

    private const string DownWords =
        "fell fall falls falling fallen dropped drop drops dropping declined decline declines declining slid slide slides sliding " +
        "slipped slip slips slipping slumped slump slumps slumping plunged plunge plunges plunging tumbled tumble tumbles tumbling " +
        "sank sink sinks sinking decreased decrease decreases decreasing down narrowed narrow narrows narrowing " +
        "shrank shrink shrinks shrinking shrunk contracted contracting eased eases easing dipped dip dips dipping " +
        "plummeted plummets plummeting retreated retreats stalled stall stalls softened softens softer weakened smaller narrower dwindled dwindling eroded erodes crater craters cratered cratering dive dives dived diving sag sags sagged sagging tank tanks tanked tanking skid skids skidded slowed slowing slows";

    private const string DownTransitive =
        "cut cuts cutting lowered lower lowers lowering trimmed trim trims trimming reduced reduce reduces reducing " +
        "slashed slash slashes slashing halved halves";

    private const string GoodUpObjects =
        "revenue revenues sales profit profits profitability earnings income eps ebitda ebit margin margins guidance outlook " +
        "forecast forecasts target targets dividend dividends payout rating ratings shares share stock stocks price orders bookings " +
        "backlog demand growth volume volumes deliveries shipments subscribers users customers traffic output production cash flow " +
        "buyback valuation jobs employment estimates estimate expectations assets premiums returns confidence sentiment occupancy " +
        "arpu capacity reserves liquidity solvency visibility turnover result results invoicing intake visitors passengers " +
        "subscriptions workforce headcount productivity equity value ebita employees staff workers personnel positions";

    private const string BadUpObjects =
        "loss losses cost costs expense expenses debt debts deficit charge charges impairment impairments writedown writedowns " +
        "provisions provision liabilities leverage churn delinquencies delinquency defaults layoffs unemployment inflation " +
        "headwinds concerns worries fears doubts risks borrowings outflows redemptions shortfall burn volatility inventories " +
        "complaints claims arrears gearing cancellations downtime redundancies";

    private const string BeatWords = "beat beats beating exceeded exceeds exceed exceeding surpassed surpasses surpass";

    // "outpacing revenue growth" is bad when costs do it, so outpacing only counts against an expectation.
    private const string BeatNeedsExpectation = "topped tops topping ahead above outpaced outpaces outpacing meet meets met";

    private const string MissWords = "missed misses miss";

    private const string MissNeedsExpectation = "missing short below shy behind lagged trailed";

    private const string ExpectationWords =
        "estimates estimate expectations expectation consensus forecast forecasts views view guidance targets target " +
        "projections street analysts schedule budget endpoint endpoints goal goals benchmark peers";

    private const string RatingUpWords = "upgrade upgrades upgraded upgrading overweight outperform";

    private const string RatingDownWords = "downgrade downgrades downgraded downgrading underweight underperform";

    private const string PositiveWords =
        "strong stronger strongest strength strengthened strengthening record robust solid improve improved improves improving " +
        "improvement recovery recover recovered recovers rebound rebounded rebounds win wins won winning awarded approval optimistic " +
        "upbeat bullish success successful breakthrough favorable favourable positive profitable upside accretive high highs best " +
        "better outperformed expansion momentum tailwind tailwinds exceptional impressive resilient resilience healthy attractive " +
        "growth collaboration partnership bull bulls flourish flourishes flourishing encouraging encouraged thriving thrive thrives comeback breakout boom booming";

    /// <summary>Good news in company news on their own; a direction word is not needed to read them.</summary>
    private const string StrongPositiveWords =
        "record breakthrough accretive buyback buybacks repurchase repurchases deleveraging upgraded outperformed turnaround " +
        "rebounded rebound recovered profitable oversubscribed";

    private const string NegativeWords =
        "weak weaker weakest weakness weakening warn warns warned warning lawsuit lawsuits sued sues probe probes investigation " +
        "fraud recall recalls recalled bankruptcy bankrupt insolvency default layoffs layoff fined penalty penalties halt halted " +
        "halts suspend suspended suspends suspension delay delays delayed postpone postponed scrapped scraps scrap cancelled canceled " +
        "cancels failed fails fail failure concerns concern fears fear worries worry worried headwinds headwind pressure pressured " +
        "crash crashed downturn bearish negative disappointing disappoints disappointed disappointment cautious caution collapse " +
        "collapsed collapses blocked blocks worse worst deteriorated deteriorating deterioration worsened worsening weighed weighs weigh " +
        "hurt hurts squeeze squeezed squeezing shortfall lose loses losing lost turmoil uncertainty uncertain dispute outage breach " +
        "breached violation violations struggling struggles struggle troubled trouble distress distressed resign resigned resigns " +
        "resignation low lows gloom bear bears backlash looms looming jeopardy fines hampered worrying guilty implicated sour soured challenging challenges difficult difficulties weaken weakens postpones rejected reject";

    /// <summary>Bad news in company news on their own: what the product owner called "polar news without a direction word".</summary>
    private const string StrongNegativeWords =
        "lawsuit lawsuits sued sues litigation probe probes investigation investigations investigating fraud fraudulent recall " +
        "recalls recalled recalling bankruptcy bankrupt insolvency insolvent default defaults defaulted layoffs layoff impairment " +
        "impairments writedown writedowns fined penalty penalties scandal misconduct bribery corruption indicted indictment " +
        "subpoena subpoenaed delisted delisting irregularities restatement restate restated misleading misled allegations alleged " +
        "alleges accused accuses violated sanctions sanctioned banned rejected rejects rejection terminated termination abandoned " +
        "abandons shelved cyberattack hacked outage outages walkout shutdown shutters shuttered closures slowdown recession " +
        "shortage shortages glut oversupply dilution dilutive unprofitable bailout selloff sluggish lackluster lacklustre tepid " +
        "subdued bleak gloomy grim grounded halt halted halts disrupted disruption disruptions collapsed collapse warning warned warns dismal downgraded underperformed overruns turmoil distress distressed";

    private const string Negators = "not no never without nor neither cannot none lack lacks lacking unable failed fails fail";

    private const string Hedges =
        "may might could would should likely possible possibly potential potentially considering considers mulls reportedly " +
        "rumor rumour rumored if hopes hope";

    // What the company says it expects or intends: still a statement about its future, but a firmer one than a rumour.
    private const string OutlookHedges =
        "expects expect expected expecting anticipates anticipate anticipated projected sees plans plan planned aims seeks " +
        "intends intend";

    private const string GainWords =
        "win wins won winning secure secures secured securing land lands landed clinch clinches clinched awarded granted " +
        "receive receives received obtain obtains obtained bag bags bagged gets got chosen selected";

    private const string LoseWords = "lose loses lost losing forfeit forfeited";

    private const string PrizeWords =
        "contract contracts order orders deal deals tender approval approvals clearance case lawsuit suit customer customers " +
        "client clients license licence licenses patent bid award mandate tender tenders agreement agreements framework supplier";

    private const string FunctionWords =
        "the a an of to in on at by for from with as and or but is are was were be been being its it this that these those " +
        "their his her he she they we our you your i has have had do does did so than then there here which who whom what " +
        "about into over after before while also said says";

    private static readonly FrozenDictionary<ulong, Lex> Entries = Build();

    public static Lex Lookup(ulong wordHash) => Entries.GetValueOrDefault(wordHash);

    private static FrozenDictionary<ulong, Lex> Build()
    {
        var map = new Dictionary<ulong, Lex>();
        void Add(string words, Lex flags)
        {
            foreach (var word in words.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var hash = StableHash.Of(word);
                map[hash] = map.GetValueOrDefault(hash) | flags;
            }
        }

        Add(UpWords, Lex.Up);
        Add(UpTransitive, Lex.Up | Lex.Transitive);
        Add(DownWords, Lex.Down);
        Add(DownTransitive, Lex.Down | Lex.Transitive);
        Add(GoodUpObjects, Lex.GoodUp);
        Add(BadUpObjects, Lex.BadUp);
        Add(BeatWords, Lex.Beat);
        Add(BeatNeedsExpectation, Lex.Beat | Lex.NeedsExpectation);
        Add(MissWords, Lex.Miss);
        Add(MissNeedsExpectation, Lex.Miss | Lex.NeedsExpectation);
        Add(ExpectationWords, Lex.Expectation);
        Add(RatingUpWords, Lex.RatingUp);
        Add(RatingDownWords, Lex.RatingDown);
        Add(PositiveWords, Lex.Positive);
        Add(NegativeWords, Lex.Negative);
        Add(StrongPositiveWords, Lex.Positive | Lex.Strong);
        Add(StrongNegativeWords, Lex.Negative | Lex.Strong);
        Add(UpNeedsObject, Lex.Up | Lex.Transitive | Lex.NeedsObject);
        Add(DownNeedsObject, Lex.Down | Lex.Transitive | Lex.NeedsObject);
        Add(GainWords, Lex.Gain);
        Add(LoseWords, Lex.Lose);
        Add("sign signs signed signing agree agrees agreed conclude concludes concluded ink inks inked", Lex.Sign);
        Add("open opens opened opening close closes closed closing shut shuts shutting", Lex.OpenClose);
        Add("plant plants factory factories mill mills store stores shop shops unit units site sites office offices branch branches " +
            "outlet outlets restaurant restaurants hotel hotels depot depots warehouse warehouses terminal terminals", Lex.Facility);
        Add(PrizeWords, Lex.Prize);
        Add(Negators, Lex.Negator);
        Add(Hedges, Lex.Hedge);
        Add(OutlookHedges, Lex.Hedge | Lex.Outlook);
        Add("than", Lex.Than);
        Add("profit profits earnings income result results ebit ebita ebitda eps", Lex.ProfitLike);
        Add("loss losses deficit", Lex.LossLike);
        Add("compared comparison versus vs against", Lex.Comparator);
        Add("after because while when whereas although though despite as since which", Lex.ClauseBoundary);
        Add("january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec", Lex.Month);
        Add("buy hold neutral sell overweight underweight outperform underperform perform equal positive negative accumulate reduce", Lex.RatingName);
        Add(FunctionWords, Lex.Function);
        return map.ToFrozenDictionary();
    }
}
