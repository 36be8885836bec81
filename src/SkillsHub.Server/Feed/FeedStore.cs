// Dapper.AOT is not enabled in this project; plain Dapper is intended here.
using System.Text.Json.Nodes;
using SkillsHub.Abstractions;

namespace SkillsHub.Server.Feed;

/// <summary>The results feed's events in PostgreSQL (docs/feed.md): appended once per change, read in id order.</summary>
public sealed class FeedStore(NpgsqlDataSource db)
{
    /// <summary>
    /// Stores the events one change of a skill's public view means. Under the competition's counter row lock:
    /// ids are allocated in commit order (a reader after id N never misses a smaller id committed later), a change
    /// another node stored already is skipped, and so is one older than the skill's last stored standings.
    /// </summary>
    public async Task<int> AppendAsync(Standings publicView, CancellationToken ct = default)
    {
        var competition = publicView.CompetitionCode.ToUpperInvariant();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("insert into skillshub.feed_counters (competition) values (@competition) on conflict do nothing",
            new { competition }, transaction, cancellationToken: ct));
        var last = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "select last_id from skillshub.feed_counters where competition = @competition for update", new { competition }, transaction, cancellationToken: ct));
        var previousText = await connection.ExecuteScalarAsync<string?>(new CommandDefinition("""
            select data::text from skillshub.feed_events where competition = @competition and type = 'standings' and skill = @skill order by id desc limit 1
            """, new { competition, skill = publicView.SkillNumber }, transaction, cancellationToken: ct));
        var previous = previousText is null ? null : JsonNode.Parse(previousText) as JsonObject;
        if (previous is not null && (long?)previous["sequence"] is { } stored && stored >= publicView.Sequence)
        {
            await transaction.CommitAsync(ct);
            return 0; // stored already (by this node or another), or older than what is stored
        }
        var events = FeedEvents.From(previous, publicView);
        var id = last;
        foreach (var e in events)
        {
            id++;
            await connection.ExecuteAsync(new CommandDefinition("""
                insert into skillshub.feed_events (competition, id, type, skill, dedupe, data) values (@competition, @id, @type, @skill, @dedupe, @data::jsonb)
                """, new { competition, id, type = e.Type, skill = e.Skill, dedupe = e.Dedupe, data = e.Data.ToJsonString() }, transaction, cancellationToken: ct));
        }
        await connection.ExecuteAsync(new CommandDefinition("update skillshub.feed_counters set last_id = @id where competition = @competition",
            new { competition, id }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return events.Count;
    }

    /// <summary>The id of the competition's last stored event (0 before the first).</summary>
    public async Task<long> LastIdAsync(string competition, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "select coalesce((select last_id from skillshub.feed_counters where competition = @competition), 0)",
            new { competition = competition.ToUpperInvariant() }, cancellationToken: ct));
    }

    /// <summary>Reads of new events so far (<see cref="ReadAsync"/>): how much the open streams cost the database.</summary>
    public long Reads => Interlocked.Read(ref _reads);

    long _reads;

    public async Task<IReadOnlyList<FeedEvent>> ReadAsync(string competition, long since, int limit, CancellationToken ct)
    {
        Interlocked.Increment(ref _reads);
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(long Id, string Type, int? Skill, DateTime At, string Data)>(new CommandDefinition("""
            select id, type, skill, at, data::text from skillshub.feed_events where competition = @competition and id > @since order by id limit @limit
            """, new { competition = competition.ToUpperInvariant(), since, limit }, cancellationToken: ct));
        return [.. rows.Select(r => new FeedEvent(r.Id, r.Type, r.Skill, new DateTimeOffset(DateTime.SpecifyKind(r.At, DateTimeKind.Utc)), (JsonObject)JsonNode.Parse(r.Data)!))];
    }
}
