using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using SkillsHub.Abstractions;
using SkillsHub.Domain.Marking;
using SkillsHub.Domain.Scoring;
using SkillsHub.Storage;

namespace SkillsHub.Grains;

/// <summary>
/// The first answer to a batch, kept with its Idempotency-Key for the life of the competition (short
/// JSON names: it is written with every batch). A replay gives it whole, the aspects' states as they were
/// (docs/scoring.md, "Idempotency"); only answers stored before the states were kept have them recomputed.
/// </summary>
public sealed class StoredAnswer
{
    [JsonPropertyName("ok")] public bool Accepted { get; set; }
    [JsonPropertyName("t")] public long AtUnixMilliseconds { get; set; }
    [JsonPropertyName("raw")] public decimal RawTotal { get; set; }
    [JsonPropertyName("a")] public List<string> AspectIds { get; set; } = [];
    [JsonPropertyName("sup"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public List<string>? Superseded { get; set; }
    [JsonPropertyName("no"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public List<MarkRefusal>? Refusals { get; set; }
    [JsonPropertyName("st"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public List<AspectState>? States { get; set; }
}

/// <summary>
/// One competitor's (or team's) mark sheet. One activation serialises every write, so three judges
/// scoring the same aspect at once see one consistent set. A batch is acknowledged only after its one
/// transaction (key record, audit rows, entries; <see cref="MarkStore"/>) committed; the in-memory sheet
/// changes only after that (docs/scoring.md, "Idempotency").
/// </summary>
[GrainType("contestant")]
public sealed partial class ContestantGrain(MarkStore store, AuditLog audit, ILogger<ContestantGrain> logger, TimeProvider clock) : Grain, IContestantGrain
{
    static readonly JsonSerializerOptions AnswerJson = new(JsonSerializerDefaults.Web);

    // Answers given by this activation, so a tablet's resend needs no database read. Every key stays
    // answerable from skillshub.mark_requests; this is only a cache.
    const int AnswersCached = 256;
    readonly Dictionary<string, (byte[] Hash, StoredAnswer Answer)> _answers = new(StringComparer.Ordinal);

    /// <summary>Aspect id -> expert id -> that expert's current entry.</summary>
    readonly Dictionary<string, Dictionary<string, StoredEntry>> _entries = new(StringComparer.Ordinal);
    long _version;

    string _competition = "";
    int _skill;
    string _competitorId = "";
    MarkingRules? _rules;
    MarkingScheme? _scheme;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var last = key.LastIndexOf('/');
        (_competition, _skill) = SkillKey.Parse(key[..last]);
        _competitorId = key[(last + 1)..];
        var (version, entries) = await store.LoadAsync(_competition, _skill, _competitorId, cancellationToken);
        _version = version;
        foreach (var e in entries)
        {
            Put(e);
        }
    }

    IEventGrain Event => _event ??= GrainFactory.GetGrain<IEventGrain>(SkillKey.Format(_competition, _skill));

    IEventGrain? _event;

    async Task<MarkingRules> RulesAsync()
    {
        var fresh = await Event.GetRules(_rules?.Version ?? -1);
        if (fresh is not null)
        {
            _rules = fresh;
            _scheme = fresh.Scheme;
        }
        return _rules!;
    }

    /// <summary>How many times a batch is checked again when the skill's rules changed while it was being written.</summary>
    const int RuleChangeAttempts = 5;

    async Task<MarkBatchResult> IContestantGrain.Submit(MarkBatch batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await SubmitUnderCurrentRulesAsync(batch);
            }
            catch (Exception e) when (MarkStore.IsRulesChanged(e) && attempt < RuleChangeAttempts)
            {
                // The scheme, a lock, a group or a roster changed after the batch was checked (docs/scoring.md, "Rule
                // changes and marks in flight"): nothing was written; check it again under the rules now in force.
                logger.LogInformation("The marking rules of {Competitor}'s skill changed while a batch was written; checking it again", _competitorId);
            }
        }
    }

    async Task<MarkBatchResult> SubmitUnderCurrentRulesAsync(MarkBatch batch)
    {
        var rules = await RulesAsync();
        var hash = Fingerprint(batch);
        var answerKey = batch.ExpertId + "|" + batch.IdempotencyKey;
        if (_answers.TryGetValue(answerKey, out var known))
        {
            return await AnswerKnownKeyAsync(batch, hash, known.Hash, known.Answer, rules);
        }

        // Whole milliseconds, as the answer is stored for a resend.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds());
        var plan = Plan(rules, batch, now);
        var stored = plan.Answer;
        try
        {
            await store.CommitAsync(new MarkWrite(_competition, _skill, _competitorId,
                new KeyRecord(batch.ExpertId, batch.IdempotencyKey, _competitorId, hash, JsonSerializer.Serialize(stored, AnswerJson)),
                plan.Audit, plan.Changes, _version, plan.Changes.Count > 0 ? _version + 1 : _version, rules.Version));
        }
        catch (Exception e) when (MarkStore.IsKeyUsed(e))
        {
            // The key was used before: by an earlier activation of this sheet, or for another competitor.
            var record = await store.FindKeyAsync(_competition, _skill, batch.ExpertId, batch.IdempotencyKey)
                ?? throw new InvalidOperationException("An Idempotency-Key reported as used was not found.", e);
            var first = JsonSerializer.Deserialize<StoredAnswer>(record.AnswerJson, AnswerJson)!;
            if (record.CompetitorId == _competitorId)
            {
                Cache(answerKey, record.RequestHash, first);
            }
            return await AnswerKnownKeyAsync(batch, hash, record.RequestHash, first, rules);
        }
        catch (Exception e) when (!MarkStore.IsRulesChanged(e))
        {
            // Unknown outcome (the commit may or may not have happened) or another activation wrote
            // first: reload from storage before the next batch; a resend with the same key is answered
            // from skillshub.mark_requests.
            DeactivateOnIdle();
            logger.LogWarning(e, "Mark write for {Competitor} failed; nothing acknowledged", _competitorId);
            throw;
        }

        foreach (var change in plan.Changes)
        {
            Put(change);
        }
        if (plan.Changes.Count > 0)
        {
            _version++;
        }
        Cache(answerKey, hash, stored);
        if (plan.Changes.Count > 0)
        {
            await ReportTotalsAsync(ToContestantTotals(plan.Totals, now));
        }
        return Result(stored, rules, plan.Totals, replayed: false);
    }

    /// <summary>
    /// The skill's grain takes the new totals before the batch is acknowledged, so the live standings, results.csv and a
    /// publish that follow the acknowledgement include it (docs/scoring.md, "Durability"). The batch is durable already: should
    /// the skill's grain not answer, it is acknowledged all the same; the skill's grain reads every sheet's totals when it is
    /// next activated.
    /// </summary>
    async Task ReportTotalsAsync(ContestantTotals totals)
    {
        try
        {
            await Event.TotalsChanged(totals);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "The skill's grain did not take {Competitor}'s new totals; the batch is stored and acknowledged", _competitorId);
        }
    }

    /// <summary>Same key and same request: the first answer. Same key, another request: refused, nothing changed, audited.</summary>
    async Task<MarkBatchResult> AnswerKnownKeyAsync(MarkBatch batch, byte[] hash, byte[] firstHash, StoredAnswer first, MarkingRules rules)
    {
        if (CryptographicOperations.FixedTimeEquals(hash, firstHash))
        {
            return Result(first, rules, Totals(rules), replayed: true);
        }
        var refusal = new MarkRefusal(null, RefusalKind.KeyReused,
            $"Idempotency-Key '{batch.IdempotencyKey}' was already used by this expert for a different request; nothing was changed. Send a new key for a new batch.");
        await audit.WriteAsync([Entry(batch, batch.Marks.FirstOrDefault()?.AspectId, "refused:" + RefusalKind.KeyReused, null, Summary(batch.Marks), refusal.Message, AspectsOf(batch.Marks))]);
        return new MarkBatchResult(false, [refusal], [], Totals(rules).Raw, false, clock.GetUtcNow());
    }

    /// <summary>The answer, the rows to write, and the totals the sheet has once they are written.</summary>
    sealed record BatchPlan(StoredAnswer Answer, List<AuditEntry> Audit, List<StoredEntry> Changes, CompetitorTotals Totals);

    /// <summary>
    /// What the batch would do, without doing it: stale entries are superseded (skipped), the rest are
    /// checked all-or-nothing; one audit row per changed entry, or one row for the refused or superseded
    /// batch (docs/scoring.md, "Audit").
    /// </summary>
    BatchPlan Plan(MarkingRules rules, MarkBatch batch, DateTimeOffset now)
    {
        var answer = new StoredAnswer { AtUnixMilliseconds = now.ToUnixTimeMilliseconds(), AspectIds = batch.Marks.Select(m => m.AspectId).ToList() };
        var trail = new List<AuditEntry>();
        var changes = new List<StoredEntry>();
        // Ordered by the stamp, but never later than the arrival (docs/scoring.md, "Order").
        var orderedAt = MarkOrder.OrderedAt(batch.CreatedAt, now);
        var stamp = new MarkStamp(orderedAt, batch.Device, batch.DeviceSequence);
        var fresh = new List<MarkEntry>();
        var superseded = new List<string>();
        foreach (var mark in batch.Marks)
        {
            IEnumerable<StoredEntry> stored = _entries.TryGetValue(mark.AspectId, out var byExpert) ? byExpert.Values : [];
            var ownScore = stored.FirstOrDefault(e => e.ExpertId == batch.ExpertId && e.Score is not null);
            if (MarkOrder.IsStale(stamp, isMeasurement: mark.Score is null, ownScore is null ? null : StampOf(ownScore),
                stored.Where(e => e.Score is null).Select(StampOf)))
            {
                superseded.Add(mark.AspectId);
            }
            else
            {
                fresh.Add(mark);
            }
        }
        answer.Superseded = superseded.Count > 0 ? superseded : null;

        // The whole batch meets the rules, its stale marks too: a batch is refused or applied whole (docs/scoring.md, "Order").
        var refusals = Check(rules, batch, superseded.ToHashSet(StringComparer.Ordinal), now);
        if (refusals.Count > 0)
        {
            var unchanged = Totals(rules);
            answer.Accepted = false;
            answer.Refusals = refusals.ToList();
            answer.RawTotal = unchanged.Raw;
            var kinds = string.Join(",", refusals.Select(r => r.Kind.ToString()).Distinct());
            trail.Add(Entry(batch, refusals[0].AspectId ?? batch.Marks.FirstOrDefault()?.AspectId, "refused:" + kinds, null, Summary(batch.Marks),
                string.Join("\n", refusals.Select(r => (r.AspectId is null ? "" : r.AspectId + ": ") + r.Message)), AspectsOf(batch.Marks)));
            return new BatchPlan(answer, trail, changes, unchanged);
        }
        if (superseded.Count > 0)
        {
            // What the stale marks sent, as a refused row keeps it (an outside tester: only the aspect ids were kept).
            var stale = batch.Marks.Where(m => superseded.Contains(m.AspectId)).ToList();
            trail.Add(Entry(batch, superseded[0], "superseded", null, Summary(stale),
                "Created before the stored entry it would replace (this judge's score, or the aspect's measurement by any expert); nothing changed.",
                AspectsOf(stale)));
        }
        foreach (var mark in fresh)
        {
            // An unstamped batch counts as created when it arrived: a tablet's batch queued before it never overwrites it
            // (docs/scoring.md, "Order").
            var entry = new StoredEntry(mark.AspectId, batch.ExpertId, mark.Score, mark.Achieved, mark.Deviation, mark.Deductions?.ToList(),
                orderedAt ?? now, batch.Device, batch.DeviceSequence, _version + 1);
            trail.Add(Entry(batch, mark.AspectId, "accepted", CurrentValue(mark.AspectId, batch.ExpertId), Describe(entry), null));
            changes.Add(entry);
        }
        answer.Accepted = fresh.Count > 0;
        var totals = TotalsWith(rules, changes);
        answer.RawTotal = totals.Raw;
        if (answer.Accepted)
        {
            answer.States = answer.AspectIds.Where(a => !superseded.Contains(a)).Select(a => AspectStateOf(a, rules, totals, changes)).ToList();
        }
        return new BatchPlan(answer, trail, changes, totals);
    }

    IReadOnlyDictionary<string, int> ScoresOf(string aspectId) =>
        _entries.TryGetValue(aspectId, out var byExpert)
            ? byExpert.Values.Where(e => e.Score is not null).ToDictionary(e => e.ExpertId, e => e.Score!.Value, StringComparer.Ordinal)
            : new Dictionary<string, int>();

    static MarkStamp StampOf(StoredEntry e) => new(e.CreatedAt, e.Device, e.DeviceSequence);

    void Put(StoredEntry entry)
    {
        if (!_entries.TryGetValue(entry.AspectId, out var byExpert))
        {
            _entries[entry.AspectId] = byExpert = new Dictionary<string, StoredEntry>(StringComparer.Ordinal);
        }
        byExpert[entry.ExpertId] = entry;
        Refresh(entry.AspectId);
    }

    /// <summary>A measurement aspect's value is the entry changed last, whoever entered it.</summary>
    static StoredEntry? Measurement(IEnumerable<StoredEntry> entries) =>
        entries.Where(e => e.Score is null).MaxBy(e => e.Changed);

    string? CurrentValue(string aspectId, string expertId)
    {
        if (!_entries.TryGetValue(aspectId, out var byExpert))
        {
            return null;
        }
        if (byExpert.TryGetValue(expertId, out var own) && own.Score is not null)
        {
            return Describe(own);
        }
        return Measurement(byExpert.Values) is { } m ? Describe(m) : null;
    }

    static string Describe(StoredEntry e) =>
        e.Score is { } s ? "score " + s.ToString(CultureInfo.InvariantCulture)
        : e.Achieved is { } a ? (a ? "achieved" : "not achieved")
        : e.Deviation is { } d ? "deviation " + Marks.FormatPlain(d)
        : "deductions " + string.Join("/", e.Deductions ?? []);

    /// <summary>What refused or stale marks sent, mark by mark: every value given, or "no value" (an outside tester: the
    /// trail showed "deductions" for a mark with none, and only the first of several values).</summary>
    static string Summary(IReadOnlyList<MarkEntry> marks) =>
        string.Join("; ", marks.Take(20).Select(m => m.AspectId + " " + Sent(m)))
        + (marks.Count > 20 ? $"; ... ({marks.Count} marks)" : "");

    static string Sent(MarkEntry m)
    {
        var given = new List<string>(4);
        if (m.Score is { } s)
        {
            given.Add("score " + s.ToString(CultureInfo.InvariantCulture));
        }
        if (m.Achieved is { } a)
        {
            given.Add(a ? "achieved" : "not achieved");
        }
        if (m.Deviation is { } d)
        {
            given.Add("deviation " + Marks.FormatPlain(d));
        }
        if (m.Deductions is { } deductions)
        {
            given.Add("deductions " + string.Join("/", deductions));
        }
        return given.Count == 0 ? "no value" : string.Join(", ", given);
    }

    /// <summary>
    /// SHA-256 of the request's meaning (competitor, stamp, marks by aspect with normalised values), so a
    /// resend matches whatever its JSON formatting, and any other request under the same key does not.
    /// </summary>
    static byte[] Fingerprint(MarkBatch batch)
    {
        var text = new StringBuilder()
            .Append(batch.CompetitorId).Append('\n')
            .Append(batch.CreatedAt?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(batch.DeviceSequence?.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var m in batch.Marks.OrderBy(m => m.AspectId, StringComparer.Ordinal))
        {
            text.Append(m.AspectId).Append('|')
                .Append(m.Achieved switch { true => "t", false => "f", null => "" }).Append('|')
                .Append(m.Deviation is { } d ? Marks.FormatPlain(d) : "").Append('|')
                .Append(m.Deductions is null ? "" : "[" + string.Join(",", m.Deductions) + "]").Append('|')
                .Append(m.Score?.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
    }

    void Cache(string key, byte[] hash, StoredAnswer answer)
    {
        if (_answers.Count >= AnswersCached)
        {
            _answers.Clear();
        }
        _answers[key] = (hash, answer);
    }

    MarkBatchResult Result(StoredAnswer answer, MarkingRules rules, CompetitorTotals totals, bool replayed) => new(
        answer.Accepted,
        (IReadOnlyList<MarkRefusal>?)answer.Refusals ?? [],
        !answer.Accepted ? []
            : answer.States ?? answer.AspectIds.Where(a => answer.Superseded?.Contains(a) != true).Select(a => AspectStateOf(a, rules, totals)).ToList(),
        Marks.RoundForDisplay(answer.RawTotal),
        replayed,
        DateTimeOffset.FromUnixTimeMilliseconds(answer.AtUnixMilliseconds),
        answer.Superseded);

    AuditEntry Entry(MarkBatch batch, string? aspectId, string outcome, string? oldValue, string? newValue, string? reason, IReadOnlyList<string>? aspects = null) =>
        new(_competition, _skill, _competitorId, aspectId, batch.ExpertId, batch.Device, "mark", outcome, oldValue, newValue, reason, batch.IdempotencyKey, aspects);

    /// <summary>Every aspect a row about several marks is about, so the trail filtered by any of them shows it (docs/scoring.md, "Audit").</summary>
    static IReadOnlyList<string> AspectsOf(IReadOnlyList<MarkEntry> marks) => marks.Select(m => m.AspectId).Distinct(StringComparer.Ordinal).ToList();
}
