using SkillsHub.Abstractions;
using SkillsHub.Domain.JudgingReport;

namespace SkillsHub.Server.JudgingReports;

/// <summary>
/// The judging report's queries (docs/judging-report.md): the judgement scores from skillshub.mark_entries and the
/// per-expert event counts from the audit trail, for one skill or the whole competition in one query each.
/// <see cref="JudgingReportSource"/> puts them together with what the event grains hold.
/// </summary>
public sealed class JudgingReportStore(NpgsqlDataSource db)
{
    public async Task<int[]> SkillNumbersAsync(string code, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<int>(new CommandDefinition(
            "select number from skillshub.skills where competition_code = @code order by number", new { code }, cancellationToken: ct))).ToArray();
    }

    /// <summary>
    /// Every judgement score of the competition (or of one skill), by skill, competitor and aspect, in one
    /// query: a judgement entry is the row whose score is set (a measurement's row has none).
    /// </summary>
    public async Task<Dictionary<int, SkillScores>> ScoresAsync(string code, int? number, CancellationToken ct)
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

    /// <summary>An expert's spread refusals, rescores and measurement corrections on one competitor.</summary>
    public sealed record EventCounts(string Actor, string? CompetitorId, int Spread, int Rescores, int Corrections);

    /// <summary>Spread refusals, rescores and measurement corrections per skill, expert and competitor.</summary>
    public async Task<Dictionary<int, IReadOnlyList<EventCounts>>> EventCountsAsync(string code, int? number, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(short Skill, string Actor, string? Competitor, int Spread, int Rescores, int Corrections)>(new CommandDefinition("""
            select skill_number, actor, competitor_id,
                   count(*) filter (where outcome like 'refused:%SpreadViolation%')::int,
                   count(*) filter (where outcome = 'accepted' and old_value like 'score %' and new_value is distinct from old_value)::int,
                   count(*) filter (where outcome = 'accepted' and old_value is not null and old_value not like 'score %' and new_value is distinct from old_value)::int
            from skillshub.audit
            where competition_code = @code and (@number::smallint is null or skill_number = @number) and action = 'mark'
            group by skill_number, actor, competitor_id
            """, new { code, number = (short?)number }, cancellationToken: ct));
        return rows.GroupBy(r => (int)r.Skill).ToDictionary(g => g.Key,
            g => (IReadOnlyList<EventCounts>)g.Select(r => new EventCounts(r.Actor, r.Competitor, r.Spread, r.Rescores, r.Corrections)).ToList());
    }

    /// <summary>One skill's judgement scores: competitor -> aspect -> the judges' scores.</summary>
    public sealed class SkillScores(StringComparer comparer) : Dictionary<string, Dictionary<string, List<JudgeScore>>>(comparer);
}
