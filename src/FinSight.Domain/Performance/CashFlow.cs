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
public static class Xirr
{
    private const double Tolerance = 1e-10;

    /// <summary>
    /// Solves for the rate: Newton's method from <paramref name="guess"/>, then, if Newton fails to converge
    /// or leaves the domain r &gt; −1, bisection over a bracket searched outward from 0 in log(1 + r).
    /// </summary>
    /// <param name="flows">The flows, in any order; flows on the same date are summed.</param>
    /// <param name="guess">Starting rate for Newton, &gt; −1.</param>
    /// <returns>
    /// The annual rate as a fraction (0.08 = 8 % a year), or null when there is no answer: fewer than one
    /// negative and one positive flow, all flows on one date, or no root found. Never throws on data and
    /// never returns NaN or infinity.
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
        var scale = (double)byDate.Values.Max(Math.Abs);
        var times = new double[byDate.Count];
        var amounts = new double[byDate.Count];
        bool anyPositive = false, anyNegative = false;
        var i = 0;
        foreach (var (date, amount) in byDate)
        {
            times[i] = (date.DayNumber - first.DayNumber) / 365.0;
            amounts[i] = (double)amount / scale;
            anyPositive |= amount > 0m;
            anyNegative |= amount < 0m;
            i++;
        }

        if (!anyPositive || !anyNegative)
        {
            return null;
        }

        var rate = Newton(times, amounts, guess > -1 && double.IsFinite(guess) ? guess : 0.1) ?? Bisection(times, amounts);
        return rate is { } r && double.IsFinite(r) ? r : null;
    }

    private static double? Newton(double[] times, double[] amounts, double rate)
    {
        for (var iteration = 0; iteration < 100; iteration++)
        {
            var (value, derivative) = NpvAndDerivative(times, amounts, rate);
            if (!double.IsFinite(value) || !double.IsFinite(derivative) || derivative == 0)
            {
                return null;
            }

            var next = rate - (value / derivative);
            if (!double.IsFinite(next) || next <= -1)
            {
                return null;
            }

            if (Math.Abs(next - rate) < Tolerance * Math.Max(1, Math.Abs(next)))
            {
                // Accept only a true root, not a stall on a flat stretch.
                return Math.Abs(Npv(times, amounts, next)) < 1e-8 ? next : null;
            }

            rate = next;
        }

        return null;
    }

    private static double? Bisection(double[] times, double[] amounts)
    {
        // Search in x = ln(1 + r) so that rates near −100 % and in the thousands of percent are both reachable.
        const double step = 0.05;
        const int steps = 400;
        for (var k = 0; k < steps; k++)
        {
            foreach (var sign in (ReadOnlySpan<int>)[1, -1])
            {
                var a = sign * k * step;
                var b = sign * (k + 1) * step;
                var fa = Npv(times, amounts, Math.Exp(a) - 1);
                var fb = Npv(times, amounts, Math.Exp(b) - 1);
                if (!double.IsFinite(fa) || !double.IsFinite(fb))
                {
                    continue;
                }

                if (fa == 0)
                {
                    return Math.Exp(a) - 1;
                }

                if (Math.Sign(fa) != Math.Sign(fb))
                {
                    return Math.Exp(Bisect(times, amounts, a, b, fa)) - 1;
                }
            }
        }

        return null;
    }

    private static double Bisect(double[] times, double[] amounts, double a, double b, double fa)
    {
        for (var iteration = 0; iteration < 200 && Math.Abs(b - a) > 1e-15; iteration++)
        {
            var mid = (a + b) / 2;
            var fm = Npv(times, amounts, Math.Exp(mid) - 1);
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

    private static double Npv(double[] times, double[] amounts, double rate)
    {
        var sum = 0.0;
        var logBase = Math.Log(1 + rate);
        for (var i = 0; i < times.Length; i++)
        {
            sum += amounts[i] * Math.Exp(-times[i] * logBase);
        }

        return sum;
    }

    private static (double Value, double Derivative) NpvAndDerivative(double[] times, double[] amounts, double rate)
    {
        double value = 0, derivative = 0;
        var logBase = Math.Log(1 + rate);
        for (var i = 0; i < times.Length; i++)
        {
            var discounted = amounts[i] * Math.Exp(-times[i] * logBase);
            value += discounted;
            derivative -= times[i] * discounted / (1 + rate);
        }

        return (value, derivative);
    }
}
