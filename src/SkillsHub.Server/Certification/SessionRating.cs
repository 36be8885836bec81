using System.Text.Json;
using SkillsHub.Domain.Certification;

namespace SkillsHub.Server.Certification;

/// <summary>
/// How a rating decides one candidate of a session (docs/certification.md, "Rules"): the rules of the Domain with the
/// session's level, occupation and eligibility years, and the agency's scope. The rating job records what it decides
/// (<see cref="CertificationJobs.Rate"/>); the preview only counts it (<see cref="RatingPreview"/>), so both decide alike.
/// </summary>
public sealed class SessionRating
{
    readonly CertificationStore.JobSession _session;
    readonly Agency _agency;
    readonly EligibilityYears _years;
    readonly SkillLevel _level;

    SessionRating(CertificationStore.JobSession session, Agency agency)
    {
        _session = session;
        _agency = agency;
        _years = session.EligibilityYears is null ? EligibilityYears.Template : JsonSerializer.Deserialize<EligibilityYears>(session.EligibilityYears)!;
        _level = SkillLevels.FromDigit(session.Level);
    }

    public static async Task<SessionRating> ForAsync(CertificationStore.JobSession session, AgencyStore agencies, CancellationToken ct) =>
        new(session, (await agencies.DomainAgencyAsync(session.AgencyKey, ct))!);

    public RatingDecision Decide(CertificationStore.Undecided candidate)
    {
        // Only the levels held on the exam date count (docs/certification.md, "Levels held").
        var profile = new CandidateProfile(candidate.Since, (Education)candidate.Education, LevelsHeld.On(candidate.LevelRecords, _session.ExamOn));
        return Rating.Decide(_agency, _session.OccupationCode, _level, profile, new ExamScores(candidate.Theory, candidate.Practical, candidate.Review), _session.ExamOn, _years);
    }

    /// <summary>A decision's outcome as it is stored and answered; null for a candidate still awaiting results (no decision).</summary>
    public static string? OutcomeName(RatingOutcome outcome) => outcome switch
    {
        RatingOutcome.AwaitingResults => null,
        RatingOutcome.Passed => "passed",
        RatingOutcome.Failed => "failed",
        RatingOutcome.Ineligible => "ineligible",
        _ => "out-of-scope",
    };
}
