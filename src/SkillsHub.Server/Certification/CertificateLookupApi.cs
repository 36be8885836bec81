using SkillsHub.Domain.Certification;
using SkillsHub.Server.Security;

namespace SkillsHub.Server.Certification;

/// <summary>The search by holder: name and full ID number; the ID type narrows it when given.</summary>
public sealed record HolderLookupRequest(string? Name, string? IdNumber, string? IdType = null);

/// <summary>The proof for a disclosure: the holder's name, the ID's last 4 characters, or both (at least one).</summary>
public sealed record DisclosureRequest(string? Name = null, string? IdLast4 = null);

/// <summary>
/// Public verification: by certificate number, or by name plus the full ID number. Rate-limited per
/// client; nothing lists or enumerates certificates, and every miss (unknown, malformed) is the same 404.
/// By number alone the holder's name is masked; the full record (and the PDF and credential, through
/// the access token it returns) needs proof of knowing the holder: the name, the last 4 characters of
/// the ID, or the token from the QR code (docs/security.md).
/// </summary>
public static class CertificateLookupApi
{
    public static IEndpointRouteBuilder MapCertificateLookup(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").WithTags("Certification: public").RequireAuthorization(Policies.Public);
        var lookup = api.MapGroup("/certificates").RequireRateLimiting(RateLimiting.Lookup).WithSmallBody();
        lookup.MapGet("/{number}", ByNumber).WithSummary(
            "Verifies one certificate by its 22-character number: valid or not, with the holder's name masked; with ?t= (the QR code's access token) the full record.");
        lookup.MapPost("/{number}/disclose", Disclose).WithSummary(
            "The full record of one certificate, given the holder's name or the last 4 characters of the ID (in the body); answers the access token for the PDF and credential.");
        lookup.MapPost("/search", ByHolder).WithSummary("Finds a holder's certificates by name plus the full ID number (sent in the body, never in a URL).");
        api.MapGet("/occupations", (AgencyStore store, CancellationToken ct) => store.OccupationsAsync(ct))
            .WithSummary("The occupation catalogue (the seeded sample is marked source = 'sample').");
        return endpoints;
    }

    static ProblemHttpResult Miss() => TypedResults.Problem(title: "Certificate not found",
        detail: "No certificate matches. Check the number (22 characters) or the name and full ID number.", statusCode: StatusCodes.Status404NotFound);

    static readonly string Malformed = new('-', CertificateNumber.Length);

    static async Task<Results<CertificateAnswer, ProblemHttpResult>> ByNumber(string number, string? t, CertificateLookupCache registry, ClaimsPrincipal user, CancellationToken ct)
    {
        // A malformed number still costs one query, so a miss takes the same time whatever its cause.
        var normalised = CertificateNumber.TryParse(number, out var parsed) ? parsed.ToString() : Malformed;
        if (await registry.GetAsync(normalised, ct) is not { } certificate)
        {
            return Miss();
        }
        // Both answers are serialised once per cached certificate, with their ETags (Certification/CertificateLookupCache.cs).
        return certificate.TokenMatches(t) || IsIssuingOfficer(user, certificate.Masked.AgencyKey) ? certificate.DisclosedAnswer : certificate.MaskedAnswer;
    }

    static async Task<Results<Ok<CertificateView>, ProblemHttpResult>> Disclose(string number, DisclosureRequest request, CertificateLookupCache registry,
        DisclosureGuard guard, HttpResponse response, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Name) && string.IsNullOrWhiteSpace(request.IdLast4))
        {
            return Problems.Validation(("name", "Enter the holder's name or the last 4 characters of the ID number."));
        }
        var normalised = CertificateNumber.TryParse(number, out var parsed) ? parsed.ToString() : Malformed;
        if (!guard.TryAttempt(normalised, out var seconds))
        {
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(title: "Too many attempts for this certificate", statusCode: StatusCodes.Status429TooManyRequests,
                detail: $"This certificate's record has been asked for too often. Try again in {seconds} s, or use the link in its QR code.");
        }
        // A wrong name or ID ending (either, when both are given) answers exactly like an unknown number.
        return await registry.GetAsync(normalised, ct) is { } found &&
            HolderPrivacy.ProofHolds(request.Name, request.IdLast4, found.Disclosed.HolderName, found.IdNumber)
            ? TypedResults.Ok(found.Disclosed)
            : Miss();
    }

    static CertificateView Disclosed(CertificateView certificate, RegistryTokens tokens) =>
        certificate with { Disclosed = true, AccessToken = tokens.For(certificate.Number) };

    /// <summary>The issuing agency's own officers see their certificates in full.</summary>
    internal static bool IsIssuingOfficer(ClaimsPrincipal user, string agencyKey) =>
        user.IsInRole(Roles.AgencyOfficer) && string.Equals(user.FindFirstValue(SkillsHubClaims.Agency)?.Trim(), agencyKey, StringComparison.OrdinalIgnoreCase);

    static async Task<Results<Ok<IReadOnlyList<CertificateView>>, ProblemHttpResult>> ByHolder(HolderLookupRequest request, CertificateStore store, RegistryTokens tokens,
        DisclosureGuard guard, HttpResponse response, CancellationToken ct)
    {
        var name = request.Name?.Trim() ?? "";
        var idNumber = request.IdNumber?.Trim().ToUpperInvariant() ?? "";
        var idType = string.IsNullOrWhiteSpace(request.IdType) ? null : request.IdType.Trim().ToLowerInvariant();
        // Each field at fault named (found by an outside tester: an unknown ID type was refused naming idNumber).
        var errors = new List<(string, string)>();
        if (name.Length == 0)
        {
            errors.Add(("name", "Enter the holder's name."));
        }
        var knownType = idType is null || IdNumbers.Types.Contains(idType);
        if (!knownType)
        {
            errors.Add(("idType", $"ID type must be one of {IdNumbers.TypeNames}, or left out."));
        }
        if (idNumber.Length < 5 || idNumber.Contains('*') || (idType is not null && knownType && IdNumbers.Problem(idType, idNumber) is not null))
        {
            errors.Add(("idNumber", "Enter the holder's full ID number."));
        }
        if (errors.Count > 0)
        {
            return Problems.Validation([.. errors]);
        }
        // Per holder name, counted before the lookup, right or wrong: the budget says nothing of whether the holder exists.
        if (!guard.TryHolderAttempt(HolderPrivacy.NameKey(name), out var seconds))
        {
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(title: "Too many attempts for this holder", statusCode: StatusCodes.Status429TooManyRequests,
                detail: $"Certificates under this name have been searched for too often. Try again in {seconds} s, or verify by certificate number.");
        }
        var found = await store.FindByHolderAsync(name, idNumber, idType, ct);
        return found.Count > 0 ? TypedResults.Ok<IReadOnlyList<CertificateView>>(found.Select(c => Disclosed(c, tokens)).ToList()) : Miss();
    }
}
