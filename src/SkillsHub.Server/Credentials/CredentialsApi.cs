using System.Text.Json;
using System.Text.Json.Nodes;
using Hangfire;
using SkillsHub.Domain.Certification;
using SkillsHub.Domain.Credentials;
using SkillsHub.Server.Certification;
using SkillsHub.Server.Security;

namespace SkillsHub.Server.Credentials;

/// <summary>Why a certificate is revoked, suspended or reinstated: shown on the verify page, at most 500 characters (422 past it, naming reason).</summary>
public sealed record StatusChangeRequest([property: System.ComponentModel.DataAnnotations.MaxLength(500)] string? Reason);

/// <summary>The JSON form of POST /api/credentials/verify's body (the handler also takes a bare JWT or a JSON string).</summary>
public sealed record CredentialToVerify(string Credential);

public sealed record StatusChangeView(string Number, string Status, string? Reason);

/// <summary>
/// Credentials API: public issuer profiles, status lists, credential and PDF downloads and verification;
/// the issuing agency's revocation, suspension, photos and bulk bundles.
/// </summary>
public static partial class CredentialsApi
{
    /// <summary>The largest body /api/credentials/verify reads: a credential is a few KB; 256 KB leaves room for any real one.</summary>
    public const long MaxVerifyBytes = 256 * 1024;

    /// <summary>The media type of a credential as a JWT (VC-JOSE-COSE): what the credential downloads are served as.</summary>
    public const string VcJwtMediaType = "application/vc+jwt";

    public static IEndpointRouteBuilder MapCredentialsApi(this IEndpointRouteBuilder endpoints)
    {
        var open = endpoints.MapGroup("/api").WithTags("Credentials: public").RequireAuthorization(Policies.Public);
        open.MapGet("/issuers/{agencyKey}", Issuer).ProducesContent("application/json").WithSummary("The agency's issuer Profile with its Ed25519 public keys (Multikey and JWK).");
        open.MapGet("/issuers/{agencyKey}/jwks.json", IssuerJwks).ProducesContent("application/jwk-set+json").WithSummary("The agency's public keys as a JWK Set (RFC 7517), for JOSE verifiers.");
        open.MapGet("/issuers/{agencyKey}/keys/{keyId}", IssuerKey).ProducesContent("application/jwk+json").WithSummary("One public key as a JWK: what a credential's kid dereferences to.");
        open.MapGet("/status-lists/{agencyKey}/{purpose}", StatusList).Allows("purpose", StatusPurposes.Names).ProducesContent(VcJwtMediaType)
            .WithSummary("The agency's BitstringStatusListCredential for 'revocation' or 'suspension', always signed (vc+jwt).");
        endpoints.MapGet("/.well-known/jwks.json", AllJwks).ProducesContent("application/jwk-set+json").WithTags("Credentials: public").RequireAuthorization(Policies.Public)
            .WithSummary("Every issuer's public keys as one JWK Set (each kid is the key's address).");
        endpoints.MapGet("/ns/skillshub/v1", Context).ProducesContent("application/ld+json").WithTags("Credentials: public").RequireAuthorization(Policies.Public)
            .WithSummary("The SkillsHub JSON-LD context: the terms SkillsHub credentials add to VC 2.0 and Open Badges 3.0.");
        var limited = open.MapGroup("").RequireRateLimiting(RateLimiting.Lookup);
        limited.MapGet("/credentials/{number}", Credential).Allows("format", AllowedValues.CredentialFormats).ProducesContent(VcJwtMediaType, "application/json").WithSummary("The certificate's signed OpenBadgeCredential as vc+jwt (?format=json: the decoded credential with the JWT).");
        limited.MapGet("/certificates/{number}/pdf", Pdf).ProducesContent("application/pdf").WithSummary(
            "The printable A4 certificate (Chinese and English, masked ID, photo, QR code to /verify/{number}?t=token); needs ?t= (the access token).");
        limited.MapPost("/credentials/verify", Verify).WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxVerifyBytes)).AcceptsJsonOrString<CredentialToVerify>("The vc+jwt string as a JSON string.").WithMetadata(new RequestBodies.RequestBodyAlternative("text/plain", "The vc+jwt string."))
            .WithMetadata(new RequestBodies.RequestBodyAlternative(VcJwtMediaType, "The vc+jwt string, as GET /api/credentials/{number} serves it."))
            .WithSummary("Checks a credential (the vc+jwt string, or {credential: jwt}): format, issuer key, signature, status lists, validity dates.");

        var agency = endpoints.MapGroup("/api/agency").WithTags("Credentials: agency").RequireAuthorization(CertificationPolicies.AgencyOfficer);
        agency.MapPost("/certificates/{number}/revoke", (string number, StatusChangeRequest request, HttpRequest http, CredentialIssuer issuer, ClaimsPrincipal user, IConfiguration c, CancellationToken ct) =>
            ChangeStatus("revoke", number, request, http, issuer, user, c, ct)).WithSummary("Revokes one of the agency's certificates, with a reason. Final.");
        agency.MapPost("/certificates/{number}/suspend", (string number, StatusChangeRequest request, HttpRequest http, CredentialIssuer issuer, ClaimsPrincipal user, IConfiguration c, CancellationToken ct) =>
            ChangeStatus("suspend", number, request, http, issuer, user, c, ct)).WithSummary("Suspends one of the agency's certificates, with a reason (reversible).");
        agency.MapPost("/certificates/{number}/reinstate", (string number, StatusChangeRequest request, HttpRequest http, CredentialIssuer issuer, ClaimsPrincipal user, IConfiguration c, CancellationToken ct) =>
            ChangeStatus("reinstate", number, request, http, issuer, user, c, ct)).WithSummary("Lifts a suspension, with a reason. A revoked certificate cannot be reinstated.");
        // A photo is at most 2 MB: the server reads no more than that and a form's envelope (an outside tester: it read up to 64 MB).
        agency.MapPut("/certificates/{number}/photo", Photo).AcceptsFile("The holder's photo (PNG or JPEG)", HolderPhoto.MaxBytes + PhotoFormEnvelope, "image/png", "image/jpeg")
            .WithSummary("Sets the holder's photo (PNG or JPEG, at most 2 MB, 4096 pixels on a side and 12.6 million pixels) printed on the PDF.");
        agency.MapPost("/sessions/{id:long}/bundle", StartBundle).WithSummary("Starts a job that builds one ZIP of every certificate's PDF and credential in the session.");
        agency.MapGet("/bundles/{id:guid}", GetBundle).WithSummary("The bundle job's progress.");
        // 409 while the bundle is still being built (found by an outside tester: the contract did not say so).
        agency.MapGet("/bundles/{id:guid}/download", DownloadBundle).ProducesContent("application/zip").Produces(StatusCodes.Status409Conflict)
            .WithSummary("The finished ZIP; 409 not-ready while the bundle is queued or running.");
        return endpoints;
    }

    /// <summary>The public base address credentials and QR codes name: always PublicBaseUrl, never the request's Host (Platform/PublicAddress.cs).</summary>
    public static CredentialUrls UrlsFor(HttpRequest request, IConfiguration configuration) =>
        request.HttpContext.RequestServices.GetRequiredService<PublicAddress>().Credentials;

    static string? Normalise(string number) => CertificateNumber.TryParse(number, out var parsed) ? parsed.ToString() : null;

    /// <summary>The number when its first 13 characters are the officer's agency, checked before any read (docs/security.md, "Agency isolation").</summary>
    static string? OwnNumber(string number, ClaimsPrincipal user) =>
        CertificateNumber.TryParse(number, out var parsed) && parsed.Agency.ToString() == user.AgencyKey() ? parsed.ToString() : null;

    static async Task<Results<ContentHttpResult, ProblemHttpResult>> Issuer(string agencyKey, CredentialIssuer issuer, AgencyKeys keys, HttpRequest http, IConfiguration c, CancellationToken ct)
    {
        var key = agencyKey.Trim().ToUpperInvariant();
        if (!AgencyKey.TryParse(key, out _) || await issuer.AgencyAsync(key, ct) is not { } agency)
        {
            return Problems.NotFound("Unknown issuer", $"No evaluation agency {agencyKey} is on file.", "agencyKey");
        }
        var published = await keys.PublicKeysAsync(key, ct);
        if (published.Count == 0)
        {
            // An agency that never issued a credential gets its key now, so its profile always shows one.
            var active = await keys.ActiveAsync(key, ct);
            published = [(active.KeyId, active.PublicKey)];
        }
        var profile = OpenBadgeCredential.Profile(key, agency.Name, agency.Type, published, UrlsFor(http, c));
        return TypedResults.Content(profile.ToJsonString(), "application/json; charset=utf-8");
    }

    static async Task<Results<ContentHttpResult, ProblemHttpResult>> IssuerJwks(string agencyKey, CredentialIssuer issuer, AgencyKeys keys, HttpRequest http, IConfiguration c, CancellationToken ct)
    {
        var key = agencyKey.Trim().ToUpperInvariant();
        if (!AgencyKey.TryParse(key, out _) || await issuer.AgencyAsync(key, ct) is null)
        {
            return Problems.NotFound("Unknown issuer", $"No evaluation agency {agencyKey} is on file.", "agencyKey");
        }
        var published = await keys.PublicKeysAsync(key, ct);
        if (published.Count == 0)
        {
            var active = await keys.ActiveAsync(key, ct);
            published = [(active.KeyId, active.PublicKey)];
        }
        http.HttpContext.Response.Headers.CacheControl = "public, max-age=300";
        var set = OpenBadgeCredential.JwkSet(published.Select(k => (key, k.KeyId, k.PublicKey)), UrlsFor(http, c));
        return TypedResults.Content(set.ToJsonString(), "application/jwk-set+json");
    }

    static async Task<Results<ContentHttpResult, ProblemHttpResult>> IssuerKey(string agencyKey, string keyId, AgencyKeys keys, HttpRequest http, IConfiguration c, CancellationToken ct)
    {
        var key = agencyKey.Trim().ToUpperInvariant();
        if (!AgencyKey.TryParse(key, out _) || (await keys.PublicKeysAsync(key, ct)).Where(k => k.KeyId == keyId).Select(k => k.PublicKey).FirstOrDefault() is not { } publicKey)
        {
            return Problems.NotFound("Unknown key", $"Agency {agencyKey} has no key {keyId}.", "keyId");
        }
        http.HttpContext.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Content(OpenBadgeCredential.Jwk(key, keyId, publicKey, UrlsFor(http, c)).ToJsonString(), "application/jwk+json");
    }

    static async Task<ContentHttpResult> AllJwks(AgencyKeys keys, HttpRequest http, IConfiguration c, CancellationToken ct)
    {
        http.HttpContext.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Content(OpenBadgeCredential.JwkSet(await keys.AllPublicKeysAsync(ct), UrlsFor(http, c)).ToJsonString(), "application/jwk-set+json");
    }

    static ContentHttpResult Context(HttpRequest http, IConfiguration c)
    {
        http.HttpContext.Response.Headers.CacheControl = "public, max-age=3600";
        return TypedResults.Content(OpenBadgeCredential.Context(UrlsFor(http, c)).ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }),
            "application/ld+json");
    }

    static async Task<Results<ContentHttpResult, ProblemHttpResult>> StatusList(string agencyKey, string purpose, CredentialIssuer issuer, AgencyKeys keys, HttpRequest http,
        IConfiguration c, TimeProvider clock, CancellationToken ct)
    {
        var key = agencyKey.Trim().ToUpperInvariant();
        if (!StatusPurposes.TryParse(purpose, out var statusPurpose))
        {
            return Problems.NotFound("Unknown status purpose", "The purpose is 'revocation' or 'suspension'.", "purpose");
        }
        if (!AgencyKey.TryParse(key, out _) || await issuer.AgencyAsync(key, ct) is not { } agency)
        {
            return Problems.NotFound("Unknown issuer", $"No evaluation agency {agencyKey} is on file.", "agencyKey");
        }
        var urls = UrlsFor(http, c);
        // Always signed: an unsigned list would let anyone between the verifier and us un-revoke a credential.
        var signing = await keys.ActiveAsync(key, ct);
        var list = await issuer.StatusListAsync(key, statusPurpose, ct);
        // Valid from the lists' last change, not from the request: the same list is the same bytes (Ed25519 signs
        // deterministically), so a verifier revalidates its copy with the ETag (found by an outside tester: re-signed with a
        // new validFrom on every request, it could never tell an unchanged list).
        var since = await issuer.StatusListsChangedAsync(key, ct) ?? clock.GetUtcNow();
        var credential = OpenBadgeCredential.StatusListCredential(key, agency.Name, statusPurpose, list.Encode(), since, urls);
        http.HttpContext.Response.Headers.CacheControl = "public, max-age=60";
        var input = VcJwt.SigningInput(urls.KeyId(key, signing.KeyId), credential);
        return TypedResults.Content(VcJwt.Assemble(input, AgencyKeys.Sign(signing, input)), VcJwtMediaType);
    }

    /// <summary>No credential sent: an empty body, or a null or empty one in {"credential": ...}.</summary>
    static ProblemHttpResult NoCredential() =>
        Problems.Validation(("credential", "Send the credential: its vc+jwt string (text/plain or a JSON string), or {\"credential\": \"<jwt>\"}."));

    static async Task<Results<Ok<VerificationResult>, ProblemHttpResult>> Verify(HttpRequest http, CredentialVerifier verifier, CancellationToken ct)
    {
        string text;
        try
        {
            // Strict UTF-8, as every other body: bytes that are not were read as U+FFFD and checked as a credential (found by an outside tester).
            using var reader = new StreamReader(http.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true));
            text = (await reader.ReadToEndAsync(ct)).Trim();
        }
        catch (DecoderFallbackException)
        {
            return Problems.Validation(("credential", "The body is not UTF-8 text: send the credential as UTF-8."));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // The endpoint's own limit (below): an anonymous caller does not get to upload 30 MB to be told it is too long.
            return Problems.TooLarge("credential", MaxVerifyBytes);
        }
        if (text.Length == 0)
        {
            return NoCredential();
        }

        JsonNode? input;
        // Declared JSON is JSON and text/plain a bare JWT, whatever the first character (found by an outside tester).
        // A credential passed on as GET /api/credentials/{number} served it (application/vc+jwt) is a bare JWT too.
        var plain = http.ContentType is { } type
            && (type.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase) || type.StartsWith(VcJwtMediaType, StringComparison.OrdinalIgnoreCase));
        if (http.HasJsonContentType() || !plain && text[0] is '{' or '"' or '[')
        {
            try
            {
                input = JsonNode.Parse(text, documentOptions: VcJwt.Strict);
            }
            catch (JsonException e)
            {
                return Problems.Validation(("credential", $"Not valid JSON: {Body.Describe(e)}"));
            }
        }
        else
        {
            input = JsonValue.Create(text);
        }
        try
        {
            // {"credential": null} (or ""), {}, a blank string, 5, true or [] send no credential, as an empty body does: the
            // same 400, not "verified: false" (found by outside testers).
            if (input is null || input is JsonObject { Count: 0 } || input.GetValueKind() is not (JsonValueKind.String or JsonValueKind.Object)
                || input is JsonValue whole && whole.TryGetValue<string>(out var bare) && bare.Trim().Length == 0
                || input is JsonObject o && o.TryGetPropertyValue("credential", out var given)
                && (given is null || given is JsonValue v && v.TryGetValue<string>(out var s) && s.Trim().Length == 0))
            {
                return NoCredential();
            }
            // The credential is a vc+jwt string or a credential document: a number, a boolean or a list is neither.
            if (input is JsonObject wrapper && wrapper["credential"] is { } credential && credential.GetValueKind() is not (JsonValueKind.String or JsonValueKind.Object))
            {
                return NoCredential();
            }
            // An object is {"credential": ...} or a credential document itself (which is answered with why it cannot be checked
            // here); one that is neither, or a "credential" that is an object but no credential document, sends no credential
            // (found by an outside tester: {"other": "x"} and {"credential": {"a": 1}} were "verified: false").
            if (input is JsonObject body && (body.ContainsKey("credential") ? body["credential"] is JsonObject inner && !IsCredentialDocument(inner) : !IsCredentialDocument(body)))
            {
                return NoCredential();
            }
            return TypedResults.Ok(await verifier.VerifyAsync(input, ct));
        }
        catch (InvalidOperationException) when (HasLoneSurrogate(text))
        {
            // JSON may escape half of a surrogate pair ("\ud800"), which is no text: reading it threw, answered 500 (found by
            // an outside tester). The credential is refused naming the field, as other bodies' unreadable text is.
            return Problems.Validation(("credential", "The credential holds an unpaired surrogate escape (such as \\ud800), which is not text."));
        }
    }

    /// <summary>A verifiable credential's document: it names its JSON-LD context, its types or its proof (VC Data Model 2.0).</summary>
    static bool IsCredentialDocument(JsonObject o) => o.ContainsKey("@context") || o.ContainsKey("type") || o.ContainsKey("proof");

    /// <summary>True when JSON text escapes a surrogate without its other half (a high one not followed by a low one, or a lone low one).</summary>
    static bool HasLoneSurrogate(string json)
    {
        var decoded = System.Text.RegularExpressions.Regex.Replace(json, @"\\u([0-9a-fA-F]{4})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString());
        for (var i = 0; i < decoded.Length; i++)
        {
            if (char.IsHighSurrogate(decoded[i]) && i + 1 < decoded.Length && char.IsLowSurrogate(decoded[i + 1]))
            {
                i++; // a whole pair
            }
            else if (char.IsSurrogate(decoded[i]))
            {
                return true;
            }
        }
        return false;
    }

    static async Task<Results<Ok<StatusChangeView>, ProblemHttpResult>> ChangeStatus(string action, string number, StatusChangeRequest request, HttpRequest http, CredentialIssuer issuer,
        ClaimsPrincipal user, IConfiguration configuration, CancellationToken ct)
    {
        // Trimmed as every text is, a byte-order mark at either end with the spaces (found by an outside tester: it reached the public record).
        var reason = Domain.Text.TextInput.Normalise(request.Reason ?? "");
        if (reason.Length == 0)
        {
            // (Past 500 characters the input rule answers 422 naming reason: StatusChangeRequest's MaxLength, Platform/TextInputFilter.cs.)
            return Problems.Validation(("reason", "Give the reason (1 to 500 characters); it is shown on the verify page."));
        }
        if (OwnNumber(number, user) is not { } normalised)
        {
            return Problems.NotFound("Unknown certificate", "Your agency has no certificate with this number.", "number");
        }
        var change = await issuer.ChangeStatusAsync(user.AgencyKey(), normalised, action, reason, user.Identity?.Name ?? "unknown", UrlsFor(http, configuration), ct);
        return change.Outcome switch
        {
            "not-found" => Problems.NotFound("Unknown certificate", "Your agency has no certificate with this number.", "number"),
            "conflict" => Problems.Conflict("Status change not allowed", change.Problem!, "number"),
            _ => TypedResults.Ok(new StatusChangeView(normalised, change.Outcome, change.Outcome == "valid" ? null : reason)),
        };
    }

    /// <summary>What a multipart form may add around a photo of <see cref="HolderPhoto.MaxBytes"/>.</summary>
    const long PhotoFormEnvelope = 64 * 1024;

    static async Task<Results<NoContent, ProblemHttpResult>> Photo(string number, HttpRequest http, CredentialIssuer issuer, CredentialFileStore files, ClaimsPrincipal user, CancellationToken ct)
    {
        if (OwnNumber(number, user) is not { } normalised || await issuer.CertificateAsync(normalised, ct) is not { } certificate || certificate.AgencyKey != user.AgencyKey())
        {
            return Problems.NotFound("Unknown certificate", "Your agency has no certificate with this number.", "number");
        }
        var (content, _, problem) = await AgencyApi.ReadUploadAsync(http, ct);
        if (problem is not null)
        {
            return problem;
        }
        var image = content!;
        if (image.LongLength > HolderPhoto.MaxBytes)
        {
            return Problems.TooLarge("file", HolderPhoto.MaxBytes);
        }
        // The size from the header first, so an image too large to print is refused before anything decodes it; then
        // what PDFsharp reads when it places the image, held to the same limits (docs/credentials.md, "PDF").
        if (HolderPhoto.Fault(image) is { } fault)
        {
            return Problems.Validation(("file", fault));
        }
        if (CertificatePdf.PlacedSize(image) is not { } placed)
        {
            return Problems.Validation(("file", HolderPhoto.MediaType(image) == HolderPhoto.PngType ? HolderPhoto.NotPrintable(image) : HolderPhoto.NotAPhoto));
        }
        if (HolderPhoto.SizeFault(placed) is { } placedFault)
        {
            return Problems.Validation(("file", placedFault));
        }
        var mediaType = HolderPhoto.MediaType(image)!;
        await files.SavePhotoAsync(normalised, mediaType, image, user.Identity?.Name ?? "unknown", ct);
        return TypedResults.NoContent();
    }

    static async Task<Results<Accepted<BundleView>, ProblemHttpResult>> StartBundle(long id, HttpRequest http, CertificationStore store, CredentialFileStore files, IBackgroundJobClient jobs,
        ClaimsPrincipal user, IConfiguration configuration, CancellationToken ct)
    {
        var agency = user.AgencyKey();
        if (await store.SessionAsync(agency, id, ct) is not { } session)
        {
            return Problems.NotFound("Unknown session", $"Your agency has no evaluation session {id}.", "id");
        }
        if (session.Certificates == 0)
        {
            return Problems.Conflict("Nothing to download", "This session has no certificates yet.", "id");
        }
        if (await files.ActiveBundleAsync(id, ct) is { } active)
        {
            return Problems.Conflict("Already running", $"A bundle for session {id} is already being built.", "id", new Dictionary<string, object?> { ["bundleId"] = active });
        }
        var bundleId = await files.CreateBundleAsync(agency, id, UrlsFor(http, configuration).BaseUrl, user.Identity?.Name ?? "unknown", ct);
        var jobId = jobs.Enqueue<BundleJobs>(j => j.Build(bundleId, null, CancellationToken.None));
        await files.SetBundleJobAsync(bundleId, jobId);
        return TypedResults.Accepted($"/api/agency/bundles/{bundleId}", (await files.BundleAsync(bundleId, agency, ct))!);
    }

    static async Task<Results<Ok<BundleView>, ProblemHttpResult>> GetBundle(Guid id, CredentialFileStore files, ClaimsPrincipal user, CancellationToken ct) =>
        await files.BundleAsync(id, user.AgencyKey(), ct) is { } bundle ? TypedResults.Ok(bundle) : Problems.NotFound("Unknown bundle", $"Your agency has no bundle {id}.", "id");

    static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> DownloadBundle(Guid id, CredentialFileStore files, ClaimsPrincipal user, HttpContext http, CancellationToken ct)
    {
        if (await files.BundleAsync(id, user.AgencyKey(), ct) is not { } bundle)
        {
            return Problems.NotFound("Unknown bundle", $"Your agency has no bundle {id}.", "id");
        }
        if (bundle.Code == CredentialFileStore.OutdatedCode)
        {
            return Problems.Conflict("Outdated bundle", bundle.Message!, "id");
        }
        if (bundle.Status != "succeeded")
        {
            return Problems.Conflict("Not ready", $"The bundle is {bundle.Status} ({bundle.Processed} of {bundle.Total}).", "id");
        }
        // Its length is known (the parts' sizes): said, so a browser shows how much of a large bundle is left (an outside tester).
        http.Response.ContentLength = bundle.SizeBytes;
        return TypedResults.Stream(stream => files.CopyBundleAsync(id, stream, CancellationToken.None), "application/zip", $"session-{bundle.SessionId}-certificates.zip");
    }
}
