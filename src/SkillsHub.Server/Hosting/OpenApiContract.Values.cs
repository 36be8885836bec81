using SkillsHub.Domain.Certification;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SkillsHub.Server.Hosting;

/// <summary>Strings the server takes only from a fixed list, declared with the list (docs/operations.md, "API contract").</summary>
public static partial class OpenApiContract
{
    /// <summary>The values a parameter takes, as its endpoint declares them (<see cref="AllowedValues"/>), as its enum; a text one's length.</summary>
    static void DeclareAllowedValues(OpenApiOperation operation, IEnumerable<AllowedValues> declared)
    {
        // A scheme's ?title= is one line of text, held to the text rule's 200 (found by an outside tester: undeclared).
        foreach (var title in (operation.Parameters ?? []).OfType<OpenApiParameter>().Where(p => p.Name == "title" && p.In == ParameterLocation.Query))
        {
            if (title.Schema is OpenApiSchema text)
            {
                text.MaxLength ??= Domain.Text.TextInput.MaxLength;
            }
        }
        foreach (var allowed in declared)
        {
            foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>().Where(p => p.Name == allowed.Parameter))
            {
                if (parameter.Schema is OpenApiSchema schema)
                {
                    schema.Enum = [.. allowed.Values.Select(value => value.DeepClone())];
                }
            }
        }
    }

    /// <summary>
    /// The lists, by the type and JSON name of the property that holds one (an array's items, for a list of them): each is
    /// the list the server checks against. Found by outside testers: <c>PromotionRuleRequest.rule.minimumAward</c> declared
    /// none, though any other award is a 422; then the promotion levels listed the appointed ones and the apprentice, which
    /// a promotion never earns, and ID types, roles and an appointment's level declared none.
    /// </summary>
    static readonly Dictionary<(Type, string), IReadOnlyList<string>> AllowedStrings = new()
    {
        [(typeof(Domain.Certification.PromotionRule), "minimumAward")] = Domain.Certification.PromotionRule.PromotingAwards,
        [(typeof(Domain.Certification.PromotionRule), "awardLevel")] = PromotionLevels,
        [(typeof(Domain.Certification.PromotionRule), "alreadyHeldLevel")] = PromotionLevels,
        [(typeof(Domain.Certification.PlaceBand), "level")] = PromotionLevels,
        [(typeof(Certification.HolderLookupRequest), "idType")] = IdTypes,
        [(typeof(Certification.AppointmentRequest), "idType")] = IdTypes,
        [(typeof(Certification.IssuePromotionRequest), "idType")] = IdTypes,
        [(typeof(Certification.AppointmentRequest), "level")] = [.. Certification.AgencyApi.AppointedLevels.Keys],
        [(typeof(Api.CreateAccountRequest), "roles")] = AccountRoles,
        [(typeof(Api.SetRolesRequest), "roles")] = AccountRoles,
        [(typeof(Competitions.RosterImport.ExpertJson), "role")] = Enum.GetNames<Abstractions.ExpertRole>(),
        [(typeof(Api.VisibilityRequest), "mode")] = Enum.GetNames<Abstractions.VisibilityMode>(),
        // A scheme aspect's type and an agency's type (found by an outside tester: free strings, though X and Q are refused).
        [(typeof(Domain.Scoring.Import.SchemeJson.AspectDto), "type")] = ["M", "J"],
        [(typeof(Certification.CreateAgencyRequest), "type")] = ["Y", "S"],
        // Answers' names from a fixed list, so that a typed client gets the list, not a free string (found by an outside
        // tester): a row's award, a leader's visibility, a paired tablet's role, an agency's type and status.
        [(typeof(Abstractions.StandingRow), "award")] = Enum.GetNames<Domain.Scoring.Award>(),
        [(typeof(Api.SkillLeader), "mode")] = Enum.GetNames<Abstractions.VisibilityMode>(),
        [(typeof(Api.RedeemResponse), "role")] = [Security.Roles.ChiefExpert, Security.Roles.Expert],
        [(typeof(Certification.AgencyView), "type")] = ["Y", "S"],
        [(typeof(Certification.AgencyView), "status")] = ["active", "suspended", "revoked"],
        // A certificate's status as the registry shows it on the day (Domain/Certification/Validity.cs, StatusOn).
        [(typeof(Certification.CertificateView), "status")] = CertificateStatuses,
        [(typeof(Credentials.VerificationResult), "status")] = CertificateStatuses,
        [(typeof(Certification.DecisionView), "certificateStatus")] = CertificateStatuses,
        [(typeof(Certification.PromotionView), "certificateStatus")] = ["valid", "revoked", "suspended"],
        [(typeof(Credentials.StatusChangeView), "status")] = ["valid", "revoked", "suspended"],
        // The rest of the answers' fixed lists (an outside tester's generated client typed them as free strings): a mark's
        // outcome, a pairing code's state, a rating decision (Domain/Certification/Rating.cs; none while awaiting results),
        // a job's kind and state (the job_progress table's lists), a credential check, an appointment's level and ID types.
        [(typeof(Api.MarksResponse), "outcome")] = ["accepted", "superseded"],
        [(typeof(Security.DeviceStore.CodeState), "state")] = ["used", "waiting", "void"],
        [(typeof(Certification.DecisionView), "outcome")] = ["passed", "failed", "ineligible", "out-of-scope"],
        [(typeof(Certification.ImportView), "kind")] = ["occupations", "candidates", "results"],
        [(typeof(Certification.ImportView), "status")] = JobStatuses,
        [(typeof(Jobs.RunView), "kind")] = ["rate", "issue"],
        [(typeof(Jobs.RunView), "status")] = JobStatuses,
        [(typeof(Credentials.BundleView), "status")] = JobStatuses,
        [(typeof(Certification.Accepted202), "status")] = ["queued"],
        [(typeof(Credentials.CredentialCheck), "check")] = ["format", "issuerKey", "signature", "status", "validity"],
        [(typeof(Credentials.CredentialCheck), "outcome")] = ["passed", "failed", "skipped"],
        [(typeof(Certification.AppointmentView), "level")] = [.. Certification.AgencyApi.AppointedLevels.Keys],
        [(typeof(Certification.AppointmentView), "idType")] = IdTypes,
        [(typeof(Certification.CertificateView), "idType")] = IdTypes,
    };

    /// <summary>The schema a rule about a value applies to: an array's items, else the schema itself.</summary>
    static OpenApiSchema ItemsOrSelf(OpenApiSchema schema) =>
        schema.Type?.HasFlag(JsonSchemaType.Array) == true && schema.Items is OpenApiSchema items ? items : schema;

    static IReadOnlyList<string> JobStatuses => ["queued", "running", "succeeded", "rejected", "failed"];

    static IReadOnlyList<string> CertificateStatuses => ["valid", "revoked", "suspended", "expired"];

    static IReadOnlyList<string> PromotionLevels => [.. Enum.GetValues<Domain.Certification.SkillLevel>().Where(l => l.IsEvaluated()).Select(l => l.ToString())];

    static IReadOnlyList<string> IdTypes => [.. Domain.Certification.IdNumbers.Types.Order(StringComparer.Ordinal)];

    static IReadOnlyList<string> AccountRoles => [.. Security.Roles.AccountRoles.Order(StringComparer.Ordinal)];

    /// <summary>
    /// The text rule's limit on a setup import's JSON string (docs/security.md, "Files and text"): the roster files' names
    /// (Competitions/RosterImport.cs) and every text of a marking scheme (Domain/Scoring/Import/SchemeText.cs: its title,
    /// ids and marking days one line of 200, its names and descriptions 4,000); null for anything else.
    /// </summary>
    static int? ImportTextLimit(System.Text.Json.Serialization.Metadata.JsonPropertyInfo property)
    {
        var texts = property.PropertyType == typeof(string) || property.PropertyType == typeof(List<string>);
        if (!texts || property.DeclaringType.DeclaringType is not { } outer)
        {
            return null;
        }
        if (outer == typeof(Competitions.RosterImport))
        {
            return property.Name is "name" or "nameZh" or "sector" or "firstName" or "lastName" ? Domain.Text.TextInput.MaxLength : null;
        }
        return outer != typeof(Domain.Scoring.Import.SchemeJson) || property.Name == "type" ? null
            : property.Name is "title" or "id" or "markingDay" ? Domain.Text.TextInput.MaxLength : Domain.Text.TextInput.MaxMultilineLength;
    }

    /// <summary>Whole numbers the server takes only within a range, by type and JSON name (a session's level: 5 to 1).</summary>
    static readonly Dictionary<(Type, string), (int Minimum, int Maximum)> AllowedRanges = new()
    {
        [(typeof(Certification.CreateSessionRequest), "level")] = (1, 5),
        // A skill's number, team size and age limit, and a judgement score, as the server checks them (found by an outside
        // tester: a schema-driven client sent values the document allowed and got 422).
        [(typeof(Competitions.RosterImport.SkillJson), "number")] = (1, 99),
        [(typeof(Competitions.RosterImport.SkillJson), "teamSize")] = (1, 3),
        [(typeof(Competitions.RosterImport.SkillJson), "competitorMaxAge")] = (10, 99),
        [(typeof(Api.MarkRequest), "score")] = (0, 3),
    };

    /// <summary>An id's form (Domain/Marking/Identifiers.cs): letters, digits, '-', '_' or '.', with a letter or a digit.</summary>
    const string IdPattern = "^[A-Za-z0-9._-]*[A-Za-z0-9][A-Za-z0-9._-]*$";

    static readonly (int? Min, int Max, string? Pattern) Id = (1, Domain.Marking.Identifiers.MaxLength, IdPattern);
    static readonly (int? Min, int Max, string? Pattern) UserName = (null, Domain.Text.SignInText.MaxUserNameLength, null);

    /// <summary>
    /// Strings the server takes only in one form, by type and JSON name (docs/scoring.md, "Limits and identifiers"; an
    /// agency's parts, docs/certification.md, "API"): stated so, not as the text rule's 200, so a client built from the
    /// document sends what is taken (found by an outside tester: ids of 64 and a code of 16 were declared as 200).
    /// </summary>
    static readonly Dictionary<(Type, string), (int? Min, int Max, string? Pattern)> StringForms = new()
    {
        [(typeof(Api.LoginRequest), "userName")] = UserName,
        [(typeof(Api.ChangePasswordRequest), "userName")] = UserName,
        [(typeof(Api.CreateAccountRequest), "userName")] = UserName,
        [(typeof(Competitions.CreateCompetitionRequest), "code")] = (3, 16, "^[A-Za-z0-9]{3,16}$"),
        [(typeof(Competitions.RosterImport.CompetitorJson), "id")] = Id,
        [(typeof(Competitions.RosterImport.ExpertJson), "id")] = Id,
        [(typeof(Competitions.RosterImport.GroupJson), "id")] = Id,
        [(typeof(Api.MarksRequest), "competitorId")] = Id,
        [(typeof(Api.MarkRequest), "aspectId")] = Id,
        [(typeof(Api.PairingCodeRequest), "expertId")] = Id,
        [(typeof(Certification.CreateAgencyRequest), "agencyCode")] = (4, 4, "^[0-9]{4}$"),
        [(typeof(Certification.CreateAgencyRequest), "province")] = (2, 2, "^[0-9]{2}$"),
        [(typeof(Certification.CreateAgencyRequest), "site")] = (6, 6, "^[0-9]{6}$"),
    };

    static void DeclareAllowedStrings(OpenApiSchema schema, OpenApiSchemaTransformerContext context)
    {
        // An instant is read and written by its own converter (Platform/InstantWithOffset.cs: the offset is required), which
        // the generator cannot see into and would declare as {}: it is an RFC 3339 date-time, as before.
        if (context.JsonTypeInfo.Type == typeof(DateTimeOffset) || context.JsonTypeInfo.Type == typeof(DateTimeOffset?))
        {
            schema.Type = context.JsonTypeInfo.Type == typeof(DateTimeOffset) ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
            schema.Format = "date-time";
        }
        // A JSON competitors file holds at most a skill's whole roster (Domain/Scoring/Import/RosterSize.cs).
        if (context.JsonPropertyInfo is null && context.JsonTypeInfo.Type == typeof(List<Competitions.RosterImport.CompetitorJson>))
        {
            schema.MaxItems = Domain.Scoring.Import.RosterSize.MaxCompetitors;
        }
        if (context.JsonPropertyInfo is not { } property)
        {
            return;
        }
        // A request's default is said in words: generators (openapi-typescript) type a property with a default as always
        // present, so a generated client had to send allowSeveralPerMember (found by an outside tester).
        if (property.DeclaringType.Name.EndsWith("Request", StringComparison.Ordinal) && schema.Default is { } fallback)
        {
            schema.Description = $"{schema.Description}{(schema.Description is null ? "" : " ")}Left out: {fallback.ToJsonString()}.";
            schema.Default = null;
        }
        // The text rule's limit on a JSON form's string (Platform/TextInputFilter.cs), where no lower one is stated.
        if (property.AttributeProvider is System.Reflection.PropertyInfo clr && Platform.TextInputFilter.FormLimit(clr) is { } most && schema.MaxLength is null)
        {
            schema.MaxLength = most;
        }
        // The setup imports' texts are held to the same rule by their importers (found by an outside tester: a 201-character
        // name was refused and the document stated no limit).
        if (ImportTextLimit(property) is { } limit)
        {
            ItemsOrSelf(schema).MaxLength ??= limit;
        }
        var key = (property.DeclaringType, property.Name);
        if (StringForms.TryGetValue(key, out var form))
        {
            (schema.MinLength, schema.MaxLength, schema.Pattern) = (form.Min, form.Max, form.Pattern);
        }
        if (key == (typeof(Api.CodeStatesRequest), "codes") && schema.Items is OpenApiSchema code)
        {
            (schema.MinItems, schema.MaxItems, code.MaxLength) = (1, Api.AuthApi.MaxCodesAsked, Api.AuthApi.MaxCodeLength);
        }
        if (key == (typeof(Api.MarksRequest), "marks"))
        {
            (schema.MinItems, schema.MaxItems) = (1, Api.MarksApi.MaxMarksPerBatch);
        }
        // Counts from 0 up: a batch's sequence number and each deduction's count (found by an outside tester: -1 is a 422).
        if (key == (typeof(Api.MarksRequest), "deviceSequence") || key == (typeof(Api.MarkRequest), "deductions"))
        {
            ItemsOrSelf(schema).Minimum = "0";
        }
        if (AllowedRanges.TryGetValue(key, out var range))
        {
            (schema.Minimum, schema.Maximum) = (range.Minimum.ToString(CultureInfo.InvariantCulture), range.Maximum.ToString(CultureInfo.InvariantCulture));
        }
        if (!AllowedStrings.TryGetValue(key, out var allowed))
        {
            return;
        }
        var target = ItemsOrSelf(schema);
        // A nullable value keeps null in its list, as the document's nullable enums list it; a required one then loses it
        // (RequiredIsNeverNull, OpenApiContract.Nulls.cs).
        var nullable = target.Type?.HasFlag(JsonSchemaType.Null) == true || target.Enum?.Any(e => e is null) == true;
        target.Enum = [.. allowed.Select(value => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(value))];
        if (nullable)
        {
            target.Enum.Add(null!);
        }
    }
}
