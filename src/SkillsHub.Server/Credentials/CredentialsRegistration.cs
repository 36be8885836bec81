namespace SkillsHub.Server.Credentials;

public static class CredentialsRegistration
{
    /// <summary>Signed credentials, status lists, PDFs and bundles for certificates (docs/credentials.md).</summary>
    public static WebApplicationBuilder AddCredentials(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AgencyKeyStore>();
        builder.Services.AddSingleton<AgencyKeys>();
        builder.Services.AddSingleton<CredentialStore>();
        builder.Services.AddSingleton<CredentialIssuer>();
        builder.Services.AddSingleton<CredentialVerifier>();
        builder.Services.AddSingleton<CredentialFileStore>();
        builder.Services.AddSingleton<CredentialFiles>();
        builder.Services.AddTransient<BundleJobs>();
        builder.Services.AddExceptionHandler<SigningKeyProblemHandler>();
        return builder;
    }

    public static IEndpointRouteBuilder MapCredentials(this IEndpointRouteBuilder endpoints) => endpoints.MapCredentialsApi();
}

/// <summary>A signing key this node cannot decrypt is an operator's problem: 503 with the fix, not a 500.</summary>
sealed class SigningKeyProblemHandler(IProblemDetailsService problems, ILogger<SigningKeyProblemHandler> logger) : Microsoft.AspNetCore.Diagnostics.IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (exception is not SigningKeyUnavailableException)
        {
            return false;
        }
        // What to change goes to the operator's log; the caller (an officer, a holder) learns that the node cannot sign
        // now, not the key ids and settings (found by an outside tester).
        logger.LogError(exception, "A signing key could not be opened on this node");
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = "60";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Title = "Signing key unavailable",
                Detail = "This server cannot use the issuer's signing key just now. Try again in a minute; if it persists, tell the administrator (the server's log says why).",
                Status = 503,
                Extensions = { ["field"] = "Credentials:KeyEncryptionKey" },
            },
        });
    }
}
