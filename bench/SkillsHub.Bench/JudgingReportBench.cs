using System.Diagnostics;
using System.Globalization;
using SkillsHub.Domain.JudgingReport;

namespace SkillsHub.Bench;

/// <summary>
/// The competition-wide judging report (docs/judging-report.md) for a generated competition the size of
/// WorldSkills Lyon 2024: 59 skills, 1,333 competitors from 66 members, 3 judges, 30 judgement aspects
/// per competitor, two marking groups of five experts per skill (each set judged by three of them), one
/// lenient expert per skill. Measures the pure computation (the Domain calculator) from its inputs, as
/// the server runs it after reading the sheets. Goal: median <= 200 ms.
/// </summary>
public static class JudgingReportBench
{
    const int Skills = 59;
    const int Competitors = 1333;
    const int Members = 66;
    const int Aspects = 30;
    const int Judges = 3;

    public static int Run(string[] args)
    {
        if (args.Contains("--http"))
        {
            return JudgingReportHttpBench.Run(BenchArgs.Int(args, "--iterations", 20));
        }
        var iterations = BenchArgs.Int(args, "--iterations", 50);
        var warmup = BenchArgs.Int(args, "--warmup", 10);
        var skills = Generate(new Random(2024));
        Console.WriteLine($"judging: {skills.Count} skills, {skills.Sum(s => s.Sets.Select(x => x.CompetitorId).Distinct().Count()):N0} competitors, " +
            $"{skills.Sum(s => s.Sets.Count):N0} complete sets, {skills.Sum(s => s.Sets.Count) * Judges:N0} scores");

        CompetitionJudgingReport? last = null;
        for (var i = 0; i < warmup; i++)
        {
            last = JudgingReportCalculator.ForCompetition(skills);
        }
        var times = new double[iterations];
        var watch = new Stopwatch();
        for (var i = 0; i < iterations; i++)
        {
            watch.Restart();
            last = JudgingReportCalculator.ForCompetition(skills);
            watch.Stop();
            times[i] = watch.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        var lenient = last!.Findings.Count(f => f.Kind == FindingKind.Lenient);
        Console.WriteLine($"check: {last.Findings.Count} findings ({lenient} lenient experts of {Skills} planted), {last.Skills.Sum(s => s.Groups.Count)} groups with alpha");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"competition-wide report over {iterations} iterations after {warmup} warm-up: median {times[iterations / 2]:F1} ms, min {times[0]:F1} ms, p90 {times[(int)(iterations * 0.9)]:F1} ms, max {times[^1]:F1} ms; goal: median <= 200 ms"));
        return times[iterations / 2] <= 200 ? 0 : 1;
    }

    static List<SkillJudgingData> Generate(Random random)
    {
        var members = Enumerable.Range(0, Members).Select(i => $"M{i:00}").ToArray();
        var skills = new List<SkillJudgingData>();
        for (var s = 0; s < Skills; s++)
        {
            // 1,333 competitors over 59 skills: 22 or 23 each.
            var count = Competitors / Skills + (s < Competitors % Skills ? 1 : 0);
            var experts = Enumerable.Range(0, 10).Select(i => new ExpertEntry($"E{s:00}-{i}", members[(s * 10 + i + 30) % Members], $"Expert {i}")).ToList();
            var lenient = experts[1].ExpertId;
            var sets = new List<ScoreSet>(count * Aspects);
            for (var c = 0; c < count; c++)
            {
                var member = members[(s * 7 + c) % Members];
                var ability = random.Next(1, 3);
                for (var a = 0; a < Aspects; a++)
                {
                    var group = a % 2;
                    var panel = experts.Skip(group * 5).Where(e => e.MemberCode != member).Take(Judges).ToList();
                    var scores = panel.Select(e =>
                    {
                        var score = e.ExpertId == lenient && random.Next(2) == 0 ? ability + 1 : ability - (random.Next(4) == 0 ? 1 : 0);
                        return new ExpertScore(e.ExpertId, e.MemberCode, Math.Clamp(score, 0, 3));
                    }).ToList();
                    sets.Add(new ScoreSet($"G{group + 1}", $"C{s:00}-{c:00}", member, $"A{a:00}", scores));
                }
            }
            var events = experts.Select(e => new ExpertEventCounts(e.ExpertId, random.Next(3), random.Next(3), random.Next(2))).ToList();
            skills.Add(new SkillJudgingData($"WSC2024/{s + 1:00}", Judges, experts, sets, events));
        }
        return skills;
    }
}
