using System.Diagnostics;
using System.Globalization;
using SkillsHub.Domain.Scoring;

namespace SkillsHub.Bench;

/// <summary>
/// Recomputes every result of a generated competition the size of WorldSkills Lyon 2024 (59 skills,
/// 1,333 competitors from 66 members, about 60 aspects per scheme, 3 judges per judgement aspect):
/// marks -> totals -> scaled -> medals -> Best of Nation / Albert Vidal -> member reports.
/// Goal: at most 50 ms per full recompute.
/// </summary>
public static class ScoringBench
{
    private const int Skills = 59;
    private const int Competitors = 1333;
    private const int Members = 66;
    private const int AspectsPerScheme = 60;

    public static int Run(string[] args)
    {
        var iterations = BenchArgs.Int(args, "--iterations", 200);
        var warmup = BenchArgs.Int(args, "--warmup", 30);
        var competition = Generate(new Random(2024));

        Console.WriteLine(
            $"scoring: {Skills} skills, {competition.Sum(s => s.Competitors.Length)} competitors, {Members} members, " +
            $"{competition.Sum(s => s.Scheme.Aspects.Count() * s.Competitors.Length):N0} aspect marks");

        CompetitionResult? last = null;
        for (var i = 0; i < warmup; i++)
        {
            last = RecomputeAll(competition, out _);
        }

        var times = new double[iterations];
        var watch = new Stopwatch();
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var gen0Before = GC.CollectionCount(0);
        for (var i = 0; i < iterations; i++)
        {
            watch.Restart();
            last = RecomputeAll(competition, out _);
            watch.Stop();
            times[i] = watch.Elapsed.TotalMilliseconds;
        }

        var allocatedPerRun = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / (double)iterations / (1024 * 1024);
        var gen0PerRun = (GC.CollectionCount(0) - gen0Before) / (double)iterations;
        Array.Sort(times);
        var medals = last!.Skills.Sum(s => s.Standings.Count(r => r.IsMedallist));
        Console.WriteLine($"check: {medals} medals, Albert Vidal {last.AlbertVidal?.Scaled} ({last.AlbertVidal?.Winners.Count} winner(s)), {last.BestOfNation.Count} Best of Nation");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"full recompute over {iterations} iterations after {warmup} warm-up: median {times[iterations / 2]:F2} ms, min {times[0]:F2} ms, p90 {times[(int)(iterations * 0.9)]:F2} ms, max {times[^1]:F2} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"allocated {allocatedPerRun:F1} MB and {gen0PerRun:F2} gen-0 collections per recompute; goal: median <= 50 ms"));
        return 0;
    }

    private static CompetitionResult RecomputeAll(SkillData[] competition, out IReadOnlyList<MemberReport> reports)
    {
        var results = new SkillResult[competition.Length];
        for (var s = 0; s < competition.Length; s++)
        {
            var skill = competition[s];
            results[s] = SkillResults.Compute(skill.Key, skill.Scheme, skill.Competitors, skill.Sheets);
        }

        var overall = CompetitionResults.Compute(results);
        reports = MemberReports.Build(results);
        return overall;
    }

    private sealed record SkillData(string Key, MarkingScheme Scheme, Competitor[] Competitors, MarkSheet[] Sheets);

    private static SkillData[] Generate(Random random)
    {
        var members = Enumerable.Range(0, Members).Select(i => $"{(char)('A' + (i / 26))}{(char)('A' + (i % 26))}").ToArray();
        var skills = new SkillData[Skills];
        var next = 0;
        for (var s = 0; s < Skills; s++)
        {
            // 1,333 over 59 skills: 35 skills of 23 and 24 of 22.
            var size = (Competitors / Skills) + (s < Competitors % Skills ? 1 : 0);
            var key = $"WSC2024-{s + 1:00}";
            var scheme = Scheme(random, key);
            var competitors = new Competitor[size];
            var sheets = new MarkSheet[size];
            var firstMember = random.Next(Members);
            for (var c = 0; c < size; c++)
            {
                var id = $"{key}-{++next:0000}";
                competitors[c] = new Competitor(id, members[(firstMember + c) % Members], key);
                sheets[c] = Sheet(random, scheme, id);
            }

            skills[s] = new SkillData(key, scheme, competitors, sheets);
        }

        return skills;
    }

    private static MarkingScheme Scheme(Random random, string title)
    {
        // 5 criteria x 3 sub-criteria x 4 aspects; max marks in cents summing to exactly 100.00.
        var cents = Enumerable.Repeat(10000 / AspectsPerScheme, AspectsPerScheme).ToArray();
        cents[^1] += 10000 - cents.Sum();
        for (var i = 0; i < 200; i++)
        {
            var from = random.Next(AspectsPerScheme);
            var to = random.Next(AspectsPerScheme);
            var amount = random.Next(0, 50);
            if (cents[from] - amount >= 25)
            {
                cents[from] -= amount;
                cents[to] += amount;
            }
        }

        var descriptors = ValueList.Create<string>(["none", "some", "good", "excellent"]);
        var n = 0;
        var criteria = new List<Criterion>();
        for (var c = 0; c < 5; c++)
        {
            var cid = ((char)('A' + c)).ToString();
            var subs = new List<SubCriterion>();
            for (var sc = 1; sc <= 3; sc++)
            {
                var aspects = new List<Aspect>();
                for (var a = 1; a <= 4; a++)
                {
                    var max = cents[n++] / 100m;
                    var id = $"{cid}{sc}.{a}";
                    var aspect = new Aspect(id, a % 2 == 0 ? AspectType.Judgement : AspectType.Measurement, $"Aspect {id}", $"C{1 + (c % 4)}", max);
                    aspect = aspect.Type == AspectType.Judgement ? aspect with { Descriptors = descriptors }
                        : a == 3 ? aspect with { Bands = [new ToleranceBand(0.02m, max), new ToleranceBand(0.05m, Math.Round(max / 2, 2))] }
                        : aspect;
                    aspects.Add(aspect);
                }

                subs.Add(new SubCriterion($"{cid}{sc}", $"Sub-criterion {cid}{sc}", aspects.ToValueList()));
            }

            criteria.Add(new Criterion(cid, $"Criterion {cid}", subs.ToValueList()));
        }

        return new MarkingScheme(title, criteria.ToValueList());
    }

    private static MarkSheet Sheet(Random random, MarkingScheme scheme, string competitorId)
    {
        var measurements = new Dictionary<string, MeasurementInput>();
        var judgements = new Dictionary<string, JudgementSet>();
        var ability = random.NextDouble();
        foreach (var aspect in scheme.Aspects)
        {
            if (aspect.Type == AspectType.Judgement)
            {
                var low = Math.Min(2, (int)(ability * 3.2));
                judgements[aspect.Id] = new JudgementSet(("J1", low + random.Next(2)), ("J2", low + random.Next(2)), ("J3", low));
            }
            else if (aspect.Bands.Count > 0)
            {
                measurements[aspect.Id] = new MeasuredDeviation(random.Next(0, 80) / 1000m * (decimal)(1.5 - ability));
            }
            else
            {
                measurements[aspect.Id] = new MeasurementAchieved(random.NextDouble() < 0.3 + (0.6 * ability));
            }
        }

        return new MarkSheet(competitorId, measurements, judgements);
    }
}
