namespace SkillsHub.Domain.Certification;

/// <summary>Highest relevant schooling for the eligibility template.</summary>
public enum Education
{
    None,

    /// <summary>技工学校 (technical school) diploma.</summary>
    TechnicalSchool,

    /// <summary>高级技工学校 / 技师学院 (senior technical school, technician college) diploma.</summary>
    SeniorTechnicalSchool,

    /// <summary>大专及以上 (college diploma or above).</summary>
    College,
}

/// <summary>
/// The years of the eligibility template (docs/certification.md). Occupation standards vary them, so each
/// occupation may carry its own values; <see cref="Template"/> holds the template's.
/// </summary>
public sealed record EligibilityYears
{
    public static readonly EligibilityYears Template = new();

    public int Level5InOccupation { get; init; } = 1;
    public int Level4AfterLevel5 { get; init; } = 4;
    public int Level4InOccupation { get; init; } = 6;
    public int Level3AfterLevel4 { get; init; } = 5;
    public int Level3AfterLevel4WithCollege { get; init; } = 2;
    public int Level2AfterLevel3 { get; init; } = 4;
    public int Level2AfterLevel3WithSeniorTechnicalSchool { get; init; } = 3;
    public int Level1AfterLevel2 { get; init; } = 4;
}

/// <summary>What eligibility looks at: work in the occupation, schooling, and levels held in it (with dates).</summary>
public sealed record CandidateProfile(
    DateOnly? InOccupationSince,
    Education Education,
    IReadOnlyDictionary<SkillLevel, DateOnly> LevelsHeld)
{
    public static CandidateProfile Of(DateOnly? inOccupationSince, Education education, params (SkillLevel Level, DateOnly Since)[] held) =>
        new(inOccupationSince, education, held.ToDictionary(h => h.Level, h => h.Since));
}

/// <summary>Eligible (with the route that made it so) or not (with a reason code and an explanation).</summary>
public sealed record EligibilityResult(bool Eligible, string Code, string Detail)
{
    public static EligibilityResult Yes(string route, string detail) => new(true, route, detail);

    public static EligibilityResult No(string code, string detail) => new(false, code, detail);
}

public static class Eligibility
{
    /// <summary>Whether a candidate may sit the evaluation for <paramref name="level"/> on <paramref name="asOf"/>.</summary>
    public static EligibilityResult Check(SkillLevel level, CandidateProfile candidate, DateOnly asOf, EligibilityYears? years = null)
    {
        var y = years ?? EligibilityYears.Template;
        var inOccupation = FullYears(candidate.InOccupationSince, asOf);
        int? Since(SkillLevel held) => candidate.LevelsHeld.TryGetValue(held, out var date) ? FullYears(date, asOf) : null;
        bool Holds(SkillLevel held) => candidate.LevelsHeld.ContainsKey(held);

        // A re-examination (a renewal once a certificate's validity has ended): one who holds this level or a higher one
        // met its conditions when they earned it, and is rated like anyone else (docs/certification.md, "Rules"). Found by
        // an outside tester: a Level 4 holder sitting Level 4 again was refused by the Level 4 routes.
        var heldAtOrAbove = candidate.LevelsHeld.Keys.Where(h => h != SkillLevel.Apprentice && h >= level).Order().ToList();
        if (level.IsEvaluated() && heldAtOrAbove.Count > 0)
        {
            return EligibilityResult.Yes("re-examination", $"holds {heldAtOrAbove[0].EnglishName()}");
        }

        switch (level)
        {
            case SkillLevel.Level5:
                if (inOccupation >= y.Level5InOccupation)
                {
                    return EligibilityResult.Yes("work-years", $"{inOccupation} years in the occupation");
                }
                return Holds(SkillLevel.Apprentice)
                    ? EligibilityResult.Yes("apprenticeship", "completed apprenticeship")
                    : EligibilityResult.No("l5-work-years", $"needs {Text.Counted.Of(y.Level5InOccupation, "year", "years")} in the occupation or a completed apprenticeship; has {inOccupation}");

            case SkillLevel.Level4:
                if (Since(SkillLevel.Level5) >= y.Level4AfterLevel5)
                {
                    return EligibilityResult.Yes("after-l5", $"{Since(SkillLevel.Level5)} years since Level 5");
                }
                if (inOccupation >= y.Level4InOccupation)
                {
                    return EligibilityResult.Yes("work-years", $"{inOccupation} years in the occupation");
                }
                return candidate.Education is Education.TechnicalSchool or Education.SeniorTechnicalSchool
                    ? EligibilityResult.Yes("technical-school", "technical-school diploma")
                    : EligibilityResult.No("l4-route", $"needs {y.Level4AfterLevel5} years after Level 5, {y.Level4InOccupation} years in the occupation, or a technical-school diploma; has {inOccupation} in the occupation, "
                        + (Since(SkillLevel.Level5) is { } sinceLevel5 ? $"{sinceLevel5} since Level 5" : "no Level 5"));

            case SkillLevel.Level3:
                if (!Holds(SkillLevel.Level4))
                {
                    return EligibilityResult.No("l3-needs-l4", "needs Level 4 in the occupation");
                }
                if (Since(SkillLevel.Level4) >= y.Level3AfterLevel4)
                {
                    return EligibilityResult.Yes("after-l4", $"{Since(SkillLevel.Level4)} years since Level 4");
                }
                if (candidate.Education == Education.SeniorTechnicalSchool)
                {
                    return EligibilityResult.Yes("senior-technical-school", "Level 4 and a senior technical school / technician college diploma");
                }
                return candidate.Education == Education.College && Since(SkillLevel.Level4) >= y.Level3AfterLevel4WithCollege
                    ? EligibilityResult.Yes("college", $"college diploma and {Since(SkillLevel.Level4)} years since Level 4")
                    : EligibilityResult.No("l3-years", $"needs {y.Level3AfterLevel4} years after Level 4 ({y.Level3AfterLevel4WithCollege} with a college diploma, none with a senior technical school diploma); has {Since(SkillLevel.Level4)}");

            case SkillLevel.Level2:
            {
                if (!Holds(SkillLevel.Level3))
                {
                    return EligibilityResult.No("l2-needs-l3", "needs Level 3 in the occupation");
                }
                var needed = candidate.Education == Education.SeniorTechnicalSchool ? y.Level2AfterLevel3WithSeniorTechnicalSchool : y.Level2AfterLevel3;
                return Since(SkillLevel.Level3) >= needed
                    ? EligibilityResult.Yes("after-l3", $"{Since(SkillLevel.Level3)} years since Level 3")
                    : EligibilityResult.No("l2-years", $"needs {needed} years after Level 3; has {Since(SkillLevel.Level3)}");
            }

            case SkillLevel.Level1:
                if (!Holds(SkillLevel.Level2))
                {
                    return EligibilityResult.No("l1-needs-l2", "needs Level 2 in the occupation");
                }
                return Since(SkillLevel.Level2) >= y.Level1AfterLevel2
                    ? EligibilityResult.Yes("after-l2", $"{Since(SkillLevel.Level2)} years since Level 2")
                    : EligibilityResult.No("l1-years", $"needs {y.Level1AfterLevel2} years after Level 2; has {Since(SkillLevel.Level2)}");

            default:
                return EligibilityResult.No("appointment-only", $"{level.EnglishName()} is not obtained by evaluation");
        }
    }

    /// <summary>
    /// Whole years from <paramref name="from"/> to <paramref name="to"/> (0 when unknown or in the future). A year from
    /// 29 February ends on 28 February in a year without one, as a certificate's validity counts its years
    /// (<see cref="CertificateValidity.ValidUntil"/>) and as China's Civil Code (art. 202) ends a period whose last month
    /// has no such day: on that month's last day (docs/certification.md, "Rules"; found by an outside tester).
    /// </summary>
    public static int FullYears(DateOnly? from, DateOnly to)
    {
        if (from is not { } start || start > to)
        {
            return 0;
        }
        var years = to.Year - start.Year;
        return start.AddYears(years) > to ? years - 1 : years;
    }
}
