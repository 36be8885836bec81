using Microsoft.AspNetCore.Authentication.Cookies;

namespace SkillsHub.Server.Security;

/// <summary>
/// A bearer token sent and refused (unknown, revoked or expired, its tablet unpaired, its account disabled) is a 401
/// <c>invalid_token</c> on every endpoint, public reads too (RFC 6750, 3.1; docs/security.md, "Sessions"). A public
/// read answered such a request as an anonymous one: a script following a hidden or frozen skill with a token that had
/// ended got the public board's empty or frozen rows with 200 and no sign its token was gone (found by an outside tester).
/// The monitoring scrape token on /metrics is the metrics policy's to judge (<see cref="SecurityRegistration.SchemeOf"/>).
/// </summary>
public static class RefusedBearerTokens
{
    public static IApplicationBuilder UseRefusedBearerTokens(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.User.Identity?.IsAuthenticated != true && BearerTokens.TokenOf(context.Request) is not null
                && SecurityRegistration.SchemeOf(context.Request) != CookieAuthenticationDefaults.AuthenticationScheme)
            {
                await TypedResults.Problem(title: "Unauthorized",
                    detail: "The bearer token sent is unknown, revoked or expired. Send a valid token, or none for the public answer.",
                    statusCode: StatusCodes.Status401Unauthorized,
                    extensions: new Dictionary<string, object?> { ["field"] = "Authorization" }).ExecuteAsync(context);
                return;
            }
            await next(context);
        });
}
