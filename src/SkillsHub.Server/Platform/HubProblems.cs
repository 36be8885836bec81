using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace SkillsHub.Server.Platform;

/// <summary>
/// SignalR writes its own refusals on the hub's address as plain text: a GET of <c>/negotiate</c> (405, empty), a poll
/// or send without a connection id (400 "Connection ID required") or with one it does not know (404 "No Connection with
/// that ID"). They become problem details like every other error answer (docs/pages.md, "Errors"; found by an outside
/// tester), with SignalR's text as the detail. Anything that is not an error passes straight through as it is written
/// (long polling, server-sent events). A request that may be upgraded (a WebSocket's) is left alone, since its answer is
/// the upgrade: the hub's own WebSocket middleware comes after this one, so <c>WebSockets.IsWebSocketRequest</c> cannot
/// tell here, and a body completed after the upgrade throws.
/// </summary>
public static class HubProblems
{
    public static IApplicationBuilder UseHubProblems(this IApplicationBuilder app, PathString hub) =>
        app.UseWhen(c => c.Request.Path.StartsWithSegments(hub) && !Upgradable(c), branch => branch.Use(RunAsync));

    static bool Upgradable(HttpContext context) =>
        context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true || context.Features.Get<IHttpExtendedConnectFeature>()?.IsExtendedConnect == true;

    static async Task RunAsync(HttpContext context, RequestDelegate next)
    {
        var original = context.Features.Get<IHttpResponseBodyFeature>()!;
        var gate = new ErrorGate(context.Response, original.Stream);
        var gated = new StreamResponseBodyFeature(gate, original);
        context.Features.Set<IHttpResponseBodyFeature>(gated);
        try
        {
            await next(context);
            await gated.CompleteAsync();
        }
        finally
        {
            context.Features.Set(original);
        }
        var response = context.Response;
        if (response.StatusCode < 400 || response.HasStarted || (!gate.Held && response.ContentType is { Length: > 0 } && !IsPlainText(response)))
        {
            return;
        }
        var detail = gate.Text.Trim();
        response.ContentType = null;
        response.ContentLength = null;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = response.StatusCode,
                Title = ReasonPhrases.GetReasonPhrase(response.StatusCode),
                Detail = detail.Length > 0 ? detail : $"The hub does not answer {context.Request.Method} at this address.",
                Extensions = { ["field"] = response.StatusCode is 400 or 404 ? "id" : null },
            },
        });
    }

    static bool IsPlainText(HttpResponse response) => response.ContentType!.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The response body, decided at its first write or flush: an error in plain text is held back (at most 1 KB of it is
    /// kept as the detail); anything else goes through to the client unchanged from then on.
    /// </summary>
    sealed class ErrorGate(HttpResponse response, Stream inner) : Stream
    {
        readonly MemoryStream _held = new();
        bool? _holding;

        public bool Held => _holding == true;

        public string Text => System.Text.Encoding.UTF8.GetString(_held.GetBuffer(), 0, (int)Math.Min(_held.Length, 1024));

        bool Holding => _holding ??= response.StatusCode >= 400 && (string.IsNullOrEmpty(response.ContentType) || IsPlainText(response));

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Holding)
            {
                if (_held.Length < 1024)
                {
                    _held.Write(buffer.Span);
                }
                return;
            }
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, default).GetAwaiter().GetResult();

        public override Task FlushAsync(CancellationToken cancellationToken) => Holding ? Task.CompletedTask : inner.FlushAsync(cancellationToken);

        public override void Flush() => FlushAsync(default).GetAwaiter().GetResult();

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
