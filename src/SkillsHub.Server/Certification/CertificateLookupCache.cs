using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Caching.Memory;
using SkillsHub.Domain.Certification;

namespace SkillsHub.Server.Certification;

/// <summary>
/// The public registry's read cache (docs/security.md, "What is public"): issued certificates by
/// number, each with its answer to the QR code's link (the number with its access token) prepared once, held for <c>Certification:Lookup:CacheSeconds</c>
/// (default 60; 0 turns the cache off). Only found certificates are cached, so a newly issued number
/// answers at once. A status change is visible promptly on every node: the node that makes it drops
/// the entry when it commits, and every node polls the status events of the last
/// <see cref="RecentWindow"/> once per <c>Certification:Lookup:InvalidationMilliseconds</c> (default
/// 1000) and drops those numbers again and again while they are recent, so a read that raced the change
/// cannot keep a stale answer past the next poll. A failed poll empties the cache.
/// </summary>
public sealed class CertificateLookupCache : BackgroundService
{
    /// <summary>A certificate's record with its access token, and that record serialised once with its ETag.</summary>
    public sealed record Entry(CertificateView View, CertificateAnswer Answer);

    /// <summary>How long a status change keeps being invalidated: longer than any status-change transaction.</summary>
    static readonly TimeSpan RecentWindow = TimeSpan.FromSeconds(30);

    readonly CertificateStore _store;
    readonly RegistryTokens _tokens;
    readonly IOptions<JsonOptions> _json;
    readonly ILogger<CertificateLookupCache> _log;
    readonly MemoryCache? _cache;
    readonly MemoryCacheEntryOptions _entryOptions;
    readonly TimeSpan _pollEvery;

    public CertificateLookupCache(CertificateStore store, RegistryTokens tokens, IOptions<JsonOptions> json, IConfiguration configuration, ILogger<CertificateLookupCache> log)
    {
        _store = store;
        _tokens = tokens;
        _json = json;
        _log = log;
        var section = configuration.GetSection("Certification:Lookup");
        var seconds = section.GetValue("CacheSeconds", 60);
        _pollEvery = TimeSpan.FromMilliseconds(Math.Max(100, section.GetValue("InvalidationMilliseconds", 1000)));
        // Each entry counts 1 towards the limit: the cache holds at most CacheEntries certificates.
        _cache = seconds > 0 ? new MemoryCache(new MemoryCacheOptions { SizeLimit = section.GetValue("CacheEntries", 50_000) }) : null;
        _entryOptions = new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(Math.Max(1, seconds)), Size = 1 };
    }

    /// <summary>The certificate with this normalised number, or null when there is none.</summary>
    public async ValueTask<Entry?> GetAsync(string number, CancellationToken ct)
    {
        if (_cache is not null && _cache.TryGetValue(number, out Entry? cached))
        {
            return cached;
        }
        if (await _store.CertificateAsync(number, ct) is not { } found)
        {
            return null;
        }
        var view = found with { AccessToken = _tokens.For(found.Number) };
        var entry = new Entry(view, CertificateAnswer.Of(view, _json.Value.SerializerOptions));
        _cache?.Set(number, entry, _entryOptions);
        return entry;
    }

    /// <summary>Drops one certificate (its status changed on this node).</summary>
    public void Invalidate(string number) => _cache?.Remove(number);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_cache is null)
        {
            return;
        }
        using var timer = new PeriodicTimer(_pollEvery);
        var failing = false;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                foreach (var number in await _store.ChangedWithinAsync(RecentWindow, stoppingToken))
                {
                    _cache.Remove(number);
                }
                failing = false;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Without the poll a change on another node could go unseen: forget everything instead.
                _cache.Clear();
                // Once per outage, not once per poll.
                if (!failing)
                {
                    _log.LogWarning(ex, "Could not read recent certificate status changes; the lookup cache is emptied until the database answers again.");
                }
                failing = true;
            }
        }
    }

    public override void Dispose()
    {
        _cache?.Dispose();
        base.Dispose();
    }
}

/// <summary>
/// A lookup answer serialised once, with its weak ETag (a hash of the body) and the same
/// <c>Cache-Control</c> the other public reads get (Hosting/TransferRegistration.cs): a repeated request naming
/// the ETag in <c>If-None-Match</c> gets 304. Documented in OpenAPI as a <see cref="CertificateView"/>.
/// </summary>
public sealed class CertificateAnswer : IResult, IEndpointMetadataProvider
{
    /// <summary>
    /// Revalidated at every read (the ETag makes that a 304): a browser kept a record as valid for up to 30 s after it was
    /// revoked or suspended while this was <c>max-age=30</c> (found by an outside tester).
    /// </summary>
    public const string CacheControl = "private, no-cache";

    readonly byte[] _json;

    CertificateAnswer(byte[] json, string etag)
    {
        _json = json;
        ETag = etag;
    }

    public string ETag { get; }

    public static CertificateAnswer Of(CertificateView view, System.Text.Json.JsonSerializerOptions options)
    {
        var json = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(view, options);
        return new(json, EntityTags.WeakOf(json));
    }

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.Headers.ETag = ETag;
        response.Headers.CacheControl = CacheControl;
        // The issuing officer's answer is the full record, anyone else's the masked one, on the same URL.
        CallerDependent.VaryByCaller(response);
        if (EntityTags.NoneMatchFails(httpContext.Request.Headers.IfNoneMatch, ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = _json.Length;
        return response.Body.WriteAsync(_json, httpContext.RequestAborted).AsTask();
    }

    public static void PopulateMetadata(System.Reflection.MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(CertificateView), ["application/json"]));
}
