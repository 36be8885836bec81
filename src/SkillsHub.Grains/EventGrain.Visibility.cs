using Microsoft.Extensions.Logging;
using SkillsHub.Abstractions;

namespace SkillsHub.Grains;

/// <summary>
/// What spectators may see of the skill (docs/scoring.md, "Visibility"): live, frozen at a time, hidden, or published. The
/// jury always sees the live standings; the public view is announced to the boards and to the competition's results.
/// </summary>
public sealed partial class EventGrain
{
    /// <summary>
    /// Waits until the competition grain holds the last public view, so its results never show what a visibility change just
    /// hid: from another node, an unanswered message could arrive after a spectator's read. A telling that failed (a mark's,
    /// which nobody waited for) is sent again.
    /// </summary>
    async Task CompetitionHoldsThePublicViewAsync()
    {
        try
        {
            await _competitionTold;
        }
        catch (Exception e) when (_lastPublic is not null)
        {
            logger.LogWarning(e, "The competition {Competition} did not hear of skill {Skill}'s public view; telling it again", _competition, _skill);
            await TellCompetition(_lastPublic);
        }
    }

    /// <summary>Sends the competition grain a public view, kept as the telling the next visibility change waits for.</summary>
    Task TellCompetition(Standings view) => _competitionTold = GrainFactory.GetGrain<ICompetitionGrain>(_competition).SkillChanged(view);

    /// <summary>
    /// What spectators may see, under the sequence and time it was announced with while it shows the same: a change they
    /// cannot see (a freeze set for later, Live set again) moved the public sequence and ETag with nothing new to show, and
    /// every board took the next push for a missed one and subscribed again (found by an outside tester).
    /// </summary>
    Standings PublicView()
    {
        var view = CurrentPublicView();
        if (_lastPublic is not { } last)
        {
            return view;
        }
        if (SameForSpectators(last, view))
        {
            return last;
        }
        // A change spectators see comes one step after the view they last had: a change they could not see (a freeze set for
        // later, Live set again) moved the live sequence only, and a board took the step of two for a missed push and
        // subscribed again (found by an outside tester).
        return view.Sequence > last.Sequence + 1 ? view with { Sequence = last.Sequence + 1 } : view;
    }

    /// <summary>
    /// The mode the jury's standings carry: the visibility's, except that a freeze set for a later time is Live until then,
    /// as spectators see it (found by an outside tester: the jury's board said Frozen ten minutes early).
    /// </summary>
    VisibilityMode LiveMode => PendingFreeze is not null ? VisibilityMode.Live : state.State.Visibility.Mode;

    /// <summary>The same rows, mode and publication (and for a frozen view the same time): nothing a spectator sees differs.</summary>
    static bool SameForSpectators(Standings last, Standings view) =>
        last.Mode == view.Mode && last.Published == view.Published && last.Rows.SequenceEqual(view.Rows, StandingRowComparer.Instance)
        && (view.Mode != VisibilityMode.Frozen || view.AsOf == last.AsOf);

    Standings CurrentPublicView()
    {
        var live = _live!;
        var visibility = state.State.Visibility;
        if (visibility.Published || visibility.Mode == VisibilityMode.Live)
        {
            return live;
        }
        if (visibility.Mode == VisibilityMode.Frozen && state.State.FrozenSnapshot is { } frozen)
        {
            // A frozen board keeps its rows as of T under the sequence it was announced with: one that moved with each of
            // the jury's changes told spectators that marking went on (found by an outside tester). A new snapshot (the
            // freeze taking effect, the skill frozen again) is announced under the live sequence.
            return _lastPublic is { Mode: VisibilityMode.Frozen, Published: false } last && last.AsOf == frozen.AsOf
                && last.Rows.SequenceEqual(frozen.Rows, StandingRowComparer.Instance)
                ? last
                : frozen with { Sequence = live.Sequence, Mode = VisibilityMode.Frozen };
        }
        if (visibility.Mode == VisibilityMode.Frozen)
        {
            // Frozen at a later time: live until then (docs/scoring.md, "Visibility").
            return live with { Mode = VisibilityMode.Live };
        }
        // Hidden: no rows, under the sequence and time it was announced with, however the jury's marking goes on (found
        // by an outside tester: the sequence told spectators how many changes were made while hidden).
        // Hiding comes at the time of the view spectators last had, not at the live one, and (as every change spectators see,
        // PublicView) one step after it in sequence: hiding a frozen skill told them how many changes the jury had made during
        // the freeze (found by an outside tester).
        var hiding = live with { Rows = Array.Empty<StandingRow>(), Mode = visibility.Mode, Median = 0, Spread = 0, Decided = false };
        return _lastPublic switch
        {
            { Mode: VisibilityMode.Hidden, Published: false, Rows.Count: 0 } hidden => hidden,
            { } shown => hiding with { AsOf = shown.AsOf },
            null => hiding,
        };
    }

    async Task<Visibility> IEventGrain.SetVisibility(VisibilityMode mode, DateTimeOffset? frozenAt, string actor)
    {
        await _loaded;
        var now = clock.GetUtcNow();
        // A freeze time that has passed (within the minute a console's clock may lag; older ones are refused) is now.
        var at = mode == VisibilityMode.Frozen ? (frozenAt is { } later && later > now ? later : now) : (DateTimeOffset?)null;
        // Totals that arrived within the push window are ranked first, so a freeze taking effect now holds them.
        if (_dirty)
        {
            Recalculate();
        }
        state.State.Visibility = state.State.Visibility with { Mode = mode, FrozenAt = at };
        TakeSnapshot(mode == VisibilityMode.Frozen && at <= now);
        if (state.State.FrozenSnapshot is { } frozen)
        {
            // As of the freeze, as a scheduled one is: not of the last change before it, which may be hours earlier (found by
            // an outside tester: the board said "frozen at" a time before the organiser froze it).
            state.State.FrozenSnapshot = frozen with { AsOf = now };
        }
        await state.WriteStateAsync();
        _dirty = true;
        // Freezing a frozen skill again changes no live row nor the mode, but it does change what spectators see: the
        // board, the results, the feed and the hub all hear of it.
        if (!Recalculate())
        {
            Restamp();
            Announce();
        }
        await CompetitionHoldsThePublicViewAsync();
        // The freeze time that took effect (now for one within the lag minute; none unless frozen), not the one asked for.
        await AuditAsync(actor, "visibility", mode.ToString(), at?.ToString("O"));
        // Open consoles draw their visibility card again (found by an outside tester: one set elsewhere showed on a reload).
        GrainFactory.GetGrain<ILeaderboardRegistryGrain>(0).PublishVisibility(_competition, _skill).Ignore();
        return state.State.Visibility;
    }

    async Task<Visibility> IEventGrain.Publish(string actor)
    {
        await _loaded;
        if (!state.State.Visibility.Published)
        {
            state.State.Visibility = state.State.Visibility with { Published = true, PublishedAt = clock.GetUtcNow() };
            await state.WriteStateAsync();
            Recalculate();
            await CompetitionHoldsThePublicViewAsync();
            // Publishing again changes nothing, so it leaves no row either (found by an outside tester: each repeat did).
            await AuditAsync(actor, "publish", "published");
            GrainFactory.GetGrain<ILeaderboardRegistryGrain>(0).PublishVisibility(_competition, _skill).Ignore();
        }
        return state.State.Visibility;
    }
}
