namespace SkillsHub.Domain.JudgingReport;

public enum AlphaMetric
{
    Nominal = 0,
    Ordinal = 1,
    Interval = 2,
}

/// <summary>
/// Krippendorff's alpha (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"), exact:
/// alpha = 1 - (n - 1) * sum(o_ck * delta2_ck) / sum(n_c * n_k * delta2_ck) over the coincidence matrix
/// o of pairable values (units with at least two values). The report uses the ordinal metric;
/// nominal and interval are here to check the computation against the published example.
/// See docs/judging-report.md for a worked example.
/// </summary>
public static class KrippendorffAlpha
{
    /// <summary>Alpha over units (each the values it received, missing ones left out); null when undefined (fewer than two pairable values, or no disagreement is possible because every value is the same).</summary>
    public static Rational? Compute(IEnumerable<IReadOnlyList<int>> units, AlphaMetric metric)
    {
        var values = new SortedDictionary<int, int>();
        var pairable = new List<IReadOnlyList<int>>();
        foreach (var unit in units)
        {
            if (unit.Count < 2)
            {
                continue;
            }
            pairable.Add(unit);
            foreach (var v in unit)
            {
                values.TryAdd(v, 0);
            }
        }
        var scale = values.Keys.ToArray();
        if (scale.Length < 2)
        {
            return null;
        }
        for (var i = 0; i < scale.Length; i++)
        {
            values[scale[i]] = i;
        }
        var v2 = scale.Length;
        // Pair counts by unit size m, so each unit adds 1/(m-1) per ordered pair without a fraction per unit.
        var bySize = new Dictionary<int, long[,]>();
        var counts = new int[v2];
        foreach (var unit in pairable)
        {
            if (!bySize.TryGetValue(unit.Count, out var pairs))
            {
                bySize[unit.Count] = pairs = new long[v2, v2];
            }
            Array.Clear(counts);
            foreach (var v in unit)
            {
                counts[values[v]]++;
            }
            for (var c = 0; c < v2; c++)
            {
                if (counts[c] == 0)
                {
                    continue;
                }
                for (var k = 0; k < v2; k++)
                {
                    pairs[c, k] += c == k ? (long)counts[c] * (counts[c] - 1) : (long)counts[c] * counts[k];
                }
            }
        }
        var o = new Rational[v2, v2];
        foreach (var (m, pairs) in bySize)
        {
            for (var c = 0; c < v2; c++)
            {
                for (var k = 0; k < v2; k++)
                {
                    if (pairs[c, k] != 0)
                    {
                        o[c, k] += new Rational(pairs[c, k], m - 1);
                    }
                }
            }
        }
        var nc = new Rational[v2];
        var n = Rational.Zero;
        for (var c = 0; c < v2; c++)
        {
            for (var k = 0; k < v2; k++)
            {
                nc[c] += o[c, k];
            }
            n += nc[c];
        }
        var observed = Rational.Zero;
        var expected = Rational.Zero;
        for (var c = 0; c < v2; c++)
        {
            for (var k = 0; k < v2; k++)
            {
                if (c == k)
                {
                    continue;
                }
                var delta = Delta2(metric, scale, nc, c, k);
                observed += o[c, k] * delta;
                expected += nc[c] * nc[k] * delta;
            }
        }
        if (expected.Sign == 0)
        {
            return null;
        }
        return Rational.One - (n - Rational.One) * observed / expected;
    }

    /// <summary>The squared difference between values c and k (indexes into the sorted scale).</summary>
    static Rational Delta2(AlphaMetric metric, int[] scale, Rational[] nc, int c, int k)
    {
        switch (metric)
        {
            case AlphaMetric.Nominal:
                return Rational.One;
            case AlphaMetric.Interval:
                long d = scale[c] - scale[k];
                return d * d;
            default:
                var (low, high) = c < k ? (c, k) : (k, c);
                var sum = Rational.Zero;
                for (var g = low; g <= high; g++)
                {
                    sum += nc[g];
                }
                var x = sum - (nc[low] + nc[high]) / new Rational(2, 1);
                return x * x;
        }
    }
}
