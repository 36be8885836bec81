using System.Text.Json.Nodes;
using SkillsHub.Abstractions;

namespace SkillsHub.Server.Feed;

/// <summary>One event of the results feed as stored: <see cref="Data"/> is the public view only.</summary>
public sealed record FeedEvent(long Id, string Type, int? Skill, DateTimeOffset At, JsonObject Data);

/// <summary>An event to append; <see cref="Dedupe"/> names the change so several nodes store it once.</summary>
public sealed record NewFeedEvent(string Type, int? Skill, string Dedupe, JsonObject Data);

/// <summary>
/// What a change of one skill's public standings means for the feed (docs/feed.md): always a <c>standings</c>
/// event; <c>visibility</c> when the mode (live, frozen, hidden) or publication changed; <c>medals</c> when the
/// awards shown changed; <c>results</c> when final results were published (or changed after, or withdrawn). Pure: the
/// previous public view in, events out. Only the public view is ever read, so frozen and hidden hold. A view that
/// shows what the last one showed (the same rows, mode and publication; for a frozen one also the same time) is no
/// change and makes no event: a restarted skill announces its unchanged view again (found by an outside tester). A
/// published skill shows its live standings even while frozen, whose time is that of the grain's start: its rows decide
/// (found by an outside tester: each restart added a standings event for a published, frozen skill).
/// </summary>
public static class FeedEvents
{
    /// <param name="previous">The data of the skill's last stored <c>standings</c> event, if any.</param>
    public static IReadOnlyList<NewFeedEvent> From(JsonObject? previous, Standings current)
    {
        var skill = current.SkillNumber;
        var key = $"{skill}:{current.Sequence}:{current.AsOf.UtcTicks}";
        var rows = new JsonArray([.. current.Rows.Select(r => (JsonNode)new JsonObject
        {
            ["place"] = r.Place,
            ["competitorId"] = r.CompetitorId,
            ["name"] = r.Name,
            ["memberCode"] = r.MemberCode,
            ["scaled"] = r.Scaled,
            ["award"] = r.Award,
        })]);
        var mode = current.Mode.ToString();
        var standings = new JsonObject
        {
            ["skill"] = skill,
            ["sequence"] = current.Sequence,
            ["asOf"] = current.AsOf.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["mode"] = mode,
            ["published"] = current.Published,
            ["decided"] = current.Decided,
            ["rows"] = rows,
        };
        var wasPublished = (bool?)previous?["published"] == true;
        // An event stored before "decided" was written down: a skill was published only once decided.
        var wasDecided = (bool?)previous?["decided"] ?? wasPublished;
        if (previous is not null && (string?)previous["mode"] == mode && wasPublished == current.Published && JsonNode.DeepEquals(rows, previous["rows"])
            && ((bool?)previous["decided"] ?? current.Decided) == current.Decided
            && (current.Mode != VisibilityMode.Frozen || current.Published || (string?)previous["asOf"] == (string?)standings["asOf"]))
        {
            return [];
        }
        var events = new List<NewFeedEvent> { new("standings", skill, "standings:" + key, standings) };
        if (previous is null || (string?)previous["mode"] != mode || wasPublished != current.Published)
        {
            events.Add(new("visibility", skill, "visibility:" + key, new JsonObject { ["skill"] = skill, ["mode"] = mode, ["published"] = current.Published }));
        }
        var awards = Awards(rows);
        if (awards.ToJsonString() != (previous is null ? "[]" : Awards(previous["rows"] as JsonArray ?? []).ToJsonString()))
        {
            events.Add(new("medals", skill, "medals:" + key, new JsonObject { ["skill"] = skill, ["awards"] = awards }));
        }
        // Results are final only while the skill is published and decided (docs/scoring.md, "Results"). By meaning, not
        // by text: the previous rows come back from jsonb with their keys in another order.
        var wasFinal = wasPublished && wasDecided;
        if (current.Published && current.Decided && (!wasFinal || !JsonNode.DeepEquals(rows, previous?["rows"])))
        {
            events.Add(new("results", skill, "results:" + key, new JsonObject { ["skill"] = skill, ["final"] = true, ["rows"] = rows.DeepClone() }));
        }
        // A published skill whose marks were corrected down to no total above 0 has no results any more: its 700s are
        // placeholders, so the results are withdrawn rather than announced (found by an outside tester: every competitor
        // was announced first, as final results).
        else if (current.Published && !current.Decided && wasFinal)
        {
            events.Add(new("results", skill, "results:" + key, new JsonObject { ["skill"] = skill, ["final"] = false, ["rows"] = new JsonArray() }));
        }
        return events;
    }

    /// <summary>The awards shown (gold, silver, bronze, medallion), by competitor.</summary>
    static JsonArray Awards(JsonArray rows) => new([.. rows.OfType<JsonObject>()
        .Where(r => (string?)r["award"] is { Length: > 0 } a && a != "None")
        .OrderBy(r => (string?)r["competitorId"], StringComparer.Ordinal)
        .Select(r => (JsonNode)new JsonObject { ["competitorId"] = (string?)r["competitorId"], ["memberCode"] = (string?)r["memberCode"], ["award"] = (string?)r["award"] })]);

    /// <summary>
    /// An event's line, its text written as the API's other answers write theirs: a Chinese name as its characters, not
    /// every one escaped (found by an outside tester: a name took six bytes a character and could not be read in the stream).
    /// </summary>
    public static string Serialize(FeedEvent e) => new JsonObject
    {
        ["id"] = e.Id,
        ["type"] = e.Type,
        ["skill"] = e.Skill,
        ["at"] = e.At.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        ["data"] = e.Data.DeepClone(),
    }.ToJsonString(Lines);

    static readonly System.Text.Json.JsonSerializerOptions Lines = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
