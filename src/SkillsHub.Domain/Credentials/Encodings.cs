namespace SkillsHub.Domain.Credentials;

/// <summary>
/// The Ed25519 Multikey encoding (multicodec 0xed01, multibase base58btc "z"). Base58 is SimpleBase's
/// (a maintained package); base64url is .NET's own <see cref="System.Buffers.Text.Base64Url"/>.
/// </summary>
public static class Multikey
{
    static readonly byte[] Ed25519PublicPrefix = [0xed, 0x01];

    /// <summary>The <c>publicKeyMultibase</c> of an Ed25519 public key ("z6Mk...").</summary>
    public static string EncodeEd25519PublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != 32)
        {
            throw new ArgumentException("An Ed25519 public key is 32 bytes.", nameof(publicKey));
        }
        return "z" + SimpleBase.Base58.Bitcoin.Encode([.. Ed25519PublicPrefix, .. publicKey]);
    }

    public static byte[] DecodeEd25519PublicKey(string multibase)
    {
        if (string.IsNullOrEmpty(multibase) || multibase[0] != 'z')
        {
            throw new FormatException("publicKeyMultibase is base58btc: it starts with 'z'.");
        }
        byte[] bytes;
        try
        {
            bytes = SimpleBase.Base58.Bitcoin.Decode(multibase.AsSpan(1));
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"Not base58btc: {e.Message}", e);
        }
        if (bytes.Length != 34 || bytes[0] != 0xed || bytes[1] != 0x01)
        {
            throw new FormatException("Not an Ed25519 Multikey.");
        }
        return bytes[2..];
    }
}
