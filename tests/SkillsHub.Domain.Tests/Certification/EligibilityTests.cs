using SkillsHub.Domain.Certification;

namespace SkillsHub.Domain.Tests.Certification;

public sealed class EligibilityTests
{
    static readonly DateOnly Exam = new(2025, 6, 1);

    static DateOnly YearsAgo(int years) => Exam.AddYears(-years);

    static EligibilityResult Check(SkillLevel level, CandidateProfile profile, EligibilityYears? years = null) => Eligibility.Check(level, profile, Exam, years);

    [Fact]
    public void Level5_NeedsOneYear_OrAnApprenticeship()
    {
        Assert.True(Check(SkillLevel.Level5, CandidateProfile.Of(YearsAgo(1), Education.None)).Eligible);
        Assert.False(Check(SkillLevel.Level5, CandidateProfile.Of(Exam.AddDays(-364), Education.None)).Eligible);
        Assert.Equal("apprenticeship", Check(SkillLevel.Level5, CandidateProfile.Of(null, Education.None, (SkillLevel.Apprentice, YearsAgo(0)))).Code);
        Assert.Equal("l5-work-years", Check(SkillLevel.Level5, CandidateProfile.Of(null, Education.None)).Code);
    }

    [Fact]
    public void Level4_FourYearsAfterLevel5_SixYearsTotal_OrTechnicalSchool()
    {
        Assert.Equal("after-l5", Check(SkillLevel.Level4, CandidateProfile.Of(YearsAgo(4), Education.None, (SkillLevel.Level5, YearsAgo(4)))).Code);
        Assert.Equal("work-years", Check(SkillLevel.Level4, CandidateProfile.Of(YearsAgo(6), Education.None)).Code);
        Assert.Equal("technical-school", Check(SkillLevel.Level4, CandidateProfile.Of(null, Education.TechnicalSchool)).Code);
        Assert.False(Check(SkillLevel.Level4, CandidateProfile.Of(YearsAgo(5), Education.College, (SkillLevel.Level5, YearsAgo(3)))).Eligible);
    }

    /// <summary>A Level 4 refusal says what the candidate has, as the other levels' refusals do: years in the occupation, and
    /// years since Level 5 or that they hold none.</summary>
    [Fact]
    public void Level4_Refusal_SaysWhatTheCandidateHas()
    {
        Assert.Equal("needs 4 years after Level 5, 6 years in the occupation, or a technical-school diploma; has 5 in the occupation, 3 since Level 5",
            Check(SkillLevel.Level4, CandidateProfile.Of(YearsAgo(5), Education.College, (SkillLevel.Level5, YearsAgo(3)))).Detail);
        Assert.Equal("needs 4 years after Level 5, 6 years in the occupation, or a technical-school diploma; has 0 in the occupation, no Level 5",
            Check(SkillLevel.Level4, CandidateProfile.Of(null, Education.None)).Detail);
    }

    /// <summary>
    /// Found by an outside tester: a renewal was refused, since a Level 4 holder sitting Level 4 again (or a Level 1 holder
    /// sitting Level 2) met none of the routes to it. One who holds the level or a higher one is eligible by re-examination.
    /// </summary>
    [Theory]
    [InlineData(SkillLevel.Level4, SkillLevel.Level4, "Level 4")]
    [InlineData(SkillLevel.Level3, SkillLevel.Level3, "Level 3")]
    [InlineData(SkillLevel.Level2, SkillLevel.Level1, "Level 1")]
    [InlineData(SkillLevel.Level1, SkillLevel.Chief, "Chief")]
    [InlineData(SkillLevel.Level5, SkillLevel.Level2, "Level 2")]
    public void AHolderOfTheLevelOrAHigherOne_IsEligibleByReExamination(SkillLevel exam, SkillLevel held, string named)
    {
        var result = Check(exam, CandidateProfile.Of(null, Education.None, (held, YearsAgo(15))));
        Assert.True(result.Eligible);
        Assert.Equal("re-examination", result.Code);
        Assert.Contains(named, result.Detail);
        // A lower level held still takes the level's own routes; an apprenticeship is no level.
        Assert.Equal("l2-needs-l3", Check(SkillLevel.Level2, CandidateProfile.Of(null, Education.None, (SkillLevel.Level4, YearsAgo(15)))).Code);
        Assert.Equal("l4-route", Check(SkillLevel.Level4, CandidateProfile.Of(null, Education.None, (SkillLevel.Apprentice, YearsAgo(15)))).Code);
    }

    [Fact]
    public void Level3_Routes()
    {
        Assert.Equal("l3-needs-l4", Check(SkillLevel.Level3, CandidateProfile.Of(YearsAgo(20), Education.College)).Code);
        Assert.Equal("after-l4", Check(SkillLevel.Level3, CandidateProfile.Of(null, Education.None, (SkillLevel.Level4, YearsAgo(5)))).Code);
        Assert.Equal("senior-technical-school", Check(SkillLevel.Level3, CandidateProfile.Of(null, Education.SeniorTechnicalSchool, (SkillLevel.Level4, YearsAgo(0)))).Code);
        Assert.Equal("college", Check(SkillLevel.Level3, CandidateProfile.Of(null, Education.College, (SkillLevel.Level4, YearsAgo(2)))).Code);
        Assert.Equal("l3-years", Check(SkillLevel.Level3, CandidateProfile.Of(null, Education.College, (SkillLevel.Level4, YearsAgo(1)))).Code);
    }

    [Fact]
    public void Level2_FourYearsAfterLevel3_ThreeForSeniorTechnicalSchool()
    {
        Assert.True(Check(SkillLevel.Level2, CandidateProfile.Of(null, Education.None, (SkillLevel.Level3, YearsAgo(4)))).Eligible);
        Assert.False(Check(SkillLevel.Level2, CandidateProfile.Of(null, Education.None, (SkillLevel.Level3, YearsAgo(3)))).Eligible);
        Assert.True(Check(SkillLevel.Level2, CandidateProfile.Of(null, Education.SeniorTechnicalSchool, (SkillLevel.Level3, YearsAgo(3)))).Eligible);
    }

    [Fact]
    public void Level1_FourYearsAfterLevel2()
    {
        Assert.True(Check(SkillLevel.Level1, CandidateProfile.Of(null, Education.None, (SkillLevel.Level2, YearsAgo(4)))).Eligible);
        Assert.Equal("l1-years", Check(SkillLevel.Level1, CandidateProfile.Of(null, Education.None, (SkillLevel.Level2, YearsAgo(3)))).Code);
        Assert.Equal("l1-needs-l2", Check(SkillLevel.Level1, CandidateProfile.Of(null, Education.None)).Code);
    }

    [Fact]
    public void Years_AreConfigurablePerOccupation()
    {
        var strict = EligibilityYears.Template with { Level5InOccupation = 2, Level1AfterLevel2 = 5 };
        Assert.False(Check(SkillLevel.Level5, CandidateProfile.Of(YearsAgo(1), Education.None), strict).Eligible);
        Assert.False(Check(SkillLevel.Level1, CandidateProfile.Of(null, Education.None, (SkillLevel.Level2, YearsAgo(4))), strict).Eligible);
    }

    [Theory]
    [InlineData(SkillLevel.SpecialGrade)]
    [InlineData(SkillLevel.Chief)]
    [InlineData(SkillLevel.Apprentice)]
    public void AppointedLevels_AreNeverEligibleByExam(SkillLevel level) =>
        Assert.Equal("appointment-only", Check(level, CandidateProfile.Of(YearsAgo(40), Education.College, (SkillLevel.Level1, YearsAgo(20)))).Code);

    [Fact]
    public void FullYears_CountsAnniversaries()
    {
        Assert.Equal(0, Eligibility.FullYears(new DateOnly(2024, 6, 2), Exam));
        Assert.Equal(1, Eligibility.FullYears(new DateOnly(2024, 6, 1), Exam));
        Assert.Equal(0, Eligibility.FullYears(null, Exam));
        Assert.Equal(0, Eligibility.FullYears(Exam.AddDays(1), Exam));
    }

    /// <summary>A year from 29 February is whole on 28 February of a year without one, as validity counts (found by an outside tester).</summary>
    [Theory]
    [InlineData("2024-02-29", "2025-02-27", 0)]
    [InlineData("2024-02-29", "2025-02-28", 1)]
    [InlineData("2024-02-29", "2028-02-28", 3)]
    [InlineData("2024-02-29", "2028-02-29", 4)]
    [InlineData("2024-02-28", "2025-02-28", 1)]
    [InlineData("2024-03-01", "2025-02-28", 0)]
    [InlineData("2023-03-01", "2024-02-29", 0)]
    public void FullYears_FromTheTwentyNinthOfFebruary_EndsAsValidityDoes(string from, string to, int years)
    {
        var start = DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture);
        var end = DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(years, Eligibility.FullYears(start, end));
        Assert.Equal(years >= 1, CertificateValidity.ValidUntil(start, 1) <= end);
    }
}
