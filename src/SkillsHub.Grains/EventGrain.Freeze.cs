using SkillsHub.Abstractions;

namespace SkillsHub.Grains;

/// <summary>
/// A freeze's snapshot holds exactly the changes accepted up to its time (docs/scoring.md, "Visibility"). Each
/// contestant's totals carry when their change was accepted (<see cref="ContestantTotals.ChangedAt"/>). A change accepted
/// after a scheduled freeze's time that reaches this grain before the tick took the snapshot takes it first, without
/// itself; a change accepted before the freeze's time that was still on its way when the snapshot was taken is put into it.
/// </summary>
public sealed partial class EventGrain
{
    /// <summary>The time of a freeze set for later whose snapshot is not taken yet.</summary>
    DateTimeOffset? PendingFreeze =>
        state.State.Visibility is { Mode: VisibilityMode.Frozen, FrozenAt: { } at } && state.State.FrozenSnapshot is null ? at : null;

    /// <summary>A freeze set for a later time takes effect: spectators' standings stop here, and they are told so.</summary>
    async Task FreezeAsync(CancellationToken cancellationToken = default)
    {
        // Every total known here was accepted at or before the freeze's time (a later one would have taken the snapshot
        // as it arrived): those not yet ranked (the push window) are ranked first, so the snapshot holds them.
        var now = clock.GetUtcNow();
        var at = PendingFreeze is { } pending && pending < now ? pending : now;
        if (_dirty)
        {
            Recalculate();
        }
        // As of the freeze time, which every change it holds was accepted by, not of the moment the tick came: a mark
        // acknowledged after the freeze time and left out must not be older than the view (found by an outside tester).
        Restamp(at);
        TakeSnapshot(true);
        // The jury's standings say Frozen from now on (LiveMode).
        _live = _live! with { Mode = LiveMode };
        await state.WriteStateAsync(cancellationToken);
        Announce();
    }

    /// <summary>The live standings become the frozen snapshot (or, when <paramref name="freeze"/> is false, there is none).</summary>
    void TakeSnapshot(bool freeze)
    {
        state.State.FrozenSnapshot = freeze ? _live! with { Mode = VisibilityMode.Frozen } : null;
        // The totals it is ranked on, stored with it: what arrives late is added to them, and a competitor taken off is
        // ranked out of them, in this activation or a later one.
        state.State.FrozenTotals = freeze ? new Dictionary<string, ContestantTotals>(_totals, StringComparer.Ordinal) : null;
    }

    /// <summary>Before a contestant's new totals are applied: the freeze they come after, or the snapshot they belong in.</summary>
    async Task KeepFreezeExactAsync(ContestantTotals totals)
    {
        if (PendingFreeze is { } at && totals.ChangedAt > at)
        {
            await FreezeAsync();
            return;
        }
        if (state.State is { FrozenSnapshot: { } snapshot, Visibility.FrozenAt: { } frozenAt, FrozenTotals: { } frozenTotals }
            && totals.ChangedAt != DateTimeOffset.MinValue && totals.ChangedAt <= frozenAt
            && (!frozenTotals.TryGetValue(totals.CompetitorId, out var known) || known.Version < totals.Version))
        {
            frozenTotals[totals.CompetitorId] = totals;
            await RankFrozenViewAsync(snapshot, frozenTotals);
            // Announced with the live change this also is (TotalsChanged marks the standings dirty).
        }
    }

    /// <summary>The frozen view ranked again on <paramref name="totals"/> (its rows, median, spread, decided), and stored.</summary>
    async Task RankFrozenViewAsync(Standings snapshot, IReadOnlyDictionary<string, ContestantTotals> totals)
    {
        RankFrozenView(snapshot, totals);
        await state.WriteStateAsync();
    }

    /// <summary>The frozen view ranked again on <paramref name="totals"/>, for the caller to store.</summary>
    void RankFrozenView(Standings snapshot, IReadOnlyDictionary<string, ContestantTotals> totals)
    {
        var (rows, median, spread, decided) = Rank(totals);
        state.State.FrozenSnapshot = snapshot with { Rows = rows, Median = median, Spread = spread, Decided = decided };
    }
}
