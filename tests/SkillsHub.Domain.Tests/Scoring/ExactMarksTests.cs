using FsCheck.Xunit;
using SkillsHub.Domain.Marking;
using SkillsHub.Domain.Scoring;
using static SkillsHub.Domain.Tests.Scoring.TestSchemes;

namespace SkillsHub.Domain.Tests.Scoring;

/// <summary>Exact totals (docs/scoring.md, "Exact totals and rounding"), member reports' skills entered, ordering and ids.</summary>
public sealed class ExactMarksTests
{
    [Fact]
    public void MathematicallyEqualTotals_AreEqualDecimals()
    {
        // 62.90 reached two ways: 7/9 of 9.00 plus measurements, and measurements alone.
        var scheme = Scheme(
            Criterion("A", Sub("A1", Judgement("J", 9.00m), Measurement("M1", 53.90m), Measurement("M2", 9.00m))),
            Criterion("B", Sub("B1", Measurement("M3", 28.10m))));
        var viaJudgement = new MarkSheet("a",
            new Dictionary<string, MeasurementInput> { ["M1"] = new MeasurementAchieved(true), ["M2"] = new MeasurementAchieved(false) },
            new Dictionary<string, JudgementSet> { ["J"] = new(("J1", 3), ("J2", 3), ("J3", 3)) });
        var viaMeasurements = new MarkSheet("b",
            new Dictionary<string, MeasurementInput> { ["M1"] = new MeasurementAchieved(true), ["M2"] = new MeasurementAchieved(true) },
            new Dictionary<string, JudgementSet> { ["J"] = new(("J1", 0), ("J2", 0), ("J3", 0)) });
        var a = CompetitorTotalsCalculator.Compute(scheme, viaJudgement).Raw;
        var b = CompetitorTotalsCalculator.Compute(scheme, viaMeasurements).Raw;
        Assert.Equal(62.90m, a);
        Assert.Equal(a, b);
        Assert.Equal(a.ToString(System.Globalization.CultureInfo.InvariantCulture), b.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void ThirdsOfAMark_SumExactly()
    {
        // 3 x (1.00 x 1/3... ): three aspects of max 1.00 each scored 1,1,1 (mark 1/3 each) total exactly 1.
        var scheme = Scheme(Criterion("A", Sub("A1", Judgement("J1", 1.00m), Judgement("J2", 1.00m), Judgement("J3", 1.00m), Measurement("M", 97.00m))));
        var ones = new JudgementSet(("a", 1), ("b", 1), ("c", 1));
        var sheet = new MarkSheet("x", new Dictionary<string, MeasurementInput>(), new Dictionary<string, JudgementSet> { ["J1"] = ones, ["J2"] = ones, ["J3"] = ones });
        Assert.Equal(1m, CompetitorTotalsCalculator.Compute(scheme, sheet).Raw);
    }

    [Theory]
    [InlineData(2.00, 7, 3, 1.5556)]
    [InlineData(3.00, 12, 5, 2.4)]
    [InlineData(0.01, 1, 3, 0.0011)]
    public void JudgementUnits_AreExact(double max, int sum, int judges, double rounded4)
    {
        var units = ExactMarks.Judgement((decimal)max, sum, judges);
        Assert.Equal((decimal)max * sum * ExactMarks.UnitsPerMark, units * 3m * judges);
        Assert.Equal((decimal)rounded4, Math.Round(ExactMarks.ToDecimal(units), 4));
    }

    [Fact]
    public void ToUnits_RefusesMoreThanTwoPlaces() =>
        Assert.Throws<ArgumentException>(() => ExactMarks.ToUnits(0.001m));

    [Property]
    public bool PermutingEqualValuedMarks_GivesIdenticalTotalsAndPlaces(int seed)
    {
        var random = new Random(seed);
        var scheme = RandomValid(random);
        var judges = random.Next(2) == 0 ? 3 : 5;
        var sheet = RandomSheet(random, scheme, "a", judges);
        // The same scores handed to differently named judges, in another order, for a second competitor.
        var renamed = new MarkSheet("b", sheet.Measurements.Reverse().ToDictionary(m => m.Key, m => m.Value),
            sheet.Judgements.Reverse().ToDictionary(j => j.Key, j => new JudgementSet(j.Value.Scores.Reverse().Select((s, i) => KeyValuePair.Create("other" + i, s.Value)))));
        var ta = CompetitorTotalsCalculator.Compute(scheme, sheet, judges);
        var tb = CompetitorTotalsCalculator.Compute(scheme, renamed, judges);
        var ranked = SkillResults.Rank("S", [new CompetitorRaw(new Competitor("a", "FR", "S"), ta.Raw), new CompetitorRaw(new Competitor("b", "DE", "S"), tb.Raw)]);
        return ta.Raw == tb.Raw && ta.Raw.ToString() == tb.Raw.ToString()
            && ranked.Standings.Select(s => s.Place).Distinct().Count() == 1
            && ranked.Standings[0].Scaled == ranked.Standings[1].Scaled;
    }

    [Fact]
    public void SkillsEntered_CountsSkills_NotCompetitors()
    {
        var skill = SkillResults.Rank("S1", [
            new CompetitorRaw(new Competitor("fr1", "FR", "S1"), 90m),
            new CompetitorRaw(new Competitor("fr2", "FR", "S1"), 80m),
            new CompetitorRaw(new Competitor("de1", "DE", "S1"), 70m)]);
        var france = MemberReports.Standings([skill]).Single(m => m.MemberCode == "FR");
        Assert.Equal(1, france.SkillsEntered);
        Assert.Equal(france.MedalPoints, france.AverageMedalPoints);
        Assert.Equal(7, france.MedalPoints);
        Assert.Equal(7.0m, france.AverageMedalPoints);
    }

    [Theory]
    [InlineData(1000L, "t1", 5L, 2000L, "t1", 4L, true)] // same device: the sequence decides, whatever the clocks say
    [InlineData(2000L, "t1", 4L, 1000L, "t1", 5L, false)]
    [InlineData(1000L, "t1", 9L, 2000L, "t2", 1L, false)] // other device: the creation times decide
    [InlineData(3000L, "t1", 1L, 2000L, "t2", 9L, true)]
    [InlineData(null, "t1", null, 2000L, "t1", 9L, false)] // unstamped: arrival order
    [InlineData(1000L, "t1", null, null, "t1", null, false)]
    public void Order_NewestPerExpertAndAspectWins(long? storedAt, string storedDevice, long? storedSeq, long? incomingAt, string incomingDevice, long? incomingSeq, bool older)
    {
        static DateTimeOffset? At(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
        Assert.Equal(older, MarkOrder.IsOlder(new MarkStamp(At(incomingAt), incomingDevice, incomingSeq), new MarkStamp(At(storedAt), storedDevice, storedSeq)));
    }

    /// <summary>
    /// A score is stale only against the same judge's score; a measurement against every measurement entry of the aspect,
    /// whoever entered it (found by an outside tester: an offline batch undid another expert's later correction).
    /// </summary>
    [Fact]
    public void Staleness_ScoresPerJudge_MeasurementsPerAspect()
    {
        static MarkStamp At(int seconds, string device, long? sequence = null) => new(DateTimeOffset.UnixEpoch.AddSeconds(seconds), device, sequence);
        var otherExpertsNewer = new[] { At(100, "tablet-b", 1) };
        Assert.True(MarkOrder.IsStale(At(50, "tablet-a", 9), isMeasurement: true, ownScore: null, otherExpertsNewer));
        Assert.False(MarkOrder.IsStale(At(150, "tablet-a", 9), isMeasurement: true, ownScore: null, otherExpertsNewer));
        Assert.True(MarkOrder.IsStale(At(150, "tablet-a", 9), isMeasurement: true, ownScore: null, [At(100, "tablet-b"), At(200, "tablet-c")]));
        Assert.False(MarkOrder.IsStale(MarkStamp.None("tablet-a"), isMeasurement: true, ownScore: null, otherExpertsNewer));
        Assert.False(MarkOrder.IsStale(At(50, "tablet-a", 9), isMeasurement: true, ownScore: null, []));
        // Each judge has a score of their own: another judge's newer score does not make this one stale.
        Assert.False(MarkOrder.IsStale(At(50, "tablet-a", 9), isMeasurement: false, ownScore: null, otherExpertsNewer));
        Assert.True(MarkOrder.IsStale(At(50, "tablet-a", 9), isMeasurement: false, ownScore: At(100, "tablet-z"), []));
        Assert.True(MarkOrder.IsStale(At(500, "tablet-a", 8), isMeasurement: false, ownScore: At(100, "tablet-a", 9), []));
    }

    /// <summary>A stamp up to 5 minutes ahead of the server's clock is taken; one a millisecond beyond is refused; no stamp never is.</summary>
    [Theory]
    [InlineData(null, false)]
    [InlineData(-3_600_000L, false)]
    [InlineData(0L, false)]
    [InlineData(300_000L, false)]
    [InlineData(300_001L, true)]
    [InlineData(86_400_000L, true)]
    public void AStampFarAheadOfTheServersClock_IsRefused(long? aheadMilliseconds, bool refused)
    {
        var now = new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);
        Assert.Equal(refused, MarkOrder.IsAhead(aheadMilliseconds is { } ms ? now.AddMilliseconds(ms) : null, now));
    }

    /// <summary>
    /// A stamp ahead of the arrival is ordered as the arrival; one behind it, as stamped; none stays none. Found by an
    /// outside tester: batches stamped 4 min 59 s ahead outranked every colleague's later correction of a measurement.
    /// </summary>
    [Theory]
    [InlineData(null, null)]
    [InlineData(-60_000L, -60_000L)]
    [InlineData(0L, 0L)]
    [InlineData(1L, 0L)]
    [InlineData(299_000L, 0L)]
    public void AStampAheadOfItsArrival_IsOrderedAsTheArrival(long? aheadMilliseconds, long? orderedMilliseconds)
    {
        var now = new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);
        Assert.Equal(orderedMilliseconds is { } o ? now.AddMilliseconds(o) : null,
            MarkOrder.OrderedAt(aheadMilliseconds is { } ms ? now.AddMilliseconds(ms) : null, now));

        // So a colleague's correction stamped a second after the fast batch arrived is the newer entry.
        var fast = new MarkStamp(MarkOrder.OrderedAt(now.AddMinutes(4.9), now), "tablet-fast", 1);
        var correction = new MarkStamp(now.AddSeconds(1), "tablet-b", 1);
        Assert.False(MarkOrder.IsStale(correction, isMeasurement: true, ownScore: null, [fast]));
    }

    [Theory]
    [InlineData("FR-07", true)]
    [InlineData("a.b_c-9", true)]
    [InlineData("", false)]
    [InlineData("A/B", false)]
    [InlineData("A\0B", false)]
    [InlineData("名字", false)]
    [InlineData("x y", false)]
    [InlineData(".", false)]
    [InlineData("..", false)]
    [InlineData("-_.", false)]
    [InlineData(".7", true)]
    public void Identifiers_AreLettersDigitsAndDashDotUnderscore_WithALetterOrDigit(string id, bool valid) =>
        Assert.Equal(valid, Identifiers.IsValid(id));

    [Theory]
    [InlineData("WSC2024", true)]
    [InlineData("nsc2026", true)]
    [InlineData("ABC", true)]
    [InlineData("ABCDEFGHIJKLMNOP", true)]
    [InlineData("AB", false)]
    [InlineData("ABCDEFGHIJKLMNOPQ", false)]
    [InlineData("   ", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("WSC-2024", false)]
    [InlineData("WSC 2024", false)]
    [InlineData("数控铣数", false)]
    [InlineData("ＷＳＣ2024", false)]
    public void CompetitionCodes_Are3To16AsciiLettersOrDigits(string? code, bool valid) =>
        Assert.Equal(valid, Identifiers.IsCompetitionCode(code));

    [Theory]
    [InlineData(1, true)]
    [InlineData(99, true)]
    [InlineData(0, false)]
    [InlineData(100, false)]
    [InlineData(null, false)]
    public void SkillNumbers_Are1To99(int? number, bool valid) =>
        Assert.Equal(valid, Identifiers.IsSkillNumber(number));

    [Fact]
    public void ASumOfExactMarks_IsTheSumOfTheirUnits_RoundedOnceForDisplay()
    {
        // Three judgement marks of 20.00 scored 1, 1, 0 by 3 judges (40/9 each), and one 5 judges score 1, 0, 0, 0, 0 (2/15 of 1.00).
        var third = ExactMarks.ToDecimal(ExactMarks.Judgement(20.00m, 2, 3));
        var fifteenth = ExactMarks.ToDecimal(ExactMarks.Judgement(1.00m, 1, 5));
        Assert.Equal(ExactMarks.ToDecimal(3 * ExactMarks.Judgement(20.00m, 2, 3)), ExactMarks.Sum([third, third, third]));
        Assert.Equal(13.33m, Marks.RoundForDisplay(ExactMarks.Sum([third, third, third])));
        Assert.Equal(13.32m, 3 * Marks.RoundForDisplay(third)); // what adding the shown marks gave
        Assert.Equal(ExactMarks.ToDecimal(ExactMarks.Judgement(20.00m, 2, 3) + ExactMarks.Judgement(1.00m, 1, 5)), ExactMarks.Sum([third, fifteenth]));
        Assert.Equal(0m, ExactMarks.Sum([]));
    }

    [Fact]
    public void Identifiers_AtMost64() =>
        Assert.Equal((true, false), (Identifiers.IsValid(new string('a', 64)), Identifiers.IsValid(new string('a', 65))));
}
