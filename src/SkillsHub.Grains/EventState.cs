using SkillsHub.Abstractions;
using SkillsHub.Domain.Scoring;

namespace SkillsHub.Grains;

/// <summary>What a skill's grain (<see cref="EventGrain"/>) keeps: its rules, roster, locks and visibility, and the frozen view.</summary>
[GenerateSerializer, Alias("SkillsHub.EventState")]
public sealed class EventState
{
    [Id(0)] public string? SchemeJson { get; set; }
    [Id(1)] public int Judges { get; set; } = JudgementSet.DefaultJudges;
    [Id(2)] public bool AllowCompatriots { get; set; }
    [Id(3)] public Dictionary<string, CompetitorInfo> Competitors { get; set; } = new(StringComparer.Ordinal);
    [Id(4)] public Dictionary<string, ExpertInfo> Experts { get; set; } = new(StringComparer.Ordinal);
    [Id(5)] public List<MarkingGroup> Groups { get; set; } = [];
    [Id(6)] public Dictionary<string, LockInfo> Locks { get; set; } = new(StringComparer.Ordinal);
    [Id(7)] public Visibility Visibility { get; set; } = new(VisibilityMode.Live, null, false, null);
    [Id(8)] public Standings? FrozenSnapshot { get; set; }
    [Id(9)] public long RulesVersion { get; set; }
    [Id(10)] public bool MarksEntered { get; set; }
    /// <summary>Competitors taken off the roster, as they were: one named again keeps the member their marks were made under.</summary>
    [Id(11)] public Dictionary<string, CompetitorInfo> Removed { get; set; } = new(StringComparer.Ordinal);
    /// <summary>
    /// The exact totals the frozen snapshot was ranked on (its rows show raw totals to 2 places), kept with it so that it is
    /// ranked again exactly after a restart too (a competitor taken off, a change that was on its way; EventGrain.Freeze.cs).
    /// </summary>
    [Id(12)] public Dictionary<string, ContestantTotals>? FrozenTotals { get; set; }
    /// <summary>Experts taken off the skill, as they were: one named again keeps the member their marks were made under.</summary>
    [Id(13)] public Dictionary<string, ExpertInfo> RemovedExperts { get; set; } = new(StringComparer.Ordinal);

    /// <summary>When an expert taken off the skill was named again: a mark made before it is not theirs to make now.</summary>
    [Id(14)] public Dictionary<string, DateTimeOffset> ExpertsNamedAgainAt { get; set; } = new(StringComparer.Ordinal);
}
