using System.Numerics;
using System.Text;

namespace SkillsHub.Domain.Credentials;

/// <summary>base64url without padding (RFC 4648 §5), as JOSE and multibase "u" use it.</summary>
public static class Base64Url
{
    public static string Encode(ReadOnlySpan<byte> data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] Decode(string text)
    {
        if (text.Contains('=') || text.Contains('+') || text.Contains('/'))
        {
            throw new FormatException("Not base64url without padding.");
        }
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s + new string('=', (4 - s.Length % 4) % 4));
    }
}

/// <summary>Multibase base58btc ("z" prefix) and the Ed25519 Multikey encoding (multicodec 0xed01).</summary>
public static class Multikey
{
    const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    static readonly byte[] Ed25519PublicPrefix = [0xed, 0x01];

    /// <summary>The <c>publicKeyMultibase</c> of an Ed25519 public key ("z6Mk...").</summary>
    public static string EncodeEd25519PublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != 32)
        {
            throw new ArgumentException("An Ed25519 public key is 32 bytes.", nameof(publicKey));
        }
        return "z" + Base58(Ed25519PublicPrefix.Concat(publicKey.ToArray()).ToArray());
    }

    public static byte[] DecodeEd25519PublicKey(string multibase)
    {
        if (string.IsNullOrEmpty(multibase) || multibase[0] != 'z')
        {
            throw new FormatException("publicKeyMultibase is base58btc: it starts with 'z'.");
        }
        var bytes = FromBase58(multibase[1..]);
        if (bytes.Length != 34 || bytes[0] != 0xed || bytes[1] != 0x01)
        {
            throw new FormatException("Not an Ed25519 Multikey.");
        }
        return bytes[2..];
    }

    static string Base58(byte[] data)
    {
        var value = new BigInteger(data, isUnsigned: true, isBigEndian: true);
        var text = new StringBuilder();
        while (value > 0)
        {
            value = BigInteger.DivRem(value, 58, out var remainder);
            text.Insert(0, Alphabet[(int)remainder]);
        }
        foreach (var b in data)
        {
            if (b != 0)
            {
                break;
            }
            text.Insert(0, '1');
        }
        return text.ToString();
    }

    static byte[] FromBase58(string text)
    {
        BigInteger value = 0;
        foreach (var c in text)
        {
            var digit = Alphabet.IndexOf(c);
            if (digit < 0)
            {
                throw new FormatException($"'{c}' is not a base58btc character.");
            }
            value = value * 58 + digit;
        }
        var bytes = value.IsZero ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var zeros = text.TakeWhile(c => c == '1').Count();
        return [.. new byte[zeros], .. bytes];
    }
}
