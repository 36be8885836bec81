using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Net.Http.Headers;

namespace SkillsHub.Server.Hosting;

/// <summary>
/// Fewer bytes over the hall's Wi-Fi (docs/pages.md, "Transfer"): Brotli/gzip for text answers,
/// year-long immutable caching of Vite's content-hashed assets, and ETags with a short max-age on
/// the public reads every spectator's phone repeats (standings, results, a certificate).
/// </summary>
public static class TransferRegistration
{
    /// <summary>
    /// Seconds a standings/results answer may be reused without asking (a proxy in front of many phones);
    /// SkillsHub's own pages revalidate every read (fetch cache 'no-cache'), so they never show a stale copy.
    /// </summary>
    public const int PublicReadMaxAge = 5;

    /// <summary>The output-cache policy of the API document (<c>/openapi/v1.json</c>).</summary>
    public const string ApiDocumentCache = "api-document";

    public static WebApplicationBuilder AddSkillsHubTransfer(this WebApplicationBuilder builder)
    {
        builder.Services.AddResponseCompression(o =>
        {
            // Off for HTTPS by default (BREACH): TLS ends at the proxy in production (docs/deployment.md),
            // so Kestrel answers over HTTP and compresses; nginx may compress HTTPS itself.
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = ResponseCompressionDefaults.MimeTypes.Concat(["application/problem+json", "image/svg+xml", "application/manifest+json"]);
        });
        builder.Services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        builder.Services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        // The API document is generated once and then served from memory (it changes only with a new build): every reader
        // gets the same bytes, so its ETag revalidates (a test once saw a second generation differ from the first).
        builder.Services.AddOutputCache(o => o.AddPolicy(ApiDocumentCache, p => p.Expire(TimeSpan.FromDays(365))));
        return builder;
    }

    /// <summary>Static files: hashed assets under /assets are immutable; pages are revalidated.</summary>
    public static void CacheStaticFile(Microsoft.AspNetCore.StaticFiles.StaticFileResponseContext context)
    {
        var headers = context.Context.Response.Headers;
        var asset = context.Context.Request.Path.StartsWithSegments("/assets");
        headers.CacheControl = asset ? "public, max-age=31536000, immutable" : "no-cache";
        // The response compression may send the file compressed (a page always may; an asset when no precompressed copy
        // suits the client), so every answer about it, a 304 too, says it varies by Accept-Encoding (RFC 9110, 15.4.5).
        headers.Vary = HeaderNames.AcceptEncoding;
        if (headers.ETag is [{ } etag] && !etag.StartsWith("W/", StringComparison.Ordinal))
        {
            // A strong ETag names one exact body (RFC 9110, 8.8.1), and the compression above would send other bodies under
            // it: a weak one says "the same file", and If-None-Match, compared weakly, still gets 304.
            headers.ETag = "W/" + etag;
        }
        if (context.File.Name.EndsWith(".html", StringComparison.OrdinalIgnoreCase))
        {
            // As the routed pages say it (Platform/HtmlPages.cs): the pages are UTF-8.
            context.Context.Response.ContentType = "text/html; charset=utf-8";
        }
    }

    /// <summary>
    /// If-None-Match as every handler after this reads it: a value RFC 9110 does not allow is dropped (it is no condition,
    /// <see cref="EntityTags.WeakAsStrong"/>), and each weak tag is written strong, since the static-file middleware and the
    /// output cache compare strongly while If-None-Match compares weakly (RFC 9110, 13.1.2): the weak ETag a file went out
    /// with (<see cref="CacheStaticFile"/>) is read back as the tag it was made from. Every other validator the server
    /// checks is compared weakly anyway (Platform/EntityTags.cs).
    /// </summary>
    public static IApplicationBuilder UseWeakPageValidators(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var headers = context.Request.Headers;
        if (headers.IfNoneMatch.Count > 0)
        {
            if (EntityTags.WeakAsStrong(headers.IfNoneMatch) is { } strong)
            {
                headers.IfNoneMatch = strong;
            }
            else
            {
                headers.Remove(HeaderNames.IfNoneMatch);
            }
        }
        return next(context);
    });

    // Competitions change when an organiser edits them (the console re-reads at once): revalidate always.
    // A certificate's answer (private, 30 s: it may be revoked) carries its ETag from the lookup cache,
    // prepared once per certificate instead of per request (Certification/CertificateLookupCache.cs).
    // Standings and results answer the jury (signed in by cookie or bearer token) with live data: that answer is marked
    // private (Platform/CallerDependent.cs), and every answer of these two varies by Cookie and Authorization so a
    // shared cache never hands a spectator's copy to a signed-in caller or the other way round.
    // The issuers' profiles and keys and the JSON-LD context set their own Cache-Control (null here: kept); they get an
    // ETag so a verifier revalidates its copy with a 304 (docs/credentials.md). So does a status list: valid from the lists'
    // last change, it is the same bytes until a status changes (its own 60 s max-age kept).
    static readonly (string Template, string? CacheControl, bool ByCaller)[] PublicReads =
    [
        ("api/competitions/{code}/skills/{number}/standings", $"public, max-age={PublicReadMaxAge}", true),
        ("api/competitions/{code}/results", $"public, max-age={PublicReadMaxAge}", true),
        ("api/competitions/{code}/reports/{kind}", $"public, max-age={PublicReadMaxAge}", true),
        ("api/competitions/{code}", "public, no-cache", false),
        ("api/competitions", "public, no-cache", false),
        ("api/competitions/{code}/skills/{number}", "public, no-cache", false),
        ("api/competitions/{code}/skills/{number}/competitors", "public, no-cache", false),
        ("api/members", "public, no-cache", false),
        ("api/occupations", "public, no-cache", false),
        ("api/issuers/{agencyKey}", "public, no-cache", false),
        ("api/issuers/{agencyKey}/jwks.json", null, false),
        ("api/issuers/{agencyKey}/keys/{keyId}", null, false),
        (".well-known/jwks.json", null, false),
        ("api/status-lists/{agencyKey}/{purpose}", null, false),
        ("ns/skillshub/v1", null, false),
        // The API document: a generated client or a checker revalidates its copy (found by an outside tester: no ETag).
        ("openapi/v1.json", "public, no-cache", false),
    ];

    static readonly TemplateMatcher[] Matchers = PublicReads.Select(r => new TemplateMatcher(TemplateParser.Parse(r.Template), new RouteValueDictionary())).ToArray();

    /// <summary>
    /// A public read answered 200 gets a weak ETag (hash of the body) and a short Cache-Control; a
    /// request whose If-None-Match names it gets 304 with no body.
    /// </summary>
    public static IApplicationBuilder UsePublicReadCaching(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var index = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) ? MatchIndex(context.Request.Path) : -1;
        if (index < 0)
        {
            await next(context);
            return;
        }
        // The conditions are this middleware's to answer, against the ETag of the body it is about to send: the output
        // cache inside would answer them from its own stored headers, which hold no ETag (found by an outside tester: the
        // API document's 304 to "*" had no ETag, Cache-Control or Age), and by its stored Date for If-Modified-Since.
        var request = context.Request.Headers;
        var ifNoneMatch = request.IfNoneMatch;
        request.Remove(HeaderNames.IfNoneMatch);
        request.Remove(HeaderNames.IfModifiedSince);
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }
        if (context.Response.StatusCode == StatusCodes.Status200OK)
        {
            var etag = EntityTags.WeakOf(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            context.Response.Headers.ETag = etag;
            if (PublicReads[index].CacheControl is { } cacheControl && !CallerDependent.IsMarked(context.Response))
            {
                context.Response.Headers.CacheControl = cacheControl;
            }
            if (PublicReads[index].ByCaller)
            {
                CallerDependent.VaryByCaller(context.Response);
            }
            // Compressed or not, by the client's Accept-Encoding: the 304 says so as the 200 does (RFC 9110, 15.4.5).
            if (!context.Response.Headers.Vary.Any(v => v?.Contains(HeaderNames.AcceptEncoding, StringComparison.OrdinalIgnoreCase) == true))
            {
                context.Response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptEncoding);
            }
            if (EntityTags.NoneMatchFails(ifNoneMatch, etag))
            {
                context.Response.StatusCode = StatusCodes.Status304NotModified;
                context.Response.ContentLength = null;
                return;
            }
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    });

    /// <summary>
    /// Every other answer to a signed-in caller, and every answer to a write, that sets no Cache-Control of its own is
    /// <c>no-store</c>: a token shown once, a pairing code, an account list or a disclosed record never lands in a cache
    /// (docs/pages.md, "Transfer").
    /// </summary>
    public static IApplicationBuilder UseNoStoreForPrivateAnswers(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var read = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
            // A caller that sent credentials counts as signed in even when the answer came before authentication ran (the
            // unknown-competition 404 does; found by an outside tester: it had no Cache-Control for a signed-in caller).
            var request = context.Request.Headers;
            var credentials = context.User.Identity?.IsAuthenticated == true || request.Authorization.Count > 0 || request.Cookie.Count > 0;
            if (string.IsNullOrEmpty(context.Response.Headers.CacheControl) && (!read || credentials))
            {
                context.Response.Headers.CacheControl = "no-store";
            }
            return Task.CompletedTask;
        });
        return next(context);
    });

    /// <summary>True when the route (an endpoint's relative path, e.g. api/competitions/{code}) is a public read with an ETag.</summary>
    public static bool IsPublicRead(string relativePath) => MatchIndex(new PathString("/" + relativePath.TrimStart('/'))) >= 0;

    static int MatchIndex(PathString path)
    {
        for (var i = 0; i < Matchers.Length; i++)
        {
            if (Matchers[i].TryMatch(path, new RouteValueDictionary()))
            {
                return i;
            }
        }
        return -1;
    }
}
