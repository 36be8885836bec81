using System.Reflection;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace SkillsHub.Server.Security;

/// <summary>
/// Who a rate limit counts (docs/deployment.md): a signed-in account or a paired tablet by its own name,
/// so a hall of tablets or an office of officers behind one NAT do not share one bucket; anyone else by
/// client address, which behind a proxy is the forwarded one (Hosting/ProxyRegistration.cs).
/// </summary>
public static class RateLimiting
{
    /// <summary>Password sign-in: per client address, Security:SignInPerMinute (default 20).</summary>
    public const string SignIn = "sign-in";

    /// <summary>
    /// Tablet pairing: per client address, Security:PairingPerMinute (default 300), so a hall pairs 200 tablets
    /// in a minute through one NAT. A code stays unguessable: 10 symbols of 31 (49 bits), one use, 15 minutes.
    /// </summary>
    public const string Pairing = "pairing";

    /// <summary>Security:PairingPerMinute when not set: a hall's 200 tablets and some wrong codes, through one address.</summary>
    public const int DefaultPairingPerMinute = 300;

    /// <summary>
    /// Public certificate lookups, credential and PDF downloads: per client, Certification:Lookup:PermitLimit per
    /// Certification:Lookup:WindowSeconds (default 30 per 60 s), so certificates cannot be harvested by guessing.
    /// </summary>
    public const string Lookup = "certificate-lookup";

    /// <summary>
    /// The lookup limit's partition key: "account:NAME" for a signed-in account (its session or personal API token), else
    /// "address:IP". A paired tablet counts as its address: tablets neither sign in with passwords nor look up
    /// certificates, and a Chief Expert can pair as many as they like, so a bucket of their own per tablet would be
    /// unlimited lookups and password guesses for one person (found by an outside tester; docs/deployment.md).
    /// </summary>
    public static string PartitionOf(HttpContext http)
    {
        var user = http.User;
        if (user.Identity?.IsAuthenticated == true && user.DeviceId() is null && user.Identity.Name is { Length: > 0 } name)
        {
            return "account:" + name;
        }
        return "address:" + ClientAddressOf(http);
    }

    /// <summary>
    /// The client's address as the connection (or a trusted proxy's forwarded header) gives it, normalised:
    /// one key per machine (::1 and 127.0.0.1 alike) and per IPv6 /64 (docs/security.md).
    /// </summary>
    public static string ClientAddressOf(HttpContext http) => ClientAddress.PartitionKey(http);

    public static WebApplicationBuilder AddRateLimits(this WebApplicationBuilder builder)
    {
        // Each at least 1, said in one line at start: 0 had every sign-in or lookup answer 500 (found by an outside tester).
        var signIn = WholeNumberSetting.Read(builder.Configuration, "Security:SignInPerMinute", 20, 1);
        var pairing = WholeNumberSetting.Read(builder.Configuration, "Security:PairingPerMinute", DefaultPairingPerMinute, 1);
        var lookups = WholeNumberSetting.Read(builder.Configuration, "Certification:Lookup:PermitLimit", 30, 1);
        var lookupWindow = TimeSpan.FromSeconds(WholeNumberSetting.Read(builder.Configuration, "Certification:Lookup:WindowSeconds", 60, 1));
        builder.Services.Configure<RateLimiterOptions>(o =>
        {
            // Sign-in and pairing guess at someone else's secret: counted by the client's address whoever it is signed in as
            // (found by an outside tester: each account, by its session or any of its tokens, added 20 guesses a minute).
            o.AddPolicy(SignIn, http => FixedWindow("address:" + ClientAddressOf(http), signIn, TimeSpan.FromMinutes(1)));
            o.AddPolicy(Pairing, http => FixedWindow("address:" + ClientAddressOf(http), pairing, TimeSpan.FromMinutes(1)));
            o.AddPolicy(Lookup, http => FixedWindow(PartitionOf(http), lookups, lookupWindow));
            o.OnRejected = RejectedAsync;
        });
        return builder;
    }

    /// <summary>
    /// ASP.NET Core's rate limiting middleware (<c>UseRateLimiter</c>), whose limiter is let go when the node stops. The
    /// middleware makes a partitioned limiter for the endpoints' policies and never disposes it (dotnet/aspnetcore issues
    /// 66434 and 69061): its timer ticks every 100 ms for ever and keeps the stopped node's pipeline and services
    /// reachable. A process runs one node outside the tests, so that went unseen there; the test processes start and stop
    /// dozens, and each stopped node was kept whole (50-80 MB) and went on waking the thread pool ten times a second
    /// (docs/testing.md, "Nodes in one process"; docs/test-speed.md, "Stopped nodes left ticking"). So the middleware is made here as
    /// <c>UseMiddleware</c> makes it, and its limiter disposed once the node has stopped. Should a later ASP.NET Core no
    /// longer have that limiter where this looks, the plain <c>UseRateLimiter</c> is used, and <c>NodeLifetimeTests</c>
    /// (a stopped node is collected) fails.
    /// </summary>
    public static WebApplication UseRateLimits(this WebApplication app)
    {
        var type = typeof(RateLimiterOptions).Assembly.GetType("Microsoft.AspNetCore.RateLimiting.RateLimitingMiddleware");
        var limiterField = type?.GetField("_endpointLimiter", BindingFlags.Instance | BindingFlags.NonPublic);
        var invoke = type?.GetMethod("Invoke", [typeof(HttpContext)]);
        if (type is null || limiterField is null || invoke is null)
        {
            app.UseRateLimiter();
            return app;
        }
        app.Use(next =>
        {
            var middleware = ActivatorUtilities.CreateInstance(app.Services, type, next);
            if (limiterField.GetValue(middleware) is IDisposable limiter)
            {
                app.Lifetime.ApplicationStopped.Register(limiter.Dispose);
            }
            return invoke.CreateDelegate<RequestDelegate>(middleware);
        });
        return app;
    }

    /// <summary><paramref name="permits"/> requests per <paramref name="window"/> for one partition, none queued.</summary>
    static RateLimitPartition<string> FixedWindow(string partition, int permits, TimeSpan window) =>
        RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 });

    /// <summary>Whole seconds until a refused lease's limiter takes requests again (at least 1; 60 when it does not say).</summary>
    public static int RetryAfterSeconds(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 60;

    /// <summary>Every refusal, whichever policy gave it, says when to come back: Retry-After and a 429 problem.</summary>
    static async ValueTask RejectedAsync(OnRejectedContext context, CancellationToken ct)
    {
        var response = context.HttpContext.Response;
        var seconds = RetryAfterSeconds(context.Lease);
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        if (!response.HasStarted)
        {
            response.StatusCode = StatusCodes.Status429TooManyRequests;
            // The same problem shape as every other answer (a stable code, the trace id): ProblemHttpResult goes through
            // the problem details service like the rest (docs/pages.md, "Languages").
            await TypedResults.Problem(title: "Too many requests", detail: $"Slow down: try again in {seconds} s.", statusCode: StatusCodes.Status429TooManyRequests,
                type: Platform.ProblemCodes.TooManyRequestsType,
                extensions: new Dictionary<string, object?> { ["code"] = "too-many-requests", ["retryAfter"] = seconds }).ExecuteAsync(context.HttpContext);
        }
    }
}
