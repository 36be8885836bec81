using Microsoft.Extensions.Logging;
using SkillsHub.Abstractions;
using SkillsHub.Domain.Scoring;
using SkillsHub.Domain.Scoring.Import;
using SkillsHub.Storage;

namespace SkillsHub.Grains;

/// <summary>
/// One skill competition. Standings are recomputed from the contestants' totals when they change,
/// coalesced on a timer (last value wins), never per request.
/// </summary>
[GrainType("event")]
public sealed partial class EventGrain(
    [PersistentState("event", StorageNames.Default)] IPersistentState<EventState> state,
    ILogger<EventGrain> logger,
    Microsoft.Extensions.Options.IOptions<LeaderboardOptions> leaderboards,
    AuditLog audit,
    MarkStore marks,
    TimeProvider clock) : Grain, IEventGrain
{
    readonly Dictionary<string, ContestantTotals> _totals = new(StringComparer.Ordinal);
    MarkingScheme? _scheme;
    MarkingRules? _rules;
    Standings? _live;
    Standings? _lastPublic;
    // The competition grain hearing of the last public view (TellCompetition): a visibility change or a publish waits for it.
    Task _competitionTold = Task.CompletedTask;
    long _sequence;
    bool _dirty;
    DateTimeOffset _lastPush = DateTimeOffset.MinValue;
    IGrainTimer? _pendingPush;
    readonly HashSet<string> _changedSheets = new(StringComparer.Ordinal);
    Task _loaded = Task.CompletedTask;

    /// <summary>
    /// False from an activation of a skill with marks until its contestants' totals are in: nothing is ranked or
    /// announced before (found by an outside tester: a restarted skill announced everyone at 700 with no medal, and the
    /// results feed kept it as final results, before the true standings followed).
    /// </summary>
    bool _totalsReady = true;
    string _competition = "";
    int _skill;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_competition, _skill) = SkillKey.Parse(this.GetPrimaryKeyString());
        // Sequence numbers must keep increasing across activations, so they start from the clock.
        _sequence = clock.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
        // Marks are written only under the rules version stored beside them (EventGrain.Rules.cs, SaveRulesAsync).
        state.State.RulesVersion = await marks.ReconcileRulesAsync(_competition, _skill, state.State.RulesVersion, cancellationToken);
        _scheme = state.State.SchemeJson is null ? null : SchemeJson.Parse(state.State.SchemeJson).Scheme;
        // A snapshot frozen before standings said whether they are decided: as then, by the rows' raw totals.
        if (state.State.FrozenSnapshot is { Decided: false } frozen && SkillResult.IsDecided(frozen.Rows.Select(r => r.Raw)))
        {
            state.State.FrozenSnapshot = frozen with { Decided = true };
        }
        _totalsReady = !state.State.MarksEntered;
        Recalculate();
        // Not awaited: the contestant grains call back into this grain for the marking rules, which
        // cannot be served until activation has finished. Readers of the standings await it instead.
        _loaded = state.State.MarksEntered ? LoadTotalsAsync() : Task.CompletedTask;
        this.RegisterGrainTimer(OnTick, new GrainTimerCreationOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)) { Interleave = true });
    }

    async Task LoadTotalsAsync()
    {
        var totals = await Task.WhenAll(state.State.Competitors.Keys.Select(id =>
            GrainFactory.GetGrain<IContestantGrain>(SkillKey.Contestant(_competition, _skill, id)).GetTotals()));
        foreach (var t in totals.Where(t => !_totals.TryGetValue(t.CompetitorId, out var known) || known.Version < t.Version))
        {
            _totals[t.CompetitorId] = t;
        }
        _totalsReady = true;
        Recalculate();
    }

    Task OnTick(CancellationToken cancellationToken)
    {
        if (!_totalsReady)
        {
            return Task.CompletedTask;
        }
        if (PendingFreeze is { } at && clock.GetUtcNow() >= at)
        {
            return FreezeAsync(cancellationToken);
        }
        if (_dirty || _changedSheets.Count > 0)
        {
            SchedulePush();
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// At most Leaderboards:PushesPerSecond pushes per skill, last value wins: a change after a quiet
    /// spell goes out at once; changes inside the window are folded into one push at its end.
    /// </summary>
    void SchedulePush()
    {
        if (_pendingPush is not null)
        {
            return;
        }
        var wait = _lastPush + leaderboards.Value.Interval - clock.GetUtcNow();
        if (wait <= TimeSpan.Zero)
        {
            Push();
            return;
        }
        _pendingPush = this.RegisterGrainTimer(_ =>
        {
            _pendingPush?.Dispose();
            _pendingPush = null;
            Push();
            return Task.CompletedTask;
        }, new GrainTimerCreationOptions(wait, Timeout.InfiniteTimeSpan) { Interleave = true });
    }

    void Push()
    {
        _lastPush = clock.GetUtcNow();
        if (_dirty)
        {
            Recalculate();
        }
        if (_changedSheets.Count > 0)
        {
            GrainFactory.GetGrain<ILeaderboardRegistryGrain>(0).PublishSheets(_competition, _skill, _changedSheets.Order(StringComparer.Ordinal).ToArray()).Ignore();
            _changedSheets.Clear();
        }
    }

    /// <summary>
    /// The same live rows under a new sequence: what spectators see is about to change with no row of the jury's
    /// changing (a freeze taking effect, a skill frozen again), and every reader (the hub, the results feed) keys a
    /// view by its sequence.
    /// </summary>
    void Restamp(DateTimeOffset? asOf = null) => _live = _live! with { Sequence = ++_sequence, AsOf = asOf ?? clock.GetUtcNow() };

    /// <summary>Ranks the totals; announces the standings when they changed (true then).</summary>
    bool Recalculate()
    {
        if (!_totalsReady)
        {
            // Ranked once the totals are in (LoadTotalsAsync); a change meanwhile is kept for then.
            _dirty = true;
            return false;
        }
        _dirty = false;
        var previous = _live;
        var (rows, median, spread, decided) = Rank(_totals);
        if (previous is not null && previous.Rows.SequenceEqual(rows, StandingRowComparer.Instance) && previous.Decided == decided
            && previous.Mode == LiveMode && previous.Published == state.State.Visibility.Published)
        {
            return false;
        }
        _live = new Standings(_competition, _skill, ++_sequence, clock.GetUtcNow(), LiveMode, state.State.Visibility.Published,
            rows, median, spread, decided);
        if (previous is null && rows.Count == 0)
        {
            // Activated with no competitors (a skill not set up yet, or a name nobody uses): nothing to announce, so a
            // client naming made-up skills does not send standings to every node.
            return false;
        }
        Announce();
        return true;
    }

    /// <summary>
    /// The skill's competitors ranked on the given totals (none: 0), and whether the skill is decided on the exact totals
    /// (<see cref="SkillResult.Decided"/>): the rows show raw totals rounded to 2 places, and a total of 0.001 shows as 0.00
    /// (found by an outside tester: such a skill had medals on its standings and none in the results).
    /// </summary>
    (List<StandingRow> Rows, decimal Median, decimal Spread, bool Decided) Rank(IReadOnlyDictionary<string, ContestantTotals> totals)
    {
        var options = new ScoringOptions { Judges = state.State.Judges };
        var competitors = state.State.Competitors.Values.OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
        var entries = competitors
            .Select(c => new CompetitorRaw(new Competitor(c.Id, c.MemberCode, this.GetPrimaryKeyString()), totals.TryGetValue(c.Id, out var t) ? t.Raw : 0m))
            .ToList();
        var result = SkillResults.Rank(this.GetPrimaryKeyString(), entries, options);
        var byId = state.State.Competitors;
        var rows = result.Standings.Select(r => new StandingRow(r.Place, r.Competitor.Id, byId[r.Competitor.Id].Name, r.Competitor.MemberCode,
            // Ranked on the exact totals; shown to 2 places (docs/scoring.md, "Exact totals and rounding").
            Marks.RoundForDisplay(r.Raw), r.Scaled, r.Award.ToString(), byId[r.Competitor.Id].People)).ToList();
        return (rows, result.Scale.Median, result.Scale.Spread, result.Decided);
    }

    /// <summary>
    /// Pushes the new live standings to the jury and, only when what spectators may see changed, the
    /// public view: a frozen or hidden skill sends anonymous clients nothing newer than allowed.
    /// </summary>
    void Announce()
    {
        var publicView = PublicView();
        var publicChanged = _lastPublic is null || !SameForSpectators(_lastPublic, publicView);
        if (publicChanged)
        {
            _lastPublic = publicView;
            // Not awaited here (a mark's answer does not wait on the competition's results); a visibility change and a
            // publish are answered only once the competition holds their view (docs/scoring.md, "Visibility").
            TellCompetition(publicView).Ignore();
        }
        GrainFactory.GetGrain<ILeaderboardRegistryGrain>(0).Publish(_live!, publicChanged ? publicView : null).Ignore();
    }

    Task<EventSummary> IEventGrain.GetSummary() => Task.FromResult(Summary());

    EventSummary Summary() => new(this.GetPrimaryKeyString(), state.State.SchemeJson is not null, state.State.Competitors.Count, state.State.Experts.Count,
        state.State.Groups.Count, state.State.Judges, state.State.AllowCompatriots, state.State.Visibility, state.State.Locks.Values.ToList());

    /// <summary>Appends one skill-level action (no competitor, aspect or device) to the audit trail.</summary>
    Task AuditAsync(string actor, string action, string outcome, string? newValue = null, string? reason = null) =>
        audit.WriteAsync([Change(actor, action, outcome, newValue, reason)]);

    async Task IEventGrain.TotalsChanged(ContestantTotals totals)
    {
        // A freeze's snapshot is kept exact against the loaded totals (EventGrain.Freeze.cs).
        await _loaded;
        if (_totals.TryGetValue(totals.CompetitorId, out var known) && known.Version >= totals.Version)
        {
            return;
        }
        await KeepFreezeExactAsync(totals);
        _totals[totals.CompetitorId] = totals;
        _dirty = true;
        _changedSheets.Add(totals.CompetitorId);
        SchedulePush();
        if (!state.State.MarksEntered)
        {
            state.State.MarksEntered = true;
            await state.WriteStateAsync();
        }
    }

    async ValueTask<Standings> IEventGrain.GetStandings(bool live)
    {
        await _loaded;
        if (!live && PendingFreeze is { } at && clock.GetUtcNow() >= at)
        {
            // The freeze's time has come and the tick has not taken it yet: a spectator asking now sees it.
            await FreezeAsync();
        }
        if (live && _dirty)
        {
            // The jury's read is never older than the totals the skill holds: the paced push is made now rather than a moment
            // later (found by an outside tester: a publish right after the deciding marks was refused as "no marks above 0
            // yet", the standings still those before them).
            Push();
        }
        return live ? _live! : PublicView();
    }

    async Task<Standings> IEventGrain.Recompute()
    {
        await _loaded;
        Recalculate();
        return _live!;
    }

    sealed class StandingRowComparer : IEqualityComparer<StandingRow>
    {
        public static readonly StandingRowComparer Instance = new();

        public bool Equals(StandingRow? x, StandingRow? y) =>
            x is not null && y is not null && x.Place == y.Place && x.CompetitorId == y.CompetitorId && x.Raw == y.Raw && x.Scaled == y.Scaled && x.Award == y.Award && x.Name == y.Name;

        public int GetHashCode(StandingRow obj) => HashCode.Combine(obj.CompetitorId, obj.Raw);
    }
}
