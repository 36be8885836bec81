using System.Globalization;
using System.Text.Json.Nodes;

namespace SkillsHub.Domain.Credentials;

/// <summary>What a certificate says, as the credential states it (the ID number already masked).</summary>
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
    DateOnly IssuedOn,
    DateOnly? ValidUntil,
    int StatusIndex);

/// <summary>The public addresses a credential names; all under one base address (e.g. https://skillshub.example).</summary>
public sealed record CredentialUrls(string BaseUrl)
{
    string Base => BaseUrl.TrimEnd('/');

    public string Issuer(string agencyKey) => $"{Base}/api/issuers/{agencyKey}";

    public string KeyId(string agencyKey, string keyId) => $"{Issuer(agencyKey)}#{keyId}";

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
/// Builds the W3C Verifiable Credential 2.0 documents in the Open Badges 3.0 shape (DOMAIN.md §3):
/// an <c>OpenBadgeCredential</c> per certificate, the issuer <c>Profile</c> per agency, and the
/// <c>BitstringStatusListCredential</c> per agency and purpose. Pure: no keys, no clock, no I/O.
/// </summary>
public static class OpenBadgeCredential
{
    public const string VcContext = "https://www.w3.org/ns/credentials/v2";
    public const string ObContext = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
    public const string Title = "职业技能等级证书";
    public const string TitleEn = "Vocational Skill Level Certificate";

    public static string Timestamp(DateOnly date) => date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static JsonObject Build(CredentialFacts facts, CredentialUrls urls)
    {
        var workType = string.IsNullOrEmpty(facts.WorkType) ? "--" : facts.WorkType;
        var credential = new JsonObject
        {
            ["@context"] = new JsonArray(VcContext, ObContext),
            ["id"] = urls.Credential(facts.Number),
            ["type"] = new JsonArray("VerifiableCredential", "OpenBadgeCredential"),
            ["name"] = $"{Title} {TitleEn}",
            ["issuer"] = Issuer(facts.AgencyKey, facts.AgencyName, urls),
            ["validFrom"] = Timestamp(facts.IssuedOn),
        };
        if (facts.ValidUntil is { } until)
        {
            credential["validUntil"] = Timestamp(until);
        }
        credential["credentialSubject"] = new JsonObject
        {
            ["type"] = new JsonArray("AchievementSubject"),
            // The name is stated; the ID number only masked (DOMAIN.md §2: all but the last 4 characters,
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
            ["activityEndDate"] = Timestamp(facts.IssuedOn),
            ["achievement"] = new JsonObject
            {
                ["id"] = $"urn:skillshub:achievement:{facts.OccupationCode}:{facts.LevelDigit}",
                ["type"] = new JsonArray("Achievement"),
                ["achievementType"] = "Certificate",
                ["name"] = $"{facts.OccupationZh} {facts.LevelZh} · {facts.OccupationEn}, {facts.LevelEn}",
                ["description"] = $"{Title}: {facts.OccupationZh}（{facts.OccupationCode}），工种 {workType}，{facts.LevelZh}。"
                    + $" {TitleEn}: {facts.OccupationEn} ({facts.OccupationCode}), type of work {workType}, {facts.LevelEn}.",
                ["criteria"] = new JsonObject
                {
                    ["narrative"] = "Passed the theory and practical exams (each >= 60 of 100), plus the comprehensive review for Level 2 and Level 1, "
                        + "evaluated by an agency on file for this occupation and level (人社部发〔2022〕14号).",
                },
                ["fieldOfStudy"] = $"{facts.OccupationZh} {facts.OccupationEn}",
                ["humanCode"] = $"{facts.OccupationCode}/{facts.LevelDigit}",
                ["occupationCode"] = facts.OccupationCode,
                ["workType"] = workType,
                ["level"] = new JsonObject { ["digit"] = facts.LevelDigit, ["zh"] = facts.LevelZh, ["en"] = facts.LevelEn },
                ["creator"] = Issuer(facts.AgencyKey, facts.AgencyName, urls),
            },
        };
        if (urls.TokenKey is not null)
        {
            // The verify link with the certificate's access token: whoever holds the credential may see the full record.
            credential["evidence"] = new JsonArray(new JsonObject
            {
                ["id"] = urls.Verify(facts.Number),
                ["type"] = new JsonArray("Evidence"),
                ["name"] = "Public verification page · 公开查询页",
            });
        }
        credential["credentialStatus"] = new JsonArray(
            StatusEntry(facts.AgencyKey, StatusPurpose.Revocation, facts.StatusIndex, urls),
            StatusEntry(facts.AgencyKey, StatusPurpose.Suspension, facts.StatusIndex, urls));
        return credential;
    }

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

    /// <summary>The issuer Profile with its public keys as Multikey verification methods (and JWK).</summary>
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
                ["publicKeyJwk"] = new JsonObject { ["kty"] = "OKP", ["crv"] = "Ed25519", ["x"] = Base64Url.Encode(publicKey), ["kid"] = id },
            });
            assertion.Add(id);
        }
        return new JsonObject
        {
            ["@context"] = new JsonArray(VcContext, ObContext, "https://w3id.org/security/multikey/v1"),
            ["id"] = issuer,
            ["type"] = new JsonArray("Profile"),
            ["name"] = agencyName,
            ["description"] = agencyType == "Y"
                ? "Employer evaluation agency (Y) on file for vocational skill level certification. 用人单位评价机构。"
                : "Social training and evaluation organisation (S) on file for vocational skill level certification. 社会培训评价组织。",
            ["identifier"] = new JsonArray(new JsonObject { ["type"] = "IdentifierEntry", ["identifierType"] = "identifier", ["identifier"] = agencyKey }),
            ["verificationMethod"] = methods,
            ["assertionMethod"] = assertion,
        };
    }

    /// <summary>The status list credential (W3C Bitstring Status List §2.2).</summary>
    public static JsonObject StatusListCredential(string agencyKey, string agencyName, StatusPurpose purpose, string encodedList, DateTimeOffset validFrom, CredentialUrls urls) => new()
    {
        ["@context"] = new JsonArray(VcContext),
        ["id"] = urls.StatusList(agencyKey, purpose),
        ["type"] = new JsonArray("VerifiableCredential", "BitstringStatusListCredential"),
        ["issuer"] = Issuer(agencyKey, agencyName, urls),
        ["validFrom"] = validFrom.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["credentialSubject"] = new JsonObject
        {
            ["id"] = $"{urls.StatusList(agencyKey, purpose)}#list",
            ["type"] = "BitstringStatusList",
            ["statusPurpose"] = purpose.Name(),
            ["encodedList"] = encodedList,
        },
    };
}
