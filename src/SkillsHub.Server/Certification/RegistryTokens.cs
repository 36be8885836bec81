using System.Security.Cryptography;
using SkillsHub.Domain.Certification;
using SkillsHub.Server.Platform;
using SkillsHub.Server.Security;

namespace SkillsHub.Server.Certification;

/// <summary>
/// The registry's token key, shared by every node through PostgreSQL, and the per-certificate access tokens derived from
/// it (docs/security.md). The key is stored sealed under <c>Credentials:KeyEncryptionKey</c>, as the agencies' signing
/// keys are (docs/deployment.md, "Shared keys in PostgreSQL").
/// </summary>
public sealed class RegistryTokens(CertificateStore store, KeyEncryption encryption)
{
    /// <summary>Bound into the seal, so a sealed signing key can never be passed off as the registry's key.</summary>
    const string Purpose = "registry-token-key";

    byte[]? _key;

    public byte[] Key => _key ?? throw new InvalidOperationException("The registry key is loaded at start-up.");

    public string For(string number) => RegistryToken.For(Key, number);

    public bool Matches(string number, string? token) => RegistryToken.Matches(Key, number, token);

    /// <summary>
    /// Loads the key while the node is made (<c>SkillsHubNode.CreateAsync</c>): the first node to start makes and seals
    /// it. A key stored in the clear (before migration 0190) or under a previous key-encryption key is sealed again under
    /// the current one. A node that cannot open it does not start (one line naming the setting): every certificate
    /// lookup needs it.
    /// </summary>
    public async Task LoadAsync(CancellationToken ct = default)
    {
        var candidate = RandomNumberGenerator.GetBytes(32);
        var stored = await store.RegistrySecretAsync(encryption.Protect(candidate, Purpose), encryption.KekId, ct);
        CryptographicOperations.ZeroMemory(candidate);
        byte[] key;
        if (stored.Sealed is null)
        {
            key = stored.Secret ?? throw new InvalidOperationException("The registry key row holds neither a key nor a sealed key.");
        }
        else
        {
            try
            {
                key = encryption.Unprotect(stored.Sealed, Purpose, stored.KekId!);
            }
            catch (CryptographicException)
            {
                throw new StartupException(encryption.Unreadable("The certificate registry's key", stored.KekId!));
            }
        }
        if (stored.Sealed is null || stored.KekId != encryption.KekId)
        {
            await store.SealRegistrySecretAsync(encryption.Protect(key, Purpose), encryption.KekId, stored.KekId, ct);
        }
        _key = key;
    }
}
