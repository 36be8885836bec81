using System.Security.Cryptography;
using System.Text;

namespace SkillsHub.Domain.Certification;

/// <summary>
/// The per-certificate access token carried by the QR code and the credential (docs/security.md):
/// HMAC-SHA256 of the certificate number under the registry's secret key, truncated to 128 bits
/// (>= 96 required) and written base64url (22 characters). Derived, not stored: every node computes
/// the same token from the shared key, and nobody without the key can produce one.
/// </summary>
public static class RegistryToken
{
    public const int Bytes = 16;

    public static string For(byte[] key, string number)
    {
        var mac = HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(number));
        return Convert.ToBase64String(mac, 0, Bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static bool Matches(byte[] key, string number, string? token) =>
        token is { Length: > 0 } && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(For(key, number)), Encoding.ASCII.GetBytes(token));
}
