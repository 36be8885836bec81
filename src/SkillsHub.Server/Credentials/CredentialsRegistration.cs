namespace SkillsHub.Server.Credentials;

public static class CredentialsRegistration
{
    /// <summary>Signed credentials, status lists, PDFs and bundles for certificates (docs/credentials.md).</summary>
    public static WebApplicationBuilder AddCredentials(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<KeyEncryption>();
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
sealed class SigningKeyProblemHandler(IProblemDetailsService problems) : Microsoft.AspNetCore.Diagnostics.IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (exception is not SigningKeyUnavailableException)
        {
            return false;
        }
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Title = "Signing key unavailable", Detail = exception.Message, Status = 503, Extensions = { ["field"] = "Credentials:KeyEncryptionKey" } },
        });
    }
}
