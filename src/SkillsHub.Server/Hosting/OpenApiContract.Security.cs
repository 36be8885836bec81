using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.OpenApi;

namespace SkillsHub.Server.Hosting;

/// <summary>The security requirement each operation's authorization policy implies (docs/operations.md, "API contract").</summary>
public static partial class OpenApiContract
{
    /// <summary>Declares the operation's security; true when it is public.</summary>
    static bool DeclareSecurity(OpenApiOperation operation, ApiDescription description, OpenApiDocument document)
    {
        OpenApiSecurityRequirement By(string scheme) => new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var policies = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).Where(p => p is not null).ToList();
        var isPublic = policies.Count == 0 || policies.All(p => p == Security.Policies.Public);
        if (isPublic)
        {
            // OpenAPI's way of saying "no credentials needed" (an empty requirement), so a reader and redocly's
            // security-defined rule see that anonymous access is intended, not forgotten.
            operation.Security = [new OpenApiSecurityRequirement()];
            // A public read that answers a skill's jury otherwise (live rows of a hidden or frozen skill) also names the
            // credentials that get that answer, so a generated client sends them (found by an outside tester: the
            // document said anonymous only, and such a client never got the jury's view).
            if (metadata.OfType<Platform.CallerDependent.Answer>().Any())
            {
                operation.Security.Add(By(CookieScheme));
                operation.Security.Add(By(ApiTokenScheme));
                operation.Security.Add(By(BearerScheme));
            }
            return true;
        }
        // A Chief Expert's tablet holds the SkillChief endpoints of its skill (locks, pairing, the judging report ...).
        var tablet = policies.Any(p => p is Security.Policies.Device or Security.Policies.SkillExpert or Security.Policies.SignedIn or Security.Policies.SkillReader or Security.Policies.SkillChief);
        // A tablet's own operations (its marks, assignment and sheets) take no account's sign-in at all (found by an
        // outside tester: they listed the session and API tokens, which always answer 403 there).
        var tabletOnly = policies.All(p => p is Security.Policies.Device or Security.Policies.SkillExpert);
        operation.Security ??= [];
        if (!tabletOnly)
        {
            operation.Security.Add(By(CookieScheme));
        }
        if (!tabletOnly && !policies.Contains(Security.Policies.AccountSession))
        {
            operation.Security.Add(By(ApiTokenScheme));
        }
        if (tablet)
        {
            operation.Security.Add(By(BearerScheme));
        }
        return false;
    }
}
