using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace SkillsHub.Server.Security;

/// <summary>
/// A signed-in session, not a personal API token: what creating a token takes, so a leaked token stays one revocable
/// credential and cannot breed others (docs/security.md). Checked by the authorization middleware like every other
/// rule of who may call what, so a token's request is refused before its body is read.
/// </summary>
public sealed record SessionOnlyRequirement : IAuthorizationRequirement;

sealed class SessionOnlyHandler : AuthorizationHandler<SessionOnlyRequirement>
{
    public const string Reason = "API tokens are created from a signed-in session, not with another token.";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, SessionOnlyRequirement requirement)
    {
        if (context.User.HasClaim(c => c.Type == ApiTokenAuthenticationHandler.TokenClaim))
        {
            context.Fail(new AuthorizationFailureReason(this, Reason));
        }
        else
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}

/// <summary>
/// The framework's answers to failed authorization (an empty 401 or 403, given a body by the error pages), except a
/// refusal by <see cref="SessionOnlyHandler"/>, which says what to do instead.
/// </summary>
sealed class ForbiddenWithReason : IAuthorizationMiddlewareResultHandler
{
    readonly AuthorizationMiddlewareResultHandler _framework = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure?.FailureReasons.Any(r => r.Handler is SessionOnlyHandler) == true)
        {
            await TypedResults.Problem(title: "Sign in to create tokens", detail: SessionOnlyHandler.Reason, statusCode: StatusCodes.Status403Forbidden,
                extensions: new Dictionary<string, object?> { ["field"] = "Authorization" }).ExecuteAsync(context);
            return;
        }
        await _framework.HandleAsync(next, context, policy, authorizeResult);
    }
}
