namespace FinSight.Domain;

/// <summary>
/// A dated amount for <see cref="Xirr"/>, from the investor's side: negative when money goes into the
/// portfolio (a contribution, or the starting value), positive when it comes back (a withdrawal, or the
/// ending value).
/// </summary>
/// <param name="Date">When the money moved.</param>
/// <param name="Amount">Signed amount.</param>
public readonly record struct CashFlow(DateOnly Date, decimal Amount);

/// <summary>
/// Money-weighted return: the annual rate r at which the flows' net present value is zero,
/// Σ amount × (1 + r)^(−days / 365) = 0, with days counted from the earliest flow (actual/365, as
/// spreadsheet XIRR does).
/// </summary>
/// <remarks>
/// <para>The search runs in y = span × ln(1 + r), the log of growth over the whole span of the flows
/// (span in years), so a 90 % loss in a month (y ≈ −2.3, r ≈ −100 %) is as easy to find as a 10 % gain
/// in a year. Any growth factor between e^−745 and e^745 over the span is reachable.</para>
/// <para>When the flows change sign once (money in, then money out), there is exactly one rate
/// (Descartes' rule of signs holds for sums of exponentials). When they change sign several times there
/// may be several rates; then every rate on a grid in y (step 0.01, growth factors e^±50 over the span)
/// is found and the one nearest the simple return is chosen: nearest ln(1 + simple return), where the
/// simple return is money out ÷ money in − 1. That is the rate that tells the same story as the plain
/// gain or loss, and it does not depend on where a search happened to start.</para>
/// </remarks>
public static class Xirr
{
    private const double Tolerance = 1e-10;
    private const double MaxGrowthLog = 745;
    private const double GridLimit = 50;
    private const double GridStep = 0.01;

    /// <summary>
    /// Solves for the rate: with a single change of sign, Newton's method from <paramref name="guess"/>
    /// and, failing that, bisection over a bracket; with several changes of sign, every rate on a grid and
    /// the one nearest the simple return (see the remarks on <see cref="Xirr"/>).
    /// </summary>
    /// <param name="flows">The flows, in any order; flows on the same date are summed.</param>
    /// <param name="guess">Starting rate for Newton, &gt; −1 (an invalid guess falls back to 0.1).</param>
    /// <returns>
    /// The annual rate as a fraction (0.08 = 8 % a year; above −1, at least the nearest double above −1), or null only when no rate exists:
    /// fewer than one negative and one positive flow, all flows on one date, or a net present value that
    /// never crosses zero. Never throws on data and never returns NaN or infinity.
    /// </returns>
    public static double? Compute(IEnumerable<CashFlow> flows, double guess = 0.1)
    {
        ArgumentNullException.ThrowIfNull(flows);
        var byDate = new SortedDictionary<DateOnly, decimal>();
        foreach (var flow in flows)
        {
            byDate[flow.Date] = byDate.GetValueOrDefault(flow.Date) + flow.Amount;
        }

        if (byDate.Count < 2)
        {
            return null;
        }

        var first = byDate.Keys.First();
        var span = (byDate.Keys.Last().DayNumber - first.DayNumber) / 365.0;
        var scale = (double)byDate.Values.Max(Math.Abs);
        var shares = new double[byDate.Count];
        var amounts = new double[byDate.Count];
        double paidIn = 0, paidOut = 0;
        var signChanges = 0;
        var lastSign = 0;
        var i = 0;
        foreach (var (date, amount) in byDate)
        {
            shares[i] = (date.DayNumber - first.DayNumber) / 365.0 / span;
            amounts[i] = (double)amount / scale;
            if (amount < 0m)
            {
                paidIn -= amounts[i];
            }
            else
            {
                paidOut += amounts[i];
            }

            var sign = Math.Sign(amount);
            if (sign != 0)
            {
                signChanges += lastSign != 0 && sign != lastSign ? 1 : 0;
                lastSign = sign;
            }

            i++;
        }

        if (paidIn == 0 || paidOut == 0)
        {
            return null;
        }

        var f = new Npv(shares, amounts);
        double? growthLog;
        if (signChanges == 1)
        {
            var start = guess > -1 && double.IsFinite(guess) ? guess : 0.1;
            growthLog = f.Newton(span * Math.Log(1 + start)) ?? f.Bracketed();
        }
        else
        {
            growthLog = f.Nearest(Math.Log(paidOut / paidIn));
        }

        if (growthLog is not { } y)
        {
            return null;
        }

        // A loss of half overnight is −1 + 1e−110 a year, which a double cannot tell from −1: the answer
        // is then the nearest double above −1, still a rate (a total loss would have no positive flow).
        var rate = Math.Exp(y / span) - 1;
        return double.IsFinite(rate) ? Math.Max(rate, Math.BitIncrement(-1.0)) : null;
    }

    /// <summary>The net present value as a function of y = span × ln(1 + r), scaled so that it cannot overflow; its sign is that of the true value.</summary>
    private sealed class Npv(double[] shares, double[] amounts)
    {
        public double Value(double y)
        {
            // Σ a·e^(−s·y); for y < 0 multiplied by e^y (s ≤ 1), which keeps every term ≤ |a|.
            var shift = y < 0 ? 1.0 : 0.0;
            var sum = 0.0;
            for (var i = 0; i < shares.Length; i++)
            {
                sum += amounts[i] * Math.Exp((shift - shares[i]) * y);
            }

            return sum;
        }

        /// <summary>Newton's method in y; null unless it converges to a true root.</summary>
        public double? Newton(double y)
        {
            for (var iteration = 0; iteration < 100; iteration++)
            {
                double value = 0, derivative = 0;
                for (var i = 0; i < shares.Length; i++)
                {
                    var term = amounts[i] * Math.Exp(-shares[i] * y);
                    value += term;
                    derivative -= shares[i] * term;
                }

                if (!double.IsFinite(value) || !double.IsFinite(derivative) || derivative == 0)
                {
                    return null;
                }

                var next = y - (value / derivative);
                if (!double.IsFinite(next) || Math.Abs(next) > MaxGrowthLog)
                {
                    return null;
                }

                if (Math.Abs(next - y) < Tolerance * Math.Max(1, Math.Abs(next)))
                {
                    // Accept only a true root, not a stall on a flat stretch.
                    return Math.Abs(Value(next)) < 1e-8 ? next : null;
                }

                y = next;
            }

            return null;
        }

        /// <summary>The one root when the flows change sign once: widen a bracket around 0 until the sign differs, then bisect.</summary>
        public double? Bracketed()
        {
            double lo = -1, hi = 1;
            var fLo = Value(lo);
            var fHi = Value(hi);
            while (Math.Sign(fLo) == Math.Sign(fHi) && fLo != 0 && fHi != 0)
            {
                if (hi >= MaxGrowthLog)
                {
                    return null;
                }

                lo = Math.Max(-MaxGrowthLog, lo * 2);
                hi = Math.Min(MaxGrowthLog, hi * 2);
                fLo = Value(lo);
                fHi = Value(hi);
            }

            return fLo == 0 ? lo : fHi == 0 ? hi : Bisect(lo, hi, fLo);
        }

        /// <summary>Every root on the grid (and beyond it, where the ends differ in sign); the one nearest <paramref name="target"/>.</summary>
        public double? Nearest(double target)
        {
            var roots = new List<double>();
            var steps = (int)Math.Round(2 * GridLimit / GridStep);
            var a = -GridLimit;
            var fa = Value(a);
            for (var k = 1; k <= steps; k++)
            {
                var b = -GridLimit + (k * GridStep);
                var fb = Value(b);
                if (fa == 0)
                {
                    roots.Add(a);
                }
                else if (Math.Sign(fa) == -Math.Sign(fb))
                {
                    roots.Add(Bisect(a, b, fa));
                }

                (a, fa) = (b, fb);
            }

            // Beyond the grid each side has at most the root its end signs imply.
            var far = Value(-MaxGrowthLog);
            if (Math.Sign(far) == -Math.Sign(Value(-GridLimit)))
            {
                roots.Add(Bisect(-MaxGrowthLog, -GridLimit, far));
            }

            var farHigh = Value(MaxGrowthLog);
            if (Math.Sign(fa) == -Math.Sign(farHigh))
            {
                roots.Add(Bisect(GridLimit, MaxGrowthLog, fa));
            }

            return roots.Count == 0 ? null : roots.MinBy(r => Math.Abs(r - target));
        }

        private double Bisect(double a, double b, double fa)
        {
            for (var iteration = 0; iteration < 300 && Math.Abs(b - a) > 1e-15 * Math.Max(1, Math.Abs(a)); iteration++)
            {
                var mid = (a + b) / 2;
                var fm = Value(mid);
                if (fm == 0)
                {
                    return mid;
                }

                if (Math.Sign(fm) == Math.Sign(fa))
                {
                    a = mid;
                    fa = fm;
                }
                else
                {
                    b = mid;
                }
            }

            return (a + b) / 2;
        }
    }
}
