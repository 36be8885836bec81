namespace SkillsHub.Domain.JudgingReport;

/// <summary>
/// The judging report (docs/judging-report.md): each expert's deviations from the other judges of the
/// same complete judgement set, outliers, leanings toward or against a member, and each marking group's
/// agreement. Pure and exact: a deviation d = own - mean(others) = (N * own - S) / (N - 1) is kept as
/// its integer numerator N * own - S over the skill's fixed denominator N - 1.
/// </summary>
public static class JudgingReportCalculator
{
    /// <summary>A leaning or tendency needs at least this many sets [P].</summary>
    public const int MinimumSets = 6;

    /// <summary>... a mean deviation at least this far from 0 [P].</summary>
    public static readonly Rational MinimumMeanDeviation = new(1, 2);

    /// <summary>... and a two-sided sign test below this [P].</summary>
    public static readonly Rational Significance = new(1, 20);

    public static CompetitionJudgingReport ForCompetition(IEnumerable<SkillJudgingData> skills)
    {
        // Skills are independent: computed in parallel, ordered by key, so the result does not depend on scheduling.
        var reports = skills.AsParallel().Select(ForSkill).OrderBy(r => r.SkillKey, StringComparer.Ordinal).ToList();
        var findings = new List<Finding>();
        foreach (var skill in reports)
        {
            foreach (var expert in skill.Experts)
            {
                if (expert.Tendency != Tendency.None)
                {
                    findings.Add(new Finding(skill.SkillKey, expert.ExpertId, expert.Tendency == Tendency.Lenient ? FindingKind.Lenient : FindingKind.Severe,
                        null, expert.Deviations!.Sets, expert.Deviations.MeanDeviation, expert.TendencyP!.Value));
                }
            }
            findings.AddRange(skill.Cells.Where(c => c.Leaning)
                .Select(c => new Finding(skill.SkillKey, c.ExpertId, FindingKind.Leaning, c.MemberCode, c.Sets, c.MeanDeviation, c.PValue)));
        }
        return new CompetitionJudgingReport(reports, findings
            .OrderBy(f => f.PValue).ThenByDescending(f => f.MeanDeviation.Abs())
            .ThenBy(f => f.SkillKey, StringComparer.Ordinal).ThenBy(f => f.ExpertId, StringComparer.Ordinal).ThenBy(f => f.MemberCode, StringComparer.Ordinal)
            .ToList());
    }

    public static SkillJudgingReport ForSkill(SkillJudgingData data)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(data.Judges, 2);
        var judges = data.Judges;
        var denominator = judges - 1;
        var complete = data.Sets.Where(s => IsComplete(s, judges)).ToList();

        // Per expert, per (expert, member), per group and per (group, expert): the deviation numerators.
        var byExpert = new Dictionary<string, Accumulator>(StringComparer.Ordinal);
        var byCell = new Dictionary<(string Expert, string Member), Accumulator>();
        var byGroup = new Dictionary<string, Accumulator>(StringComparer.Ordinal);
        var byGroupExpert = new Dictionary<(string Group, string Expert), Accumulator>();
        var units = new Dictionary<string, List<IReadOnlyList<int>>>(StringComparer.Ordinal);
        var members = data.Experts.ToDictionary(e => e.ExpertId, e => e.MemberCode, StringComparer.Ordinal);
        var numerators = new int[judges];

        foreach (var set in complete)
        {
            var sum = 0;
            foreach (var s in set.Scores)
            {
                sum += s.Score;
            }
            var outlier = -1;
            var largest = -1;
            var unique = false;
            for (var i = 0; i < judges; i++)
            {
                numerators[i] = judges * set.Scores[i].Score - sum;
                var size = Math.Abs(numerators[i]);
                if (size > largest)
                {
                    (largest, outlier, unique) = (size, i, true);
                }
                else if (size == largest)
                {
                    unique = false;
                }
            }
            // The outlier counts only when unique and |d| >= 1, i.e. |numerator| >= N - 1.
            if (!unique || largest < denominator)
            {
                outlier = -1;
            }
            var group = Get(byGroup, set.GroupId);
            if (!units.TryGetValue(set.GroupId, out var groupUnits))
            {
                units[set.GroupId] = groupUnits = [];
            }
            groupUnits.Add(set.Scores.Select(s => s.Score).ToArray());
            for (var i = 0; i < judges; i++)
            {
                var score = set.Scores[i];
                var isOutlier = i == outlier;
                Get(byExpert, score.ExpertId).Add(numerators[i], isOutlier);
                group.Add(numerators[i], isOutlier);
                Get(byGroupExpert, (set.GroupId, score.ExpertId)).Add(numerators[i], isOutlier);
                members.TryAdd(score.ExpertId, score.ExpertMember);
                if (!string.Equals(score.ExpertMember, set.CompetitorMember, StringComparison.Ordinal))
                {
                    Get(byCell, (score.ExpertId, set.CompetitorMember)).Add(numerators[i], isOutlier);
                }
            }
        }

        // Many cells share (above, below): the exact sign test is computed once per pair.
        var signTests = new Dictionary<(int, int), Rational>();
        var events = data.Events.GroupBy(e => e.ExpertId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (Spread: g.Sum(e => e.SpreadRefusals), Rescores: g.Sum(e => e.Rescores), Corrections: g.Sum(e => e.Corrections)), StringComparer.Ordinal);
        var names = data.Experts.ToDictionary(e => e.ExpertId, e => e.Name, StringComparer.Ordinal);
        var expertIds = names.Keys.Concat(byExpert.Keys).Concat(events.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var experts = expertIds.Select(id =>
        {
            var summary = byExpert.TryGetValue(id, out var acc) ? acc.Summarise(denominator) : null;
            var (direction, p) = acc is null ? (0, (Rational?)null) : Judge(acc, denominator, signTests);
            var counts = events.GetValueOrDefault(id);
            return new ExpertReport(id, members.GetValueOrDefault(id, ""), names.GetValueOrDefault(id, id), summary, counts.Spread, counts.Rescores, counts.Corrections,
                direction == 0 ? Tendency.None : direction > 0 ? Tendency.Lenient : Tendency.Severe, p);
        }).ToList();

        var cells = byCell.OrderBy(c => c.Key.Expert, StringComparer.Ordinal).ThenBy(c => c.Key.Member, StringComparer.Ordinal).Select(c =>
        {
            var (direction, p) = Judge(c.Value, denominator, signTests);
            return new MemberCell(c.Key.Expert, c.Key.Member, c.Value.Count, c.Value.Mean(denominator), c.Value.Above, c.Value.Below, p, direction != 0);
        }).ToList();

        // The named groups in order, then the aspects in no group (found by an outside tester: "-" sorted first).
        var groups = byGroup.OrderBy(g => g.Key == ScoreSet.NoGroup).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var band = g.Value.Summarise(denominator);
            var groupExperts = byGroupExpert.Where(x => x.Key.Group == g.Key).OrderBy(x => x.Key.Expert, StringComparer.Ordinal)
                .Select(x => new GroupExpert(x.Key.Expert, x.Value.Summarise(denominator))).ToList();
            return new GroupReport(g.Key, g.Value.Count / judges, KrippendorffAlpha.Compute(units[g.Key], AlphaMetric.Ordinal),
                band.LowerQuartile, band.UpperQuartile, groupExperts);
        }).ToList();

        return new SkillJudgingReport(data.SkillKey, judges, complete.Count, experts, cells, groups);
    }

    static bool IsComplete(ScoreSet set, int judges)
    {
        if (set.Scores.Count != judges)
        {
            return false;
        }
        for (var i = 1; i < judges; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (string.Equals(set.Scores[i].ExpertId, set.Scores[j].ExpertId, StringComparison.Ordinal))
                {
                    return false;
                }
            }
        }
        return true;
    }

    /// <summary>+1 lenient/toward, -1 severe/against, 0 neither; and the sign test's p.</summary>
    static (int Direction, Rational P) Judge(Accumulator acc, int denominator, Dictionary<(int, int), Rational> signTests)
    {
        if (!signTests.TryGetValue((acc.Above, acc.Below), out var p))
        {
            signTests[(acc.Above, acc.Below)] = p = SignTest.TwoSided(acc.Above, acc.Below);
        }
        var mean = acc.Mean(denominator);
        var flagged = acc.Count >= MinimumSets && mean.Abs() >= MinimumMeanDeviation && p < Significance;
        return (flagged ? mean.Sign : 0, p);
    }

    static Accumulator Get<TKey>(Dictionary<TKey, Accumulator> map, TKey key) where TKey : notnull
    {
        if (!map.TryGetValue(key, out var acc))
        {
            map[key] = acc = new Accumulator();
        }
        return acc;
    }

    /// <summary>Deviation numerators (d * (N - 1)) of one expert, cell or group.</summary>
    sealed class Accumulator
    {
        readonly List<int> _numerators = [];
        long _sum;
        long _absoluteSum;

        public int Count => _numerators.Count;
        public int Above { get; private set; }
        public int Below { get; private set; }
        public int Outliers { get; private set; }

        public void Add(int numerator, bool outlier)
        {
            _numerators.Add(numerator);
            _sum += numerator;
            _absoluteSum += Math.Abs(numerator);
            if (numerator > 0)
            {
                Above++;
            }
            else if (numerator < 0)
            {
                Below++;
            }
            if (outlier)
            {
                Outliers++;
            }
        }

        public Rational Mean(int denominator) => new(_sum, (long)denominator * Count);

        public DeviationSummary Summarise(int denominator)
        {
            var sorted = _numerators.ToArray();
            Array.Sort(sorted);
            Rational At(double fraction) => new(sorted[Math.Max(0, (int)Math.Ceiling(fraction * sorted.Length) - 1)], denominator);
            return new DeviationSummary(Count, Mean(denominator), new Rational(_absoluteSum, (long)denominator * Count),
                new Rational(sorted[0], denominator), At(0.25), At(0.5), At(0.75), new Rational(sorted[^1], denominator),
                Outliers, new Rational(Outliers, Count));
        }
    }
}
