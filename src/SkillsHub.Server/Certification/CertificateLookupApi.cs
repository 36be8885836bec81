using Microsoft.AspNetCore.Http.HttpResults;
using SkillsHub.Domain.Certification;
using SkillsHub.Server.Security;

namespace SkillsHub.Server.Certification;

public sealed record HolderLookupRequest(string? Name, string? IdType, string? IdNumber);

/// <summary>
/// Public verification: by certificate number, or by name plus the full ID number. Rate-limited per
/// client; nothing lists or enumerates certificates, and every miss (unknown, malformed) is the same 404.
/// </summary>
public static class CertificateLookupApi
{
    public static IEndpointRouteBuilder MapCertificateLookup(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").WithTags("Certification: public").RequireAuthorization(Policies.Public);
        api.MapGet("/certificates/{number}", ByNumber).RequireRateLimiting(CertificationPolicies.LookupLimit)
            .WithSummary("Verifies one certificate by its 22-character number (the ID number is masked).");
        api.MapPost("/certificates/search", ByHolder).RequireRateLimiting(CertificationPolicies.LookupLimit)
            .WithSummary("Finds a holder's certificates by name plus the full ID number (sent in the body, never in a URL).");
        api.MapGet("/occupations", (CertificationStore store, CancellationToken ct) => store.OccupationsAsync(ct))
            .WithSummary("The occupation catalogue (the seeded sample is marked source = 'sample').");
        return endpoints;
    }

    static ProblemHttpResult Miss() => TypedResults.Problem(title: "Certificate not found",
        detail: "No certificate matches. Check the number (22 characters) or the name and full ID number.", statusCode: StatusCodes.Status404NotFound);

    static async Task<Results<Ok<CertificateView>, ProblemHttpResult>> ByNumber(string number, CertificationStore store, CancellationToken ct)
    {
        // A malformed number still costs one query, so a miss takes the same time whatever its cause.
        var normalised = CertificateNumber.TryParse(number, out var parsed) ? parsed.ToString() : new string('-', CertificateNumber.Length);
        return await store.CertificateAsync(normalised, ct) is { } certificate ? TypedResults.Ok(certificate) : Miss();
    }

    static async Task<Results<Ok<IReadOnlyList<CertificateView>>, ProblemHttpResult>> ByHolder(HolderLookupRequest request, CertificationStore store, CancellationToken ct)
    {
        var name = request.Name?.Trim() ?? "";
        var idNumber = request.IdNumber?.Trim().ToUpperInvariant() ?? "";
        var idType = string.IsNullOrWhiteSpace(request.IdType) ? null : request.IdType.Trim().ToLowerInvariant();
        if (name.Length == 0 || idNumber.Length < 5 || idNumber.Contains('*') || (idType is not null && IdNumbers.Problem(idType, idNumber) is not null))
        {
            return Api.Problems.Validation(("idNumber", "Enter the holder's name and full ID number."));
        }
        var found = await store.FindByHolderAsync(name, idNumber, idType, ct);
        return found.Count > 0 ? TypedResults.Ok(found) : Miss();
    }
}
