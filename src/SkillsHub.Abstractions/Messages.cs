namespace SkillsHub.Abstractions;

[GenerateSerializer, Alias("SkillsHub.ExpertRole")]
public enum ExpertRole
{
    Expert = 0,
    DeputyChiefExpert = 1,
    ChiefExpert = 2,
}

/// <summary>A competitor is a person or a team; a team counts as one competitor everywhere.</summary>
[GenerateSerializer, Immutable, Alias("SkillsHub.CompetitorInfo")]
public sealed record CompetitorInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string MemberCode,
    [property: Id(2)] string Name,
    [property: Id(3)] IReadOnlyList<PersonName> People);

[GenerateSerializer, Immutable, Alias("SkillsHub.PersonName")]
public sealed record PersonName([property: Id(0)] string FirstName, [property: Id(1)] string LastName);

[GenerateSerializer, Immutable, Alias("SkillsHub.ExpertInfo")]
public sealed record ExpertInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string MemberCode,
    [property: Id(2)] string Name,
    [property: Id(3)] ExpertRole Role);

/// <summary>Which experts mark which criteria or aspects (an entry is a criterion id like "A" or an aspect id).</summary>
[GenerateSerializer, Immutable, Alias("SkillsHub.MarkingGroup")]
public sealed record MarkingGroup(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] IReadOnlyList<string> Targets,
    [property: Id(3)] IReadOnlyList<string> ExpertIds)
{
    /// <summary>The group as the marking rules read it (Domain <see cref="Domain.Marking.Assignment"/>).</summary>
    public Domain.Marking.Assignment Assignment() => new(Targets.ToHashSet(StringComparer.Ordinal), ExpertIds.ToHashSet(StringComparer.Ordinal));
}

[GenerateSerializer, Alias("SkillsHub.VisibilityMode")]
public enum VisibilityMode
{
    Live = 0,
    Frozen = 1,
    Hidden = 2,
}

[GenerateSerializer, Immutable, Alias("SkillsHub.Visibility")]
public sealed record Visibility(
    [property: Id(0)] VisibilityMode Mode,
    [property: Id(1)] DateTimeOffset? FrozenAt,
    [property: Id(2)] bool Published,
    [property: Id(3)] DateTimeOffset? PublishedAt);

[GenerateSerializer, Immutable, Alias("SkillsHub.Lock")]
public sealed record LockInfo(
    [property: Id(0)] string Target,
    [property: Id(1)] string LockedBy,
    [property: Id(2)] DateTimeOffset LockedAt);

/// <summary>
/// Everything a contestant or judge grain needs to judge a mark, versioned so it can be cached. The event
/// grain parses the scheme once; the rules themselves live in SkillsHub.Domain.
/// </summary>
[GenerateSerializer, Immutable, Alias("SkillsHub.MarkingRules")]
public sealed record MarkingRules(
    [property: Id(0)] long Version,
    [property: Id(1)] SkillsHub.Domain.Scoring.MarkingScheme? Scheme,
    [property: Id(2)] int Judges,
    [property: Id(3)] bool AllowCompatriots,
    [property: Id(4)] IReadOnlyDictionary<string, ExpertInfo> Experts,
    [property: Id(5)] IReadOnlyDictionary<string, CompetitorInfo> Competitors,
    [property: Id(6)] IReadOnlyList<MarkingGroup> Groups,
    [property: Id(7)] IReadOnlyList<LockInfo> Locks,
    [property: Id(8)] IReadOnlyDictionary<string, DateTimeOffset>? ExpertsNamedAgainAt = null);

/// <summary>
/// One mark from one expert: exactly one of Achieved (pass/fail measurement), Deviation (banded
/// measurement), Deductions (counts per deduction) or Score (the expert's own judgement score 0..3).
/// </summary>
[GenerateSerializer, Immutable, Alias("SkillsHub.MarkEntry")]
public sealed record MarkEntry(
    [property: Id(0)] string AspectId,
    [property: Id(1)] bool? Achieved = null,
    [property: Id(2)] decimal? Deviation = null,
    [property: Id(3)] IReadOnlyList<int>? Deductions = null,
    [property: Id(4)] int? Score = null);

/// <summary>
/// One expert's batch for one competitor. <see cref="CreatedAt"/> and <see cref="DeviceSequence"/> are
/// the tablet's stamp of when it created the batch (docs/scoring.md, "Order"); both optional.
/// </summary>
[GenerateSerializer, Immutable, Alias("SkillsHub.MarkBatch")]
public sealed record MarkBatch(
    [property: Id(0)] string IdempotencyKey,
    [property: Id(1)] string ExpertId,
    [property: Id(2)] string Device,
    [property: Id(3)] string CompetitorId,
    [property: Id(4)] IReadOnlyList<MarkEntry> Marks,
    [property: Id(5)] DateTimeOffset? CreatedAt = null,
    [property: Id(6)] long? DeviceSequence = null);

[GenerateSerializer, Alias("SkillsHub.RefusalKind")]
public enum RefusalKind
{
    NotAssigned = 0,
    Compatriot = 1,
    Locked = 2,
    UnknownAspect = 3,
    OutOfRange = 4,
    SpreadViolation = 5,
    UnknownCompetitor = 6,
    NoScheme = 7,
    UnknownExpert = 8,
    KeyReused = 9,
    DuplicateAspect = 10,
    WrongValue = 11,
    TooManyScores = 12,
    ClockAhead = 13,
    /// <summary>The aspect's marking day is locked (<see cref="Locked"/>: its criterion).</summary>
    DayLocked = 14,
}

[GenerateSerializer, Immutable, Alias("SkillsHub.MarkRefusal")]
public sealed record MarkRefusal(
    [property: Id(0)] string? AspectId,
    [property: Id(1)] RefusalKind Kind,
    [property: Id(2)] string Message,
    [property: Id(3)] IReadOnlyList<int>? Scores = null);

/// <summary>State of one aspect on a competitor's sheet after a write.</summary>
[GenerateSerializer, Immutable, Alias("SkillsHub.AspectState")]
public sealed record AspectState(
    [property: Id(0)] string AspectId,
    [property: Id(1)] decimal? Mark,
    [property: Id(2)] int ScoresReceived,
    [property: Id(3)] int ScoresRequired,
    [property: Id(4)] bool Complete);

/// <summary>
/// The answer to a batch, given only after it is durable. <see cref="Superseded"/> lists the aspects whose
/// entries were older than the expert's stored ones (skipped); a batch with nothing else is not
/// <see cref="Accepted"/> but is no refusal either (docs/scoring.md, "Order").
/// </summary>
[GenerateSerializer, Immutable, Alias("SkillsHub.MarkBatchResult")]
public sealed record MarkBatchResult(
    [property: Id(0)] bool Accepted,
    [property: Id(1)] IReadOnlyList<MarkRefusal> Refusals,
    [property: Id(2)] IReadOnlyList<AspectState> Aspects,
    [property: Id(3)] decimal RawTotal,
    [property: Id(4)] bool Replayed,
    [property: Id(5)] DateTimeOffset At,
    [property: Id(6)] IReadOnlyList<string>? Superseded = null)
{
    public bool IsSuperseded => !Accepted && Refusals.Count == 0;
}

[GenerateSerializer, Immutable, Alias("SkillsHub.JudgeScore")]
public sealed record JudgeScore([property: Id(0)] string ExpertId, [property: Id(1)] int Score);

[GenerateSerializer, Immutable, Alias("SkillsHub.AspectSheet")]
public sealed record AspectSheet(
    [property: Id(0)] string AspectId,
    [property: Id(1)] decimal? Mark,
    [property: Id(2)] IReadOnlyList<JudgeScore> Scores,
    [property: Id(3)] string? Measurement,
    [property: Id(4)] string? LastExpertId,
    [property: Id(5)] bool Complete,
    [property: Id(6)] bool SpreadViolation,
    // The exact mark (a whole number of 1/4500 marks), for sums of some aspects: Mark is rounded for display, and a sum
    // of rounded marks drifts. Not part of the HTTP answer.
    [property: Id(7), System.Text.Json.Serialization.JsonIgnore] decimal? ExactMark = null);

/// <summary>A competitor's whole mark sheet with totals (unrounded; display rounds to 2 places).</summary>
[GenerateSerializer, Immutable, Alias("SkillsHub.ContestantSheet")]
public sealed record ContestantSheet(
    [property: Id(0)] string CompetitorId,
    [property: Id(1)] decimal RawTotal,
    [property: Id(2)] IReadOnlyDictionary<string, decimal> CriterionTotals,
    [property: Id(3)] IReadOnlyList<AspectSheet> Aspects,
    [property: Id(4)] long Version);

[GenerateSerializer, Immutable, Alias("SkillsHub.ContestantTotals")]
public sealed record ContestantTotals(
    [property: Id(0)] string CompetitorId,
    [property: Id(1)] decimal Raw,
    [property: Id(2)] IReadOnlyDictionary<string, decimal> CriterionTotals,
    [property: Id(3)] int CompleteAspects,
    [property: Id(4)] long Version,
    // When the change was accepted (the batch's stamp); MinValue for totals read back, not changed: a scheduled
    // freeze's snapshot holds the changes accepted up to its time (docs/scoring.md, "Visibility").
    [property: Id(5)] DateTimeOffset ChangedAt);

[GenerateSerializer, Immutable, Alias("SkillsHub.StandingRow")]
public sealed record StandingRow(
    [property: Id(0)] int Place,
    [property: Id(1)] string CompetitorId,
    [property: Id(2)] string Name,
    [property: Id(3)] string MemberCode,
    [property: Id(4)] decimal Raw,
    [property: Id(5)] int Scaled,
    [property: Id(6)] string Award,
    [property: Id(7)] IReadOnlyList<PersonName> People);

/// <summary>A versioned standings snapshot of one skill; Sequence increases with every change.</summary>
[GenerateSerializer, Immutable, Alias("SkillsHub.Standings")]
public sealed record Standings(
    [property: Id(0)] string CompetitionCode,
    [property: Id(1)] int SkillNumber,
    [property: Id(2)] long Sequence,
    [property: Id(3)] DateTimeOffset AsOf,
    [property: Id(4)] VisibilityMode Mode,
    [property: Id(5)] bool Published,
    [property: Id(6)] IReadOnlyList<StandingRow> Rows,
    [property: Id(7)] decimal Median,
    [property: Id(8)] decimal Spread,
    [property: Id(9)] bool Decided = false);

[GenerateSerializer, Immutable, Alias("SkillsHub.SetupResult")]
public sealed record SetupResult(
    [property: Id(0)] bool Changed,
    [property: Id(1)] IReadOnlyList<RowError> Errors,
    [property: Id(2)] int Count,
    [property: Id(3)] IReadOnlyList<RowError>? Notes = null);

/// <summary>
/// One refused row of a setup import: the English message for API clients, and a stable code with its
/// arguments (<see cref="Domain.RowCodes"/>) the pages translate (docs/pages.md, "Languages").
/// </summary>
[GenerateSerializer, Immutable, Alias("SkillsHub.RowError")]
public sealed record RowError([property: Id(0)] int? Row, [property: Id(1)] string Field, [property: Id(2)] string Message,
    [property: Id(3)] string Code, [property: Id(4)] IReadOnlyDictionary<string, string>? Args = null)
{
    public RowError(int? row, string field, Domain.Fault fault) : this(row, field, fault.Message, fault.Code, fault.Args) { }
}

[GenerateSerializer, Immutable, Alias("SkillsHub.EventSummary")]
public sealed record EventSummary(
    [property: Id(0)] string Key,
    [property: Id(1)] bool HasScheme,
    [property: Id(2)] int Competitors,
    [property: Id(3)] int Experts,
    [property: Id(4)] int Groups,
    [property: Id(5)] int Judges,
    [property: Id(6)] bool AllowCompatriots,
    [property: Id(7)] Visibility Visibility,
    [property: Id(8)] IReadOnlyList<LockInfo> Locks);

/// <summary>How a parsed marking scheme (a Domain type, free of Orleans) travels between grains: as its canonical JSON.</summary>
[GenerateSerializer, Alias("SkillsHub.MarkingSchemeSurrogate")]
public struct MarkingSchemeSurrogate
{
    [Id(0)] public string Json;
}

[RegisterConverter]
public sealed class MarkingSchemeConverter : IConverter<SkillsHub.Domain.Scoring.MarkingScheme, MarkingSchemeSurrogate>
{
    public SkillsHub.Domain.Scoring.MarkingScheme ConvertFromSurrogate(in MarkingSchemeSurrogate surrogate) =>
        SkillsHub.Domain.Scoring.Import.SchemeJson.Parse(surrogate.Json).Scheme
            ?? throw new InvalidOperationException("A marking scheme in transit could not be read back.");

    public MarkingSchemeSurrogate ConvertToSurrogate(in SkillsHub.Domain.Scoring.MarkingScheme value) =>
        new() { Json = SkillsHub.Domain.Scoring.Import.SchemeJson.Write(value) };
}
