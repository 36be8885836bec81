using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing.Template;

namespace SkillsHub.Server.Hosting;

/// <summary>
/// A route value that breaks its route's type (<c>/skills/abc/standings</c> for <c>{number:skill}</c>,
/// <c>/api/agency/sessions/abc</c> for <c>{id:long}</c>) matches no endpoint, which routing answers with a bare 404.
/// docs/security.md ("Bad input") says 400 naming the parameter: when nothing matched an /api/ path, the routes are tried
/// again without their constraints, and the first parameter whose constraint refuses its value is named.
/// </summary>
public static partial class RouteValueCheck
{
    sealed record Candidate(TemplateMatcher Matcher, IReadOnlyList<(string Name, IRouteConstraint Constraint)> Constraints, IReadOnlySet<string> Methods, bool PublicRead, bool Anonymous,
        IReadOnlyList<Microsoft.AspNetCore.Authorization.IAuthorizeData> Authorize);

    public static IApplicationBuilder UseRouteValueCheck(this IApplicationBuilder app)
    {
        IReadOnlyList<Candidate>? candidates = null;
        return app.Use(async (context, next) =>
        {
            if (context.GetEndpoint() is not null || !context.Request.Path.StartsWithSegments("/api"))
            {
                await next(context);
                return;
            }
            candidates ??= Candidates(context.RequestServices);
            // A browser's preflight of a public read asks for the read's method: it is answered as the read's route would
            // answer it, so that a page elsewhere can then read the 400 (found by an outside tester: a bare 404 without CORS
            // headers, and the page saw only a failed fetch).
            var preflight = HttpMethods.IsOptions(context.Request.Method) && context.Request.Headers.Origin.Count > 0
                && context.Request.Headers.AccessControlRequestMethod.Count > 0;
            var method = preflight ? context.Request.Headers.AccessControlRequestMethod.ToString() : context.Request.Method;
            foreach (var candidate in candidates)
            {
                var values = new RouteValueDictionary();
                if (!candidate.Methods.Contains(method) || (preflight && !candidate.PublicRead) || !candidate.Matcher.TryMatch(context.Request.Path, values))
                {
                    continue;
                }
                foreach (var (name, constraint) in candidate.Constraints)
                {
                    if (constraint.Match(context, null, name, values, RouteDirection.IncomingRequest))
                    {
                        continue;
                    }
                    if (preflight)
                    {
                        await PublicCors.AnswerPreflightAsync(context);
                        return;
                    }
                    // Who may call the endpoint comes first: an anonymous caller of a signed-in endpoint is 401, as
                    // for a well-formed value (found by an outside tester: /api/accounts/abc answered 400 anonymously).
                    if (!candidate.Anonymous && context.User.Identity?.IsAuthenticated != true)
                    {
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        return;
                    }
                    // And a signed-in caller the endpoint's policy refuses is 403, as for a well-formed value (found by
                    // an outside tester: a tablet asking for /api/accounts/abc heard 400).
                    if (!candidate.Anonymous && !await MayCallAsync(context, candidate, values))
                    {
                        context.Response.StatusCode = StatusCodes.Status403Forbidden;
                        return;
                    }
                    if (candidate.PublicRead)
                    {
                        // A public read's refusal is readable from any origin, as its answers are (Hosting/PublicCors.cs):
                        // no endpoint matched, so the CORS middleware added nothing.
                        await PublicCors.ApplyAsync(context);
                    }
                    await Problems.Validation((name, $"The value given for {name} is not valid (see the API reference for what it takes).")).ExecuteAsync(context);
                    return;
                }
            }
            await next(context);
        });
    }

    /// <summary>Whether the endpoint's authorization policy lets the caller in, judged on the route values the path gives.</summary>
    static async Task<bool> MayCallAsync(HttpContext context, Candidate candidate, RouteValueDictionary values)
    {
        var provider = context.RequestServices.GetRequiredService<Microsoft.AspNetCore.Authorization.IAuthorizationPolicyProvider>();
        if (await Microsoft.AspNetCore.Authorization.AuthorizationPolicy.CombineAsync(provider, candidate.Authorize) is not { } policy)
        {
            return true;
        }
        var before = context.Request.RouteValues;
        context.Request.RouteValues = values;
        try
        {
            var authorization = context.RequestServices.GetRequiredService<Microsoft.AspNetCore.Authorization.IAuthorizationService>();
            return (await authorization.AuthorizeAsync(context.User, context, policy.Requirements)).Succeeded;
        }
        finally
        {
            context.Request.RouteValues = before;
        }
    }

    static IReadOnlyList<Candidate> Candidates(IServiceProvider services)
    {
        var resolver = services.GetRequiredService<IInlineConstraintResolver>();
        var list = new List<Candidate>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var constraints = endpoint.RoutePattern.Parameters
                .SelectMany(p => p.ParameterPolicies.Where(c => c.Content is not null).Select(c => (p.Name, Constraint: resolver.ResolveConstraint(c.Content!))))
                .Where(c => c.Constraint is not null).Select(c => (c.Name, c.Constraint!)).ToList();
            if (constraints.Count == 0 || endpoint.RoutePattern.RawText is not { } raw)
            {
                continue;
            }
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
            var template = TemplateParser.Parse(ConstraintText().Replace(raw.TrimStart('/'), "{$1}"));
            var authorize = endpoint.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>();
            var policies = authorize.Select(a => a.Policy).ToList();
            var anonymous = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null || policies.All(p => p == Security.Policies.Public);
            list.Add(new Candidate(new TemplateMatcher(template, new RouteValueDictionary()), constraints, methods.ToHashSet(StringComparer.OrdinalIgnoreCase), PublicCors.IsPublicRead(endpoint), anonymous, authorize));
        }
        return list;
    }

    [GeneratedRegex(@"\{(\**[A-Za-z_][A-Za-z0-9_]*)[^}]*\}")]
    private static partial Regex ConstraintText();
}
