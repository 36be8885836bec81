namespace SkillsHub.Abstractions;

/// <summary>
/// One skill competition (competition code + skill number): marking scheme, roster of competitors and
/// experts, marking groups, locks, visibility, and standings recomputed when marks change.
/// </summary>
[Alias("SkillsHub.IEventGrain")]
public interface IEventGrain : IGrainWithStringKey
{
    Task<EventSummary> GetSummary();

    /// <summary>Replaces the marking scheme (JSON in SkillsHub's scheme format); refused once marks exist unless identical.</summary>
    Task<SetupResult> SetScheme(string schemeJson, int judges, bool allowCompatriots, string actor);

    Task<string?> GetSchemeJson();

    /// <summary>Adds or updates competitors (all-or-nothing; unchanged rows change nothing); with <paramref name="onePerMember"/>, refuses a member's second competitor (docs/scoring.md, "Competitors per member").</summary>
    Task<SetupResult> ImportCompetitors(IReadOnlyList<CompetitorInfo> competitors, bool onePerMember, string actor);

    /// <summary>
    /// Takes a competitor who does not compete off the roster; their marks are kept (an import that names them again
    /// brings them back with their marks). False when the competitor is not on the roster.
    /// </summary>
    Task<bool> RemoveCompetitor(string competitorId, string actor);
    /// <summary>Takes an expert off the skill; null when done, else why not (unknown, or still in a marking group).</summary>
    Task<RowError?> RemoveExpert(string expertId, string actor);

    Task<SetupResult> ImportExperts(IReadOnlyList<ExpertInfo> experts, string actor);

    Task<SetupResult> SetMarkingGroups(IReadOnlyList<MarkingGroup> groups, string actor);

    Task<IReadOnlyList<CompetitorInfo>> GetCompetitors();

    Task<IReadOnlyList<ExpertInfo>> GetExperts();

    Task<ExpertInfo?> GetExpert(string expertId);

    /// <summary>Experts taken off the skill and not named again, as they were: their marks stay, under their member and name.</summary>
    Task<IReadOnlyList<ExpertInfo>> GetRemovedExperts();

    Task<IReadOnlyList<MarkingGroup>> GetMarkingGroups();

    /// <summary>Rules for the contestant grains; null when the caller's version is current.</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    ValueTask<MarkingRules?> GetRules(long knownVersion);

    /// <summary>Locks a criterion ("A") or a marking day ("C1"); false if already locked.</summary>
    Task<bool> Lock(string target, string actor, string? device);

    /// <summary>Unlocks with a reason (audited); false if it was not locked.</summary>
    Task<bool> Unlock(string target, string reason, string actor, string? device);

    Task<Visibility> SetVisibility(VisibilityMode mode, DateTimeOffset? frozenAt, string actor);

    Task<Visibility> Publish(string actor);

    /// <summary>
    /// A contestant grain reports new totals after a durable write, and waits for this before it acknowledges the batch:
    /// a live read or a publish that follows an acknowledgement sees the mark (docs/scoring.md, "Durability").
    /// </summary>
    Task TotalsChanged(ContestantTotals totals);

    /// <summary>Live standings (jury) or the public view (frozen at T, or nothing while hidden).</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    ValueTask<Standings> GetStandings(bool live);

    /// <summary>Recomputes now (used by tests and after imports) instead of waiting for the coalescing timer.</summary>
    Task<Standings> Recompute();
}

/// <summary>A competitor's (or team's) mark sheet. Marks are acknowledged only after the state write returned.</summary>
[Alias("SkillsHub.IContestantGrain")]
public interface IContestantGrain : IGrainWithStringKey
{
    /// <summary>Applies a batch from one expert all-or-nothing; a repeated idempotency key returns the first answer.</summary>
    Task<MarkBatchResult> Submit(MarkBatch batch);

    /// <summary>The competitor's sheet; null when the competitor is not on the skill's roster and has no marks.</summary>
    Task<ContestantSheet?> GetSheet();

    /// <summary>
    /// The sheet's totals. Served between the steps of a batch being written: the skill's grain asks for them (on activation,
    /// when a competitor is named again) while a batch may be waiting on that grain to take its totals.
    /// </summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<ContestantTotals> GetTotals();
}

/// <summary>An expert: member, skill, role, and the marking groups they are assigned to.</summary>
[Alias("SkillsHub.IJudgeGrain")]
public interface IJudgeGrain : IGrainWithStringKey
{
    Task<JudgeAssignment?> GetAssignment();
}

[GenerateSerializer, Immutable, Alias("SkillsHub.JudgeAssignment")]
public sealed record JudgeAssignment(
    [property: Id(0)] ExpertInfo Expert,
    [property: Id(1)] string CompetitionCode,
    [property: Id(2)] int SkillNumber,
    [property: Id(3)] IReadOnlyList<MarkingGroup> Groups,
    [property: Id(4)] IReadOnlyList<string> AspectIds,
    [property: Id(5)] IReadOnlyList<CompetitorInfo> Competitors,
    [property: Id(6)] IReadOnlyList<LockInfo> Locks,
    [property: Id(7)] string? SchemeJson,
    [property: Id(8)] int Judges,
    [property: Id(9)] string? SkillName = null,
    [property: Id(10)] string? SkillNameZh = null);

/// <summary>A competition's overall results across its skills (medal table, Best of Nation, Albert Vidal, member reports).</summary>
[Alias("SkillsHub.ICompetitionGrain")]
public interface ICompetitionGrain : IGrainWithStringKey
{
    /// <summary>
    /// An event grain reports its latest public standings. Answered, so a visibility change or a publish can wait until
    /// the competition's results hold it (docs/scoring.md, "Visibility").
    /// </summary>
    Task SkillChanged(Standings standings);

    Task RegisterSkill(int skillNumber);

    Task<IReadOnlyList<Standings>> GetSkillStandings(bool live);
}
