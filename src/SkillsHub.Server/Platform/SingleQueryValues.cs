namespace SkillsHub.Server.Platform;

/// <summary>
/// A query parameter of the API is given once: no operation takes a list in its query (the OpenAPI document's parameters
/// are single values), so <c>?title=One&amp;title=Two</c> is 400 naming <c>title</c>, never "One,Two" or the first one
/// (docs/security.md, "Bad input"; found by an outside tester: a scheme import stored the title "One,Two"). It runs after
/// authorization, so a caller who may not call the operation hears that first.
/// </summary>
public static class SingleQueryValues
{
    public static IApplicationBuilder UseSingleQueryValues(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.Path.StartsWithSegments("/api") && context.GetEndpoint() is not null
            && context.Request.Query.Where(q => q.Value.Count > 1).Select(q => q.Key).ToList() is { Count: > 0 } repeated)
        {
            await Problems.Validation([.. repeated.Select(name => (name, $"'{name}' is given {context.Request.Query[name].Count} times; give it once."))]).ExecuteAsync(context);
            return;
        }
        await next(context);
    });
}
