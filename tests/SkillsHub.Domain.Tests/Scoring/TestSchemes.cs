using SkillsHub.Domain.Scoring;

namespace SkillsHub.Domain.Tests.Scoring;

/// <summary>Small hand-built schemes and random valid schemes for tests.</summary>
internal static class TestSchemes
{
    public static readonly ValueList<string> FourDescriptors = ["None", "Some", "Good", "Excellent"];

    public static Aspect Measurement(string id, decimal max, string day = "C1") =>
        new(id, AspectType.Measurement, $"Measure {id}", day, max);

    public static Aspect Judgement(string id, decimal max, string day = "C1") =>
        new(id, AspectType.Judgement, $"Judge {id}", day, max) { Descriptors = FourDescriptors };

    public static SubCriterion Sub(string id, params Aspect[] aspects) => new(id, $"Sub-criterion {id}", aspects.ToValueList());

    public static Criterion Criterion(string id, params SubCriterion[] subs) => new(id, $"Criterion {id}", subs.ToValueList());

    public static MarkingScheme Scheme(params Criterion[] criteria) => new("Test scheme", criteria.ToValueList());

    /// <summary>A valid 100.00 scheme: A1 = M 40 + J 20, B1 = M 30 (bands) + J 10.</summary>
    public static MarkingScheme Simple() => Scheme(
        Criterion("A", Sub("A1", Measurement("A1.1", 40m), Judgement("A1.2", 20m))),
        Criterion("B", Sub("B1",
            Measurement("B1.1", 30m) with { Bands = [new ToleranceBand(0.05m, 30m), new ToleranceBand(0.10m, 15m)] },
            Judgement("B1.2", 10m))));

    // Includes the formula characters, so round trips cover the export's formula escaping.
    private const string TextChars = "abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789,;\"'-.()/=+@\u00e9\u00fc\u00b1\u4e2d";

    public static string RandomText(Random random, int maxLength = 24)
    {
        var length = random.Next(1, maxLength);
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = TextChars[random.Next(TextChars.Length)];
        }

        // Imports trim cells, so generated text has no outer whitespace; a line break inside tests quoting.
        var text = new string(chars).Trim();
        if (text.Length == 0)
        {
            text = "x";
        }

        return random.Next(8) == 0 ? text + "\nsecond line" : text;
    }

    /// <summary>A random scheme that validates: max marks in cents summing to exactly 100.00.</summary>
    public static MarkingScheme RandomValid(Random random, int maxCriteria = 4, int maxSubs = 3, int maxAspects = 5)
    {
        var shape = new List<(int Criterion, int Sub, int Aspects)>();
        var criteriaCount = random.Next(1, maxCriteria + 1);
        for (var c = 0; c < criteriaCount; c++)
        {
            var subs = random.Next(1, maxSubs + 1);
            for (var s = 0; s < subs; s++)
            {
                shape.Add((c, s, random.Next(1, maxAspects + 1)));
            }
        }

        var aspectCount = shape.Sum(x => x.Aspects);
        var cents = SplitCents(random, 10000, aspectCount);
        var next = 0;
        var criteria = new List<Criterion>();
        for (var c = 0; c < criteriaCount; c++)
        {
            var criterionId = ((char)('A' + c)).ToString();
            var subs = new List<SubCriterion>();
            foreach (var (_, s, count) in shape.Where(x => x.Criterion == c))
            {
                var subId = $"{criterionId}{s + 1}";
                var aspects = new List<Aspect>();
                for (var a = 0; a < count; a++)
                {
                    aspects.Add(RandomAspect(random, $"{subId}.{a + 1}", cents[next++] / 100m));
                }

                subs.Add(new SubCriterion(subId, RandomText(random), aspects.ToValueList()));
            }

            criteria.Add(new Criterion(criterionId, RandomText(random), subs.ToValueList()));
        }

        // A title is one line (docs/scoring.md).
        return new MarkingScheme(RandomText(random).Split('\n')[0], criteria.ToValueList());
    }

    private static Aspect RandomAspect(Random random, string id, decimal max)
    {
        var day = $"C{random.Next(1, 5)}";
        if (random.Next(2) == 0)
        {
            // A judgement aspect may have an extra description too (found by an outside tester: the CSV import dropped it).
            return new Aspect(id, AspectType.Judgement, RandomText(random), day, max)
            {
                Descriptors = Enumerable.Range(0, 4).Select(_ => RandomText(random)).ToValueList(),
                ExtraDescription = random.Next(2) == 0 ? RandomText(random) : "",
            };
        }

        var aspect = new Aspect(id, AspectType.Measurement, RandomText(random), day, max)
        {
            Requirement = random.Next(2) == 0 ? RandomText(random) : "",
            ExtraDescription = random.Next(2) == 0 ? RandomText(random) : "",
        };
        switch (random.Next(3))
        {
            case 1:
                var narrow = random.Next(1, 50) / 1000m;
                var full = max;
                var part = decimal.Round(max * random.Next(0, 100) / 100m, 2, MidpointRounding.ToZero);
                return aspect with { Bands = [new ToleranceBand(narrow, full, RandomText(random)), new ToleranceBand(narrow * 2, part)] };
            case 2:
                var amount = Math.Max(0.01m, decimal.Round(max / random.Next(1, 5), 2, MidpointRounding.ToZero));
                return aspect with { Deductions = [new Deduction(amount, RandomText(random))] };
            default:
                return aspect;
        }
    }

    private static int[] SplitCents(Random random, int total, int parts)
    {
        // Random cut points in 1..total-1 give parts that are all >= 1 and sum to total.
        var cuts = new SortedSet<int>();
        while (cuts.Count < parts - 1)
        {
            cuts.Add(random.Next(1, total));
        }

        var result = new int[parts];
        var previous = 0;
        var i = 0;
        foreach (var cut in cuts)
        {
            result[i++] = cut - previous;
            previous = cut;
        }

        result[i] = total - previous;
        return result;
    }

    /// <summary>A random mark sheet: some aspects unmarked, some judgement sets incomplete or spread.</summary>
    public static MarkSheet RandomSheet(Random random, MarkingScheme scheme, string competitorId, int judges = 3)
    {
        var measurements = new Dictionary<string, MeasurementInput>();
        var judgements = new Dictionary<string, JudgementSet>();
        foreach (var aspect in scheme.Aspects)
        {
            if (random.Next(10) == 0)
            {
                continue;
            }

            if (aspect.Type == AspectType.Judgement)
            {
                var centre = random.Next(0, 4);
                var count = random.Next(12) == 0 ? judges - 1 : judges;
                var scores = Enumerable.Range(1, count)
                    .Select(j => ($"J{j}", Math.Clamp(centre + random.Next(-1, 2) * (random.Next(15) == 0 ? 2 : 1), 0, 3)))
                    .ToArray();
                judgements[aspect.Id] = new JudgementSet(scores);
            }
            else if (aspect.Bands.Count > 0)
            {
                measurements[aspect.Id] = new MeasuredDeviation(random.Next(-150, 150) / 1000m);
            }
            else if (aspect.Deductions.Count > 0)
            {
                measurements[aspect.Id] = new DeductionsTaken([random.Next(0, 6)]);
            }
            else
            {
                measurements[aspect.Id] = new MeasurementAchieved(random.Next(2) == 0);
            }
        }

        return new MarkSheet(competitorId, measurements, judgements);
    }
}
