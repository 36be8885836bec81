using Microsoft.OpenApi;
using SkillsHub.Domain.Marking;
using Microsoft.Net.Http.Headers;
using SkillsHub.Server.Security;

namespace SkillsHub.Server.Feed;

/// <summary>
/// The open results feed (docs/feed.md): GET /api/competitions/{code}/events, NDJSON by default or Server-Sent Events
/// (Accept: text/event-stream), resumable with ?since=&lt;id&gt; (or SSE's Last-Event-ID), long-lived with heartbeats.
/// </summary>
public static class FeedApi
{
    /// <summary>The stream's route; a stream holds a spectator's place under the node's connection cap (docs/operations.md).</summary>
    public const string Route = "/api/competitions/{code}/events";

    static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static IEndpointRouteBuilder MapFeedApi(this IEndpointRouteBuilder endpoints)
    {
        // The answer depends on Accept (NDJSON, SSE or 406): every answer says Vary: Accept (Platform/VaryByAccept.cs).
        endpoints.MapGet(Route, Stream).WithTags("Results feed").RequireAuthorization(Policies.Public).VariesByAccept()
            .WithSummary("The competition's public events (standings, results, medals, visibility) as NDJSON, or SSE with Accept: text/event-stream; ?since=<id> resumes.")
            .Produces<string>(StatusCodes.Status200OK, "application/x-ndjson", "text/event-stream")
            .Produces(StatusCodes.Status406NotAcceptable) // a problem naming Accept (OpenApiContract)
            .Produces(StatusCodes.Status409Conflict) // a problem: the resume point is past the last event (lastEventId)
            .Produces(StatusCodes.Status422UnprocessableEntity) // a problem naming since or Last-Event-ID (OpenApiContract)
            .Produces(StatusCodes.Status503ServiceUnavailable) // a problem: every spectator place is taken (OpenApiContract)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                // Both resume points, as docs/feed.md describes them (found by an outside tester: Last-Event-ID was undeclared).
                // Empty is none, as the server reads it (docs/feed.md, "Resumable"; found by an outside tester: the pattern said 422).
                const string Resume = "The id of the last event received: a whole number of digits (0, none or empty: from the first event). The later of since and Last-Event-ID counts; anything else answers 422 naming it.";
                var eventId = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[0-9]*$" };
                operation.Parameters ??= [];
                foreach (var since in operation.Parameters.OfType<OpenApiParameter>().Where(p => p.Name == "since"))
                {
                    since.Schema = eventId;
                    since.Description = Resume;
                }
                operation.Parameters.Add(new OpenApiParameter { Name = "Last-Event-ID", In = ParameterLocation.Header, Schema = eventId, Description = Resume + " Sent by an EventSource when it reconnects." });
                return Task.CompletedTask;
            });
        return endpoints;
    }

    static async Task<IResult> Stream(string code, string? since, HttpContext http, FeedStore feed, FeedFollowers followers, IHostApplicationLifetime lifetime)
    {
        // The later of ?since= and SSE's Last-Event-ID (docs/feed.md, "Resumable"): an EventSource opened on ...?since=N
        // reconnects to the same address with the last id it received, which is the newer of the two.
        if (!ResumePoint(since, out var fromQuery))
        {
            return NotAnEventId("since");
        }
        if (!ResumePoint(http.Request.Headers["Last-Event-ID"].ToString(), out var fromHeader))
        {
            return NotAnEventId("Last-Event-ID");
        }
        var after = Math.Max(fromQuery, fromHeader);
        if (!Identifiers.IsValid(code))
        {
            return Problems.Validation(("code", Identifiers.Rule("competition")));
        }
        var format = Negotiate(http.Request);
        if (format == Format.None)
        {
            return TypedResults.Problem(title: "Not an acceptable format",
                detail: "The feed is NDJSON (application/x-ndjson) or Server-Sent Events (text/event-stream); Accept allows neither.",
                statusCode: StatusCodes.Status406NotAcceptable, extensions: new Dictionary<string, object?> { ["field"] = "Accept" });
        }
        // Ids are per competition and stored before any node streams them, so a resume point past the last one was never
        // received here: the client holds ids of another database (reset, another deployment) and would wait for ever
        // (found by an outside tester). It is told the last id, to start again from 0.
        if (after > 0 && await feed.LastIdAsync(code, http.RequestAborted) is var last && after > last)
        {
            return Problems.Conflict("Ahead of the feed",
                $"This competition's last event is {last}; the resume point is past it, so it was never sent. Start again from the beginning (?since=0).",
                fromHeader > fromQuery ? "Last-Event-ID" : "since", new Dictionary<string, object?> { ["lastEventId"] = last });
        }
        if (HttpMethods.IsHead(http.Request.Method))
        {
            // HEAD: the stream's headers, not a stream with no end that sends nothing.
            http.Response.ContentType = format == Format.Sse ? "text/event-stream; charset=utf-8" : "application/x-ndjson; charset=utf-8";
            http.Response.Headers.CacheControl = "no-cache";
            return Results.Empty;
        }
        // A stopping node ends its streams at once (the followers resume with ?since=, on another node behind the proxy)
        // instead of holding its shutdown until the host gives up on them.
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var ct = ended.Token;
        using var follower = await followers.FollowAsync(code, ct);
        var sse = format == Format.Sse;
        var response = http.Response;
        response.ContentType = sse ? "text/event-stream; charset=utf-8" : "application/x-ndjson; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // nginx: pass each event on at once
        try
        {
            await response.StartAsync(ct);
            await response.Body.FlushAsync(ct); // the headers now, not with the first event or heartbeat
            var quietSince = DateTime.UtcNow;
            while (!ct.IsCancellationRequested)
            {
                // From the follower's memory once caught up; from the database while further behind than it reaches.
                var batch = follower.After(after, out var changed) ?? await feed.ReadAsync(code, after, 500, ct);
                if (batch.Count > 0)
                {
                    var text = new StringBuilder();
                    foreach (var e in batch)
                    {
                        var json = FeedEvents.Serialize(e);
                        text.Append(sse ? $"id: {e.Id}\nevent: {e.Type}\ndata: {json}\n\n" : json + "\n");
                        after = e.Id;
                    }
                    await response.WriteAsync(text.ToString(), ct);
                    await response.Body.FlushAsync(ct);
                    quietSince = DateTime.UtcNow;
                    continue;
                }
                var quiet = DateTime.UtcNow - quietSince;
                if (quiet >= Heartbeat)
                {
                    await response.WriteAsync(sse ? ": heartbeat\n\n" : "\n", ct);
                    await response.Body.FlushAsync(ct);
                    quietSince = DateTime.UtcNow;
                    continue;
                }
                try
                {
                    await changed.WaitAsync(Heartbeat - quiet, ct);
                }
                catch (TimeoutException)
                {
                    // Time for a heartbeat.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The client left; it resumes with ?since= the last id it read.
        }
        return Results.Empty;
    }

    enum Format { None, Ndjson, Sse }

    /// <summary>
    /// RFC 9110 content negotiation by q-value (docs/feed.md, "Formats"): SSE when text/event-stream is preferred to NDJSON,
    /// or as much and named by its own type (NDJSON not); NDJSON when acceptable (no Accept, */*, application/*, its own type).
    /// </summary>
    static Format Negotiate(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        if (accept.Count == 0)
        {
            return Format.Ndjson;
        }
        var (sseNamed, sse) = Quality(accept, "text", "event-stream");
        var (ndjsonNamed, ndjson) = Quality(accept, "application", "x-ndjson");
        // NDJSON is the default: on a tie (*/*, as fetch() and curl send) SSE wins only when Accept names it and not NDJSON.
        var preferSse = sse > ndjson || (sse == ndjson && sseNamed && !ndjsonNamed);
        return sse > 0 && preferSse ? Format.Sse : ndjson > 0 ? Format.Ndjson : Format.None;
    }

    /// <summary>The q-value of the most specific range that covers type/subtype (0 when none does), and whether that range names it exactly.</summary>
    static (bool Named, double Quality) Quality(IList<MediaTypeHeaderValue> accept, string type, string subtype)
    {
        var (specificity, quality) = (-1, 0d);
        foreach (var range in accept)
        {
            var s = range.MatchesAllTypes ? 0
                : !range.Type.Equals(type, StringComparison.OrdinalIgnoreCase) ? -1
                : range.MatchesAllSubTypes ? 1
                : range.SubType.Equals(subtype, StringComparison.OrdinalIgnoreCase) ? 2 : -1;
            if (s > specificity)
            {
                (specificity, quality) = (s, range.Quality ?? 1);
            }
        }
        return (specificity == 2, quality);
    }

    /// <summary>
    /// A resume point: none (0, from the beginning), or a whole number of ASCII digits. One too large for any id is past every event, which the
    /// 409 says, as for any other point past the last (found by an outside tester: 9223372036854775808 was "not a whole number").
    /// </summary>
    static bool ResumePoint(string? text, out long after)
    {
        after = 0;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        if (!text.All(char.IsAsciiDigit))
        {
            return false;
        }
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out after))
        {
            after = long.MaxValue;
        }
        return true;
    }

    /// <summary>A 422 naming the field (at the top too: Platform/ProblemCodes.Apply names a problem's only field).</summary>
    static ProblemHttpResult NotAnEventId(string field) =>
        Problems.Unprocessable("Not an event id", [(field, $"{field} is the id of the last event received (a whole number from 0).")]);
}
