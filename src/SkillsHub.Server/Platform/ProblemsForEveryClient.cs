namespace SkillsHub.Server.Platform;

/// <summary>
/// Every non-browser client gets RFC 7807 problem details with their <c>code</c> (docs/pages.md, "Errors"), whatever
/// its Accept says. ASP.NET's writer refuses when Accept names no JSON type (a CSV download's <c>text/csv</c>, SSE's
/// <c>text/event-stream</c>, a credential's <c>application/vc+jwt</c>): a 401 or 404 then had an empty body, and a
/// handler's problem was written by TypedResults' own fallback without <see cref="ProblemCodes.Apply"/> (no code,
/// no traceId). An error answer is never the format the client asked for anyway; this writes problem+json then.
/// </summary>
public sealed class ProblemsForEveryClient(IProblemDetailsService inner) : IProblemDetailsService
{
    public async ValueTask WriteAsync(ProblemDetailsContext context)
    {
        if (!await TryWriteAsync(context))
        {
            throw new InvalidOperationException("No IProblemDetailsWriter could write the problem details.");
        }
    }

    public async ValueTask<bool> TryWriteAsync(ProblemDetailsContext context)
    {
        if (await inner.TryWriteAsync(context))
        {
            return true;
        }
        if (context.HttpContext.Response.HasStarted)
        {
            return false;
        }
        // The writer decides from the request's Accept: ask again as a client that takes problem+json, then put it back.
        var headers = context.HttpContext.Request.Headers;
        var accept = headers.Accept;
        headers.Accept = "application/problem+json";
        try
        {
            return await inner.TryWriteAsync(context);
        }
        finally
        {
            headers.Accept = accept;
        }
    }

    /// <summary>Wraps the registered service (after AddProblemDetails), built as its own registration would build it.</summary>
    public static IServiceCollection Decorate(IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(IProblemDetailsService))
            ?? throw new InvalidOperationException("AddProblemDetails must come before ProblemsForEveryClient.Decorate.");
        var type = registered.ImplementationType
            ?? throw new InvalidOperationException("IProblemDetailsService is not registered by type.");
        services.Remove(registered);
        services.Add(ServiceDescriptor.Describe(typeof(IProblemDetailsService),
            sp => new ProblemsForEveryClient((IProblemDetailsService)ActivatorUtilities.CreateInstance(sp, type)), registered.Lifetime));
        return services;
    }
}
