using Microsoft.Extensions.Logging;
using SkillsHub.Abstractions;
using SkillsHub.Domain;
using SkillsHub.Domain.Scoring;
using SkillsHub.Domain.Scoring.Import;
using SkillsHub.Storage;

namespace SkillsHub.Grains;

/// <summary>
/// The event grain's marking rules: the scheme, the competitors, the experts, the marking groups and
/// the locks, which it hands to contestant and judge grains as one <see cref="MarkingRules"/> value.
/// Each change that takes effect is in the audit trail under its actor.
/// </summary>
public sealed partial class EventGrain
{
    async Task<SetupResult> IEventGrain.SetScheme(string schemeJson, int judges, bool allowCompatriots, string actor)
    {
        var parsed = SchemeJson.Parse(schemeJson);
        if (!parsed.IsValid)
        {
            return new SetupResult(false, parsed.Problems.Select(p => new RowError(p.Row, p.Id is null ? p.Field : $"{p.Id}.{p.Field}", p.Message, p.Code, p.Args)).ToList(), 0);
        }
        if (judges is not (3 or 5))
        {
            return new SetupResult(false, new[] { new RowError(null, "judges", "A judgement group has 3 or 5 judges.", RowCodes.JudgesPerAspect) }, 0);
        }
        // The same scheme by value, not by text: a spreadsheet that writes 20.00 as 20 sends the same scheme (decimal
        // equality ignores the scale; docs/scoring.md, "CSV"), which must not count as a change once marks exist.
        var sameScheme = _scheme is not null && parsed.Scheme!.Equals(_scheme);
        var canonical = sameScheme ? state.State.SchemeJson! : SchemeJson.Write(parsed.Scheme!);
        if (sameScheme && judges == state.State.Judges && allowCompatriots == state.State.AllowCompatriots)
        {
            return new SetupResult(false, Array.Empty<RowError>(), parsed.Scheme!.Aspects.Count());
        }
        // The rules version advances only if no mark exists, counting those in flight, which the advance waits for.
        // Whether experts may mark compatriots is one of these rules: switched on once marks exist, it let a compatriot's
        // mark in that stayed after it was switched off again (found by an outside tester; docs/scoring.md).
        var schemeChanges = !sameScheme || judges != state.State.Judges || allowCompatriots != state.State.AllowCompatriots;
        var (groups, notes) = FitGroups(state.State.Groups, parsed.Scheme!);
        var change = Change(actor, "scheme", "changed", $"{parsed.Scheme!.Aspects.Count()} aspects, {judges} judges, compatriots {(allowCompatriots ? "allowed" : "not allowed")}"
            + string.Concat(notes.Select(n => "; " + n.Message)));
        if (schemeChanges && !await AdvanceWhileUnmarkedAsync(change))
        {
            var field = !sameScheme || judges != state.State.Judges ? "scheme" : "allowCompatriots";
            return new SetupResult(false, new[] { new RowError(null, field, "Marks have already been entered in this skill; the marking scheme, the number of judges and whether experts mark compatriots can no longer change.", RowCodes.SchemeHasMarks) }, 0);
        }
        state.State.SchemeJson = canonical;
        state.State.Judges = judges;
        state.State.AllowCompatriots = allowCompatriots;
        state.State.Groups = groups;
        _scheme = parsed.Scheme;
        await SaveRulesAsync(change, advanced: schemeChanges);
        await GrainFactory.GetGrain<ICompetitionGrain>(_competition).RegisterSkill(_skill);
        return new SetupResult(true, Array.Empty<RowError>(), parsed.Scheme!.Aspects.Count(), [.. notes, .. CoverageNotes()]);
    }

    Task<string?> IEventGrain.GetSchemeJson() => Task.FromResult(state.State.SchemeJson);

    async Task<SetupResult> IEventGrain.ImportCompetitors(IReadOnlyList<CompetitorInfo> competitors, bool onePerMember, string actor)
    {
        if (onePerMember)
        {
            // Checked again here, where imports are applied one at a time: two files parsed at the same moment each
            // saw the stored roster without the other's competitor.
            var conflicts = OnePerMember.Conflicts(state.State.Competitors.Values.Select(c => (c.Id, c.MemberCode)), competitors.Select(c => (c.Id, c.MemberCode)).ToList())
                .Select(c => new RowError(c.Index + 1, "member", OnePerMember.Refusal(c.Member, c.Holder))).ToList();
            if (conflicts.Count > 0)
            {
                return new SetupResult(false, conflicts, 0);
            }
        }
        var caseClashes = IdCase.Clashes(state.State.Competitors.Keys.Concat(state.State.Removed.Keys), competitors.Select(c => c.Id).ToList())
            .Select(c => new RowError(c.Index + 1, "id", c.Fault)).ToList();
        if (caseClashes.Count > 0)
        {
            return new SetupResult(false, caseClashes, 0);
        }
        if (RosterSize.CompetitorsFault(state.State.Competitors.Keys, competitors.Select(c => c.Id)) is { } tooMany)
        {
            return new SetupResult(false, [new RowError(null, "body", tooMany)], 0);
        }
        var changed = competitors.Where(c => !state.State.Competitors.TryGetValue(c.Id, out var existing) || !SameCompetitor(existing, c)).ToList();
        if (changed.Count == 0)
        {
            return new SetupResult(false, Array.Empty<RowError>(), competitors.Count);
        }
        var change = Change(actor, "competitors", "changed", string.Join(",", changed.Select(c => c.Id)));
        // A competitor taken off the roster and named again is as fixed to their member as one who stayed (found by an outside
        // tester: removed, then imported under the expert's member, the marks a compatriot had made counted).
        var moved = await MemberMovesAsync(competitors.Select(c => (c.Id, c.MemberCode)).ToList(),
            id => state.State.Competitors.TryGetValue(id, out var c) ? c.MemberCode : state.State.Removed.TryGetValue(id, out var r) ? r.MemberCode : null,
            "competitor", RowCodes.CompetitorMemberFixed, change);
        if (moved.Refusals.Count > 0)
        {
            return new SetupResult(false, moved.Refusals, 0);
        }
        foreach (var c in changed)
        {
            state.State.Competitors[c.Id] = c;
            state.State.Removed.Remove(c.Id);
        }
        // A frozen view on the roster as it now is, stored with it: one taken off and named again is back with the total the
        // freeze held, one new since the freeze with none (found by an outside tester: one brought back stayed off it).
        RankFrozenViewOnRoster();
        await SaveRulesAsync(change, moved.Advanced);
        if (state.State.MarksEntered)
        {
            // A competitor taken off the roster and named again comes back with their marks (RemoveCompetitor).
            foreach (var c in changed.Where(c => !_totals.ContainsKey(c.Id)))
            {
                var t = await GrainFactory.GetGrain<IContestantGrain>(SkillKey.Contestant(_competition, _skill, c.Id)).GetTotals();
                if (!_totals.TryGetValue(c.Id, out var known) || known.Version < t.Version)
                {
                    _totals[c.Id] = t;
                }
            }
        }
        await GrainFactory.GetGrain<ICompetitionGrain>(_competition).RegisterSkill(_skill);
        Recalculate();
        return new SetupResult(true, Array.Empty<RowError>(), competitors.Count, CoverageNotes());
    }

    async Task<bool> IEventGrain.RemoveCompetitor(string competitorId, string actor)
    {
        if (!state.State.Competitors.Remove(competitorId, out var removed))
        {
            return false;
        }
        state.State.Removed[competitorId] = removed;
        // A frozen view without them, stored in the same write as the roster.
        var frozen = state.State.FrozenSnapshot;
        RankFrozenViewOnRoster();
        // The rules change like any roster change: a mark for the competitor still in flight is stored before it or refused
        // after it (unknown competitor). The marks stay in the mark store and the audit trail (docs/scoring.md, "A
        // competitor who does not compete").
        try
        {
            await SaveRulesAsync(Change(actor, "competitors", "removed", $"{removed.Id} ({removed.MemberCode}) {removed.Name}"));
        }
        catch
        {
            state.State.Competitors[competitorId] = removed;
            state.State.Removed.Remove(competitorId);
            state.State.FrozenSnapshot = frozen;
            throw;
        }
        Recalculate();
        return true;
    }

    /// <summary>
    /// A frozen view is ranked again when the roster changes: the freeze holds the marks as of its time, not the roster
    /// (found by an outside tester: a removed gold medallist stayed on the public board, results and reports until the skill
    /// was unfrozen). On the exact totals the freeze was ranked on, stored with it (a competitor it held no total for has
    /// none); a snapshot stored before those were (2026-12-04) has only its rows' raw totals, shown to 2 places.
    /// </summary>
    void RankFrozenViewOnRoster()
    {
        if (state.State.FrozenSnapshot is not { } snapshot)
        {
            return;
        }
        RankFrozenView(snapshot, state.State.FrozenTotals ?? snapshot.Rows.ToDictionary(r => r.CompetitorId,
            r => new ContestantTotals(r.CompetitorId, r.Raw, new Dictionary<string, decimal>(), 0, 0, DateTimeOffset.MinValue), StringComparer.Ordinal));
    }

    /// <summary>
    /// An expert's or a competitor's member decides who may mark whom (never a compatriot): once a mark is in, moving
    /// either to another member would leave marks on what are then compatriots. A move is refused then, checked as a
    /// scheme change is, marks in flight included (docs/scoring.md, "Rule changes and marks in flight"). Advanced: the
    /// rules version was advanced here, for the save that follows.
    /// </summary>
    async Task<(IReadOnlyList<RowError> Refusals, bool Advanced)> MemberMovesAsync(IReadOnlyList<(string Id, string Member)> entries,
        Func<string, string?> storedMember, string kind, string code, AuditEntry change)
    {
        var moved = entries.Select((x, i) => (Entry: i + 1, x.Id, Was: storedMember(x.Id), Now: x.Member))
            .Where(x => x.Was is not null && x.Was != x.Now).ToList();
        if (moved.Count == 0)
        {
            return ([], false);
        }
        if (await AdvanceWhileUnmarkedAsync(change))
        {
            return ([], true);
        }
        var article = kind[0] == 'e' ? "an" : "a";
        return (moved.Select(x => new RowError(x.Entry, "member",
            $"{char.ToUpperInvariant(kind[0])}{kind[1..]} '{x.Id}' is of member {x.Was}; marks have been entered in this skill, so {article} {kind}'s member can no longer change.",
            code, RowCodes.Args(("id", x.Id), ("member", x.Was!)))).ToList(), false);
    }

    /// <summary>
    /// Advances the rules version for a change allowed only while the skill has no mark, counting the marks in flight,
    /// which the advance waits for; false (nothing advanced) once a mark is in.
    /// </summary>
    async Task<bool> AdvanceWhileUnmarkedAsync(AuditEntry change) =>
        !state.State.MarksEntered && await marks.AdvanceRulesAsync(_competition, _skill, state.State.RulesVersion + 1, onlyWithoutMarks: true, change);

    static bool SameCompetitor(CompetitorInfo a, CompetitorInfo b) =>
        a.Id == b.Id && a.MemberCode == b.MemberCode && a.Name == b.Name && a.People.SequenceEqual(b.People);

    async Task<SetupResult> IEventGrain.ImportExperts(IReadOnlyList<ExpertInfo> experts, string actor)
    {
        var caseClashes = IdCase.Clashes(state.State.Experts.Keys.Concat(state.State.RemovedExperts.Keys), experts.Select(e => e.Id).ToList())
            .Select(c => new RowError(c.Index + 1, "id", c.Fault)).ToList();
        if (caseClashes.Count > 0)
        {
            return new SetupResult(false, caseClashes, 0);
        }
        var changed = experts.Where(e => !state.State.Experts.TryGetValue(e.Id, out var existing) || existing != e).ToList();
        if (changed.Count == 0)
        {
            return new SetupResult(false, Array.Empty<RowError>(), experts.Count);
        }
        // An experts file adds or updates: the one-Chief-Expert rule holds for the skill's experts as they would be after it,
        // not only within the file (found by an outside tester: a second file made a second Chief Expert, with every right
        // of the role). The file that hands the role over names the old Chief Expert with another role.
        var chiefs = state.State.Experts.Values.Where(e => !experts.Any(f => f.Id == e.Id)).Concat(experts)
            .Where(e => e.Role == ExpertRole.ChiefExpert).Select(e => e.Id).Order(StringComparer.Ordinal).ToList();
        if (chiefs.Count > 1)
        {
            return new SetupResult(false, [new RowError(null, "role",
                $"A skill has one Chief Expert: this file would make {string.Join(" and ", chiefs)} Chief Experts. Give the one who stops another role in the same file.",
                RowCodes.OneChiefExpert)], 0);
        }
        var change = Change(actor, "experts", "changed", string.Join(",", changed.Select(e => e.Id)));
        // An expert taken off and named again is as fixed to their member as one who stayed, as a competitor is.
        var moved = await MemberMovesAsync(experts.Select(e => (e.Id, e.MemberCode)).ToList(),
            id => state.State.Experts.TryGetValue(id, out var e) ? e.MemberCode : state.State.RemovedExperts.TryGetValue(id, out var r) ? r.MemberCode : null,
            "expert", RowCodes.ExpertMemberFixed, change);
        if (moved.Refusals.Count > 0)
        {
            return new SetupResult(false, moved.Refusals, 0);
        }
        foreach (var e in changed)
        {
            state.State.Experts[e.Id] = e;
            if (state.State.RemovedExperts.Remove(e.Id))
            {
                // A tablet may still hold marks made while they were off the skill: those are refused (docs/scoring.md).
                state.State.ExpertsNamedAgainAt[e.Id] = clock.GetUtcNow();
            }
        }
        await SaveRulesAsync(change, moved.Advanced);
        return new SetupResult(true, Array.Empty<RowError>(), experts.Count, CoverageNotes());
    }

    /// <summary>
    /// An expert who no longer judges the skill is taken off it (docs/scoring.md, "An expert who leaves"): their tablets stop
    /// working at their next request (a tablet's expert is looked up on every request), their marks stay. Found by an
    /// outside tester: an experts file only adds or updates, so an expert left out kept marking. One still in a marking
    /// group is refused: the groups are imported without them first, so no group is left with an expert who cannot mark.
    /// </summary>
    async Task<RowError?> IEventGrain.RemoveExpert(string expertId, string actor)
    {
        if (!state.State.Experts.TryGetValue(expertId, out var removed))
        {
            return new RowError(null, "expertId", $"Expert '{expertId}' is not registered in this skill.", RowCodes.ExpertNotRegistered, RowCodes.Args(("expert", expertId)));
        }
        if (state.State.Groups.Where(g => g.ExpertIds.Contains(expertId, StringComparer.Ordinal)).Select(g => g.Id).ToList() is { Count: > 0 } groups)
        {
            return new RowError(null, "expertId", $"Expert '{expertId}' is in marking group {string.Join(", ", groups)}: import the marking groups without them first.",
                RowCodes.ExpertInGroup, RowCodes.Args(("expert", expertId), ("groups", string.Join(", ", groups))));
        }
        state.State.Experts.Remove(expertId);
        state.State.RemovedExperts[expertId] = removed;
        try
        {
            await SaveRulesAsync(Change(actor, "experts", "removed", $"{removed.Id} ({removed.MemberCode}) {removed.Name}"));
        }
        catch
        {
            state.State.Experts[expertId] = removed;
            state.State.RemovedExperts.Remove(expertId);
            throw;
        }
        return null;
    }

    Task<IReadOnlyList<CompetitorInfo>> IEventGrain.GetCompetitors() =>
        Task.FromResult<IReadOnlyList<CompetitorInfo>>(state.State.Competitors.Values.OrderBy(c => c.Id, StringComparer.Ordinal).ToList());

    Task<IReadOnlyList<ExpertInfo>> IEventGrain.GetExperts() =>
        Task.FromResult<IReadOnlyList<ExpertInfo>>(state.State.Experts.Values.OrderBy(e => e.Id, StringComparer.Ordinal).ToList());

    Task<ExpertInfo?> IEventGrain.GetExpert(string expertId) => Task.FromResult(state.State.Experts.GetValueOrDefault(expertId));

    Task<IReadOnlyList<ExpertInfo>> IEventGrain.GetRemovedExperts() =>
        Task.FromResult<IReadOnlyList<ExpertInfo>>(state.State.RemovedExperts.Values.OrderBy(e => e.Id, StringComparer.Ordinal).ToList());

    Task<IReadOnlyList<MarkingGroup>> IEventGrain.GetMarkingGroups() => Task.FromResult<IReadOnlyList<MarkingGroup>>(state.State.Groups);

    ValueTask<MarkingRules?> IEventGrain.GetRules(long knownVersion)
    {
        if (knownVersion == state.State.RulesVersion && _rules is not null)
        {
            return ValueTask.FromResult<MarkingRules?>(null);
        }
        _rules ??= BuildRules();
        return ValueTask.FromResult<MarkingRules?>(_rules);
    }

    MarkingRules BuildRules() => new(state.State.RulesVersion, _scheme, state.State.Judges, state.State.AllowCompatriots,
        new Dictionary<string, ExpertInfo>(state.State.Experts), new Dictionary<string, CompetitorInfo>(state.State.Competitors),
        state.State.Groups.ToList(), state.State.Locks.Values.ToList(), new Dictionary<string, DateTimeOffset>(state.State.ExpertsNamedAgainAt));

    /// <summary>
    /// Stores a change of the marking rules under the next version. The version advances in the database first
    /// (<see cref="MarkStore.AdvanceRulesAsync"/>, unless the caller did): batches checked under the old rules and
    /// still in flight commit before it, and any later one is refused by the database and checked again under the new
    /// rules, so once a change is acknowledged no mark written under the old rules can follow it (docs/scoring.md,
    /// "Rule changes and marks in flight"). The change's audit row is written with the advance (<paramref name="change"/>;
    /// when the caller advanced, it wrote it then).
    /// </summary>
    async Task SaveRulesAsync(AuditEntry change, bool advanced = false)
    {
        if (!advanced)
        {
            await marks.AdvanceRulesAsync(_competition, _skill, state.State.RulesVersion + 1, onlyWithoutMarks: false, change);
        }
        state.State.RulesVersion++;
        _rules = null;
        await state.WriteStateAsync();
        // The skill's tablets read their assignment again: a lock lifted makes an aspect editable there at once (an outside
        // tester: the card stayed "locked, read-only" until the page was reloaded).
        GrainFactory.GetGrain<ILeaderboardRegistryGrain>(0).PublishRules(_competition, _skill).Ignore();
    }

    /// <summary>A skill-level audit row: a rule change, or another action on the skill (docs/scoring.md, "Audit").</summary>
    AuditEntry Change(string actor, string action, string outcome, string? newValue = null, string? reason = null, string? device = null) =>
        new(_competition, _skill, null, null, actor, device, action, outcome, null, newValue, reason, null);

    async Task<bool> IEventGrain.Lock(string target, string actor, string? device)
    {
        if (state.State.Locks.ContainsKey(target))
        {
            return false;
        }
        state.State.Locks[target] = new LockInfo(target, actor, clock.GetUtcNow());
        await SaveRulesAsync(Change(actor, "lock:" + target, "locked", device: device));
        logger.LogInformation("{Skill}: {Target} locked by {Actor}", this.GetPrimaryKeyString(), target, actor);
        return true;
    }

    async Task<bool> IEventGrain.Unlock(string target, string reason, string actor, string? device)
    {
        if (!state.State.Locks.Remove(target))
        {
            return false;
        }
        await SaveRulesAsync(Change(actor, "unlock:" + target, "unlocked", reason: reason, device: device));
        logger.LogInformation("{Skill}: {Target} unlocked by {Actor}: {Reason}", this.GetPrimaryKeyString(), target, actor, reason);
        return true;
    }
}
