using System.Runtime.CompilerServices;

namespace SkillsHub.Server.Hosting;

/// <summary>
/// Lets a stopped node be collected. ASP.NET Core's rate-limiting middleware makes a partitioned limiter for its
/// endpoint policies and never disposes it; the limiter's timer stays in the process-wide timer queue, and through
/// the middleware's next step it keeps the whole request pipeline, the endpoints, the application and its services
/// (Orleans silo, caches, metrics) reachable after the node has stopped (dotnet/aspnetcore#69061). A process that
/// runs one node never notices; one that starts and stops nodes (a test run starts about sixty) kept every one of
/// them, 50-80 MB each, and every full garbage collection had to walk them all (docs/testing.md).
/// </summary>
public static class StoppedPipelineRelease
{
    /// <summary>Placed right after <c>UseRateLimiter</c>: the rest of the pipeline is let go once the node has stopped.</summary>
    public static IApplicationBuilder UseReleaseWhenStopped(this WebApplication app)
    {
        var stopped = app.Lifetime.ApplicationStopped;
        return app.Use(next =>
        {
            var rest = new StrongBox<RequestDelegate?>(next);
            stopped.Register(() => rest.Value = null);
            return context =>
            {
                if (rest.Value is { } pipeline)
                {
                    return pipeline(context);
                }
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return Task.CompletedTask;
            };
        });
    }
}
