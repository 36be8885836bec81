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
        if (context.Request.Path.StartsWithSegments("/api") && context.GetEndpoint() is not null && NotUtf8(context.Request.QueryString.Value) is { } name)
        {
            await Problems.Validation((name, $"The value given for {name} is not UTF-8 text once its %-escapes are decoded.")).ExecuteAsync(context);
            return;
        }
        await next(context);
    });

    static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The first query parameter whose %-escapes do not decode to UTF-8 (a lone surrogate's %ED%A0%80, a Latin-1 %FF, an
    /// overlong %C0%AF), or null. ASP.NET leaves such escapes as they were, so the text "F15%FFbyte" was stored as a
    /// scheme's title (found by an outside tester; docs/security.md, "Bad input": text is UTF-8).
    /// </summary>
    static string? NotUtf8(string? query)
    {
        if (string.IsNullOrEmpty(query) || !query.Contains('%'))
        {
            return null;
        }
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            foreach (var part in parts)
            {
                try
                {
                    StrictUtf8.GetString(System.Web.HttpUtility.UrlDecodeToBytes(part.Replace('+', ' ')));
                }
                catch (ArgumentException)
                {
                    return Uri.UnescapeDataString(parts[0]) is { Length: > 0 } key && !key.Contains('%') ? key : "query";
                }
            }
        }
        return null;
    }
}
