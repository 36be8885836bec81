using SkillsHub.Domain.Certification;

namespace SkillsHub.Domain.Tests.Certification;

/// <summary>
/// Only the levels held on the exam date count (docs/certification.md, "Levels held"). Found by an outside tester: a
/// declared level dated after the exam, a Level 4 held only through a revoked certificate, and a certificate issued after
/// the exam all made a Level 3 candidate eligible.
/// </summary>
public sealed class LevelsHeldTests
{
    static readonly DateOnly Exam = new(2026, 6, 15);

    static LevelRecord Declared(SkillLevel level, DateOnly since) => new(level, since, LevelSource.Declared);

    static LevelRecord Certificate(SkillLevel level, DateOnly issued, CertificateStatus status = CertificateStatus.Valid) => new(level, issued, LevelSource.Certificate, status);

    [Theory]
    [InlineData(LevelSource.Declared, -1, true)]
    [InlineData(LevelSource.Declared, 0, true)]
    [InlineData(LevelSource.Declared, 1, false)]
    [InlineData(LevelSource.Declared, 16, false)]
    [InlineData(LevelSource.Certificate, -400, true)]
    [InlineData(LevelSource.Certificate, 0, true)]
    [InlineData(LevelSource.Certificate, 1, false)]
    [InlineData(LevelSource.Appointment, 0, true)]
    [InlineData(LevelSource.Appointment, 1, false)]
    public void ARecord_CountsWhenDatedOnOrBeforeTheDate(LevelSource source, int daysAfterExam, bool held) =>
        Assert.Equal(held, new LevelRecord(SkillLevel.Level4, Exam.AddDays(daysAfterExam), source).HeldOn(Exam));

    [Theory]
    [InlineData(CertificateStatus.Valid, true)]
    [InlineData(CertificateStatus.Suspended, false)]
    [InlineData(CertificateStatus.Revoked, false)]
    public void ACertificate_CountsOnlyWhileInForce(CertificateStatus status, bool held)
    {
        // Issued well before the exam, or on its very day: the status alone decides.
        Assert.Equal(held, Certificate(SkillLevel.Level4, Exam.AddYears(-3), status).HeldOn(Exam));
        Assert.Equal(held, Certificate(SkillLevel.Level4, Exam, status).HeldOn(Exam));
        Assert.Equal(held, LevelsHeld.On([Certificate(SkillLevel.Level4, Exam.AddYears(-3), status)], Exam).ContainsKey(SkillLevel.Level4));
    }

    [Fact]
    public void On_KeepsTheLevelsThatCount_EachSinceTheEarliestRecordThatCounts()
    {
        var held = LevelsHeld.On(
        [
            Certificate(SkillLevel.Level4, Exam.AddYears(-6), CertificateStatus.Revoked),
            Certificate(SkillLevel.Level4, Exam.AddYears(-2)),
            Declared(SkillLevel.Level4, Exam.AddYears(-3)),
            Declared(SkillLevel.Level5, Exam.AddYears(-8)),
            Certificate(SkillLevel.Level3, Exam.AddDays(1)),
            Declared(SkillLevel.Apprentice, Exam.AddDays(1)),
        ], Exam);
        Assert.Equal(new Dictionary<SkillLevel, DateOnly> { [SkillLevel.Level4] = Exam.AddYears(-3), [SkillLevel.Level5] = Exam.AddYears(-8) }, held);
        Assert.Empty(LevelsHeld.On([], Exam));
    }

    [Fact]
    public void Highest_IsTheHighestLevelThatCounts_OrNone()
    {
        Assert.Null(LevelsHeld.Highest([], Exam));
        Assert.Null(LevelsHeld.Highest([Certificate(SkillLevel.Level2, Exam.AddYears(-1), CertificateStatus.Revoked)], Exam));
        Assert.Equal(SkillLevel.Level3, LevelsHeld.Highest(
        [
            Declared(SkillLevel.Level3, Exam.AddYears(-1)),
            Certificate(SkillLevel.Level2, Exam.AddYears(-1), CertificateStatus.Suspended),
            Certificate(SkillLevel.Level1, Exam.AddYears(-1), CertificateStatus.Revoked),
            Declared(SkillLevel.Level2, Exam.AddDays(1)),
            Certificate(SkillLevel.Level4, Exam),
        ], Exam));
        Assert.Equal(SkillLevel.Chief, LevelsHeld.Highest([new LevelRecord(SkillLevel.Chief, Exam, LevelSource.Appointment), Certificate(SkillLevel.Level1, Exam)], Exam));
    }

    [Fact]
    public void ParseStatus_ReadsTheStoredStatuses_AndRefusesAnythingElse()
    {
        Assert.Equal(CertificateStatus.Valid, LevelsHeld.ParseStatus("valid"));
        Assert.Equal(CertificateStatus.Suspended, LevelsHeld.ParseStatus("suspended"));
        Assert.Equal(CertificateStatus.Revoked, LevelsHeld.ParseStatus("revoked"));
        Assert.Throws<FormatException>(() => LevelsHeld.ParseStatus("Valid"));
        Assert.Throws<FormatException>(() => LevelsHeld.ParseStatus(""));
    }

    /// <summary>The tester's cases, through the rating: each Level 3 candidate is ineligible for want of Level 4.</summary>
    [Fact]
    public void ALevel3Candidate_WithLevel4OnlyAfterTheExamOrThroughAnInvalidCertificate_IsIneligible()
    {
        const string Occupation = "6-18-01-02";
        var agency = new Agency(new AgencyKey(AgencyType.S, "0001", "31", "000001"), "Test agency", new AgencyScope([(Occupation, SkillLevel.Level3)]));
        RatingDecision Rate(params LevelRecord[] records) => Rating.Decide(agency, Occupation, SkillLevel.Level3,
            new CandidateProfile(Exam.AddYears(-10), Education.SeniorTechnicalSchool, LevelsHeld.On(records, Exam)), new(80, 80), Exam);

        foreach (var records in new[]
        {
            new[] { Declared(SkillLevel.Level4, new DateOnly(2026, 7, 1)) },
            [Certificate(SkillLevel.Level4, Exam.AddYears(-6), CertificateStatus.Revoked)],
            [Certificate(SkillLevel.Level4, Exam.AddYears(-6), CertificateStatus.Suspended)],
            [Certificate(SkillLevel.Level4, Exam.AddDays(1))],
            // A Level 3 certificate after the exam is no re-examination either.
            [Certificate(SkillLevel.Level3, Exam.AddDays(30))],
        })
        {
            var decision = Rate(records);
            Assert.Equal(RatingOutcome.Ineligible, decision.Outcome);
            Assert.StartsWith("l3-needs-l4", decision.Reasons.Single());
        }
        Assert.Equal(["eligible senior-technical-school"], Rate(Declared(SkillLevel.Level4, Exam)).Reasons);
        Assert.Equal(["eligible after-l4"], Rate(Certificate(SkillLevel.Level4, Exam.AddYears(-5))).Reasons);
        Assert.Equal(["eligible re-examination"], Rate(Certificate(SkillLevel.Level3, Exam.AddYears(-5))).Reasons);
    }
}
