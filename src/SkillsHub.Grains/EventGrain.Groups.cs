using SkillsHub.Abstractions;
using SkillsHub.Domain;
using SkillsHub.Domain.Marking;
using SkillsHub.Domain.Scoring;
using SkillsHub.Domain.Scoring.Import;

namespace SkillsHub.Grains;

/// <summary>
/// The event grain's marking groups: which experts mark which criteria, sub-criteria and aspects, imported whole and
/// fitted to a new scheme (docs/scoring.md, "Setup imports").
/// </summary>
public sealed partial class EventGrain
{
    async Task<SetupResult> IEventGrain.SetMarkingGroups(IReadOnlyList<MarkingGroup> groups, string actor)
    {
        var errors = new List<RowError>();
        var targets = _scheme?.Targets();
        for (var i = 0; i < groups.Count; i++)
        {
            // An id on file but for its case is said as such, "write it as 'X-FR'", as the roster imports say it (found by an
            // outside tester: "not registered" for x-fr).
            var group = groups[i].Id;
            RowError Unknown(string field, string id, IEnumerable<string> onFile, RowError otherwise) =>
                IdCase.Clashes(onFile, [id]).Select(c => c.Fault).FirstOrDefault() is { } clash
                    ? new RowError(i + 1, field, $"Group '{group}': {clash.Message}", clash.Code, clash.Args)
                    : otherwise;
            foreach (var target in groups[i].Targets.Where(t => targets is not null && !targets.Contains(t)))
            {
                errors.Add(Unknown("targets", target, targets!, new RowError(i + 1, "targets", $"Group '{group}': '{target}' is not a criterion, sub-criterion or aspect of the marking scheme.", RowCodes.GroupUnknownTarget, RowCodes.Args(("group", group), ("target", target)))));
            }
            foreach (var expert in groups[i].ExpertIds.Where(e => !state.State.Experts.ContainsKey(e)))
            {
                errors.Add(Unknown("experts", expert, state.State.Experts.Keys, new RowError(i + 1, "experts", $"Group '{group}': expert '{expert}' is not registered in this skill.", RowCodes.GroupUnknownExpert, RowCodes.Args(("group", group), ("expert", expert)))));
            }
        }
        if (targets is null)
        {
            errors.Add(new RowError(null, "scheme", "Import the marking scheme before the marking groups.", RowCodes.SchemeBeforeGroups));
        }
        if (errors.Count > 0)
        {
            return new SetupResult(false, errors, 0);
        }
        if (state.State.Groups.Count == groups.Count && state.State.Groups.Zip(groups).All(p => SameGroup(p.First, p.Second)))
        {
            return new SetupResult(false, Array.Empty<RowError>(), groups.Count, CoverageNotes());
        }
        state.State.Groups = [.. groups];
        await SaveRulesAsync(Change(actor, "marking-groups", "changed", string.Join(",", groups.Select(g => g.Id))));
        return new SetupResult(true, Array.Empty<RowError>(), groups.Count, CoverageNotes());
    }

    /// <summary>
    /// The judgement aspects the marking groups, as they now are, cannot complete (Domain JudgementCoverage): a note in the
    /// answer of each import that can change that (the scheme and its judges, the groups, experts and competitors).
    /// </summary>
    List<RowError> CoverageNotes() => _scheme is null ? [] : JudgementCoverage.Find(_scheme,
            state.State.Groups.Select(g => g.Assignment()),
            state.State.Judges, state.State.AllowCompatriots, state.State.Experts.ToDictionary(e => e.Key, e => e.Value.MemberCode, StringComparer.Ordinal),
            state.State.Competitors.Values.Select(c => c.MemberCode))
        .Select(s => s.Member is null
            ? new RowError(null, "marking-groups", $"Aspect '{s.AspectId}' takes {s.Judges} judges' scores, but the marking groups that mark it hold {s.Experts} experts: it can never be complete, and counts 0.",
                RowCodes.TooFewJudges, RowCodes.Args(("aspect", s.AspectId), ("judges", s.Judges), ("experts", s.Experts)))
            : new RowError(null, "marking-groups", $"Aspect '{s.AspectId}' takes {s.Judges} judges' scores from experts not of {s.Member}, but its marking groups hold {s.Experts}: for competitors of {s.Member} it can never be complete, and counts 0.",
                RowCodes.TooFewJudgesForMember, RowCodes.Args(("aspect", s.AspectId), ("judges", s.Judges), ("experts", s.Experts), ("member", s.Member))))
        .ToList();

    static bool SameGroup(MarkingGroup a, MarkingGroup b) =>
        a.Id == b.Id && a.Name == b.Name && a.Targets.SequenceEqual(b.Targets) && a.ExpertIds.SequenceEqual(b.ExpertIds);

    /// <summary>
    /// The marking groups as a new scheme leaves them (docs/scoring.md, "Setup imports"): a target the scheme no longer has
    /// is taken out of its group, and a group left with none is removed, each with a note for the import's answer. Kept,
    /// a group naming only criteria that are gone gave its experts nothing to mark, and the same groups file was then
    /// refused for naming them (found by an outside tester).
    /// </summary>
    static (List<MarkingGroup> Groups, List<RowError> Notes) FitGroups(IReadOnlyList<MarkingGroup> groups, MarkingScheme scheme)
    {
        var targets = scheme.Targets();
        var kept = new List<MarkingGroup>();
        var notes = new List<RowError>();
        foreach (var group in groups)
        {
            var gone = group.Targets.Where(t => !targets.Contains(t)).ToList();
            var left = group.Targets.Where(targets.Contains).ToList();
            var args = RowCodes.Args(("group", group.Id), ("targets", string.Join(", ", gone)));
            if (gone.Count == 0)
            {
                kept.Add(group);
            }
            else if (left.Count > 0)
            {
                kept.Add(group with { Targets = left });
                notes.Add(new RowError(null, "marking-groups", $"Marking group '{group.Id}' no longer marks {string.Join(", ", gone)}, which this scheme does not have.", RowCodes.GroupTargetsDropped, args));
            }
            else
            {
                notes.Add(new RowError(null, "marking-groups", $"Marking group '{group.Id}' marked only {string.Join(", ", gone)}, which this scheme does not have: it was removed. Import the marking groups for this scheme.", RowCodes.GroupRemovedWithScheme, args));
            }
        }
        return (kept, notes);
    }
}
