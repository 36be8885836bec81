using System.Text.Json.Serialization;

namespace SkillsHub.Domain.JudgingReport;

// Inputs: what the judging report reads, gathered by the server from mark sheets and the audit trail.

/// <summary>One judge's score in a judgement set.</summary>
public sealed record ExpertScore(string ExpertId, string ExpertMember, int Score);

/// <summary>
/// The scores of one judgement aspect of one competitor, from the marking group that judges it. Only a
/// set with exactly the skill's number of judges (each once) counts; others are not yet complete.
/// </summary>
public sealed record ScoreSet(string GroupId, string CompetitorId, string CompetitorMember, string AspectId, IReadOnlyList<ExpertScore> Scores)
{
    /// <summary>The group of the aspects no marking group names (docs/judging-report.md), listed after the named groups.</summary>
    public const string NoGroup = "-";
}

/// <summary>Counts from the audit trail: scores refused for spread, scores changed after acceptance, measurements changed after entry.</summary>
public sealed record ExpertEventCounts(string ExpertId, int SpreadRefusals, int Rescores, int Corrections);

/// <summary>An expert of the skill, so one who has judged nothing yet is still listed.</summary>
public sealed record ExpertEntry(string ExpertId, string MemberCode, string Name);

public sealed record SkillJudgingData(
    string SkillKey,
    int Judges,
    IReadOnlyList<ExpertEntry> Experts,
    IReadOnlyList<ScoreSet> Sets,
    IReadOnlyList<ExpertEventCounts> Events);

// Outputs.

[JsonConverter(typeof(JsonStringEnumConverter<Tendency>))]
public enum Tendency
{
    None = 0,
    Lenient = 1,
    Severe = 2,
}

/// <summary>
/// How an expert's deviations are spread. Quartiles are nearest-rank (always one of the deviations,
/// so exact); <see cref="OutlierShare"/> = <see cref="OutlierSets"/> / <see cref="Sets"/>.
/// </summary>
public sealed record DeviationSummary(
    int Sets,
    Rational MeanDeviation,
    Rational MeanAbsoluteDeviation,
    Rational Min,
    Rational LowerQuartile,
    Rational Median,
    Rational UpperQuartile,
    Rational Max,
    int OutlierSets,
    Rational OutlierShare);

/// <summary>One expert over the skill: deviations (null before their first complete set), audit counts, tendency.</summary>
public sealed record ExpertReport(
    string ExpertId,
    string MemberCode,
    string Name,
    DeviationSummary? Deviations,
    int SpreadRefusals,
    int Rescores,
    int Corrections,
    Tendency Tendency,
    Rational? TendencyP);

/// <summary>
/// One expert against the competitors of one member (never the expert's own member). Above and Below
/// count positive and negative deviations (ties, d = 0, are dropped by the sign test).
/// </summary>
public sealed record MemberCell(
    string ExpertId,
    string MemberCode,
    int Sets,
    Rational MeanDeviation,
    int Above,
    int Below,
    Rational PValue,
    bool Leaning);

/// <summary>One marking group's experts restricted to its sets, its band (the quartiles of all its deviations) and Krippendorff's ordinal alpha (null when undefined).</summary>
public sealed record GroupReport(
    string GroupId,
    int Sets,
    Rational? Alpha,
    Rational? BandLower,
    Rational? BandUpper,
    IReadOnlyList<GroupExpert> Experts);

public sealed record GroupExpert(string ExpertId, DeviationSummary Deviations);

public sealed record SkillJudgingReport(
    string SkillKey,
    int Judges,
    int Sets,
    IReadOnlyList<ExpertReport> Experts,
    IReadOnlyList<MemberCell> Cells,
    IReadOnlyList<GroupReport> Groups);

[JsonConverter(typeof(JsonStringEnumConverter<FindingKind>))]
public enum FindingKind
{
    Lenient = 0,
    Severe = 1,
    Leaning = 2,
}

/// <summary>Something a Chief Expert or competition manager should look at: a lenient or severe expert, or a leaning toward or against a member.</summary>
public sealed record Finding(string SkillKey, string ExpertId, FindingKind Kind, string? MemberCode, int Sets, Rational MeanDeviation, Rational PValue);

public sealed record CompetitionJudgingReport(IReadOnlyList<SkillJudgingReport> Skills, IReadOnlyList<Finding> Findings);
