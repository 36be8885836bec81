using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using SkillsHub.Abstractions;
using SkillsHub.Domain.Marking;
using SkillsHub.Domain.Scoring;
using SkillsHub.Domain.Scoring.Import;

namespace SkillsHub.Grains;

[GenerateSerializer, Alias("SkillsHub.MeasurementRecord")]
public sealed class MeasurementRecord
{
    [Id(0), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public bool? Achieved { get; set; }
    [Id(1), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public decimal? Deviation { get; set; }
    [Id(2), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public List<int>? Deductions { get; set; }
    [Id(3)] public string ExpertId { get; set; } = "";

    public string Describe() =>
        Achieved is { } a ? (a ? "achieved" : "not achieved")
        : Deviation is { } d ? "deviation " + d.ToString(CultureInfo.InvariantCulture)
        : "deductions " + string.Join("/", Deductions ?? []);
}

/// <summary>
/// What a resend needs to get the first answer back. Written with every mark, so it is kept small (short
/// JSON names, no aspect states: those are recomputed): the order it was given in, accepted or not, when,
/// the raw total then, the aspects of the batch, and the refusals (rare).
/// </summary>
[GenerateSerializer, Alias("SkillsHub.StoredAnswer")]
public sealed class StoredAnswer
{
    [Id(0), JsonPropertyName("n")] public long Order { get; set; }
    [Id(1), JsonPropertyName("ok")] public bool Accepted { get; set; }
    [Id(2), JsonPropertyName("t")] public long AtUnixMilliseconds { get; set; }
    [Id(3), JsonPropertyName("raw")] public decimal RawTotal { get; set; }
    [Id(4), JsonPropertyName("a")] public List<string> AspectIds { get; set; } = [];
    [Id(5), JsonPropertyName("no"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public List<MarkRefusal>? Refusals { get; set; }
}

[GenerateSerializer, Alias("SkillsHub.ContestantState")]
public sealed class ContestantState
{
    [Id(0)] public Dictionary<string, MeasurementRecord> Measurements { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Aspect id -> expert id -> that expert's judgement score.</summary>
    [Id(1)] public Dictionary<string, Dictionary<string, int>> Judgements { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The latest answers by "expert|idempotency key", so a resent batch gets the first answer.</summary>
    [Id(2)] public Dictionary<string, StoredAnswer> Recent { get; set; } = new(StringComparer.Ordinal);

    [Id(4)] public long Version { get; set; }

    /// <summary>Counts every answer given, accepted or refused, to order <see cref="Recent"/>.</summary>
    [Id(5)] public long Answered { get; set; }
}

/// <summary>
/// One competitor's (or team's) mark sheet. One activation serialises every write, so three judges
/// scoring the same aspect at once see one consistent set; a batch is acknowledged only after
/// WriteStateAsync returned.
/// </summary>
[GrainType("contestant")]
public sealed class ContestantGrain(
    [PersistentState("contestant", StorageNames.Default)] IPersistentState<ContestantState> state,
    AuditLog audit,
    ILogger<ContestantGrain> logger,
    TimeProvider clock) : Grain, IContestantGrain
{
    // A tablet's outbox sends one mark at a time, oldest first, and resends until answered, so a resend
    // is for the expert's latest batch: a few answers per expert (several tablets, other clients) are kept
    // and older ones forgotten, because the state is written with every mark and must stay small.
    const int AnswersKeptPerExpert = 4;
    const int AnswersKept = 64;

    string _competition = "";
    int _skill;
    string _competitorId = "";
    MarkingRules? _rules;
    MarkingScheme? _scheme;
    CompetitorTotals? _lastTotals;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var last = key.LastIndexOf('/');
        (_competition, _skill) = SkillKey.Parse(key[..last]);
        _competitorId = key[(last + 1)..];
        return Task.CompletedTask;
    }

    IEventGrain Event => GrainFactory.GetGrain<IEventGrain>(SkillKey.Format(_competition, _skill));

    async Task<MarkingRules> RulesAsync()
    {
        var fresh = await Event.GetRules(_rules?.Version ?? -1);
        if (fresh is not null)
        {
            _rules = fresh;
            _scheme = fresh.SchemeJson is null ? null : SchemeJson.Parse(fresh.SchemeJson).Scheme;
        }
        return _rules!;
    }

    async Task<MarkBatchResult> IContestantGrain.Submit(MarkBatch batch)
    {
        var answerKey = batch.ExpertId + "|" + batch.IdempotencyKey;
        var rules = await RulesAsync();
        if (state.State.Recent.TryGetValue(answerKey, out var first))
        {
            var now0 = Totals(rules);
            return new MarkBatchResult(first.Accepted, (IReadOnlyList<MarkRefusal>?)first.Refusals ?? Array.Empty<MarkRefusal>(),
                first.Accepted ? first.AspectIds.Select(a => AspectStateOf(a, rules, now0)).ToList() : Array.Empty<AspectState>(), first.RawTotal, true,
                DateTimeOffset.FromUnixTimeMilliseconds(first.AtUnixMilliseconds));
        }

        var refusals = Check(rules, batch);
        // Whole milliseconds, as the answer is stored for a resend.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds());
        MarkBatchResult answer;
        var trail = new List<AuditEntry>();
        if (refusals.Count > 0)
        {
            answer = new MarkBatchResult(false, refusals, Array.Empty<AspectState>(), Totals(rules).Raw, false, now);
            trail.AddRange(refusals.Select(r => Entry(batch, r.AspectId, "mark", "refused:" + r.Kind, null,
                batch.Marks.FirstOrDefault(m => m.AspectId == r.AspectId) is { } m ? Describe(m) : null, r.Message)));
        }
        else
        {
            foreach (var mark in batch.Marks)
            {
                var old = Current(mark.AspectId, batch.ExpertId);
                Apply(mark, batch.ExpertId);
                trail.Add(Entry(batch, mark.AspectId, "mark", "accepted", old, Describe(mark), null));
            }
            state.State.Version++;
            var totals = _lastTotals = Totals(rules);
            answer = new MarkBatchResult(true, Array.Empty<MarkRefusal>(), batch.Marks.Select(m => AspectStateOf(m.AspectId, rules, totals)).ToList(), totals.Raw, false, now);
        }

        Remember(answerKey, answer, batch);
        try
        {
            // The audit trail is written ahead of the state, so every acknowledged write is in it; its
            // commit does not wait for the disk, the state's synchronous commit right after flushes both.
            await WriteAuditAsync(trail);
        }
        catch
        {
            // The batch is already applied in memory: drop this activation so a resend (same key) is
            // checked against what storage holds, not acknowledged as a replay of an unsaved answer.
            DeactivateOnIdle();
            throw;
        }
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            DeactivateOnIdle();
            logger.LogError(e, "Mark sheet write failed for {Competitor}; nothing acknowledged", _competitorId);
            await WriteAuditAsync([Entry(batch, null, "mark", "write-failed", null, null, e.GetType().Name)]);
            throw;
        }
        if (answer.Accepted)
        {
            Event.TotalsChanged(ToContestantTotals(_lastTotals!)).Ignore();
        }
        return answer;
    }

    IReadOnlyList<MarkRefusal> Check(MarkingRules rules, MarkBatch batch)
    {
        if (_scheme is null)
        {
            return new[] { new MarkRefusal(null, RefusalKind.NoScheme, "This skill has no marking scheme yet.") };
        }
        if (!rules.Competitors.TryGetValue(_competitorId, out var competitor))
        {
            return new[] { new MarkRefusal(null, RefusalKind.UnknownCompetitor, $"Competitor '{_competitorId}' is not registered in skill {_skill} of {_competition}.") };
        }
        if (!rules.Experts.TryGetValue(batch.ExpertId, out var expert))
        {
            return new[] { new MarkRefusal(null, RefusalKind.UnknownExpert, $"Expert '{batch.ExpertId}' is not registered in skill {_skill} of {_competition}.") };
        }
        if (batch.Marks.Count == 0)
        {
            return new[] { new MarkRefusal(null, RefusalKind.OutOfRange, "The batch holds no marks.") };
        }
        var context = new MarkingContext(_scheme, rules.Judges, rules.AllowCompatriots, expert.Id, expert.MemberCode, competitor.MemberCode,
            rules.Groups.Select(g => new Assignment(g.Targets.ToHashSet(StringComparer.Ordinal), g.ExpertIds.ToHashSet(StringComparer.Ordinal))).ToList(),
            rules.Locks.Select(l => l.Target).ToHashSet(StringComparer.Ordinal));
        var proposed = batch.Marks.Select(m => new ProposedMark(m.AspectId, m.Achieved, m.Deviation, m.Deductions, m.Score)).ToList();
        return MarkRules.Check(context, proposed, ScoresOf)
            .Select(r => new MarkRefusal(r.AspectId, (RefusalKind)(int)r.Reason, r.Message, r.Scores?.ToArray()))
            .ToList();
    }

    IReadOnlyDictionary<string, int> ScoresOf(string aspectId) =>
        state.State.Judgements.TryGetValue(aspectId, out var scores) ? scores : new Dictionary<string, int>();

    void Apply(MarkEntry mark, string expertId)
    {
        if (mark.Score is { } score)
        {
            if (!state.State.Judgements.TryGetValue(mark.AspectId, out var scores))
            {
                state.State.Judgements[mark.AspectId] = scores = new Dictionary<string, int>(StringComparer.Ordinal);
            }
            scores[expertId] = score;
            return;
        }
        // A later measurement by another assigned expert replaces the earlier one; both stay in the audit trail.
        state.State.Measurements[mark.AspectId] = new MeasurementRecord
        {
            Achieved = mark.Achieved,
            Deviation = mark.Deviation,
            Deductions = mark.Deductions?.ToList(),
            ExpertId = expertId,
        };
    }

    string? Current(string aspectId, string expertId) =>
        state.State.Judgements.TryGetValue(aspectId, out var scores) && scores.TryGetValue(expertId, out var s) ? "score " + s
        : state.State.Measurements.TryGetValue(aspectId, out var m) ? m.Describe()
        : null;

    static string Describe(MarkEntry m) =>
        m.Score is { } s ? "score " + s
        : m.Achieved is { } a ? (a ? "achieved" : "not achieved")
        : m.Deviation is { } d ? "deviation " + d.ToString(CultureInfo.InvariantCulture)
        : "deductions " + string.Join("/", m.Deductions ?? []);

    void Remember(string key, MarkBatchResult answer, MarkBatch batch)
    {
        var recent = state.State.Recent;
        recent[key] = new StoredAnswer
        {
            Order = ++state.State.Answered,
            Accepted = answer.Accepted,
            AtUnixMilliseconds = answer.At.ToUnixTimeMilliseconds(),
            RawTotal = answer.RawTotal,
            Refusals = answer.Accepted ? null : answer.Refusals.ToList(),
            AspectIds = batch.Marks.Select(m => m.AspectId).ToList(),
        };
        var expert = batch.ExpertId + "|";
        var experts = recent.Where(a => a.Key.StartsWith(expert, StringComparison.Ordinal)).ToList();
        if (experts.Count > AnswersKeptPerExpert)
        {
            recent.Remove(experts.MinBy(a => a.Value.Order).Key);
        }
        if (recent.Count > AnswersKept)
        {
            recent.Remove(recent.MinBy(a => a.Value.Order).Key);
        }
    }

    AuditEntry Entry(MarkBatch batch, string? aspectId, string action, string outcome, string? oldValue, string? newValue, string? reason) =>
        new(_competition, _skill, _competitorId, aspectId, batch.ExpertId, batch.Device, action, outcome, oldValue, newValue, reason, batch.IdempotencyKey);

    async Task WriteAuditAsync(List<AuditEntry> trail)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await audit.WriteAsync(trail, flushedByNextCommit: true);
                return;
            }
            catch (Exception e) when (attempt < 3 && e is Npgsql.NpgsqlException or TimeoutException)
            {
                logger.LogWarning(e, "Audit write failed (attempt {Attempt}); retrying", attempt);
                await Task.Delay(100 * attempt);
            }
        }
    }

    MarkSheet Sheet() => new(
        _competitorId,
        state.State.Measurements.ToDictionary(m => m.Key, m => MarkRules.ToInput(new ProposedMark(m.Key, m.Value.Achieved, m.Value.Deviation, m.Value.Deductions)), StringComparer.Ordinal),
        state.State.Judgements.ToDictionary(j => j.Key, j => new JudgementSet(j.Value), StringComparer.Ordinal));

    CompetitorTotals Totals(MarkingRules rules) =>
        _scheme is null
            ? new CompetitorTotals(_competitorId, 0m, new Dictionary<string, decimal>(), new Dictionary<string, decimal>(), new Dictionary<string, decimal>(), [])
            : CompetitorTotalsCalculator.Compute(_scheme, Sheet(), rules.Judges);

    AspectState AspectStateOf(string aspectId, MarkingRules rules, CompetitorTotals totals)
    {
        var received = state.State.Judgements.TryGetValue(aspectId, out var scores) ? scores.Count : state.State.Measurements.ContainsKey(aspectId) ? 1 : 0;
        var isJudgement = state.State.Judgements.ContainsKey(aspectId);
        var mark = totals.AspectMarks.TryGetValue(aspectId, out var m) ? m : (decimal?)null;
        var complete = isJudgement ? received == rules.Judges && totals.Pending.All(p => AspectOf(p) != aspectId) : received > 0;
        return new AspectState(aspectId, complete ? mark : null, received, isJudgement ? rules.Judges : 1, complete);
    }

    static string? AspectOf(MarkOutcome outcome) => outcome switch
    {
        MarkOutcome.Incomplete i => i.AspectId,
        MarkOutcome.SpreadViolation s => s.AspectId,
        MarkOutcome.Invalid v => v.AspectId,
        _ => null,
    };

    ContestantTotals ToContestantTotals(CompetitorTotals totals) => new(
        _competitorId, totals.Raw, new Dictionary<string, decimal>(totals.Criteria), CompleteAspects(), state.State.Version);

    int CompleteAspects() =>
        state.State.Measurements.Count + state.State.Judgements.Count(j => j.Value.Count == (_rules?.Judges ?? JudgementSet.DefaultJudges));

    async Task<ContestantSheet> IContestantGrain.GetSheet()
    {
        var rules = await RulesAsync();
        var totals = Totals(rules);
        var ids = state.State.Measurements.Keys.Concat(state.State.Judgements.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var aspects = ids.Select(id =>
        {
            var scores = state.State.Judgements.TryGetValue(id, out var s) ? s.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => new JudgeScore(x.Key, x.Value)).ToList() : new List<JudgeScore>();
            var measurement = state.State.Measurements.GetValueOrDefault(id);
            var spread = scores.Count >= 2 && scores.Max(x => x.Score) - scores.Min(x => x.Score) > 1;
            var complete = measurement is not null || scores.Count == rules.Judges && !spread;
            return new AspectSheet(id, complete && totals.AspectMarks.TryGetValue(id, out var mark) ? mark : null, scores, measurement?.Describe(), measurement?.ExpertId, complete, spread);
        }).ToList();
        return new ContestantSheet(_competitorId, totals.Raw, new Dictionary<string, decimal>(totals.Criteria), aspects, state.State.Version);
    }

    async Task<ContestantTotals> IContestantGrain.GetTotals() => ToContestantTotals(Totals(await RulesAsync()));
}
