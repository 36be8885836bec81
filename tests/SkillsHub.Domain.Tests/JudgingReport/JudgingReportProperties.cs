using System.Text.Json;
using FsCheck.Xunit;
using SkillsHub.Domain.JudgingReport;

namespace SkillsHub.Domain.Tests.JudgingReport;

/// <summary>
/// The properties issue 19 names, as pure functions (scores are not held to 0..3 here). Each takes an
/// FsCheck seed and builds a random skill from it, as the scoring properties do.
/// </summary>
[Properties(EndSize = 1_000_000)]
public sealed class JudgingReportProperties
{
    static readonly string[] Members = ["CN", "FR", "KR", "JP", "DE", "BR"];

    /// <summary>Three judges (one group of A, B, C, or several groups of five experts), random competitors and aspects.</summary>
    static SkillJudgingData Random3(Random random, int judges = 3)
    {
        var experts = Enumerable.Range(0, judges + random.Next(0, 4)).Select(i => new ExpertEntry($"E{i}", $"X{i}", $"Expert {i}")).ToList();
        var sets = new List<ScoreSet>();
        var competitors = random.Next(1, 12);
        for (var c = 0; c < competitors; c++)
        {
            var member = Members[random.Next(Members.Length)];
            for (var a = 0; a < random.Next(1, 15); a++)
            {
                var panel = experts.OrderBy(_ => random.Next()).Take(judges).ToList();
                sets.Add(new ScoreSet($"G{a % 2}", $"{member}-{c}", member, $"A{a}", panel.Select(e => new ExpertScore(e.ExpertId, e.MemberCode, random.Next(-2, 6))).ToList()));
            }
        }
        return new SkillJudgingData("S", judges, experts, sets, []);
    }

    static Rational Mean(IEnumerable<Rational> xs)
    {
        var list = xs.ToList();
        return list.Aggregate(Rational.Zero, (a, b) => a + b) / new Rational(list.Count, 1);
    }

    /// <summary>An expert's deviations on the given sets, straight from the definition.</summary>
    static IEnumerable<Rational> Deviations(IEnumerable<ScoreSet> sets, string expert) => sets
        .Where(s => s.Scores.Any(x => x.ExpertId == expert))
        .Select(s => new Rational(s.Scores.Single(x => x.ExpertId == expert).Score, 1)
            - new Rational(s.Scores.Where(x => x.ExpertId != expert).Sum(x => x.Score), s.Scores.Count - 1));

    [Property]
    public bool AddingOneToAnExpertsScores_RaisesTheirMeanByOne_AndLowersEachOtherJudgesByAHalfOnSharedSets(int seed)
    {
        var random = new Random(seed);
        var data = Random3(random);
        var shifted = data.Experts[random.Next(data.Experts.Count)].ExpertId;
        var after = data with
        {
            Sets = data.Sets.Select(s => s with { Scores = s.Scores.Select(x => x.ExpertId == shifted ? x with { Score = x.Score + 1 } : x).ToList() }).ToList(),
        };
        var before = JudgingReportCalculator.ForSkill(data);
        var now = JudgingReportCalculator.ForSkill(after);
        var mean = (SkillJudgingReport r, string id) => r.Experts.Single(e => e.ExpertId == id).Deviations?.MeanDeviation;
        if (before.Experts.Single(e => e.ExpertId == shifted).Deviations is null)
        {
            return now.Experts.Single(e => e.ExpertId == shifted).Deviations is null;
        }
        var ok = mean(now, shifted) == mean(before, shifted) + Rational.One;
        foreach (var other in data.Experts.Where(e => e.ExpertId != shifted))
        {
            var shared = data.Sets.Where(s => s.Scores.Any(x => x.ExpertId == shifted) && s.Scores.Any(x => x.ExpertId == other.ExpertId)).ToList();
            if (shared.Count == 0)
            {
                continue;
            }
            var sharedAfter = after.Sets.Where(s => s.Scores.Any(x => x.ExpertId == shifted) && s.Scores.Any(x => x.ExpertId == other.ExpertId));
            ok &= Mean(Deviations(sharedAfter, other.ExpertId)) == Mean(Deviations(shared, other.ExpertId)) - new Rational(1, 2);
            // And the calculator agrees with the definition on the whole skill.
            ok &= mean(now, other.ExpertId) == (Deviations(after.Sets, other.ExpertId).Any() ? Mean(Deviations(after.Sets, other.ExpertId)) : null);
        }
        return ok;
    }

    [Property]
    public bool WhenEveryPanelIsTheSameThree_TheOthersDropByExactlyAHalf(int seed)
    {
        // Every set judged by E0, E1, E2: the shared sets are all sets, so the report's own means move by +1 and -1/2.
        var random = new Random(seed);
        var experts = new[] { new ExpertEntry("E0", "X0", "a"), new ExpertEntry("E1", "X1", "b"), new ExpertEntry("E2", "X2", "c") };
        var sets = Enumerable.Range(0, random.Next(1, 60)).Select(i => new ScoreSet("G", $"C{i % 7}", Members[i % 7 % Members.Length], $"A{i}",
            experts.Select(e => new ExpertScore(e.ExpertId, e.MemberCode, random.Next(-3, 7))).ToList())).ToList();
        var data = new SkillJudgingData("S", 3, experts, sets, []);
        var after = data with { Sets = sets.Select(s => s with { Scores = s.Scores.Select(x => x.ExpertId == "E1" ? x with { Score = x.Score + 1 } : x).ToList() }).ToList() };
        var b = JudgingReportCalculator.ForSkill(data).Experts.ToDictionary(e => e.ExpertId, e => e.Deviations!.MeanDeviation);
        var a = JudgingReportCalculator.ForSkill(after).Experts.ToDictionary(e => e.ExpertId, e => e.Deviations!.MeanDeviation);
        var half = new Rational(1, 2);
        return a["E1"] == b["E1"] + Rational.One && a["E0"] == b["E0"] - half && a["E2"] == b["E2"] - half;
    }

    [Property]
    public bool PermutingCompetitorsAndSets_ChangesNothing(int seed)
    {
        var random = new Random(seed);
        var data = Random3(random, random.Next(2) == 0 ? 3 : 5);
        var shuffled = data with { Sets = data.Sets.OrderBy(_ => random.Next()).Select(s => s with { Scores = s.Scores.OrderBy(_ => random.Next()).ToList() }).ToList() };
        // Renaming competitors (a permutation of their ids) changes nothing either.
        var ids = data.Sets.Select(s => s.CompetitorId).Distinct().ToList();
        var permuted = ids.OrderBy(_ => random.Next()).ToList();
        var rename = ids.Zip(permuted).ToDictionary(p => p.First, p => p.Second);
        var members = data.Sets.GroupBy(s => s.CompetitorId).ToDictionary(g => g.Key, g => g.First().CompetitorMember);
        var renamed = data with { Sets = data.Sets.Select(s => s with { CompetitorId = rename[s.CompetitorId] }).ToList() };
        var expected = JsonSerializer.Serialize(JudgingReportCalculator.ForSkill(data));
        return expected == JsonSerializer.Serialize(JudgingReportCalculator.ForSkill(shuffled))
            && expected == JsonSerializer.Serialize(JudgingReportCalculator.ForSkill(renamed))
            && members.Count == ids.Count;
    }

    [Property]
    public bool AnExpertIdenticalToTheGroupMean_HasZero(int seed)
    {
        // E0 always scores the mean of the other two (given with the same parity so the mean is whole).
        var random = new Random(seed);
        var experts = new[] { new ExpertEntry("E0", "X0", "a"), new ExpertEntry("E1", "X1", "b"), new ExpertEntry("E2", "X2", "c") };
        var sets = Enumerable.Range(0, random.Next(1, 40)).Select(i =>
        {
            var one = random.Next(0, 4);
            var two = one + 2 * random.Next(-1, 2);
            return new ScoreSet("G", $"C{i}", "JP", $"A{i}", [new("E1", "X1", one), new("E0", "X0", (one + two) / 2), new("E2", "X2", two)]);
        }).ToList();
        var report = JudgingReportCalculator.ForSkill(new("S", 3, experts, sets, []));
        var e0 = report.Experts.Single(e => e.ExpertId == "E0").Deviations!;
        return e0.MeanDeviation == Rational.Zero && e0.MeanAbsoluteDeviation == Rational.Zero && e0.OutlierSets == 0
            && report.Cells.Where(c => c.ExpertId == "E0").All(c => c.MeanDeviation == Rational.Zero && !c.Leaning && c.PValue == Rational.One);
    }

    [Property]
    public bool DeviationsOfASetSumToZero_SoSetWeightedMeansCancel(int seed)
    {
        var random = new Random(seed);
        var report = JudgingReportCalculator.ForSkill(Random3(random, random.Next(2) == 0 ? 3 : 5));
        var total = report.Experts.Where(e => e.Deviations is not null)
            .Aggregate(Rational.Zero, (sum, e) => sum + e.Deviations!.MeanDeviation * new Rational(e.Deviations.Sets, 1));
        return total == Rational.Zero && report.Groups.All(g => g.Alpha is null || g.Alpha <= Rational.One);
    }

    [Property]
    public bool Outliers_AreAtMostOnePerSet_AndAtLeastOnePointOut(int seed)
    {
        var random = new Random(seed);
        var data = Random3(random);
        var report = JudgingReportCalculator.ForSkill(data);
        var expected = data.Sets.Count(s =>
        {
            var d = s.Scores.Select(x => Deviations([s], x.ExpertId).Single().Abs()).OrderDescending().ToList();
            return d[0] >= Rational.One && d[0] > d[1];
        });
        return report.Experts.Sum(e => e.Deviations?.OutlierSets ?? 0) == expected;
    }
}
