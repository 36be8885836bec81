using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Cors;
using Microsoft.Extensions.Primitives;

namespace SkillsHub.Server.Hosting;

/// <summary>
/// CORS for public reads (docs/operations.md, "Cross-origin reads"): a media site's script may read competitions,
/// standings, results, reports, the event feed, the public certificate view, issuers, keys, status lists and
/// contexts from any origin, without credentials. Which endpoints qualify is decided once, from what each endpoint
/// already declares: the <see cref="Security.Policies.Public"/> authorization policy and GET/HEAD only, under
/// /api/, /.well-known/, /ns/ or /openapi/. Nothing else gets a CORS header, so nothing cookie-authenticated is
/// readable cross-origin; and since the policy never allows credentials, a browser never sends a cookie with a
/// cross-origin read either (each such read sees the anonymous view).
/// </summary>
public static class PublicCors
{
    public const string PolicyName = "PublicReads";

    static readonly string[] Prefixes = ["/api/", "/.well-known/", "/ns/", "/openapi/"];

    public static WebApplicationBuilder AddPublicCors(this WebApplicationBuilder builder)
    {
        builder.Services.AddCors(o => o.AddPolicy(PolicyName, p => p
            .AllowAnyOrigin()
            .WithMethods(HttpMethods.Get, HttpMethods.Head)
            .AllowAnyHeader()
            .WithExposedHeaders("ETag", "Content-Disposition", "Retry-After")
            .SetPreflightMaxAge(TimeSpan.FromHours(1))));
        return builder;
    }

    /// <summary>
    /// Answers a browser's preflight for a public read that no endpoint matched (a route value breaking its type, which the
    /// read answers 400: Hosting/RouteValueCheck.cs) as the read's own route answers one: 204 with the policy's headers.
    /// </summary>
    public static async Task AnswerPreflightAsync(HttpContext context)
    {
        await ApplyAsync(context);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>The public reads' CORS headers on an answer no endpoint gave, where the CORS middleware added nothing.</summary>
    public static async Task ApplyAsync(HttpContext context)
    {
        var cors = context.RequestServices.GetRequiredService<Microsoft.AspNetCore.Cors.Infrastructure.ICorsService>();
        var policy = await context.RequestServices.GetRequiredService<Microsoft.AspNetCore.Cors.Infrastructure.ICorsPolicyProvider>().GetPolicyAsync(context, PolicyName);
        cors.ApplyResult(cors.EvaluatePolicy(context, policy!), context.Response);
    }

    /// <summary>
    /// Lets every read answer HEAD, and marks every public read with the CORS policy (and lets its route accept the
    /// preflight), by wrapping the app's endpoint sources: the endpoint declarations themselves stay as they are.
    /// </summary>
    public static WebApplication MapPublicCors(this WebApplication app)
    {
        var sources = ((IEndpointRouteBuilder)app).DataSources;
        var wrapped = sources.Select(s => (EndpointDataSource)new PublicReadsSource(s)).ToList();
        sources.Clear();
        foreach (var source in wrapped)
        {
            sources.Add(source);
        }
        return app;
    }

    /// <summary>True for an endpoint that only reads: GET (or GET and HEAD) only.</summary>
    static bool IsRead(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } methods && methods.All(m => m is "GET" or "HEAD");

    /// <summary>True for an endpoint anyone may read: the Public policy, GET/HEAD only, under an API prefix.</summary>
    public static bool IsPublicRead(RouteEndpoint endpoint)
    {
        var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
        var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList();
        return IsRead(endpoint)
            && Prefixes.Any(p => pattern.StartsWith(p, StringComparison.OrdinalIgnoreCase))
            && policies.Count > 0 && policies.All(p => p == Security.Policies.Public);
    }

    sealed class PublicReadsSource(EndpointDataSource inner) : EndpointDataSource
    {
        IReadOnlyList<Endpoint>? _source;
        IReadOnlyList<Endpoint> _endpoints = [];

        public override IReadOnlyList<Endpoint> Endpoints
        {
            get
            {
                var current = inner.Endpoints;
                if (!ReferenceEquals(current, _source))
                {
                    _endpoints = [.. current.Select(Mark)];
                    _source = current;
                }
                return _endpoints;
            }
        }

        public override IChangeToken GetChangeToken() => inner.GetChangeToken();

        static Endpoint Mark(Endpoint endpoint)
        {
            if (endpoint is not RouteEndpoint route || !IsRead(route))
            {
                return endpoint;
            }
            // Every read answers HEAD as its GET without the body (RFC 9110 section 9.1: a server supports HEAD wherever it
            // supports GET; Kestrel sends no body for HEAD), under the same policy, limits and headers; the API document
            // lists the GET only (OpenApiContract). A public read also takes the CORS policy and its preflight.
            var cors = IsPublicRead(route);
            IEnumerable<object> metadata = route.Metadata
                .Select(m => m is IHttpMethodMetadata http ? new HttpMethodMetadata([.. http.HttpMethods.Union([HttpMethods.Head])], acceptCorsPreflight: cors) : m);
            if (cors)
            {
                metadata = metadata.Append(new EnableCorsAttribute(PolicyName));
            }
            return new RouteEndpoint(route.RequestDelegate!, route.RoutePattern, route.Order, new EndpointMetadataCollection(metadata), route.DisplayName);
        }
    }
}
