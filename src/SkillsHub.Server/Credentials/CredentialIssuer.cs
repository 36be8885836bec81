using System.Text.Json.Nodes;
using SkillsHub.Domain.Credentials;
using SkillsHub.Server.Certification;

namespace SkillsHub.Server.Credentials;

public sealed record IssuedCredential(string Number, string AgencyKey, int StatusIndex, string KeyId, string Jwt)
{
    /// <summary>The credential (JSON-LD) the JWT carries, without the JWT claims.</summary>
    public JsonObject Document => VcJwt.CredentialOf(VcJwt.TryParse(Jwt, out _)!.Payload);
}

/// <summary>
/// Issues each certificate's signed credential once (on first request, or for a whole session by the
/// bundle job), allocating its status-list index in the same transaction (<see cref="CredentialStore"/>), and answers the status lists.
/// </summary>
public sealed class CredentialIssuer(CredentialStore store, AgencyKeys keys, RegistryTokens tokens, CertificateStore certificates, Certification.CertificateLookupCache registry)
{
    public Task<CertificateRecord?> CertificateAsync(string number, CancellationToken ct) => certificates.RecordAsync(number, ct);

    public Task<IssuedCredential?> FindAsync(string number, CancellationToken ct) => store.FindAsync(number, ct);

    /// <summary>The certificate's credential, signed now if it has none yet; null when there is no such certificate.</summary>
    public async Task<IssuedCredential?> EnsureAsync(string number, CredentialUrls urls, CancellationToken ct)
    {
        if (await store.FindAsync(number, ct) is { } existing)
        {
            return existing;
        }
        if (await certificates.RecordAsync(number, ct) is not { } certificate)
        {
            return null;
        }
        var key = await keys.ActiveAsync(certificate.AgencyKey, ct);
        return await store.IssueAsync(number, certificate.AgencyKey, index =>
        {
            // The credential carries the verify link with the certificate's access token (docs/security.md).
            var document = OpenBadgeCredential.Build(certificate.Facts(index), urls with { TokenKey = tokens.Key });
            var input = VcJwt.SigningInput(urls.KeyId(certificate.AgencyKey, key.KeyId), document);
            return (key.KeyId, VcJwt.Assemble(input, AgencyKeys.Sign(key, input)));
        }, ct);
    }

    /// <summary>The agency's current list for a purpose: revoked (or suspended) certificates' indices set.</summary>
    public async Task<BitstringStatusList> StatusListAsync(string agencyKey, StatusPurpose purpose, CancellationToken ct)
    {
        var (size, set) = await store.StatusBitsAsync(agencyKey, purpose == StatusPurpose.Revocation ? "revoked" : "suspended", ct);
        return BitstringStatusList.WithBits(set, size);
    }

    public Task<(string Name, string Type)?> AgencyAsync(string agencyKey, CancellationToken ct) => store.AgencyAsync(agencyKey, ct);

    /// <summary>When the agency's status lists last changed (<see cref="CredentialStore.StatusListsChangedAsync"/>).</summary>
    public Task<DateTimeOffset?> StatusListsChangedAsync(string agencyKey, CancellationToken ct) => store.StatusListsChangedAsync(agencyKey, ct);

    public sealed record StatusChange(string Outcome, string? Problem);

    /// <summary>
    /// Revokes (final), suspends or reinstates (lifts a suspension) a certificate of the agency, with the
    /// reason and an audit event. Outcome "not-found" for another agency's certificate, "conflict" for
    /// a change the state forbids (anything after revocation; reinstating what is not suspended).
    /// </summary>
    public async Task<StatusChange> ChangeStatusAsync(string agencyKey, string number, string action, string reason, string actor, CredentialUrls urls, CancellationToken ct)
    {
        // The credential (and its list index) exists before its bit can be set.
        if (await CertificateAsync(number, ct) is not { } certificate || certificate.AgencyKey != agencyKey)
        {
            return new("not-found", null);
        }
        await EnsureAsync(number, urls, ct);
        var (current, next) = await store.ChangeStatusAsync(number, action, reason, actor, current => (action, current) switch
        {
            (_, "revoked") => null,
            ("revoke", _) => "revoked",
            ("suspend", "valid") => "suspended",
            ("reinstate", "suspended") => "valid",
            _ => null,
        }, ct);
        if (next is null)
        {
            return new("conflict", current == "revoked"
                ? "The certificate is revoked; revocation is final."
                : action == "suspend" ? "The certificate is already suspended." : "Only a suspended certificate can be reinstated.");
        }
        // This node's lookups see the change at once, other nodes' at their next poll (docs/security.md).
        registry.Invalidate(number);
        return new(next, null);
    }
}
