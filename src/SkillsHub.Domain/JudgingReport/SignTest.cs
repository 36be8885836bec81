using System.Numerics;

namespace SkillsHub.Domain.JudgingReport;

/// <summary>
/// The exact two-sided sign test (docs/judging-report.md): with n non-zero deviations of which k are
/// positive, p = min(1, 2 * P(X &lt;= min(k, n - k))) for X ~ Binomial(n, 1/2), as an exact fraction.
/// </summary>
public static class SignTest
{
    public static Rational TwoSided(int above, int below)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(above);
        ArgumentOutOfRangeException.ThrowIfNegative(below);
        var n = above + below;
        if (n == 0)
        {
            return Rational.One;
        }
        var tail = BigInteger.Zero;
        var binomial = BigInteger.One; // C(n, 0)
        for (var i = 0; i <= Math.Min(above, below); i++)
        {
            tail += binomial;
            binomial = binomial * (n - i) / (i + 1);
        }
        // 2 * tail / 2^n = tail / 2^(n-1)
        var p = new Rational(tail, BigInteger.Pow(2, n - 1));
        return p > Rational.One ? Rational.One : p;
    }
}
