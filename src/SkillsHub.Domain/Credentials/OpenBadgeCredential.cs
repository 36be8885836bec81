using System.Globalization;
using System.Text.Json.Nodes;

namespace SkillsHub.Domain.Credentials;

/// <summary>
/// What a certificate says, as the credential states it (the ID number already masked). <see cref="PromotionReason"/> is
/// the competition result a promoted level was awarded for (docs/certification.md, "Certificates for promotions"); null for an exam.
/// </summary>
public sealed record CredentialFacts(
    string Number,
    string HolderName,
    string IdType,
    string IdNumberMasked,
    string OccupationCode,
    string OccupationZh,
    string OccupationEn,
    string WorkType,
    int LevelDigit,
    string LevelZh,
    string LevelEn,
    string AgencyKey,
    string AgencyName,
    DateTimeOffset IssuedAt,
    DateTimeOffset? ValidUntil,
    int StatusIndex,
    string? PromotionReason = null,
    DateOnly? AssessedOn = null,
    DateTimeOffset? PromotedAt = null);

/// <summary>The public addresses a credential names; all under one base address (e.g. https://skillshub.example).</summary>
public sealed record CredentialUrls(string BaseUrl)
{
    string Base => BaseUrl.TrimEnd('/');

    public string Issuer(string agencyKey) => $"{Base}/api/issuers/{agencyKey}";

    /// <summary>
    /// A key's id, the JWS <c>kid</c>: an address that answers with the key as a JWK (OB 3.0 §8.2.3: the
    /// kid dereferences to a JWK). Credentials signed before issue #17 used <c>{issuer}#{keyId}</c>.
    /// </summary>
    public string KeyId(string agencyKey, string keyId) => $"{Issuer(agencyKey)}/keys/{keyId}";

    /// <summary>The issuer's keys as a JWK Set (RFC 7517 §5).</summary>
    public string Jwks(string agencyKey) => $"{Issuer(agencyKey)}/jwks.json";

    /// <summary>The SkillsHub JSON-LD context defining every term the credentials add to VC 2.0 and OB 3.0.</summary>
    public string Context => $"{Base}/ns/skillshub/v1";

    /// <summary>The holder as the credential subject's id: derived from the certificate number, naming no one.</summary>
    public static string Holder(string number) => $"urn:skillshub:holder:{number}";

    public string StatusList(string agencyKey, StatusPurpose purpose) => $"{Base}/api/status-lists/{agencyKey}/{purpose.Name()}";

    public string Credential(string number) => $"{Base}/api/credentials/{number}";

    /// <summary>The registry's key for per-certificate access tokens (docs/security.md); the verify link carries the token when set.</summary>
    public byte[]? TokenKey { get; init; }

    public string Verify(string number) =>
        TokenKey is { } key ? $"{Base}/verify/{number}?t={Certification.RegistryToken.For(key, number)}" : $"{Base}/verify/{number}";

    /// <summary>The agency key when <paramref name="issuer"/> is one of this server's issuer addresses.</summary>
    public string? AgencyOfIssuer(string? issuer)
    {
        var prefix = $"{Base}/api/issuers/";
        return issuer is not null && issuer.StartsWith(prefix, StringComparison.Ordinal) && issuer.Length > prefix.Length && !issuer[prefix.Length..].Contains('/')
            ? issuer[prefix.Length..]
            : null;
    }
}

/// <summary>
/// Builds the W3C Verifiable Credential 2.0 documents in the Open Badges 3.0 shape (docs/credentials.md):
/// an <c>OpenBadgeCredential</c> per certificate, the issuer <c>Profile</c> per agency, and the
/// <c>BitstringStatusListCredential</c> per agency and purpose. Pure: no keys, no clock, no I/O.
/// </summary>
public static class OpenBadgeCredential
{
    public const string VcContext = "https://www.w3.org/ns/credentials/v2";
    public const string ObContext = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
    public const string Title = "职业技能等级证书";
    public const string TitleEn = "Vocational Skill Level Certificate";

    public const string MultikeyContext = "https://w3id.org/security/multikey/v1";

    /// <summary>An XML Schema dateTime in UTC to the second, as VC 2.0 validFrom/validUntil take it.</summary>
    /// <summary>
    /// When the assessed activity ended (docs/credentials.md, "The credential"): the day of the exam, or of the comprehensive
    /// review where the level has one, at its start in China (the session records days, not times); the moment the
    /// competition's results decided a promotion. Found by an outside tester: it was the moment of issue, months after the exam.
    /// </summary>
    static string? ActivityEnd(CredentialFacts facts) =>
        facts.AssessedOn is { } day ? day.ToString("yyyy-MM-dd'T00:00:00+08:00'", CultureInfo.InvariantCulture)
        : facts.PromotedAt is { } promoted ? Timestamp(promoted)
        : null;

    public static string Timestamp(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// The SkillsHub context (served at <see cref="CredentialUrls.Context"/>): each term SkillsHub adds to
    /// VC 2.0 and OB 3.0, so JSON-LD expansion keeps every field (docs/credentials.md).
    /// </summary>
    public static JsonObject Context(CredentialUrls urls)
    {
        var vocab = urls.Context + "#";
        JsonObject Term(string name, string? type = null)
        {
            var term = new JsonObject { ["@id"] = vocab + name };
            if (type is not null)
            {
                term["@type"] = type;
            }
            return term;
        }
        return new JsonObject
        {
            ["@context"] = new JsonObject
            {
                ["@version"] = 1.1,
                ["@protected"] = true,
                ["certificateNumber"] = Term("certificateNumber"),
                ["idType"] = Term("idType"),
                ["idNumberMasked"] = Term("idNumberMasked"),
                ["occupationCode"] = Term("occupationCode"),
                ["workType"] = Term("workType"),
                ["level"] = new JsonObject
                {
                    ["@id"] = vocab + "level",
                    ["@context"] = new JsonObject
                    {
                        ["digit"] = Term("levelDigit", "http://www.w3.org/2001/XMLSchema#integer"),
                        ["zh"] = new JsonObject { ["@id"] = vocab + "levelName", ["@language"] = "zh" },
                        ["en"] = new JsonObject { ["@id"] = vocab + "levelName", ["@language"] = "en" },
                    },
                },
                // The issuer Profile's keys, as controller documents name them (W3C Controlled Identifiers).
                ["verificationMethod"] = new JsonObject { ["@id"] = "https://w3id.org/security#verificationMethod", ["@type"] = "@id" },
                ["assertionMethod"] = new JsonObject { ["@id"] = "https://w3id.org/security#assertionMethod", ["@type"] = "@id", ["@container"] = "@set" },
            },
        };
    }

    public static JsonObject Build(CredentialFacts facts, CredentialUrls urls)
    {
        // No type of work: the credential says none rather than the PDF's "--", which a program would read as a name.
        var workType = string.IsNullOrEmpty(facts.WorkType) ? null : facts.WorkType;
        var credential = new JsonObject
        {
            ["@context"] = new JsonArray(VcContext, ObContext, urls.Context),
            ["id"] = urls.Credential(facts.Number),
            ["type"] = new JsonArray("VerifiableCredential", "OpenBadgeCredential"),
            ["name"] = $"{Title} {TitleEn}",
            ["issuer"] = Issuer(facts.AgencyKey, facts.AgencyName, urls),
            // The instant of issue in UTC, so no verifier anywhere sees a fresh credential as not yet valid.
            ["validFrom"] = Timestamp(facts.IssuedAt),
        };
        if (facts.ValidUntil is { } until)
        {
            credential["validUntil"] = Timestamp(until);
        }
        credential["credentialSubject"] = new JsonObject
        {
            ["id"] = CredentialUrls.Holder(facts.Number),
            ["type"] = new JsonArray("AchievementSubject"),
            // The name is stated; the ID number only masked (docs/certification.md: all but the last 4 characters,
            // anywhere public). A salted hash would not protect it: ID numbers are few enough to try all.
            ["identifier"] = new JsonArray(new JsonObject
            {
                ["type"] = "IdentityObject",
                ["identityType"] = "name",
                ["hashed"] = false,
                ["identityHash"] = facts.HolderName,
            }),
            ["name"] = facts.HolderName,
            ["idType"] = facts.IdType,
            ["idNumberMasked"] = facts.IdNumberMasked,
            ["certificateNumber"] = facts.Number,
            ["achievement"] = new JsonObject
            {
                ["id"] = $"urn:skillshub:achievement:{facts.OccupationCode}:{facts.LevelDigit}",
                ["type"] = new JsonArray("Achievement"),
                ["achievementType"] = "Certificate",
                ["name"] = $"{facts.OccupationZh} {facts.LevelZh} · {facts.OccupationEn}, {facts.LevelEn}",
                ["description"] = $"{Title}: {facts.OccupationZh}（{facts.OccupationCode}），{(workType is null ? "" : $"工种 {workType}，")}{facts.LevelZh}。"
                    + $" {TitleEn}: {facts.OccupationEn} ({facts.OccupationCode}), {(workType is null ? "" : $"type of work {workType}, ")}{facts.LevelEn}.",
                // The achievement (this level of this occupation) is earned by either route; the evidence says which one this
                // holder took (found by an outside tester: a promoted holder's credential said they had passed exams).
                ["criteria"] = new JsonObject
                {
                    ["narrative"] = "Awarded by an agency on file for this occupation and level (人社部发〔2022〕14号), by evaluation (the theory and "
                        + "practical exams passed, each >= 60 of 100, plus the comprehensive review for Level 2 and Level 1) or by promotion "
                        + "without an exam for a result in a published skills competition. The evidence names the route.",
                },
                ["fieldOfStudy"] = $"{facts.OccupationZh} {facts.OccupationEn}",
                ["humanCode"] = $"{facts.OccupationCode}/{facts.LevelDigit}",
                ["occupationCode"] = facts.OccupationCode,
                ["workType"] = workType,
                ["level"] = new JsonObject { ["digit"] = facts.LevelDigit, ["zh"] = facts.LevelZh, ["en"] = facts.LevelEn },
                ["creator"] = Issuer(facts.AgencyKey, facts.AgencyName, urls),
            },
        };
        if (workType is null)
        {
            credential["credentialSubject"]!["achievement"]!.AsObject().Remove("workType");
        }
        if (ActivityEnd(facts) is { } ended)
        {
            credential["credentialSubject"]!["activityEndDate"] = ended;
        }
        var evidence = new JsonArray(Route(facts));
        if (urls.TokenKey is not null)
        {
            // The verify link with the certificate's access token: whoever holds the credential may see the full record.
            evidence.Add(new JsonObject
            {
                ["id"] = urls.Verify(facts.Number),
                ["type"] = new JsonArray("Evidence"),
                ["name"] = "Public verification page · 公开查询页",
            });
        }
        credential["evidence"] = evidence;
        credential["credentialStatus"] = new JsonArray(
            StatusEntry(facts.AgencyKey, StatusPurpose.Revocation, facts.StatusIndex, urls),
            StatusEntry(facts.AgencyKey, StatusPurpose.Suspension, facts.StatusIndex, urls));
        return credential;
    }

    /// <summary>How this holder earned the level: the agency's evaluation, or a promotion for a competition result.</summary>
    static JsonObject Route(CredentialFacts facts) => facts.PromotionReason is { } reason
        ? new JsonObject
        {
            ["type"] = new JsonArray("Evidence"),
            ["name"] = "Competition promotion · 竞赛晋级",
            ["narrative"] = $"Promoted without an exam for a result in a published skills competition: {reason}.",
        }
        : new JsonObject
        {
            ["type"] = new JsonArray("Evidence"),
            ["name"] = "Evaluation · 考核评价",
            ["narrative"] = "Passed the theory and practical exams (each >= 60 of 100), plus the comprehensive review for Level 2 and Level 1.",
        };

    static JsonObject Issuer(string agencyKey, string agencyName, CredentialUrls urls) => new()
    {
        ["id"] = urls.Issuer(agencyKey),
        ["type"] = new JsonArray("Profile"),
        ["name"] = agencyName,
    };

    static JsonObject StatusEntry(string agencyKey, StatusPurpose purpose, int index, CredentialUrls urls) => new()
    {
        ["id"] = $"{urls.StatusList(agencyKey, purpose)}#{index.ToString(CultureInfo.InvariantCulture)}",
        ["type"] = "BitstringStatusListEntry",
        ["statusPurpose"] = purpose.Name(),
        ["statusListIndex"] = index.ToString(CultureInfo.InvariantCulture),
        ["statusListCredential"] = urls.StatusList(agencyKey, purpose),
    };

    /// <summary>
    /// The issuer Profile (OB 3.0 §B.2.9: id, type, name, description, otherIdentifier) with its public keys as
    /// Multikey verification methods; each method's id is the JWS kid, which answers with the same key as a JWK.
    /// </summary>
    public static JsonObject Profile(string agencyKey, string agencyName, string agencyType, IEnumerable<(string KeyId, byte[] PublicKey)> keys, CredentialUrls urls)
    {
        var issuer = urls.Issuer(agencyKey);
        var methods = new JsonArray();
        var assertion = new JsonArray();
        foreach (var (keyId, publicKey) in keys)
        {
            var id = urls.KeyId(agencyKey, keyId);
            methods.Add(new JsonObject
            {
                ["id"] = id,
                ["type"] = "Multikey",
                ["controller"] = issuer,
                ["publicKeyMultibase"] = Multikey.EncodeEd25519PublicKey(publicKey),
            });
            assertion.Add(id);
        }
        return new JsonObject
        {
            ["@context"] = new JsonArray(VcContext, ObContext, MultikeyContext, urls.Context),
            ["id"] = issuer,
            ["type"] = new JsonArray("Profile"),
            ["name"] = agencyName,
            ["description"] = agencyType == "Y"
                ? "Employer evaluation agency (Y) on file for vocational skill level certification. 用人单位评价机构。"
                : "Social training and evaluation organisation (S) on file for vocational skill level certification. 社会培训评价组织。",
            ["otherIdentifier"] = new JsonArray(new JsonObject { ["type"] = "IdentifierEntry", ["identifierType"] = "identifier", ["identifier"] = agencyKey }),
            ["verificationMethod"] = methods,
            ["assertionMethod"] = assertion,
        };
    }

    /// <summary>One Ed25519 public key as a JWK (RFC 8037), its kid the key's address.</summary>
    public static JsonObject Jwk(string agencyKey, string keyId, ReadOnlySpan<byte> publicKey, CredentialUrls urls) => new()
    {
        ["kty"] = "OKP",
        ["crv"] = "Ed25519",
        ["x"] = System.Buffers.Text.Base64Url.EncodeToString(publicKey),
        ["kid"] = urls.KeyId(agencyKey, keyId),
        ["alg"] = "EdDSA",
        ["use"] = "sig",
    };

    /// <summary>A JWK Set of the given keys (RFC 7517 §5).</summary>
    public static JsonObject JwkSet(IEnumerable<(string AgencyKey, string KeyId, byte[] PublicKey)> keys, CredentialUrls urls) =>
        new() { ["keys"] = new JsonArray([.. keys.Select(k => (JsonNode)Jwk(k.AgencyKey, k.KeyId, k.PublicKey, urls))]) };

    /// <summary>The status list credential (W3C Bitstring Status List §2.2).</summary>
    public static JsonObject StatusListCredential(string agencyKey, string agencyName, StatusPurpose purpose, string encodedList, DateTimeOffset validFrom, CredentialUrls urls) => new()
    {
        ["@context"] = new JsonArray(VcContext),
        ["id"] = urls.StatusList(agencyKey, purpose),
        ["type"] = new JsonArray("VerifiableCredential", "BitstringStatusListCredential"),
        // The issuer as its URL: the list uses the VC 2.0 context only, where "Profile" is not a defined type.
        ["issuer"] = urls.Issuer(agencyKey),
        ["validFrom"] = Timestamp(validFrom),
        ["credentialSubject"] = new JsonObject
        {
            ["id"] = $"{urls.StatusList(agencyKey, purpose)}#list",
            ["type"] = "BitstringStatusList",
            ["statusPurpose"] = purpose.Name(),
            ["encodedList"] = encodedList,
        },
    };
}
