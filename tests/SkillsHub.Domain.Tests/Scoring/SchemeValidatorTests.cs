using SkillsHub.Domain;
using SkillsHub.Domain.Scoring;
using static SkillsHub.Domain.Tests.Scoring.TestSchemes;

namespace SkillsHub.Domain.Tests.Scoring;

public sealed class SchemeValidatorTests
{
    private static string OnlyMessage(MarkingScheme scheme) => Assert.Single(SchemeValidator.Validate(scheme)).Message;

    /// <summary>Replaces aspect B1.2 (max 10) with <paramref name="replacement"/>, keeping the total at 100.</summary>
    private static MarkingScheme WithAspect(Aspect replacement, decimal compensate = 0)
    {
        var scheme = Simple();
        var b = scheme.Criteria[1];
        var a = scheme.Criteria[0];
        var a1 = a.SubCriteria[0];
        var fixedA = a with { SubCriteria = [a1 with { Aspects = [a1.Aspects[0] with { MaxMark = 40m + compensate }, a1.Aspects[1]] }] };
        var b1 = b.SubCriteria[0];
        return scheme with { Criteria = [fixedA, b with { SubCriteria = [b1 with { Aspects = [b1.Aspects[0], replacement] }] }] };
    }

    [Fact]
    public void SimpleScheme_IsValid()
    {
        Assert.Empty(SchemeValidator.Validate(Simple()));
    }

    /// <summary>Found by an outside tester: criterion X beside aspect X let a group meant for the criterion mark the aspect.</summary>
    [Fact]
    public void AnIdUsedAtTwoLevels_IsRefused()
    {
        var scheme = Simple();
        var b = scheme.Criteria[1];
        var b1 = b.SubCriteria[0];
        var clash = scheme with { Criteria = [scheme.Criteria[0], b with { SubCriteria = [b1 with { Aspects = [b1.Aspects[0] with { Id = "a" }, b1.Aspects[1]] }] }] };

        var problem = Assert.Single(SchemeValidator.Validate(clash));
        Assert.Equal(("Id 'a' names both a criterion and an aspect; ids are unique across criteria, sub-criteria and aspects.", RowCodes.IdAcrossLevels, "AspectId"),
            (problem.Message, problem.Code, problem.Field));
    }

    /// <summary>
    /// A judgement aspect with deductions is refused naming its deductions, with bands naming its bands (found by an outside
    /// tester: deductions alone were refused naming bands, which the file did not have).
    /// </summary>
    [Fact]
    public void AJudgementAspectWithDeductionsOrBands_IsRefusedNamingWhichItHas()
    {
        var judgement = Judgement("B1.2", 10m);
        var deducted = Assert.Single(SchemeValidator.Validate(WithAspect(judgement with { Deductions = [new Deduction(1m, "scratch")] })));
        Assert.Equal((RowCodes.JudgementHasBands, "Deductions"), (deducted.Code, deducted.Field));
        var banded = Assert.Single(SchemeValidator.Validate(WithAspect(judgement with { Bands = [new ToleranceBand(0.1m, 10m)] })));
        Assert.Equal((RowCodes.JudgementHasBands, "Bands"), (banded.Code, banded.Field));
    }

    /// <summary>Found by an outside tester: criterion C1 beside marking day C1 made a lock on C1 lock both.</summary>
    [Fact]
    public void ACriterionNamedLikeOneOfTheSchemesMarkingDays_IsRefused()
    {
        var scheme = Simple();
        var day = scheme.Aspects.First().MarkingDay;
        var clash = scheme with { Criteria = [scheme.Criteria[0] with { Id = day }, scheme.Criteria[1]] };

        var problem = Assert.Single(SchemeValidator.Validate(clash));
        Assert.Equal(($"Criterion id '{day}' is also a marking day of this scheme; a lock on '{day}' would lock both.", RowCodes.CriterionIsDay),
            (problem.Message, problem.Code));
        // A sub-criterion may be called like a day: locks never name sub-criteria.
        var sub = scheme with { Criteria = [scheme.Criteria[0] with { SubCriteria = [scheme.Criteria[0].SubCriteria[0] with { Id = day }] }, scheme.Criteria[1]] };
        Assert.Empty(SchemeValidator.Validate(sub));
    }

    [Fact]
    public void Total_NotExactly100_IsReportedWithTheTotal()
    {
        var scheme = WithAspect(Judgement("B1.2", 9.5m));
        var problem = Assert.Single(SchemeValidator.Validate(scheme));
        Assert.Equal("The scheme totals 99.50 marks; it must be exactly 100.00.", problem.Message);
        Assert.Equal("Total", problem.Field);
        Assert.Null(problem.Row);
    }

    /// <summary>An aspect id outside the one id rule (docs/scoring.md, "Limits and identifiers") could never be marked.</summary>
    [Theory]
    [InlineData("B1/2")]
    [InlineData("B1 2")]
    [InlineData("B1.2\u00e9")]
    public void AspectId_OutsideTheIdRule_IsReportedNamingTheAspect(string id)
    {
        var problem = Assert.Single(SchemeValidator.Validate(WithAspect(Judgement(id, 10m))));
        Assert.Equal((id, "AspectId", RowCodes.SchemeInvalidId), (problem.Id, problem.Field, problem.Code));
        Assert.Equal($"Aspect id '{id}' is not valid. An aspect id is 1-64 characters: letters, digits, '-', '_' or '.', with at least one letter or digit.", problem.Message);
    }

    [Fact]
    public void AspectId_LongerThan64_IsReported_And64IsAccepted()
    {
        Assert.Empty(SchemeValidator.Validate(WithAspect(Judgement(new string('B', 64), 10m))));
        Assert.Equal(RowCodes.SchemeInvalidId, Assert.Single(SchemeValidator.Validate(WithAspect(Judgement(new string('B', 100), 10m)))).Code);
    }

    [Fact]
    public void CriterionAndSubCriterionIds_FollowTheIdRuleToo()
    {
        var scheme = Simple();
        var a = scheme.Criteria[0];
        var broken = scheme with { Criteria = [a with { Id = "A/", SubCriteria = [a.SubCriteria[0] with { Id = "A 1" }] }, scheme.Criteria[1]] };
        Assert.Equal(["CriterionId", "SubCriterionId"], SchemeValidator.Validate(broken).Where(p => p.Code == RowCodes.SchemeInvalidId).Select(p => p.Field));
    }

    [Fact]
    public void DuplicateAspectId_IsReported()
    {
        var problem = Assert.Single(SchemeValidator.Validate(WithAspect(Judgement("B1.1", 10m))));
        Assert.Equal("Aspect id 'B1.1' is used more than once.", problem.Message);
        Assert.Equal("B1.1", problem.Id);
    }

    [Fact]
    public void DuplicateCriterionAndSubCriterionIds_AreReported()
    {
        var scheme = Scheme(
            Criterion("A", Sub("A1", Measurement("A1.1", 50m))),
            Criterion("A", Sub("A1", Measurement("A1.2", 50m))));
        var messages = SchemeValidator.Validate(scheme).Select(p => p.Message).ToArray();
        Assert.Equal(["Criterion id 'A' is used more than once.", "Sub-criterion id 'A1' is used more than once."], messages);
    }

    [Fact]
    public void MissingIdsAndNames_AreReported()
    {
        var scheme = Scheme(
            new Criterion("", "", [new SubCriterion("", "", [Measurement("", 100m) with { Description = "" }])]));
        var messages = SchemeValidator.Validate(scheme).Select(p => p.Message).ToArray();
        Assert.Equal(
            [
                "A criterion has no id.",
                "Criterion '' has no name.",
                "A sub-criterion of criterion '' has no id.",
                "Sub-criterion '' has no name.",
                "An aspect of sub-criterion '' has no id.",
                "Aspect '' has no description.",
            ],
            messages);
    }

    [Fact]
    public void EmptyCriterionAndSubCriterion_AreReported()
    {
        var scheme = Scheme(
            Criterion("A", Sub("A1", Measurement("A1.1", 100m)), new SubCriterion("A2", "Empty", [])),
            new Criterion("B", "No subs", []));
        var messages = SchemeValidator.Validate(scheme).Select(p => p.Message).ToArray();
        Assert.Equal(["Sub-criterion 'A2' has no aspects.", "Criterion 'B' has no sub-criteria."], messages);
    }

    [Fact]
    public void NoCriteria_IsReportedWithTheTotal()
    {
        var messages = SchemeValidator.Validate(new MarkingScheme("Empty", [])).Select(p => p.Message).ToArray();
        Assert.Equal(["The scheme has no criteria.", "The scheme totals 0.00 marks; it must be exactly 100.00."], messages);
    }

    [Fact]
    public void MaxMarkZeroOrNegative_IsReported()
    {
        var messages = SchemeValidator.Validate(WithAspect(Judgement("B1.2", 0m), compensate: 10m)).Select(p => p.Message);
        Assert.Equal(["Aspect 'B1.2' has max mark 0.00; it must be greater than 0."], messages);

        messages = SchemeValidator.Validate(WithAspect(Judgement("B1.2", -1m), compensate: 11m)).Select(p => p.Message);
        Assert.Equal(["Aspect 'B1.2' has max mark -1.00; it must be greater than 0."], messages);
    }

    /// <summary>
    /// An aspect worth more than the whole scheme is refused by itself, and no total is added up then: max marks near what
    /// a decimal holds made the total overflow (an outside tester saw a 500), as do very negative ones.
    /// </summary>
    [Theory]
    [InlineData("100.01", "10", RowCodes.MaxMarkAtMost100)]
    [InlineData("79228162514264337593543950335", "1", RowCodes.MaxMarkAtMost100)]
    [InlineData("50000000000000000000000000000", "50000000000000000000000000000", RowCodes.MaxMarkAtMost100)]
    [InlineData("-50000000000000000000000000000", "-50000000000000000000000000000", RowCodes.MaxMarkPositive)]
    public void AMaxMarkOutsideZeroTo100_IsRefusedByItself_WithoutAddingUpATotal(string first, string second, string code)
    {
        var big = decimal.Parse(first, System.Globalization.CultureInfo.InvariantCulture);
        var other = decimal.Parse(second, System.Globalization.CultureInfo.InvariantCulture);
        var scheme = new MarkingScheme("Huge", [new Criterion("A", "A", [new SubCriterion("A1", "A1", [Measurement("A1.1", big), Measurement("A1.2", other)])])]);
        var problems = SchemeValidator.Validate(scheme);
        Assert.NotEmpty(problems);
        Assert.All(problems, p => Assert.Equal("MaxMark", p.Field));
        Assert.Equal(code, problems[0].Code);
        Assert.DoesNotContain(problems, p => p.Code == RowCodes.Total);
    }

    [Fact]
    public void AMaxMarkOfExactly100_IsAnAspectOfItsOwn()
    {
        var scheme = new MarkingScheme("One", [new Criterion("A", "A", [new SubCriterion("A1", "A1", [Measurement("A1.1", 100m)])])]);
        Assert.Empty(SchemeValidator.Validate(scheme));
    }

    [Fact]
    public void MaxMarkWithThreeDecimals_IsReported()
    {
        var messages = SchemeValidator.Validate(WithAspect(Judgement("B1.2", 9.995m))).Select(p => p.Message);
        Assert.Equal(
            ["Aspect 'B1.2' has max mark 9.995; marks have at most 2 decimal places.", "The scheme totals 99.995 marks; it must be exactly 100.00."],
            messages);
    }

    [Fact]
    public void MarkingDay_MissingOrMalformed_IsReported()
    {
        Assert.Equal("Aspect 'B1.2' has no marking day.", OnlyMessage(WithAspect(Judgement("B1.2", 10m, day: ""))));
        Assert.Equal(
            "Aspect 'B1.2' has marking day 'Monday'; use C1, C2, C3 and so on.",
            OnlyMessage(WithAspect(Judgement("B1.2", 10m, day: "Monday"))));
        Assert.Empty(SchemeValidator.Validate(WithAspect(Judgement("B1.2", 10m, day: "C-1"))));
    }

    /// <summary>
    /// A day is written one way only: ASCII digits, no leading zero. A lock names a day by its text, so a day that looks
    /// like C1 but is spelt otherwise would escape the lock on C1.
    /// </summary>
    [Theory]
    [InlineData("C1", true)]
    [InlineData("C12", true)]
    [InlineData("C-1", true)]
    [InlineData("C+1", true)]
    [InlineData("C0", true)]
    [InlineData("C\uFF11", false)] // full-width 1
    [InlineData("C\u0663", false)] // Arabic-Indic 3
    [InlineData("C01", false)]
    [InlineData("C+01", false)]
    [InlineData("C-0", false)]
    [InlineData("c1", false)]
    [InlineData("C1 ", false)]
    public void MarkingDay_IsAsciiAndCanonical(string day, bool accepted)
    {
        day = System.Text.RegularExpressions.Regex.Unescape(day);
        Assert.Equal(accepted, SchemeValidator.Validate(WithAspect(Judgement("B1.2", 10m, day: day))).Count == 0);
    }

    [Fact]
    public void JudgementAspect_MissingOneDescriptor_NamesTheScore()
    {
        var aspect = Judgement("B1.2", 10m) with { Descriptors = ["None", "Some", "", "Excellent"] };
        Assert.Equal("Judgement aspect 'B1.2' is missing the descriptor for score 2.", OnlyMessage(WithAspect(aspect)));
    }

    [Fact]
    public void JudgementAspect_MissingSeveralDescriptors_NamesEveryScore()
    {
        var aspect = Judgement("B1.2", 10m) with { Descriptors = ["None", " "] };
        Assert.Equal("Judgement aspect 'B1.2' is missing the descriptors for scores 1, 2, 3.", OnlyMessage(WithAspect(aspect)));
    }

    [Fact]
    public void JudgementAspect_WithFiveDescriptors_IsReported()
    {
        var aspect = Judgement("B1.2", 10m) with { Descriptors = ["a", "b", "c", "d", "e"] };
        Assert.Equal("Judgement aspect 'B1.2' has 5 descriptors; it needs exactly four, for scores 0 to 3.", OnlyMessage(WithAspect(aspect)));
    }

    [Fact]
    public void JudgementAspect_WithBands_IsReported()
    {
        var aspect = Judgement("B1.2", 10m) with { Bands = [new ToleranceBand(0.1m, 5m)] };
        Assert.Equal(
            "Judgement aspect 'B1.2' has tolerance bands or deductions; only measurement aspects have them.",
            OnlyMessage(WithAspect(aspect)));
    }

    [Fact]
    public void MeasurementAspect_WithDescriptors_IsReported()
    {
        var aspect = Measurement("B1.2", 10m) with { Descriptors = FourDescriptors };
        Assert.Equal(
            "Measurement aspect 'B1.2' has judgement descriptors; only judgement aspects have them.",
            OnlyMessage(WithAspect(aspect)));
    }

    [Fact]
    public void MeasurementAspect_WithBandsAndDeductions_IsReported()
    {
        var aspect = Measurement("B1.2", 10m) with { Bands = [new ToleranceBand(0.1m, 5m)], Deductions = [new Deduction(1m)] };
        Assert.Equal(
            "Measurement aspect 'B1.2' has both tolerance bands and deductions; use one or the other.",
            OnlyMessage(WithAspect(aspect)));
    }

    [Fact]
    public void Band_AwardOutsideZeroToMax_IsReported()
    {
        var aspect = Measurement("B1.2", 10m) with { Bands = [new ToleranceBand(0.05m, 12m)] };
        Assert.Equal("Aspect 'B1.2' has a tolerance band awarding 12.00, outside 0.00 to 10.00.", OnlyMessage(WithAspect(aspect)));

        aspect = Measurement("B1.2", 10m) with { Bands = [new ToleranceBand(0.05m, -1m)] };
        Assert.Equal("Aspect 'B1.2' has a tolerance band awarding -1.00, outside 0.00 to 10.00.", OnlyMessage(WithAspect(aspect)));
    }

    [Fact]
    public void Band_NegativeOrDuplicateTolerance_IsReported()
    {
        var aspect = Measurement("B1.2", 10m) with { Bands = [new ToleranceBand(-0.05m, 10m)] };
        Assert.Equal("Aspect 'B1.2' has a tolerance band within -0.05; tolerances cannot be negative.", OnlyMessage(WithAspect(aspect)));

        aspect = Measurement("B1.2", 10m) with { Bands = [new ToleranceBand(0.05m, 10m), new ToleranceBand(0.050m, 10m)] };
        Assert.Equal("Aspect 'B1.2' has two tolerance bands within 0.05.", OnlyMessage(WithAspect(aspect)));
    }

    [Fact]
    public void Band_WiderToleranceAwardingMore_IsReported()
    {
        var aspect = Measurement("B1.2", 10m) with { Bands = [new ToleranceBand(0.05m, 5m), new ToleranceBand(0.10m, 8m)] };
        Assert.Equal(
            "Aspect 'B1.2' awards more for a wider tolerance (within 0.1: 8.00) than for a narrower one (within 0.05: 5.00).",
            OnlyMessage(WithAspect(aspect)));
    }

    [Fact]
    public void Band_AwardWithThreeDecimals_IsReported()
    {
        var aspect = Measurement("B1.2", 10m) with { Bands = [new ToleranceBand(0.05m, 5.125m)] };
        Assert.Equal("Aspect 'B1.2' has a tolerance band awarding 5.125; marks have at most 2 decimal places.", OnlyMessage(WithAspect(aspect)));
    }

    [Fact]
    public void Deduction_OutsideZeroToMax_IsReported()
    {
        var aspect = Measurement("B1.2", 10m) with { Deductions = [new Deduction(0m), new Deduction(11m)] };
        var messages = SchemeValidator.Validate(WithAspect(aspect)).Select(p => p.Message);
        Assert.Equal(
            [
                "Aspect 'B1.2' has a deduction of 0.00; a deduction must be greater than 0 and at most the max mark 10.00.",
                "Aspect 'B1.2' has a deduction of 11.00; a deduction must be greater than 0 and at most the max mark 10.00.",
            ],
            messages);
    }

    [Fact]
    public void Deduction_WithThreeDecimals_IsReported()
    {
        var aspect = Measurement("B1.2", 10m) with { Deductions = [new Deduction(0.125m)] };
        Assert.Equal("Aspect 'B1.2' has a deduction of 0.125; marks have at most 2 decimal places.", OnlyMessage(WithAspect(aspect)));
    }

    [Fact]
    public void EveryProblem_IsReported_NotJustTheFirst()
    {
        var scheme = Scheme(
            Criterion("A", Sub("A1",
                Measurement("A1.1", 0m),
                Judgement("A1.1", 10m) with { Descriptors = [] },
                Measurement("A1.3", 10m, day: "x"))));
        Assert.Equal(5, SchemeValidator.Validate(scheme).Count);
    }
}
