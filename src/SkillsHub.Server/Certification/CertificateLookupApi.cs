using SkillsHub.Domain.Certification;
using SkillsHub.Server.Security;

namespace SkillsHub.Server.Certification;

/// <summary>The search by holder: name and full ID number; the ID type narrows it when given.</summary>
public sealed record HolderLookupRequest(string? Name, string? IdNumber, string? IdType = null);

/// <summary>The proof for a disclosure: the holder's name, the ID's last 4 characters, or both (at least one).</summary>
public sealed record DisclosureRequest(string? Name = null, string? IdLast4 = null);

/// <summary>
/// Public verification: by certificate number with proof of knowing the holder (the name or the last 4
/// characters of the ID), by the number with the access token from the QR code, or by name plus the full
/// ID number. Rate-limited per client. A number alone shows nothing, not even whether it is issued, so
/// nothing lists or enumerates certificates; every miss (unknown, malformed, wrong proof) is the same 404
/// (docs/security.md, "What is public").
/// </summary>
public static class CertificateLookupApi
{
    public static IEndpointRouteBuilder MapCertificateLookup(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").WithTags("Certification: public").RequireAuthorization(Policies.Public);
        var lookup = api.MapGroup("/certificates").RequireRateLimiting(RateLimiting.Lookup).WithSmallBody();
        lookup.MapGet("/{number}", ByNumber).WithSummary(
            "One certificate's record by its 22-character number and ?t= (the access token from its QR code); without a token a 400 naming t, whatever the number, except to the issuing agency's own officer.");
        lookup.MapPost("/{number}/disclose", Disclose).WithSummary(
            "Verifies one certificate by its number and the holder's name or the last 4 characters of the ID (in the body): the record with its status, without the access token (accessToken is null: the PDF and the credential stay with whoever holds the QR code). A wrong proof answers 404, like an unknown number; an ending that is not 4 letters or digits is a 400 naming idLast4 and counts as no attempt.");
        lookup.MapPost("/search", ByHolder).WithSummary("Finds a holder's certificates by name plus the full ID number (sent in the body, never in a URL).");
        api.MapGet("/occupations", (AgencyStore store, CancellationToken ct) => store.OccupationsAsync(ct))
            .WithSummary("The occupation catalogue (the seeded sample is marked source = 'sample').");
        return endpoints;
    }

    static ProblemHttpResult Miss() => TypedResults.Problem(title: "Certificate not found",
        detail: "No certificate matches. Check the number (22 characters) or the name and full ID number.", statusCode: StatusCodes.Status404NotFound);

    static readonly string Malformed = new('-', CertificateNumber.Length);

    /// <summary>What a number without its access token answers, the same whatever the number: nothing about it.</summary>
    internal static ProblemHttpResult ProofRequired() => Problems.Validation(("t",
        "A certificate number alone shows nothing. Add the access token from the certificate's QR code (?t=), or send the holder's name or the last 4 characters of the ID number to POST /api/certificates/{number}/disclose."));

    static async Task<Results<CertificateAnswer, ProblemHttpResult>> ByNumber(string number, string? t, CertificateLookupCache registry, RegistryTokens tokens,
        ClaimsPrincipal user, CancellationToken ct)
    {
        var wellFormed = CertificateNumber.TryParse(number, out var parsed);
        var normalised = wellFormed ? parsed.ToString() : Malformed;
        var officer = wellFormed && IsIssuingOfficer(user, parsed.Agency.ToString());
        // Without a token nothing is read, so the answer cannot tell an issued number from a free one (docs/security.md).
        if (!officer && string.IsNullOrEmpty(t))
        {
            return ProofRequired();
        }
        // The token is checked before any read: a wrong one answers the same 404 for an issued number as for a free one.
        if (!wellFormed || (!officer && !tokens.Matches(normalised, t)))
        {
            return Miss();
        }
        // The answer is serialised once per cached certificate, with its ETag (Certification/CertificateLookupCache.cs).
        return await registry.GetAsync(normalised, ct) is { } certificate ? certificate.Answer : Miss();
    }

    static async Task<Results<Ok<CertificateView>, ProblemHttpResult>> Disclose(string number, DisclosureRequest request, CertificateStore store,
        DisclosureGuard guard, ProofPacing pacing, HttpResponse response, CancellationToken ct)
    {
        var started = pacing.Start();
        if (string.IsNullOrWhiteSpace(request.Name) && string.IsNullOrWhiteSpace(request.IdLast4))
        {
            return Problems.Validation(("name", "Enter the holder's name or the last 4 characters of the ID number."));
        }
        if (HolderPrivacy.IdLast4Fault(request.IdLast4) is { } fault)
        {
            return Problems.Validation(("idLast4", fault));
        }
        var wellFormed = CertificateNumber.TryParse(number, out var parsed);
        var normalised = wellFormed ? parsed.ToString() : Malformed;
        // A malformed number is no certificate's, so it has no budget to spend: all of them sharing one, ten typos locked
        // every other typo out for an hour (found by an outside tester). It still answers the one 404, after the same read.
        if (wellFormed && !guard.TryAttempt(normalised, out var seconds))
        {
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(title: "Too many attempts for this certificate", statusCode: StatusCodes.Status429TooManyRequests,
                detail: $"This certificate's record has been asked for too often. Try again in {seconds} s, or use the link in its QR code.");
        }
        // A name given as the proof spends the name's budget too, whatever the number (DisclosureGuard.TryNameAttempt): a
        // common name walked along the serials is stopped there.
        var nameKey = string.IsNullOrWhiteSpace(request.Name) ? null : HolderPrivacy.NameKey(request.Name);
        if (nameKey is not null && !guard.TryNameAttempt(nameKey, out seconds))
        {
            if (wellFormed)
            {
                guard.Proven(normalised);
            }
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(title: "Too many attempts for this name", statusCode: StatusCodes.Status429TooManyRequests,
                detail: $"Certificates have been asked for under this name too often. Try again in {seconds} s, give the last 4 characters of the ID number instead, or use the link in the QR code.");
        }
        // Always one read of the database, never the cache: a cached certificate would answer a wrong proof sooner than a
        // free number's. A malformed number costs the same read. A wrong name or ID ending (either, when both are given)
        // answers exactly like an unknown number, and no sooner: every answer waits out the pacing's minimum, so the
        // work a found row adds does not show in the time (found by an outside tester, who measured it).
        var found = await store.CertificateWithIdAsync(normalised, ct);
        var proven = found is { } f && HolderPrivacy.ProofHolds(request.Name, request.IdLast4, f.View.HolderName, f.IdNumber);
        if (proven && wellFormed)
        {
            guard.Proven(normalised);
        }
        if (proven && nameKey is not null)
        {
            guard.NameProven(nameKey);
        }
        await pacing.WaitAsync(started, ct);
        // The record, not its access token: the PDF (the photo) and the credential stay with whoever holds the QR code, the
        // credential or the agency's account (docs/security.md, "What is public"; found by an outside tester: the holder's
        // name, or one of 10,000 ID endings, opened the photo).
        return proven ? TypedResults.Ok(found!.Value.View with { AccessToken = null }) : Miss();
    }

    /// <summary>The issuing agency's own officers see their certificates in full.</summary>
    internal static bool IsIssuingOfficer(ClaimsPrincipal user, string agencyKey) =>
        user.IsInRole(Roles.AgencyOfficer) && string.Equals(user.FindFirstValue(SkillsHubClaims.Agency)?.Trim(), agencyKey, StringComparison.OrdinalIgnoreCase);

    static async Task<Results<Ok<IReadOnlyList<CertificateView>>, ProblemHttpResult>> ByHolder(HolderLookupRequest request, CertificateStore store,
        DisclosureGuard guard, ProofPacing pacing, HttpResponse response, CancellationToken ct)
    {
        var started = pacing.Start();
        var name = request.Name?.Trim() ?? "";
        // In its compatibility form: full-width digits and letters (a Chinese input method's) are the number's own, as in a
        // name (found by an outside tester: a full-width ID number found nothing).
        var idNumber = IdNumbers.Plain(request.IdNumber);
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
        // Per holder name and per ID number, taken before the lookup and given back when it finds the holder: only wrong
        // searches spend them, the same way whether the holder exists or not (Certification/DisclosureGuard.cs).
        var nameKey = HolderPrivacy.NameKey(name);
        if (!guard.TryHolderAttempt(nameKey, idNumber, out var seconds))
        {
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(title: "Too many attempts for this holder", statusCode: StatusCodes.Status429TooManyRequests,
                detail: $"Certificates under this name or ID number have been searched for too often. Try again in {seconds} s, or verify by certificate number.");
        }
        // The ID's certificates are read first and the name compared after, so a miss waits out the pacing's minimum:
        // otherwise the time would tell an ID number that holds certificates from one that holds none.
        var found = await store.FindByHolderAsync(name, idNumber, idType, ct);
        if (found.Count > 0)
        {
            guard.HolderFound(nameKey, idNumber);
        }
        await pacing.WaitAsync(started, ct);
        return found.Count > 0 ? TypedResults.Ok<IReadOnlyList<CertificateView>>(found.Select(c => c with { AccessToken = null }).ToList()) : Miss();
    }
}

/// <summary>
/// The registry's proofs (a disclosure, a search by holder) answer no sooner than
/// <c>Certification:Lookup:ProofMilliseconds</c> (default 25) after they began, right or wrong: the work a found row
/// adds (reading it, comparing the name) is well under that, so the time of a miss says nothing of whether the number
/// or the ID number is on file (docs/security.md, "What is public"). 0 turns the pacing off.
/// </summary>
public sealed class ProofPacing(IConfiguration configuration)
{
    readonly TimeSpan _minimum = TimeSpan.FromMilliseconds(Math.Max(0, configuration.GetValue("Certification:Lookup:ProofMilliseconds", 25)));

    /// <summary>The minimum every proof's answer waits for.</summary>
    public TimeSpan Minimum => _minimum;

    /// <summary>Real time, not the application's clock: a clock set for a demo must not stretch or stop the wait.</summary>
    public long Start() => System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>
    /// Waits until the minimum has passed since <paramref name="started"/> (at once when it has). A timer can fire a few
    /// milliseconds early (on Linux it counts in the coarse clock's ticks), so the wait goes on until the stopwatch says
    /// so (found by an outside tester: answers at 19.8 ms).
    /// </summary>
    public async Task WaitAsync(long started, CancellationToken ct)
    {
        TimeSpan left;
        while ((left = _minimum - System.Diagnostics.Stopwatch.GetElapsedTime(started)) > TimeSpan.Zero)
        {
            await Task.Delay(left + TimeSpan.FromMilliseconds(1), ct);
        }
    }
}
