using FsCheck;
using FsCheck.Xunit;
using SkillsHub.Domain.Scoring;
using SkillsHub.Domain.Scoring.Import;

namespace SkillsHub.Domain.Tests.Scoring;

/// <summary>
/// Property tests. Each property takes an FsCheck-generated seed and builds its case with
/// <see cref="TestSchemes"/>, which keeps the generators readable (a valid scheme has to sum to
/// exactly 100.00) while FsCheck still drives and reports the failing seed.
/// </summary>
// Seeds range over a wide interval rather than FsCheck's default small sizes.
[Properties(EndSize = 1_000_000)]
public sealed class ScoringProperties
{
    [Property]
    public bool Totals_StayWithinZeroToHundred(int seed)
    {
        var random = new Random(seed);
        var scheme = TestSchemes.RandomValid(random);
        var judges = random.Next(2) == 0 ? 3 : 5;
        var totals = CompetitorTotalsCalculator.Compute(scheme, TestSchemes.RandomSheet(random, scheme, "c", judges), judges);
        return totals.Raw is >= 0m and <= 100m
            // Each criterion total is its exact units divided once, so their decimal sum may differ in the 28th digit.
            && Math.Abs(totals.Criteria.Values.Sum() - totals.Raw) < 0.000000000001m
            && scheme.Criteria.All(c => totals.Criteria[c.Id] >= 0 && totals.Criteria[c.Id] <= c.MaxMark);
    }

    [Property]
    public bool FullMarks_TotalExactlyHundred(int seed)
    {
        var random = new Random(seed);
        var scheme = TestSchemes.RandomValid(random);
        var measurements = new Dictionary<string, MeasurementInput>();
        var judgements = new Dictionary<string, JudgementSet>();
        foreach (var aspect in scheme.Aspects)
        {
            if (aspect.Type == AspectType.Judgement)
            {
                judgements[aspect.Id] = new JudgementSet(("J1", 3), ("J2", 3), ("J3", 3));
            }
            else
            {
                measurements[aspect.Id] = aspect.Bands.Count > 0 ? new MeasuredDeviation(0m)
                    : aspect.Deductions.Count > 0 ? new DeductionsTaken([0])
                    : new MeasurementAchieved(true);
            }
        }

        return CompetitorTotalsCalculator.Compute(scheme, new MarkSheet("c", measurements, judgements)).Raw == 100.00m;
    }

    [Property]
    public bool HigherRawTotal_NeverGetsALowerScaledScore(int seed)
    {
        var random = new Random(seed);
        var raws = Enumerable.Range(0, random.Next(0, 40)).Select(_ => RandomRaw(random)).ToArray();
        var options = new ScaleOptions
        {
            K = random.Next(1, 300),
            SpreadEstimator = random.Next(2) == 0 ? SpreadEstimator.SampleStandardDeviation : SpreadEstimator.ScaledMedianAbsoluteDeviation,
        };
        var scaled = StandardScale.Scale(raws, options);
        for (var i = 0; i < raws.Length; i++)
        {
            for (var j = 0; j < raws.Length; j++)
            {
                if (raws[i] > raws[j] && scaled[i] < scaled[j])
                {
                    return false;
                }
            }
        }

        return scaled.All(s => s is >= 0 and <= 1000);
    }

    [Property]
    public bool SkillResults_DoNotDependOnInputOrder(int seed)
    {
        var random = new Random(seed);
        var scheme = TestSchemes.RandomValid(random);
        var competitors = Enumerable.Range(1, random.Next(1, 25))
            .Select(i => new Competitor($"c{i:00}", $"M{random.Next(5)}", "S01"))
            .ToArray();
        var sheets = competitors.Select(c => TestSchemes.RandomSheet(random, scheme, c.Id)).ToArray();

        var first = SkillResults.Compute("S01", scheme, competitors, sheets);
        var second = SkillResults.Compute("S01", scheme, Shuffle(random, competitors), Shuffle(random, sheets).Select(s => Reordered(random, s)).ToArray());

        static object Key(SkillResult r) => string.Join(";", r.Standings.Select(s => $"{s.Competitor.Id}:{s.Raw}:{s.Scaled}:{s.Place}:{s.Award}"));
        return Key(first).Equals(Key(second)) && first.Scale == second.Scale;
    }

    [Property]
    public bool Awards_ObeyTheTieAndSkipRules(int seed)
    {
        var random = new Random(seed);
        var window = random.Next(3) == 0 ? random.Next(0, 10) : 0;
        var options = new AwardOptions { TieWindow = window };
        // Few distinct scores, so ties are common.
        var competitors = Enumerable.Range(1, random.Next(1, 30))
            .Select(i => new ScaledCompetitor($"c{i}", random.Next(0, 10000) / 100m, 650 + (random.Next(0, 12) * 10)))
            .ToArray();
        var placings = AwardRules.Assign(competitors, options);

        var golds = placings.Count(p => p.Award == Award.Gold);
        var silvers = placings.Count(p => p.Award == Award.Silver);
        var bronzes = placings.Count(p => p.Award == Award.Bronze);
        return placings.Count == competitors.Length
            && golds >= 1
            && (golds < 2 || silvers == 0)
            && (golds < 3 || bronzes == 0)
            && (silvers < 2 || bronzes == 0)
            && (golds + silvers < 3 || bronzes == 0)
            // A place is 1 + the number of competitors ranked strictly ahead in the listing's tie groups.
            && placings.Select((p, i) => p.Place == 1 || placings.Take(i).Count(q => q.Place < p.Place) == p.Place - 1).All(ok => ok)
            && placings.All(p => p.Award == (p.Place switch
            {
                1 => Award.Gold,
                2 => Award.Silver,
                3 => Award.Bronze,
                _ => p.Scaled >= options.MedallionThreshold ? Award.MedallionForExcellence : Award.None,
            }))
            // With the default window, equal scaled scores always share a place.
            && (window != 0 || placings.GroupBy(p => p.Scaled).All(g => g.Select(p => p.Place).Distinct().Count() == 1))
            // Higher scaled score never gets a worse place.
            && placings.Zip(placings.Skip(1)).All(pair => pair.First.Scaled >= pair.Second.Scaled && pair.First.Place <= pair.Second.Place);
    }

    [Property(MaxTest = 50)]
    public bool Csv_ExportThenImport_GivesTheSameScheme(int seed)
    {
        var scheme = TestSchemes.RandomValid(new Random(seed));
        var import = SchemeCsv.Parse(SchemeCsv.Write(scheme), scheme.Title);
        return import.Problems.Count == 0 && scheme.Equals(import.Scheme);
    }

    [Property(MaxTest = 50)]
    public bool Json_ExportThenImport_GivesTheSameScheme(int seed)
    {
        var scheme = TestSchemes.RandomValid(new Random(seed));
        var import = SchemeJson.Parse(SchemeJson.Write(scheme));
        return import.Problems.Count == 0 && scheme.Equals(import.Scheme);
    }

    [Property(MaxTest = 50)]
    public bool RandomValidSchemes_Validate(int seed) =>
        SchemeValidator.Validate(TestSchemes.RandomValid(new Random(seed))).Count == 0;

    private static decimal RandomRaw(Random random) =>
        random.Next(4) == 0 ? random.Next(0, 5) * 10m : random.Next(0, 1000001) / 10000m;

    private static T[] Shuffle<T>(Random random, IEnumerable<T> items)
    {
        var array = items.ToArray();
        random.Shuffle(array);
        return array;
    }

    private static MarkSheet Reordered(Random random, MarkSheet sheet) => new(
        sheet.CompetitorId,
        Shuffle(random, sheet.Measurements).ToDictionary(),
        Shuffle(random, sheet.Judgements).ToDictionary(kv => kv.Key, kv => new JudgementSet(Shuffle(random, kv.Value.Scores))));
}
