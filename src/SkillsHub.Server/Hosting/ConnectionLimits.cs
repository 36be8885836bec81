using Microsoft.AspNetCore.SignalR;
using SkillsHub.Server.Observability;
using SkillsHub.Server.Security;

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
/// <c>skillshub.hub.connections</c> metric, and its open results-feed streams, which take spectators' places too; and
/// both per client address (<see cref="ClientAddress.PartitionKey(HttpContext)"/>: a machine, an IPv6 /64), so one client
/// cannot take every place (<paramref name="perClient"/>; found by an outside tester).
/// </summary>
public sealed class SpectatorGate(ConnectionCaps caps, SpectatorGate.PerClient perClient, SkillsHubMetrics metrics) : IHubFilter
{
    /// <summary>The most places one client address holds, boards and feed streams together.</summary>
    public sealed record PerClient(int Places);

    const string KeyItem = "skillshub.spectator-client";
    const string HeldItem = "skillshub.spectator-place-held";
    int _open;
    int _feeds;
    int _transports;
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _byClient = new(StringComparer.Ordinal);

    /// <summary>Open hub connections: those whose WebSocket or event stream holds a place from its first byte, and the others (long polling) once their handshake is done.</summary>
    public int Open => Volatile.Read(ref _open) + Volatile.Read(ref _transports);

    public bool IsFull => Open + Volatile.Read(ref _feeds) >= caps.Spectators;

    /// <summary>Whether the client of <paramref name="http"/> holds as many places as one client may.</summary>
    public bool IsFullFor(HttpContext http) => _byClient.TryGetValue(ClientAddress.PartitionKey(http), out var held) && held >= perClient.Places;

    /// <summary>A place for a results-feed stream while it stays open, or null when the spectators' places (or the client's) are taken.</summary>
    public IDisposable? TryTakeFeedPlace(HttpContext http, out bool clientFull) => TryTakePlace(http, transport: false, out clientFull);

    /// <summary>
    /// A place for a hub connection's WebSocket or event stream from its first byte while it stays open, or null when the
    /// places are taken. Counted from the handshake, a connection that never sent one held a descriptor for the 15 s the
    /// hub waits for it outside every cap: one client held 2,380 such at once past its 1,800 (found by an outside tester).
    /// </summary>
    public IDisposable? TryTakeTransportPlace(HttpContext http, out bool clientFull)
    {
        var place = TryTakePlace(http, transport: true, out clientFull);
        if (place is not null)
        {
            http.Items[HeldItem] = true;
        }
        return place;
    }

    IDisposable? TryTakePlace(HttpContext http, bool transport, out bool clientFull)
    {
        var client = ClientAddress.PartitionKey(http);
        clientFull = false;
        ref var counter = ref transport ? ref _transports : ref _feeds;
        // This kind's places, the other kind's and the boards counted at their handshake.
        if (Interlocked.Increment(ref counter) + Volatile.Read(ref transport ? ref _feeds : ref _transports) + Volatile.Read(ref _open) > caps.Spectators)
        {
            Interlocked.Decrement(ref counter);
            return null;
        }
        if (Take(client) > perClient.Places)
        {
            Leave(client);
            Interlocked.Decrement(ref counter);
            clientFull = true;
            return null;
        }
        return new Place(this, client, transport);
    }

    int Take(string client) => _byClient.AddOrUpdate(client, 1, (_, held) => held + 1);

    void Leave(string client)
    {
        // Removed at zero, so the table holds only clients with places (a compare-and-remove: another place may have come).
        if (_byClient.AddOrUpdate(client, 0, (_, held) => held - 1) <= 0)
        {
            _byClient.TryRemove(new KeyValuePair<string, int>(client, 0));
        }
    }

    sealed class Place(SpectatorGate gate, string client, bool transport) : IDisposable
    {
        int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                gate.Leave(client);
                Interlocked.Decrement(ref transport ? ref gate._transports : ref gate._feeds);
            }
        }
    }

    public Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        var http = context.Context.GetHttpContext();
        // A WebSocket or an event stream holds its place already (TryTakeTransportPlace); long polling's is taken here.
        if (http?.Items.ContainsKey(HeldItem) != true)
        {
            Interlocked.Increment(ref _open);
            var client = http is null ? "" : ClientAddress.PartitionKey(http);
            context.Context.Items[KeyItem] = client;
            Take(client);
        }
        metrics.HubConnections.Add(1);
        return next(context);
    }

    public Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        if (context.Context.Items.TryGetValue(KeyItem, out var client) && client is string key)
        {
            Interlocked.Decrement(ref _open);
            Leave(key);
        }
        metrics.HubConnections.Add(-1);
        return next(context, exception);
    }
}

public static class ConnectionLimits
{
    public const string FullCode = "too-many-spectators";

    /// <summary>
    /// Caps from <c>Connections:MaxSpectators</c> and <c>Connections:MaxTotal</c>, bounded by the open-file limit; and
    /// <c>Connections:MaxSpectatorsPerClient</c>, by default a tenth of the spectators' places and at least 100.
    /// </summary>
    public static WebApplicationBuilder AddConnectionLimits(this WebApplicationBuilder builder)
    {
        // Whole numbers of at least 1, checked in one line at start (found by an outside tester: -1 aborted the start with a
        // stack trace, and -3 per client was taken without a word).
        var caps = ConnectionCaps.For(ConnectionCaps.OpenFileLimit() ?? 65_536,
            WholeNumberSetting.ReadOptional(builder.Configuration, "Connections:MaxSpectators", 1), WholeNumberSetting.ReadOptional(builder.Configuration, "Connections:MaxTotal", 1));
        var perClient = WholeNumberSetting.ReadOptional(builder.Configuration, "Connections:MaxSpectatorsPerClient", 1) ?? Math.Max(caps.Spectators / 10, 100);
        builder.Services.AddSingleton(caps);
        builder.Services.AddSingleton(new SpectatorGate.PerClient(Math.Clamp(perClient, 1, caps.Spectators)));
        builder.Services.AddSingleton<SpectatorGate>();
        builder.Services.AddSignalR(o => o.AddFilter<SpectatorGate>());
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxConcurrentConnections = caps.Total);
        return builder;
    }

    /// <summary>What a spectator past the cap gets: 503 with Retry-After, code <see cref="FullCode"/>.</summary>
    static IResult Full(HttpResponse response, bool client = false)
    {
        response.Headers.RetryAfter = "15";
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Too many spectators",
            detail: client ? "This address holds as many live boards and feeds as one client may; close one, or try again shortly."
                : "This node holds as many live boards and feeds as it can; try again shortly.",
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
                var gate = context.RequestServices.GetRequiredService<SpectatorGate>();
                var nodeFull = gate.IsFull;
                if (nodeFull || gate.IsFullFor(context))
                {
                    await Full(context.Response, client: !nodeFull).ExecuteAsync(context);
                    return;
                }
                if (context.Request.Path.StartsWithSegments(negotiate))
                {
                    // The phone opens its WebSocket on a connection of its own; the negotiation's would sit idle (and
                    // hold a descriptor) for minutes, room the judges' requests need.
                    context.Response.Headers.Connection = "close";
                }
                // Read from the request itself: the hub's own WebSocket middleware has not run yet (HTTP/2 opens one with CONNECT).
                else if (context.Request.Headers.Upgrade.ToString().Contains("websocket", StringComparison.OrdinalIgnoreCase) || HttpMethods.IsConnect(context.Request.Method)
                    || HttpMethods.IsGet(context.Request.Method) && context.Request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.OrdinalIgnoreCase))
                {
                    // A WebSocket or an event stream holds its place from its first byte to its last, handshake or not.
                    using var place = gate.TryTakeTransportPlace(context, out var clientFull);
                    if (place is null)
                    {
                        await Full(context.Response, clientFull).ExecuteAsync(context);
                        return;
                    }
                    await next(context);
                    return;
                }
            }
            else if (context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } raw } && raw == feedRoute)
            {
                using var place = context.RequestServices.GetRequiredService<SpectatorGate>().TryTakeFeedPlace(context, out var clientFull);
                if (place is null)
                {
                    await Full(context.Response, clientFull).ExecuteAsync(context);
                    return;
                }
                await next(context);
                return;
            }
            await next(context);
        });
    }
}
