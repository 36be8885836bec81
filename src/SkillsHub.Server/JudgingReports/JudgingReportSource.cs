using SkillsHub.Abstractions;
using SkillsHub.Domain.JudgingReport;
using SkillsHub.Domain.Scoring.Import;

namespace SkillsHub.Server.JudgingReports;

/// <summary>
/// The one place that reads the judging report's inputs (docs/judging-report.md): the judgement scores
/// from the stored marks (skillshub.mark_entries, one query for the skill or the whole competition), the
/// roster, experts and marking groups from the event grain, and the per-expert event counts from the
/// audit trail (skillshub.audit); the queries are <see cref="JudgingReportStore"/>'s. Everything after this is pure Domain.
/// </summary>
/// <remarks>
/// <para>
/// skillshub.mark_entries holds each expert's current entry, written in the same transaction as its audit
/// row before the mark is acknowledged (docs/scoring.md, "Idempotency"), so its scores are exactly the
/// acknowledged sheets the contestant grains answer from; reading them in one query replaces a grain call
/// per competitor. Completeness (the skill's number of judges, each once) stays the Domain's.
/// </para>
/// <para>
/// The audit counts follow the trail's "mark" rows: a refused row's outcome names the refusal kinds
/// ("refused:SpreadViolation", or several joined by commas when a batch's refusals share one row), so a
/// spread refusal is counted once per refused row; an accepted row keeps the old value ("score 2", or a
/// measurement such as "achieved" or "deviation 0.05") and the new one; "superseded" and other outcomes
/// are not counted. A change of that format is adapted here only.
/// </para>
/// </remarks>
public sealed class JudgingReportSource(IGrainFactory grains, NpgsqlDataSource db)
{
    readonly JudgingReportStore store = new(db);

    /// <summary>One skill's inputs; null when the skill has no marking scheme yet.</summary>
    public async Task<SkillJudgingData?> LoadSkillAsync(string code, int number, CancellationToken ct)
    {
        var scores = store.ScoresAsync(code, number, ct);
        var events = await store.EventCountsAsync(code, number, ct);
        return await LoadAsync(code, number, (await scores).GetValueOrDefault(number), events.GetValueOrDefault(number) ?? [], ct);
    }

    /// <summary>Every skill of the competition that has a marking scheme, with one scores query and one audit query for all.</summary>
    public async Task<IReadOnlyList<SkillJudgingData>> LoadCompetitionAsync(string code, CancellationToken ct)
    {
        var numbers = await store.SkillNumbersAsync(code, ct);
        var scoresTask = store.ScoresAsync(code, null, ct);
        var events = await store.EventCountsAsync(code, null, ct);
        var scores = await scoresTask;
        var skills = await Task.WhenAll(numbers.Select(n => LoadAsync(code, n, scores.GetValueOrDefault(n), events.GetValueOrDefault(n) ?? [], ct)));
        return skills.OfType<SkillJudgingData>().ToList();
    }

    async Task<SkillJudgingData?> LoadAsync(string code, int number, JudgingReportStore.SkillScores? scores, IReadOnlyList<JudgingReportStore.EventCounts> counted, CancellationToken ct)
    {
        var eventGrain = grains.GetGrain<IEventGrain>(SkillKey.Format(code, number));
        var summary = await eventGrain.GetSummary();
        if (!summary.HasScheme)
        {
            return null;
        }
        var schemeJson = await eventGrain.GetSchemeJson();
        var scheme = schemeJson is null ? null : SchemeJson.Parse(schemeJson).Scheme;
        var experts = await eventGrain.GetExperts();
        // An expert taken off the skill keeps their marks, so the report keeps their member and name (found by an outside
        // tester: a blank member and the id for a name, and their compatriot cells lost).
        var removed = await eventGrain.GetRemovedExperts();
        var competitors = await eventGrain.GetCompetitors();
        var groups = await eventGrain.GetMarkingGroups();
        // Which criterion and sub-criterion an aspect belongs to, to find the marking group that judges it.
        var parents = (scheme?.Criteria ?? []).SelectMany(c => c.SubCriteria.SelectMany(s => s.Aspects.Select(a => (a.Id, Targets: new[] { a.Id, s.Id, c.Id }))))
            .ToDictionary(x => x.Id, x => x.Targets, StringComparer.Ordinal);
        var memberOf = experts.Concat(removed).ToDictionary(e => e.Id, e => e.MemberCode, StringComparer.Ordinal);
        // Only competitors on the roster count, in the audit's counts as in the sets (found by an outside tester: a withdrawn
        // competitor's sets left the report, the refusals and rescores on them stayed).
        var onRoster = competitors.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var events = counted.Where(e => e.CompetitorId is { } id && onRoster.Contains(id)).GroupBy(e => e.Actor, StringComparer.Ordinal)
            .Select(g => new ExpertEventCounts(g.Key, g.Sum(e => e.Spread), g.Sum(e => e.Rescores), g.Sum(e => e.Corrections))).ToList();

        // The sets in the order the sheets gave them: roster order, then aspects and judges in ordinal order.
        var sets = new List<ScoreSet>();
        foreach (var competitor in competitors)
        {
            if (scores is null || !scores.TryGetValue(competitor.Id, out var aspects))
            {
                continue;
            }
            foreach (var (aspectId, judged) in aspects.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                judged.Sort((a, b) => string.CompareOrdinal(a.ExpertId, b.ExpertId));
                var targets = parents.GetValueOrDefault(aspectId) ?? [aspectId];
                var group = groups.FirstOrDefault(g => g.Targets.Any(targets.Contains) && judged.All(s => g.ExpertIds.Contains(s.ExpertId)))
                    ?? groups.FirstOrDefault(g => g.Targets.Any(targets.Contains));
                sets.Add(new ScoreSet(group?.Id ?? ScoreSet.NoGroup, competitor.Id, competitor.MemberCode, aspectId,
                    judged.Select(s => new ExpertScore(s.ExpertId, memberOf.GetValueOrDefault(s.ExpertId, ""), s.Score)).ToList()));
            }
        }
        // Those taken off are listed where they marked or left events, not otherwise.
        var marked = sets.SelectMany(s => s.Scores.Select(x => x.ExpertId)).Concat(events.Select(e => e.ExpertId)).ToHashSet(StringComparer.Ordinal);
        return new SkillJudgingData(SkillKey.Format(code, number), summary.Judges,
            experts.Concat(removed.Where(e => marked.Contains(e.Id))).Select(e => new ExpertEntry(e.Id, e.MemberCode, e.Name)).ToList(), sets, events);
    }
}
