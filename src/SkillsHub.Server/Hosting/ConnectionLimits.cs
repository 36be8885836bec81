using Microsoft.AspNetCore.SignalR;
using SkillsHub.Server.Observability;

namespace SkillsHub.Server.Hosting;

/// <summary>
/// How many connections a node holds open before it refuses more (docs/operations.md, "Connection limits"). Every
/// open connection costs the process a file descriptor; without a cap, a hall full of spectators' phones takes the
/// last one, and the node then cannot open a database connection or a file and dies. With the caps, spectators past
/// <see cref="Spectators"/> get a 503 with Retry-After (the board retries), and the room above it stays free for
/// judges' marks, sign-ins and the database.
/// </summary>
/// <param name="Spectators">Open leaderboard-hub connections at most.</param>
/// <param name="Total">Open TCP connections at most (Kestrel accepts and closes the ones over it).</param>
public sealed record ConnectionCaps(int Spectators, int Total)
{
    /// <summary>
    /// Caps for a process allowed <paramref name="openFiles"/> file descriptors: a reserve (a quarter of the limit,
    /// at most 1,000) for the database pool, the cluster, log and asset files; the same again for ordinary HTTP
    /// requests; the rest for spectators. Configured values win but never exceed what the descriptors allow.
    /// </summary>
    public static ConnectionCaps For(long openFiles, int? spectators = null, int? total = null)
    {
        var reserve = (int)Math.Min(1_000, Math.Max(openFiles, 16) / 4);
        var allowedTotal = (int)Math.Min(int.MaxValue, Math.Max(openFiles - reserve, 8));
        var allowedSpectators = Math.Max(allowedTotal - reserve, 4);
        var t = Math.Min(total ?? allowedTotal, allowedTotal);
        return new ConnectionCaps(Math.Min(spectators ?? allowedSpectators, Math.Min(allowedSpectators, t)), t);
    }

    /// <summary>The process's open-file limit (Linux: /proc/self/limits, which .NET has already raised to the hard limit); null if unknown.</summary>
    public static long? OpenFileLimit()
    {
        try
        {
            var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            var soft = line?["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            return long.TryParse(soft, out var limit) ? limit : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>
/// Counts this node's open hub connections (a hub filter; the hub itself is not touched), for the cap and for the
/// <c>skillshub.hub.connections</c> metric, and its open results-feed streams, which take spectators' places too.
/// </summary>
public sealed class SpectatorGate(ConnectionCaps caps) : IHubFilter
{
    int _open;
    int _feeds;

    public int Open => Volatile.Read(ref _open);

    public bool IsFull => Open + Volatile.Read(ref _feeds) >= caps.Spectators;

    /// <summary>A place for a results-feed stream while it stays open, or null when the spectators' places are taken.</summary>
    public IDisposable? TryTakeFeedPlace()
    {
        if (Interlocked.Increment(ref _feeds) + Open > caps.Spectators)
        {
            Interlocked.Decrement(ref _feeds);
            return null;
        }
        return new FeedPlace(this);
    }

    sealed class FeedPlace(SpectatorGate gate) : IDisposable
    {
        int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                Interlocked.Decrement(ref gate._feeds);
            }
        }
    }

    public Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        Interlocked.Increment(ref _open);
        SkillsHubMetrics.HubConnections.Add(1);
        return next(context);
    }

    public Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        Interlocked.Decrement(ref _open);
        SkillsHubMetrics.HubConnections.Add(-1);
        return next(context, exception);
    }
}

public static class ConnectionLimits
{
    public const string FullCode = "too-many-spectators";

    /// <summary>Caps from <c>Connections:MaxSpectators</c> and <c>Connections:MaxTotal</c>, bounded by the open-file limit.</summary>
    public static WebApplicationBuilder AddConnectionLimits(this WebApplicationBuilder builder)
    {
        var caps = ConnectionCaps.For(ConnectionCaps.OpenFileLimit() ?? 65_536,
            builder.Configuration.GetValue<int?>("Connections:MaxSpectators"), builder.Configuration.GetValue<int?>("Connections:MaxTotal"));
        builder.Services.AddSingleton(caps);
        builder.Services.AddSingleton<SpectatorGate>();
        builder.Services.AddSignalR(o => o.AddFilter<SpectatorGate>());
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxConcurrentConnections = caps.Total);
        return builder;
    }

    /// <summary>What a spectator past the cap gets: 503 with Retry-After, code <see cref="FullCode"/>.</summary>
    static IResult Full(HttpResponse response)
    {
        response.Headers.RetryAfter = "15";
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Too many spectators",
            detail: "This node holds as many live boards and feeds as it can; try again shortly.",
            extensions: new Dictionary<string, object?> { ["code"] = FullCode });
    }

    /// <summary>
    /// Negotiations and connections to the leaderboard hub past the cap answer 503 with Retry-After; so do new streams of
    /// the results feed (the endpoint whose route is <paramref name="feedRoute"/>), each of which holds a spectator's place
    /// while it stays open.
    /// </summary>
    public static IApplicationBuilder UseSpectatorLimit(this IApplicationBuilder app, PathString hub, string feedRoute)
    {
        var negotiate = hub.Add("/negotiate");
        return app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(hub))
            {
                if (context.RequestServices.GetRequiredService<SpectatorGate>().IsFull)
                {
                    await Full(context.Response).ExecuteAsync(context);
                    return;
                }
                if (context.Request.Path.StartsWithSegments(negotiate))
                {
                    // The phone opens its WebSocket on a connection of its own; the negotiation's would sit idle (and
                    // hold a descriptor) for minutes, room the judges' requests need.
                    context.Response.Headers.Connection = "close";
                }
            }
            else if (context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } raw } && raw == feedRoute)
            {
                using var place = context.RequestServices.GetRequiredService<SpectatorGate>().TryTakeFeedPlace();
                if (place is null)
                {
                    await Full(context.Response).ExecuteAsync(context);
                    return;
                }
                await next(context);
                return;
            }
            await next(context);
        });
    }
}
