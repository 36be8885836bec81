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
                response.ContentType = contentType;
                response.ContentLength = file.Length;
                response.Headers.ContentEncoding = encoding;
                response.Headers.Vary = HeaderNames.AcceptEncoding;
                response.Headers.CacheControl = "public, max-age=31536000, immutable";
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
