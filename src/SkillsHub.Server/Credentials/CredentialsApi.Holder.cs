using System.Text.Json;
using System.Text.Json.Nodes;
using SkillsHub.Server.Certification;

namespace SkillsHub.Server.Credentials;

/// <summary>
/// The holder's downloads: the signed credential and the certificate PDF, each with the certificate's access token (or
/// to the issuing agency's officer), cached as the holder's record is.
/// </summary>
public static partial class CredentialsApi
{
    static ProblemHttpResult NoCertificate() => Problems.NotFound("Certificate not found", "No certificate has this number and access token: check both as the QR code or the lookup gave them.", "number");

    /// <summary>The access token from the QR code or a disclosed lookup, or the issuing agency's own officer; otherwise the same 404 as a missing certificate.</summary>
    static bool MayDownload(string number, string? token, RegistryTokens tokens, ClaimsPrincipal user) =>
        tokens.Matches(number, token) || CertificateLookupApi.IsIssuingOfficer(user, number[..13]);

    /// <summary>
    /// The holder's record in another form: cached as its JSON lookup answer is (docs/pages.md, "Transfer"), and varying
    /// by caller as it does (the issuing officer needs no token).
    /// </summary>
    static void HolderRecord(HttpResponse response)
    {
        response.Headers.CacheControl = Certification.CertificateAnswer.CacheControl;
        CallerDependent.VaryByCaller(response);
    }

    /// <summary>
    /// No token and not the issuing officer: the record's own 400 naming t, the same whatever the number (an outside
    /// tester: "No certificate has this number" told a holder who dropped the ?t= that their certificate did not exist).
    /// </summary>
    static ProblemHttpResult? TokenMissing(string number, string? t, ClaimsPrincipal user) =>
        string.IsNullOrEmpty(t) && (Normalise(number) is not { } normalised || !CertificateLookupApi.IsIssuingOfficer(user, normalised[..13]))
            ? CertificateLookupApi.ProofRequired()
            : null;

    static async Task<Results<FileContentHttpResult, ContentHttpResult, ProblemHttpResult>> Credential(string number, string? format, string? t, CredentialIssuer issuer, HttpRequest http,
        IConfiguration c, RegistryTokens tokens, ClaimsPrincipal user, CancellationToken ct)
    {
        // Read in any case, as the scheme's ?format is.
        format = format?.ToLowerInvariant();
        if (format is not null && !AllowedValues.CredentialFormats.Contains(format))
        {
            return Problems.Validation(("format", "format is 'jwt' (default) or 'json'."));
        }
        if (TokenMissing(number, t, user) is { } missing)
        {
            return missing;
        }
        // The credential states the holder's full name: it needs the certificate's access token (docs/security.md).
        if (Normalise(number) is not { } normalised || !MayDownload(normalised, t, tokens, user) || await issuer.EnsureAsync(normalised, UrlsFor(http, c), ct) is not { } credential)
        {
            return NoCertificate();
        }
        HolderRecord(http.HttpContext.Response);
        if (format == "json")
        {
            var body = new JsonObject { ["credential"] = credential.Document, ["jwt"] = credential.Jwt };
            return TypedResults.Content(body.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), "application/json; charset=utf-8");
        }
        return TypedResults.File(Encoding.ASCII.GetBytes(credential.Jwt), VcJwtMediaType, $"{normalised}.vc.jwt");
    }

    static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Pdf(string number, string? t, CredentialFiles files, HttpRequest http, IConfiguration c,
        RegistryTokens tokens, ClaimsPrincipal user, CancellationToken ct)
    {
        if (TokenMissing(number, t, user) is { } missing)
        {
            return missing;
        }
        // The PDF shows the full name and the photo: it needs the certificate's access token (docs/security.md).
        if (Normalise(number) is not { } normalised || !MayDownload(normalised, t, tokens, user))
        {
            return NoCertificate();
        }
        try
        {
            if (await files.PdfAsync(normalised, UrlsFor(http, c), cache: true, ct) is not { } pdf)
            {
                return NoCertificate();
            }
            HolderRecord(http.HttpContext.Response);
            return TypedResults.File(pdf, "application/pdf", $"{normalised}.pdf");
        }
        catch (CjkFontMissingException e)
        {
            return TypedResults.Problem(title: "PDF rendering unavailable", detail: e.Message, statusCode: StatusCodes.Status503ServiceUnavailable,
                extensions: new Dictionary<string, object?> { ["field"] = "font" });
        }
    }
}
