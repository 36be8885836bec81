using Microsoft.Extensions.Logging;
using SkillsHub.Abstractions;
using SkillsHub.Domain.Scoring;
using SkillsHub.Domain.Scoring.Import;

namespace SkillsHub.Grains;

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
}

/// <summary>
/// One skill competition. Standings are recomputed from the contestants' totals when they change,
/// coalesced on a timer (last value wins), never per request.
/// </summary>
[GrainType("event")]
public sealed class EventGrain(
    [PersistentState("event", StorageNames.Default)] IPersistentState<EventState> state,
    ILogger<EventGrain> logger,
    Microsoft.Extensions.Options.IOptions<LeaderboardOptions> leaderboards,
    TimeProvider clock) : Grain, IEventGrain
{
    readonly Dictionary<string, ContestantTotals> _totals = new(StringComparer.Ordinal);
    MarkingScheme? _scheme;
    MarkingRules? _rules;
    Standings? _live;
    Standings? _lastPublic;
    long _sequence;
    bool _dirty;
    DateTimeOffset _lastPush = DateTimeOffset.MinValue;
    IGrainTimer? _pendingPush;
    readonly HashSet<string> _changedSheets = new(StringComparer.Ordinal);
    Task _loaded = Task.CompletedTask;
    string _competition = "";
    int _skill;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_competition, _skill) = SkillKey.Parse(this.GetPrimaryKeyString());
        // Sequence numbers must keep increasing across activations, so they start from the clock.
        _sequence = clock.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
        _scheme = state.State.SchemeJson is null ? null : SchemeJson.Parse(state.State.SchemeJson).Scheme;
        Recalculate();
        // Not awaited: the contestant grains call back into this grain for the marking rules, which
        // cannot be served until activation has finished. Readers of the standings await it instead.
        _loaded = state.State.MarksEntered ? LoadTotalsAsync() : Task.CompletedTask;
        this.RegisterGrainTimer(OnTick, new GrainTimerCreationOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)) { Interleave = true });
        await Task.CompletedTask;
    }

    async Task LoadTotalsAsync()
    {
        var totals = await Task.WhenAll(state.State.Competitors.Keys.Select(id =>
            GrainFactory.GetGrain<IContestantGrain>(SkillKey.Contestant(_competition, _skill, id)).GetTotals()));
        foreach (var t in totals.Where(t => !_totals.TryGetValue(t.CompetitorId, out var known) || known.Version < t.Version))
        {
            _totals[t.CompetitorId] = t;
        }
        Recalculate();
    }

    Task OnTick(CancellationToken cancellationToken)
    {
        if (state.State.Visibility is { Mode: VisibilityMode.Frozen, FrozenAt: { } at } && state.State.FrozenSnapshot is null && clock.GetUtcNow() >= at)
        {
            state.State.FrozenSnapshot = _live! with { Mode = VisibilityMode.Frozen };
            return state.WriteStateAsync(cancellationToken);
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

    void Recalculate()
    {
        _dirty = false;
        var previous = _live;
        var options = new ScoringOptions { Judges = state.State.Judges };
        var competitors = state.State.Competitors.Values.OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
        var entries = competitors
            .Select(c => new CompetitorRaw(new Competitor(c.Id, c.MemberCode, this.GetPrimaryKeyString()), _totals.TryGetValue(c.Id, out var t) ? t.Raw : 0m))
            .ToList();
        var result = SkillResults.Rank(this.GetPrimaryKeyString(), entries, options);
        var byId = state.State.Competitors;
        var rows = result.Standings.Select(r => new StandingRow(r.Place, r.Competitor.Id, byId[r.Competitor.Id].Name, r.Competitor.MemberCode,
            // Ranked on the exact totals; shown to 2 places (docs/scoring.md, "Exact totals and rounding").
            Marks.RoundForDisplay(r.Raw), r.Scaled, r.Award.ToString(), byId[r.Competitor.Id].People)).ToList();
        if (previous is not null && previous.Rows.SequenceEqual(rows, StandingRowComparer.Instance) && previous.Mode == state.State.Visibility.Mode && previous.Published == state.State.Visibility.Published)
        {
            return;
        }
        _live = new Standings(_competition, _skill, ++_sequence, clock.GetUtcNow(), state.State.Visibility.Mode, state.State.Visibility.Published,
            rows, result.Scale.Median, result.Scale.Spread);
        Announce();
    }

    /// <summary>
    /// Pushes the new live standings to the jury and, only when what spectators may see changed, the
    /// public view: a frozen or hidden skill sends anonymous clients nothing newer than allowed.
    /// </summary>
    void Announce()
    {
        var publicView = PublicView();
        var publicChanged = _lastPublic is null || _lastPublic.Mode != publicView.Mode || _lastPublic.Published != publicView.Published
            || !_lastPublic.Rows.SequenceEqual(publicView.Rows, StandingRowComparer.Instance);
        if (publicChanged)
        {
            _lastPublic = publicView;
            GrainFactory.GetGrain<ICompetitionGrain>(_competition).SkillChanged(publicView).Ignore();
        }
        GrainFactory.GetGrain<ILeaderboardRegistryGrain>(0).Publish(_live!, publicChanged ? publicView : null).Ignore();
    }

    Standings PublicView()
    {
        var live = _live!;
        var visibility = state.State.Visibility;
        if (visibility.Published || visibility.Mode == VisibilityMode.Live)
        {
            return live;
        }
        if (visibility.Mode == VisibilityMode.Frozen && state.State.FrozenSnapshot is { } frozen)
        {
            // A frozen board keeps its rows as of T; only the sequence moves, so clients stay in step.
            return frozen with { Sequence = live.Sequence, Mode = VisibilityMode.Frozen };
        }
        return live with { Rows = Array.Empty<StandingRow>(), Mode = visibility.Mode, Median = 0, Spread = 0 };
    }

    Task<EventSummary> IEventGrain.GetSummary() => Task.FromResult(Summary());

    EventSummary Summary() => new(this.GetPrimaryKeyString(), state.State.SchemeJson is not null, state.State.Competitors.Count, state.State.Experts.Count,
        state.State.Groups.Count, state.State.Judges, state.State.AllowCompatriots, state.State.Visibility, state.State.Locks.Values.ToList());

    async Task<SetupResult> IEventGrain.SetScheme(string schemeJson, int judges, bool allowCompatriots, string actor)
    {
        var parsed = SchemeJson.Parse(schemeJson);
        if (!parsed.IsValid)
        {
            return new SetupResult(false, parsed.Problems.Select(p => new RowError(p.Row, p.Id is null ? p.Field : $"{p.Id}.{p.Field}", p.Message)).ToList(), 0);
        }
        if (judges is not (3 or 5))
        {
            return new SetupResult(false, new[] { new RowError(null, "judges", "A judgement group has 3 or 5 judges.") }, 0);
        }
        var canonical = SchemeJson.Write(parsed.Scheme!);
        if (canonical == state.State.SchemeJson && judges == state.State.Judges && allowCompatriots == state.State.AllowCompatriots)
        {
            return new SetupResult(false, Array.Empty<RowError>(), parsed.Scheme!.Aspects.Count());
        }
        if (state.State.MarksEntered && (canonical != state.State.SchemeJson || judges != state.State.Judges))
        {
            return new SetupResult(false, new[] { new RowError(null, "scheme", "Marks have already been entered in this skill; the marking scheme and the number of judges can no longer change.") }, 0);
        }
        state.State.SchemeJson = canonical;
        state.State.Judges = judges;
        state.State.AllowCompatriots = allowCompatriots;
        _scheme = parsed.Scheme;
        await SaveRulesAsync();
        await GrainFactory.GetGrain<ICompetitionGrain>(_competition).RegisterSkill(_skill);
        return new SetupResult(true, Array.Empty<RowError>(), parsed.Scheme!.Aspects.Count());
    }

    Task<string?> IEventGrain.GetSchemeJson() => Task.FromResult(state.State.SchemeJson);

    async Task<SetupResult> IEventGrain.ImportCompetitors(IReadOnlyList<CompetitorInfo> competitors, string actor)
    {
        var changed = competitors.Where(c => !state.State.Competitors.TryGetValue(c.Id, out var existing) || !SameCompetitor(existing, c)).ToList();
        if (changed.Count == 0)
        {
            return new SetupResult(false, Array.Empty<RowError>(), competitors.Count);
        }
        foreach (var c in changed)
        {
            state.State.Competitors[c.Id] = c;
        }
        await SaveRulesAsync();
        await GrainFactory.GetGrain<ICompetitionGrain>(_competition).RegisterSkill(_skill);
        Recalculate();
        return new SetupResult(true, Array.Empty<RowError>(), competitors.Count);
    }

    static bool SameCompetitor(CompetitorInfo a, CompetitorInfo b) =>
        a.Id == b.Id && a.MemberCode == b.MemberCode && a.Name == b.Name && a.People.SequenceEqual(b.People);

    async Task<SetupResult> IEventGrain.ImportExperts(IReadOnlyList<ExpertInfo> experts, string actor)
    {
        var changed = experts.Where(e => !state.State.Experts.TryGetValue(e.Id, out var existing) || existing != e).ToList();
        if (changed.Count == 0)
        {
            return new SetupResult(false, Array.Empty<RowError>(), experts.Count);
        }
        foreach (var e in changed)
        {
            state.State.Experts[e.Id] = e;
        }
        await SaveRulesAsync();
        return new SetupResult(true, Array.Empty<RowError>(), experts.Count);
    }

    async Task<SetupResult> IEventGrain.SetMarkingGroups(IReadOnlyList<MarkingGroup> groups, string actor)
    {
        var errors = new List<RowError>();
        var targets = _scheme is null ? null : KnownTargets(_scheme);
        for (var i = 0; i < groups.Count; i++)
        {
            foreach (var target in groups[i].Targets.Where(t => targets is not null && !targets.Contains(t)))
            {
                errors.Add(new RowError(i + 1, "targets", $"Group '{groups[i].Id}': '{target}' is not a criterion, sub-criterion or aspect of the marking scheme."));
            }
            foreach (var expert in groups[i].ExpertIds.Where(e => !state.State.Experts.ContainsKey(e)))
            {
                errors.Add(new RowError(i + 1, "experts", $"Group '{groups[i].Id}': expert '{expert}' is not registered in this skill."));
            }
        }
        if (targets is null)
        {
            errors.Add(new RowError(null, "scheme", "Import the marking scheme before the marking groups."));
        }
        if (errors.Count > 0)
        {
            return new SetupResult(false, errors, 0);
        }
        if (state.State.Groups.Count == groups.Count && state.State.Groups.Zip(groups).All(p => SameGroup(p.First, p.Second)))
        {
            return new SetupResult(false, Array.Empty<RowError>(), groups.Count);
        }
        state.State.Groups = [.. groups];
        await SaveRulesAsync();
        return new SetupResult(true, Array.Empty<RowError>(), groups.Count);
    }

    static bool SameGroup(MarkingGroup a, MarkingGroup b) =>
        a.Id == b.Id && a.Name == b.Name && a.Targets.SequenceEqual(b.Targets) && a.ExpertIds.SequenceEqual(b.ExpertIds);

    static HashSet<string> KnownTargets(MarkingScheme scheme)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in scheme.Criteria)
        {
            set.Add(c.Id);
            foreach (var s in c.SubCriteria)
            {
                set.Add(s.Id);
                foreach (var a in s.Aspects)
                {
                    set.Add(a.Id);
                }
            }
        }
        return set;
    }

    Task<IReadOnlyList<CompetitorInfo>> IEventGrain.GetCompetitors() =>
        Task.FromResult<IReadOnlyList<CompetitorInfo>>(state.State.Competitors.Values.OrderBy(c => c.Id, StringComparer.Ordinal).ToList());

    Task<IReadOnlyList<ExpertInfo>> IEventGrain.GetExperts() =>
        Task.FromResult<IReadOnlyList<ExpertInfo>>(state.State.Experts.Values.OrderBy(e => e.Id, StringComparer.Ordinal).ToList());

    Task<ExpertInfo?> IEventGrain.GetExpert(string expertId) => Task.FromResult(state.State.Experts.GetValueOrDefault(expertId));

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
        state.State.Groups.ToList(), state.State.Locks.Values.ToList());

    async Task SaveRulesAsync()
    {
        state.State.RulesVersion++;
        _rules = null;
        await state.WriteStateAsync();
    }

    async Task<bool> IEventGrain.Lock(string target, string actor)
    {
        if (state.State.Locks.ContainsKey(target))
        {
            return false;
        }
        state.State.Locks[target] = new LockInfo(target, actor, clock.GetUtcNow());
        await SaveRulesAsync();
        logger.LogInformation("{Skill}: {Target} locked by {Actor}", this.GetPrimaryKeyString(), target, actor);
        return true;
    }

    async Task<bool> IEventGrain.Unlock(string target, string reason, string actor)
    {
        if (!state.State.Locks.Remove(target))
        {
            return false;
        }
        await SaveRulesAsync();
        logger.LogInformation("{Skill}: {Target} unlocked by {Actor}: {Reason}", this.GetPrimaryKeyString(), target, actor, reason);
        return true;
    }

    async Task<Visibility> IEventGrain.SetVisibility(VisibilityMode mode, DateTimeOffset? frozenAt, string actor)
    {
        var now = clock.GetUtcNow();
        var at = mode == VisibilityMode.Frozen ? frozenAt ?? now : (DateTimeOffset?)null;
        state.State.Visibility = state.State.Visibility with { Mode = mode, FrozenAt = at };
        state.State.FrozenSnapshot = mode == VisibilityMode.Frozen && at <= now ? _live! with { Mode = VisibilityMode.Frozen } : null;
        await state.WriteStateAsync();
        _dirty = true;
        Recalculate();
        return state.State.Visibility;
    }

    async Task<Visibility> IEventGrain.Publish(string actor)
    {
        if (!state.State.Visibility.Published)
        {
            state.State.Visibility = state.State.Visibility with { Published = true, PublishedAt = clock.GetUtcNow() };
            await state.WriteStateAsync();
            Recalculate();
        }
        return state.State.Visibility;
    }

    async Task IEventGrain.TotalsChanged(ContestantTotals totals)
    {
        if (_totals.TryGetValue(totals.CompetitorId, out var known) && known.Version >= totals.Version)
        {
            return;
        }
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

public static class StorageNames
{
    /// <summary>The grain storage every SkillsHub grain uses (Orleans ADO.NET on PostgreSQL, JSON state).</summary>
    public const string Default = "skillshub";
}
