using SkillsHub.Domain.Marking;
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
        endpoints.MapGet(Route, Stream).WithTags("Results feed").RequireAuthorization(Policies.Public)
            .WithSummary("The competition's public events (standings, results, medals, visibility) as NDJSON, or SSE with Accept: text/event-stream; ?since=<id> resumes.")
            .Produces<string>(StatusCodes.Status200OK, "application/x-ndjson", "text/event-stream")
            .Produces(StatusCodes.Status422UnprocessableEntity) // a problem naming since (OpenApiContract)
            .Produces(StatusCodes.Status503ServiceUnavailable); // a problem: every spectator place is taken (OpenApiContract)
        return endpoints;
    }

    static async Task<IResult> Stream(string code, string? since, HttpContext http, FeedStore feed, FeedFollowers followers, IHostApplicationLifetime lifetime)
    {
        var resume = since ?? http.Request.Headers["Last-Event-ID"].ToString();
        long after = 0;
        if (!string.IsNullOrEmpty(resume) && (!long.TryParse(resume, NumberStyles.None, CultureInfo.InvariantCulture, out after) || after < 0))
        {
            // docs/feed.md: a 422 naming since (also when it came as SSE's Last-Event-ID, which stands for it).
            var refusal = Problems.Unprocessable("Not an event id", [("since", "since is the id of the last event received (a whole number from 0).")]);
            refusal.ProblemDetails.Extensions["field"] = "since";
            return refusal;
        }
        if (!Identifiers.IsValid(code))
        {
            return Problems.Validation(("code", Identifiers.Rule("competition")));
        }
        if (HttpMethods.IsHead(http.Request.Method))
        {
            // HEAD: the stream's headers, not a stream with no end that sends nothing.
            http.Response.ContentType = http.Request.Headers.Accept.Any(a => a?.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase) == true)
                ? "text/event-stream; charset=utf-8" : "application/x-ndjson; charset=utf-8";
            http.Response.Headers.CacheControl = "no-cache";
            return Results.Empty;
        }
        // A stopping node ends its streams at once (the followers resume with ?since=, on another node behind the proxy)
        // instead of holding its shutdown until the host gives up on them.
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var ct = ended.Token;
        using var follower = await followers.FollowAsync(code, ct);
        var sse = http.Request.Headers.Accept.Any(a => a?.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase) == true);
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
}
