using SkillsHub.Domain.Certification;

namespace SkillsHub.Domain.Tests.Certification;

public sealed class RatingTests
{
    static readonly DateOnly Exam = new(2025, 6, 1);
    const string Welder = "6-18-02-04";

    static Agency AgencyFor(AgencyType type, params (string, SkillLevel)[] scope) =>
        new(new AgencyKey(type, "0001", "31", "000001"), "Test agency", new AgencyScope(scope));

    static readonly Agency Social = AgencyFor(AgencyType.S, (Welder, SkillLevel.Level5), (Welder, SkillLevel.Level2));
    static readonly CandidateProfile Experienced = CandidateProfile.Of(Exam.AddYears(-10), Education.None, (SkillLevel.Level3, Exam.AddYears(-5)));

    [Theory]
    [InlineData(60, 60, true)]
    [InlineData(59.99, 100, false)]
    [InlineData(100, 59, false)]
    public void Level5_PassesAt60InTheoryAndPractical(decimal theory, decimal practical, bool passed) =>
        Assert.Equal(passed, Rating.Decide(Social, Welder, SkillLevel.Level5, Experienced, new(theory, practical), Exam).Passed);

    [Fact]
    public void Failed_NamesEachFailedPart()
    {
        var decision = Rating.Decide(Social, Welder, SkillLevel.Level2, Experienced, new(50, 70, 40), Exam);
        Assert.Equal(RatingOutcome.Failed, decision.Outcome);
        Assert.Equal(["theory", "review"], decision.Reasons);
    }

    [Fact]
    public void Level2_NeedsTheComprehensiveReview()
    {
        Assert.Equal(["review"], Rating.Decide(Social, Welder, SkillLevel.Level2, Experienced, new(90, 90, 59.99m), Exam).Reasons);
        Assert.True(Rating.Decide(Social, Welder, SkillLevel.Level2, Experienced, new(90, 90, 60), Exam).Passed);
        Assert.Empty(Rating.FailedParts(SkillLevel.Level3, new(60, 60, null)));
        Assert.Equal(["review"], Rating.FailedParts(SkillLevel.Level1, new(60, 60, 59.5m)));
    }

    [Theory]
    [InlineData(5, "80", null, null, "practical")]
    [InlineData(5, null, "80", null, "theory")]
    [InlineData(5, null, null, "80", "theory,practical")]
    [InlineData(5, null, null, null, "theory,practical")]
    [InlineData(2, "90", "90", null, "review")]
    [InlineData(2, null, null, "80", "theory,practical")]
    [InlineData(2, null, null, null, "theory,practical,review")]
    [InlineData(2, "0", null, "0", "practical")]
    public void APartWithoutAScore_AwaitsResults_NamingIt(int digit, string? theory, string? practical, string? review, string missing)
    {
        // Results may come in more than one file (theory first, practical later): a run between them must not fail the
        // candidate for a part not uploaded yet (found by an outside tester). A part not sat is entered as 0, which fails.
        Assert.True(SkillLevels.TryFromDigit(digit, out var level));
        var scores = new ExamScores(Mark(theory), Mark(practical), Mark(review));
        var decision = Rating.Decide(Social, Welder, level, Experienced, scores, Exam);
        Assert.Equal(RatingOutcome.AwaitingResults, decision.Outcome);
        Assert.Equal(missing.Split(','), decision.Reasons);
        static decimal? Mark(string? text) => text is null ? null : decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void APartEnteredAsZero_Fails()
    {
        Assert.Equal(["practical"], Rating.Decide(Social, Welder, SkillLevel.Level5, Experienced, new(80, 0), Exam).Reasons);
        Assert.Equal(["theory", "practical", "review"], Rating.Decide(Social, Welder, SkillLevel.Level2, Experienced, new(0, 0, 0), Exam).Reasons);
    }

    [Fact]
    public void NoScoreAtAll_AwaitsResults_UnlessIneligibleOrOutOfScope()
    {
        Assert.Equal(RatingOutcome.AwaitingResults, Rating.Decide(Social, Welder, SkillLevel.Level5, Experienced, new(null, null), Exam).Outcome);
        Assert.Equal(RatingOutcome.AwaitingResults, Rating.Decide(Social, Welder, SkillLevel.Level2, Experienced, new(null, null, null), Exam).Outcome);
        Assert.Equal(RatingOutcome.Ineligible, Rating.Decide(Social, Welder, SkillLevel.Level5, CandidateProfile.Of(Exam.AddMonths(-3), Education.None), new(null, null), Exam).Outcome);
        Assert.Equal(RatingOutcome.OutOfScope, Rating.Decide(Social, Welder, SkillLevel.Level4, Experienced, new(null, null), Exam).Outcome);
    }

    [Fact]
    public void Ineligible_SaysWhy_EvenWithPassingMarks()
    {
        var novice = CandidateProfile.Of(Exam.AddMonths(-3), Education.None);
        var decision = Rating.Decide(Social, Welder, SkillLevel.Level5, novice, new(99, 99), Exam);
        Assert.Equal(RatingOutcome.Ineligible, decision.Outcome);
        Assert.StartsWith("l5-work-years", decision.Reasons.Single());
        Assert.Equal("l5-work-years", RatingDecision.RuleOf(decision.Reasons.Single()));
    }

    [Fact]
    public void OutsideScope_IsNeverRated()
    {
        Assert.Equal(RatingOutcome.OutOfScope, Rating.Decide(Social, Welder, SkillLevel.Level4, Experienced, new(99, 99), Exam).Outcome);
        Assert.Equal(["outside-scope"], Rating.Decide(Social, "6-31-01-03", SkillLevel.Level5, Experienced, new(99, 99), Exam).Reasons);
        Assert.Equal(["agency-inactive"], Rating.Decide(Social with { Active = false }, Welder, SkillLevel.Level5, Experienced, new(99, 99), Exam).Reasons);
    }

    [Fact]
    public void SpecialGradeAndChief_AreNotRatedByExam()
    {
        var employer = AgencyFor(AgencyType.Y, (Welder, SkillLevel.SpecialGrade), (Welder, SkillLevel.Chief));
        Assert.Equal(["appointment-only"], Rating.Decide(employer, Welder, SkillLevel.SpecialGrade, Experienced, new(99, 99, 99), Exam).Reasons);
        Assert.Equal(["appointment-only"], Rating.Decide(employer, Welder, SkillLevel.Chief, Experienced, new(99, 99, 99), Exam).Reasons);
    }

    [Fact]
    public void Appointments_OnlyByAnEmployerAgency_OnlyForTheTopTwoLevels()
    {
        var employer = AgencyFor(AgencyType.Y, (Welder, SkillLevel.Level1), (Welder, SkillLevel.SpecialGrade), (Welder, SkillLevel.Chief));
        Assert.Null(employer.AppointmentRefusal(Welder, SkillLevel.SpecialGrade));
        Assert.Null(employer.AppointmentRefusal(Welder, SkillLevel.Chief));
        // Filed for the exam levels only: the occupation is on file, the appointed levels are not.
        var examsOnly = AgencyFor(AgencyType.Y, [.. SkillLevels.Evaluated.Select(l => (Welder, l))]);
        Assert.Equal("level-outside-scope", examsOnly.AppointmentRefusal(Welder, SkillLevel.Chief));
        Assert.Equal("level-outside-scope", examsOnly.AppointmentRefusal(Welder, SkillLevel.SpecialGrade));
        Assert.Equal("by-evaluation-only", employer.AppointmentRefusal(Welder, SkillLevel.Level1));
        Assert.Equal("outside-scope", employer.AppointmentRefusal("6-31-01-03", SkillLevel.Chief));
        Assert.Equal("employer-agency-only", Social.AppointmentRefusal(Welder, SkillLevel.SpecialGrade));
    }

    [Theory]
    [InlineData("2099-01-01", false)]
    [InlineData("2025-06-02", false)]
    [InlineData("2025-06-01", true)]
    [InlineData("2022-01-01", true)]
    [InlineData("2021-12-31", false)]
    [InlineData("1800-01-01", false)]
    public void AppointmentDates_FromThe2022LadderToToday(string on, bool accepted) =>
        Assert.Equal(accepted, AgencyRules.AppointmentDateRefusal(DateOnly.Parse(on), new DateOnly(2025, 6, 1)) is null);

    /// <summary>
    /// Found by an outside tester: a session dated a year ahead was rated at once, counting work years not yet served, and
    /// its certificate issued that day. Results, rating and issue wait for the exam date (China time), and are open on that day itself.
    /// </summary>
    [Theory]
    [InlineData(-365, true)]
    [InlineData(-1, true)]
    [InlineData(0, true)]
    [InlineData(1, false)]
    [InlineData(365, false)]
    public void ASession_IsOpenToResultsRatingAndIssueFromItsExamDate(int examDaysFromToday, bool held)
    {
        var today = new DateOnly(2026, 12, 3);
        var refusal = AgencyRules.ExamNotHeld(today.AddDays(examDaysFromToday), today);
        Assert.Equal(held, refusal is null);
        if (refusal is not null)
        {
            Assert.Contains(today.AddDays(examDaysFromToday).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), refusal);
            Assert.Contains("2026-12-03", refusal);
        }
    }
}
