using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.RateLimiting;
using SkillsHub.Server.Observability;
using SkillsHub.Server.Security;

namespace SkillsHub.Server.Hosting;

public static class MetricsRegistration
{
    public const string ReaderPolicy = "MetricsReader";

    /// <summary>
    /// Who may read /metrics: admins, or a scraper sending <c>Authorization: Bearer {Metrics:ScrapeToken}</c>
    /// (Prometheus' <c>authorization.credentials_file</c>). Without a token configured only admins may.
    /// </summary>
    public static WebApplicationBuilder AddMetricsEndpoint(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthorizationBuilder().AddPolicy(ReaderPolicy, p => p.RequireAssertion(c =>
            c.User.IsInRole(Roles.Admin) || (c.Resource is HttpContext http && BearerTokens.IsScrapeToken(http.Request))));
        return builder;
    }

    /// <summary>Counts each answer of an endpoint limited as a public lookup (its rate-limiting policy says so).</summary>
    public static WebApplication UseLookupMetrics(this WebApplication app)
    {
        var metrics = app.Services.GetRequiredService<SkillsHubMetrics>();
        app.Use(async (context, next) =>
        {
            await next(context);
            if (context.GetEndpoint() is RouteEndpoint endpoint
                && endpoint.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == RateLimiting.Lookup)
            {
                metrics.Lookups.Add(1, new KeyValuePair<string, object?>("route", endpoint.RoutePattern.RawText),
                    new KeyValuePair<string, object?>("status", context.Response.StatusCode));
            }
        });
        return app;
    }
}
