using Dapper;
using Npgsql;
using SkillsHub.Abstractions;
using SkillsHub.Domain.JudgingReport;
using SkillsHub.Domain.Scoring.Import;

namespace SkillsHub.Server.JudgingReports;

/// <summary>
/// The one place that reads the judging report's inputs (docs/judging-report.md): the judgement scores
/// from the contestant grains' mark sheets, the roster and marking groups from the event grain, and the
/// per-expert event counts from the audit trail (skillshub.audit). Everything after this is pure Domain.
/// </summary>
/// <remarks>
/// The audit counts follow the trail's "mark" rows: a refused row's outcome names the refusal kinds
/// ("refused:SpreadViolation", or several joined by commas when a batch's refusals share one row), so a
/// spread refusal is counted once per refused row; an accepted row keeps the old value ("score 2", or a
/// measurement such as "achieved" or "deviation 0.05") and the new one; "superseded" and other outcomes
/// are not counted. A change of that format is adapted here only.
/// </remarks>
public sealed class JudgingReportSource(IGrainFactory grains, NpgsqlDataSource db)
{
    public async Task<bool> CompetitionExistsAsync(string code, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists(select 1 from skillshub.competitions where code = @code)", new { code }, cancellationToken: ct));
    }

    public async Task<bool> SkillExistsAsync(string code, int number, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists(select 1 from skillshub.skills where competition_code = @code and number = @number)", new { code, number }, cancellationToken: ct));
    }

    /// <summary>One skill's inputs; null when the skill has no marking scheme yet.</summary>
    public async Task<SkillJudgingData?> LoadSkillAsync(string code, int number, CancellationToken ct)
    {
        var events = await EventCountsAsync(code, number, ct);
        return await LoadAsync(code, number, events.GetValueOrDefault(number) ?? [], ct);
    }

    /// <summary>Every skill of the competition that has a marking scheme, with one audit query for all.</summary>
    public async Task<IReadOnlyList<SkillJudgingData>> LoadCompetitionAsync(string code, CancellationToken ct)
    {
        int[] numbers;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            numbers = (await connection.QueryAsync<int>(new CommandDefinition(
                "select number from skillshub.skills where competition_code = @code order by number", new { code }, cancellationToken: ct))).ToArray();
        }
        var events = await EventCountsAsync(code, null, ct);
        var skills = await Task.WhenAll(numbers.Select(n => LoadAsync(code, n, events.GetValueOrDefault(n) ?? [], ct)));
        return skills.OfType<SkillJudgingData>().ToList();
    }

    async Task<SkillJudgingData?> LoadAsync(string code, int number, IReadOnlyList<ExpertEventCounts> events, CancellationToken ct)
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
        var competitors = await eventGrain.GetCompetitors();
        var groups = await eventGrain.GetMarkingGroups();
        // Which criterion and sub-criterion an aspect belongs to, to find the marking group that judges it.
        var parents = (scheme?.Criteria ?? []).SelectMany(c => c.SubCriteria.SelectMany(s => s.Aspects.Select(a => (a.Id, Targets: new[] { a.Id, s.Id, c.Id }))))
            .ToDictionary(x => x.Id, x => x.Targets, StringComparer.Ordinal);
        var memberOf = experts.ToDictionary(e => e.Id, e => e.MemberCode, StringComparer.Ordinal);

        var sheets = await Task.WhenAll(competitors.Select(c => grains.GetGrain<IContestantGrain>(SkillKey.Contestant(code, number, c.Id)).GetSheet()));
        var sets = new List<ScoreSet>();
        foreach (var (competitor, sheet) in competitors.Zip(sheets))
        {
            foreach (var aspect in sheet.Aspects)
            {
                if (aspect.Scores.Count == 0)
                {
                    continue;
                }
                var targets = parents.GetValueOrDefault(aspect.AspectId) ?? [aspect.AspectId];
                var group = groups.FirstOrDefault(g => g.Targets.Any(targets.Contains) && aspect.Scores.All(s => g.ExpertIds.Contains(s.ExpertId)))
                    ?? groups.FirstOrDefault(g => g.Targets.Any(targets.Contains));
                sets.Add(new ScoreSet(group?.Id ?? "-", competitor.Id, competitor.MemberCode, aspect.AspectId,
                    aspect.Scores.Select(s => new ExpertScore(s.ExpertId, memberOf.GetValueOrDefault(s.ExpertId, ""), s.Score)).ToList()));
            }
        }
        return new SkillJudgingData(SkillKey.Format(code, number), summary.Judges,
            experts.Select(e => new ExpertEntry(e.Id, e.MemberCode, e.Name)).ToList(), sets, events);
    }

    /// <summary>Spread refusals, rescores and measurement corrections per skill and expert.</summary>
    async Task<Dictionary<int, IReadOnlyList<ExpertEventCounts>>> EventCountsAsync(string code, int? number, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(short Skill, string Actor, int Spread, int Rescores, int Corrections)>(new CommandDefinition("""
            select skill_number, actor,
                   count(*) filter (where outcome like 'refused:%SpreadViolation%')::int,
                   count(*) filter (where outcome = 'accepted' and old_value like 'score %' and new_value is distinct from old_value)::int,
                   count(*) filter (where outcome = 'accepted' and old_value is not null and old_value not like 'score %' and new_value is distinct from old_value)::int
            from skillshub.audit
            where competition_code = @code and (@number::smallint is null or skill_number = @number) and action = 'mark'
            group by skill_number, actor
            """, new { code, number = (short?)number }, cancellationToken: ct));
        return rows.GroupBy(r => (int)r.Skill).ToDictionary(g => g.Key,
            g => (IReadOnlyList<ExpertEventCounts>)g.Select(r => new ExpertEventCounts(r.Actor, r.Spread, r.Rescores, r.Corrections)).ToList());
    }
}
