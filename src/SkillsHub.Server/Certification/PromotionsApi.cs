using SkillsHub.Domain.Certification;

namespace SkillsHub.Server.Certification;

/// <summary>
/// Competition promotions for agency officers: the promotions inside the agency's filed scope, and
/// issuing one promotion's certificate once the holder's ID is known (standings carry no ID).
/// </summary>
public static class PromotionsApi
{
    public static IEndpointRouteBuilder MapAgencyPromotions(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/agency/promotions").WithTags("Certification: agency").RequireAuthorization(CertificationPolicies.AgencyOfficer);
        api.MapGet("/", List).Allows("status", AllowedValues.PromotionStates).WithPageLimit(PromotionStore.MaxPage, PromotionStore.DefaultPage).WithSummary(
            "Promotions from published competition results whose occupation and level lie in the agency's filed scope (status: open, issued; after, limit paging).");
        api.MapPost("/{id:long}/certificate", Issue).AcceptsJson<IssuePromotionRequest>().WithFormBody().WithSummary(
            "Issues the promotion's certificate for the holder's ID {idType, idNumber, name?}: 201 the first time, 200 with the same certificate on a repeat.");
        return endpoints;
    }

    static async Task<Results<Ok<PromotionList>, ProblemHttpResult>> List(string? status, long? after, int? limit, PromotionStore promotions, RegistryTokens tokens,
        ClaimsPrincipal user, CancellationToken ct)
    {
        // Read in any case, as every other value named in a list is (found by an outside tester: ?status=OPEN was a 400).
        status = status?.Trim().ToLowerInvariant();
        if (status is not null && !AllowedValues.PromotionStates.Contains(status))
        {
            return Problems.Validation(("status", "status is 'open' or 'issued' (or absent for both)."));
        }
        if (Paging.Refusal(after, limit, PromotionStore.MaxPage) is { } refused)
        {
            return refused;
        }
        // Each certificate's access token, so the officer's link opens its full record as its QR code does (docs/security.md).
        var list = await promotions.ListAsync(user.AgencyKey(), status, after ?? 0, limit ?? PromotionStore.DefaultPage, ct);
        return TypedResults.Ok(list with { Items = [.. list.Items.Select(p => p.CertificateNumber is { } n ? p with { AccessToken = tokens.For(n) } : p)] });
    }

    static async Task<Results<Created<CertificateView>, Ok<CertificateView>, ProblemHttpResult>> Issue(long id, HttpRequest http, PromotionStore promotions,
        CertificateStore store, RegistryTokens tokens, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var (request, malformed) = await Body.ReadJsonAsync<IssuePromotionRequest>(http);
        if (malformed is not null)
        {
            return malformed;
        }
        var idType = request!.IdType?.Trim().ToLowerInvariant() ?? "";
        var idNumber = IdNumbers.Plain(request.IdNumber);
        var errors = new List<(string, string)>();
        if (idType.Length == 0)
        {
            errors.Add(("idType", $"The holder's ID type is required: one of {IdNumbers.TypeNames}."));
        }
        else if (!IdNumbers.Types.Contains(idType))
        {
            errors.Add(("idType", $"ID type must be one of {IdNumbers.TypeNames}."));
        }
        if (idNumber.Length == 0)
        {
            errors.Add(("idNumber", "The holder's full ID number is required."));
        }
        else if (IdNumbers.Types.Contains(idType) && IdNumbers.Problem(idType, idNumber, CertificateStore.TodayInChina(clock)) is { } problem)
        {
            errors.Add(("idNumber", $"The ID number is not valid: {problem}."));
        }
        if (errors.Count > 0)
        {
            return Problems.Validation([.. errors]);
        }

        var agency = user.AgencyKey();
        PromotionIssue outcome;
        try
        {
            outcome = await promotions.IssueAsync(agency, id, idType, idNumber, request.Name, user.Identity?.Name ?? "unknown", ct);
        }
        catch (CertificationRefusedException e)
        {
            // The year's serials of the level are used up: nothing is issued (an outside tester: this answered 500).
            return Problems.Conflict("Certificate not issued", e.Message, "id");
        }
        switch (outcome)
        {
            case PromotionIssue.Issued issued:
                var certificate = (await store.CertificateAsync(issued.Number, ct))! with { AccessToken = tokens.For(issued.Number) };
                return issued.Created ? TypedResults.Created($"/api/certificates/{issued.Number}", certificate) : TypedResults.Ok(certificate);
            case PromotionIssue.NotFound:
                return Problems.NotFound("Unknown promotion", $"There is no promotion {id}.", "id");
            case PromotionIssue.AgencyMissing:
                return TypedResults.Problem(title: "Agency not on file", detail: $"Agency {agency} is not registered.", statusCode: StatusCodes.Status403Forbidden,
                    extensions: new Dictionary<string, object?> { ["field"] = "agency" });
            case PromotionIssue.MemberNotCovered member:
                return Problems.Unprocessable("Promotion not certifiable here",
                    [("memberCode", $"Competition promotion is a Chinese national rule; competitors of member {member.MemberCode} are not certified by it (Certification:PromotionMembers).")]);
            case PromotionIssue.OutsideScope scope:
                return TypedResults.Problem(title: "Outside the agency's scope",
                    detail: $"Agency {agency} may not certify {scope.Occupation} at {scope.Level.EnglishName()} ({scope.Refusal}).", statusCode: StatusCodes.Status403Forbidden,
                    extensions: new Dictionary<string, object?> { ["field"] = "level" });
            case PromotionIssue.AlreadyHeld held:
                return Problems.Conflict("Level already held",
                    $"The holder of this ID already holds {held.Held.EnglishName()} ({held.Held.ChineseName()}) in this occupation; the promotion adds nothing.", "idNumber");
            case PromotionIssue.NameMismatch:
                // The registered name is not echoed: an ID number alone must not reveal whose it is. Nor does it say to leave
                // the name out, which certifies the competitor's name and so is refused too (NotTheCompetitor; found by an
                // outside tester: the two answers sent the officer in a circle).
                return Problems.Unprocessable("Name does not match the ID",
                    [("name", "Your agency has this ID registered under another name. Check the ID, and give the holder's legal name as your agency has it on file.")]);
            case PromotionIssue.NotTheCompetitor:
                // Nor is this name echoed: the officer gives the holder's legal name when it really is the competitor.
                return Problems.Unprocessable("ID registered to another person",
                    [("idNumber", "Your agency has this ID registered under a name other than the competitor's. Check the ID, or give the holder's legal name."),
                     ("name", "Give the holder's legal name to certify this ID as the competitor's.")]);
            case PromotionIssue.Withdrawn withdrawn:
                return Problems.Conflict("Promotion withdrawn",
                    $"Promotion {id} was withdrawn: {withdrawn.Reason ?? "the published results no longer justify it"}. No certificate is issued for it.", "id",
                    new Dictionary<string, object?> { ["code"] = "promotion-withdrawn" });
            case PromotionIssue.BornAfterCompetition late:
                return Problems.Unprocessable("ID not the competitor's",
                    [("idNumber", $"This resident ID's holder was born {late.Born:yyyy-MM-dd}, after the competition began ({late.Began:yyyy-MM-dd}).")]);
            case PromotionIssue.CertifiedOtherwise other:
                return Problems.Conflict("Already certified", other.Detail, "idNumber", new Dictionary<string, object?> { ["certificateNumber"] = other.Number });
            default:
                throw new InvalidOperationException($"Unhandled promotion outcome {outcome}.");
        }
    }
}
