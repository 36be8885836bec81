using SkillsHub.Abstractions;
using SkillsHub.Domain.Marking;
using SkillsHub.Domain.Scoring;
using SkillsHub.Storage;

namespace SkillsHub.Grains;

/// <summary>The contestant grain's sheet: its entries as the Domain's mark sheet, the totals, and the views of both.</summary>
public sealed partial class ContestantGrain
{
    // Each aspect's Domain input (a judgement set, or the measurement in force), kept in step with _entries by
    // Refresh, so a batch's totals are computed without rebuilding the inputs of the aspects it does not touch.
    readonly Dictionary<string, JudgementSet> _judgements = new(StringComparer.Ordinal);
    readonly Dictionary<string, MeasurementInput> _measurements = new(StringComparer.Ordinal);

    void Refresh(string aspectId) => Apply(aspectId, _entries[aspectId].Values, _judgements, _measurements);

    /// <summary>The aspect's input from its entries: the judges' scores if any, else the measurement changed last.</summary>
    static void Apply(string aspectId, IEnumerable<StoredEntry> entries, Dictionary<string, JudgementSet> judgements, Dictionary<string, MeasurementInput> measurements)
    {
        judgements.Remove(aspectId);
        measurements.Remove(aspectId);
        var scores = entries.Where(e => e.Score is not null).Select(e => KeyValuePair.Create(e.ExpertId, e.Score!.Value)).ToList();
        if (scores.Count > 0)
        {
            judgements[aspectId] = new JudgementSet(scores);
        }
        else if (Measurement(entries) is { } m)
        {
            measurements[aspectId] = MarkRules.ToInput(new ProposedMark(aspectId, m.Achieved, m.Deviation, m.Deductions));
        }
    }

    /// <summary>The sheet as the Domain sees it, with <paramref name="pending"/> (a batch's new entries) applied over the stored ones.</summary>
    MarkSheet Sheet(IReadOnlyList<StoredEntry>? pending = null)
    {
        var judgements = new Dictionary<string, JudgementSet>(_judgements, StringComparer.Ordinal);
        var measurements = new Dictionary<string, MeasurementInput>(_measurements, StringComparer.Ordinal);
        foreach (var batch in (pending ?? []).GroupBy(p => p.AspectId, StringComparer.Ordinal))
        {
            var byExpert = _entries.TryGetValue(batch.Key, out var current)
                ? new Dictionary<string, StoredEntry>(current, StringComparer.Ordinal)
                : new Dictionary<string, StoredEntry>(StringComparer.Ordinal);
            foreach (var p in batch)
            {
                byExpert[p.ExpertId] = p;
            }
            Apply(batch.Key, byExpert.Values, judgements, measurements);
        }
        return new MarkSheet(_competitorId, measurements, judgements);
    }

    CompetitorTotals Totals(MarkingRules rules) => TotalsWith(rules, null);

    CompetitorTotals TotalsWith(MarkingRules rules, IReadOnlyList<StoredEntry>? pending) =>
        _scheme is null
            ? new CompetitorTotals(_competitorId, 0m, new Dictionary<string, decimal>(), new Dictionary<string, decimal>(), new Dictionary<string, decimal>(), [])
            : CompetitorTotalsCalculator.Compute(_scheme, Sheet(pending), rules.Judges);

    /// <summary>The entries the aspect has, with <paramref name="pending"/> (a batch's new entries) applied over the stored ones.</summary>
    int Received(string aspectId, IReadOnlyList<StoredEntry>? pending, out bool isJudgement)
    {
        var byExpert = _entries.TryGetValue(aspectId, out var stored)
            ? new Dictionary<string, StoredEntry>(stored, StringComparer.Ordinal)
            : new Dictionary<string, StoredEntry>(StringComparer.Ordinal);
        foreach (var entry in (pending ?? []).Where(p => p.AspectId == aspectId))
        {
            byExpert[entry.ExpertId] = entry;
        }
        var scores = byExpert.Values.Count(e => e.Score is not null);
        isJudgement = scores > 0;
        return isJudgement ? scores : Math.Min(byExpert.Count, 1);
    }

    /// <summary>
    /// Complete = the Domain accepted a mark for the aspect (a whole judgement set within the spread, or a measurement);
    /// <paramref name="pending"/> gives the state once a batch's entries are written (<see cref="Sheet"/>).
    /// </summary>
    AspectState AspectStateOf(string aspectId, MarkingRules rules, CompetitorTotals totals, IReadOnlyList<StoredEntry>? pending = null)
    {
        var received = Received(aspectId, pending, out var isJudgement);
        var complete = totals.AspectMarks.TryGetValue(aspectId, out var mark);
        return new AspectState(aspectId, complete ? Marks.RoundForDisplay(mark) : null, received, isJudgement ? rules.Judges : 1, complete);
    }

    ContestantTotals ToContestantTotals(CompetitorTotals totals, DateTimeOffset changedAt) => new(
        _competitorId, totals.Raw, new Dictionary<string, decimal>(totals.Criteria), totals.AspectMarks.Count, _version, changedAt);

    async Task<ContestantSheet?> IContestantGrain.GetSheet()
    {
        var rules = await RulesAsync();
        if (_entries.Count == 0 && !rules.Competitors.ContainsKey(_competitorId))
        {
            return null;
        }
        var totals = Totals(rules);
        var aspects = _entries.Keys.Order(StringComparer.Ordinal).Select(id =>
        {
            var byExpert = _entries[id];
            var scores = byExpert.Values.Where(e => e.Score is not null).OrderBy(e => e.ExpertId, StringComparer.Ordinal).Select(e => new JudgeScore(e.ExpertId, e.Score!.Value)).ToList();
            var measurement = scores.Count == 0 ? Measurement(byExpert.Values) : null;
            // Completeness and the spread rule are the Domain's (JudgementSet.Evaluate through the totals).
            var spread = totals.Pending.Any(p => p is MarkOutcome.SpreadViolation v && v.AspectId == id);
            var complete = totals.AspectMarks.TryGetValue(id, out var mark);
            return new AspectSheet(id, complete ? Marks.RoundForDisplay(mark) : null, scores,
                measurement is null ? null : Describe(measurement), measurement?.ExpertId, complete, spread, complete ? mark : null);
        }).ToList();
        return new ContestantSheet(_competitorId, Marks.RoundForDisplay(totals.Raw),
            totals.Criteria.ToDictionary(c => c.Key, c => Marks.RoundForDisplay(c.Value), StringComparer.Ordinal), aspects, _version);
    }

    async Task<ContestantTotals> IContestantGrain.GetTotals()
    {
        return ToContestantTotals(Totals(await RulesAsync()), DateTimeOffset.MinValue);
    }
}
