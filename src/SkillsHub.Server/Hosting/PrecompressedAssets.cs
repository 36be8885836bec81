using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace SkillsHub.Server.Hosting;

/// <summary>
/// Vite's content-hashed assets are compressed once at build time at the highest Brotli and gzip levels
/// (src/SkillsHub.Web/vite.config.ts writes <c>.br</c> and <c>.gz</c> beside each file); this serves those copies
/// to a browser that accepts them (docs/pages.md, "Transfer"). The response-compression middleware stays at its
/// fastest level for dynamic answers and leaves a response that already names its encoding alone.
/// </summary>
public static class PrecompressedAssets
{
    static readonly (string Encoding, string Suffix)[] Encodings = [("br", ".br"), ("gzip", ".gz")];
    static readonly FileExtensionContentTypeProvider Types = new();

    /// <summary>
    /// An Accept-Encoding with <c>*</c> written out as the codings the server has that the client did not name, with the
    /// wildcard's weight: "*" stands only for codings not named elsewhere (RFC 9110, 12.5.3), and the response compression
    /// read it as any coding, so "br;q=0, *" got Brotli (found by an outside tester). Before the response compression.
    /// </summary>
    public static IApplicationBuilder UseAcceptEncodingWildcard(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var request = context.Request;
        if (request.Headers.AcceptEncoding.ToString().Contains('*')
            && StringWithQualityHeaderValue.TryParseList(request.Headers.AcceptEncoding, out var accepted) && accepted.FirstOrDefault(a => a.Value == "*") is { } any)
        {
            var named = accepted.Where(a => a.Value != "*").ToList();
            var unnamed = Encodings.Select(e => e.Encoding).Where(e => !named.Any(a => a.Value.Equals(e, StringComparison.OrdinalIgnoreCase)));
            request.Headers.AcceptEncoding = string.Join(", ", named.Select(a => a.ToString())
                .Concat((any.Quality ?? 1) > 0 ? unnamed.Select(e => any.Quality is { } q ? new StringWithQualityHeaderValue(e, q).ToString() : e) : []));
        }
        return next(context);
    });

    public static IApplicationBuilder UsePrecompressedAssets(this IApplicationBuilder app, IFileProvider web) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if ((HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            && request.Path.StartsWithSegments("/assets") && Types.TryGetContentType(request.Path.Value!, out var contentType))
        {
            var accepted = request.GetTypedHeaders().AcceptEncoding;
            foreach (var (encoding, suffix) in Encodings)
            {
                if (!accepted.Any(a => a.Value.Equals(encoding, StringComparison.OrdinalIgnoreCase) && (a.Quality ?? 1) > 0))
                {
                    continue;
                }
                var file = web.GetFileInfo(request.Path.Value + suffix);
                if (!file.Exists)
                {
                    continue;
                }
                var response = context.Response;
                response.Headers.Vary = HeaderNames.AcceptEncoding;
                response.Headers.CacheControl = "public, max-age=31536000, immutable";
                // A validator of its own, so a conditional request gets 304 (found by an outside tester: the copies every
                // browser gets had none). Weak, like every ETag the server sends; the copy of each encoding has its own.
                var modified = file.LastModified.ToUniversalTime();
                modified = new DateTimeOffset(modified.Year, modified.Month, modified.Day, modified.Hour, modified.Minute, modified.Second, TimeSpan.Zero);
                var etag = $"W/\"{modified.ToUnixTimeSeconds():x}-{file.Length:x}-{encoding}\"";
                response.Headers.ETag = etag;
                response.Headers.LastModified = HeaderUtilities.FormatDate(modified);
                var notModified = request.Headers.IfNoneMatch.Count > 0
                    ? Platform.EntityTags.NoneMatchFails(request.Headers.IfNoneMatch, etag)
                    : request.GetTypedHeaders().IfModifiedSince is { } since && modified <= since && since <= DateTimeOffset.UtcNow;
                if (notModified)
                {
                    response.StatusCode = StatusCodes.Status304NotModified;
                    return;
                }
                response.ContentType = contentType;
                response.ContentLength = file.Length;
                response.Headers.ContentEncoding = encoding;
                if (HttpMethods.IsGet(request.Method))
                {
                    await response.SendFileAsync(file, context.RequestAborted);
                }
                return;
            }
        }
        await next(context);
    });
}
