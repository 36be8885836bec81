using Dapper;
using Npgsql;
using SkillsHub.Abstractions;
using SkillsHub.Domain.JudgingReport;
using SkillsHub.Domain.Scoring.Import;

namespace SkillsHub.Server.JudgingReports;

/// <summary>
/// The one place that reads the judging report's inputs (docs/judging-report.md): the judgement scores
/// from the stored marks (skillshub.mark_entries, one query for the skill or the whole competition), the
/// roster, experts and marking groups from the event grain, and the per-expert event counts from the
/// audit trail (skillshub.audit). Everything after this is pure Domain.
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
        var scores = ScoresAsync(code, number, ct);
        var events = await EventCountsAsync(code, number, ct);
        return await LoadAsync(code, number, (await scores).GetValueOrDefault(number), events.GetValueOrDefault(number) ?? [], ct);
    }

    /// <summary>Every skill of the competition that has a marking scheme, with one scores query and one audit query for all.</summary>
    public async Task<IReadOnlyList<SkillJudgingData>> LoadCompetitionAsync(string code, CancellationToken ct)
    {
        int[] numbers;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            numbers = (await connection.QueryAsync<int>(new CommandDefinition(
                "select number from skillshub.skills where competition_code = @code order by number", new { code }, cancellationToken: ct))).ToArray();
        }
        var scoresTask = ScoresAsync(code, null, ct);
        var events = await EventCountsAsync(code, null, ct);
        var scores = await scoresTask;
        var skills = await Task.WhenAll(numbers.Select(n => LoadAsync(code, n, scores.GetValueOrDefault(n), events.GetValueOrDefault(n) ?? [], ct)));
        return skills.OfType<SkillJudgingData>().ToList();
    }

    async Task<SkillJudgingData?> LoadAsync(string code, int number, SkillScores? scores, IReadOnlyList<ExpertEventCounts> events, CancellationToken ct)
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
                sets.Add(new ScoreSet(group?.Id ?? "-", competitor.Id, competitor.MemberCode, aspectId,
                    judged.Select(s => new ExpertScore(s.ExpertId, memberOf.GetValueOrDefault(s.ExpertId, ""), s.Score)).ToList()));
            }
        }
        return new SkillJudgingData(SkillKey.Format(code, number), summary.Judges,
            experts.Select(e => new ExpertEntry(e.Id, e.MemberCode, e.Name)).ToList(), sets, events);
    }

    /// <summary>
    /// Every judgement score of the competition (or of one skill), by skill, competitor and aspect, in one
    /// query: a judgement entry is the row whose score is set (a measurement's row has none).
    /// </summary>
    async Task<Dictionary<int, SkillScores>> ScoresAsync(string code, int? number, CancellationToken ct)
    {
        var bySkill = new Dictionary<int, SkillScores>();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand("""
            select skill_number, competitor_id, aspect_id, expert_id, score
            from skillshub.mark_entries
            where competition_code = $1 and ($2::smallint is null or skill_number = $2) and score is not null
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = code });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Smallint, Value = number is { } n ? (short)n : DBNull.Value });
        await using var reader = await command.ExecuteReaderAsync(ct);
        // Rows of one sheet mostly arrive together: the last skill's and competitor's dictionaries are kept at hand.
        SkillScores? skill = null;
        var skillNumber = -1;
        Dictionary<string, List<JudgeScore>>? sheet = null;
        string? competitorId = null;
        while (await reader.ReadAsync(ct))
        {
            int s = reader.GetInt16(0);
            if (skill is null || s != skillNumber)
            {
                if (!bySkill.TryGetValue(s, out skill))
                {
                    bySkill[s] = skill = new SkillScores(StringComparer.Ordinal);
                }
                skillNumber = s;
                competitorId = null;
            }
            var competitor = reader.GetString(1);
            if (sheet is null || !string.Equals(competitor, competitorId, StringComparison.Ordinal))
            {
                if (!skill.TryGetValue(competitor, out sheet))
                {
                    skill[competitor] = sheet = new Dictionary<string, List<JudgeScore>>(StringComparer.Ordinal);
                }
                competitorId = competitor;
            }
            var aspectId = reader.GetString(2);
            if (!sheet.TryGetValue(aspectId, out var judged))
            {
                sheet[aspectId] = judged = [];
            }
            judged.Add(new JudgeScore(reader.GetString(3), reader.GetInt16(4)));
        }
        return bySkill;
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

    /// <summary>One skill's judgement scores: competitor -> aspect -> the judges' scores.</summary>
    sealed class SkillScores(StringComparer comparer) : Dictionary<string, Dictionary<string, List<JudgeScore>>>(comparer);
}
