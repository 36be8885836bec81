using System.Buffers.Text;
using System.IO.Compression;

namespace SkillsHub.Domain.Credentials;

/// <summary>The two status purposes SkillsHub publishes (W3C Bitstring Status List §2.1).</summary>
public enum StatusPurpose
{
    /// <summary>Final: a revoked credential never becomes valid again.</summary>
    Revocation,

    /// <summary>Reversible: a suspension can be lifted.</summary>
    Suspension,
}

public static class StatusPurposes
{
    /// <summary>The purposes by name, as status list addresses carry them.</summary>
    public static readonly IReadOnlyList<string> Names = [.. Enum.GetValues<StatusPurpose>().Select(p => p.Name())];

    public static string Name(this StatusPurpose purpose) => purpose == StatusPurpose.Revocation ? "revocation" : "suspension";

    public static bool TryParse(string? text, out StatusPurpose purpose)
    {
        purpose = StatusPurpose.Revocation;
        switch (text?.Trim().ToLowerInvariant())
        {
            case "revocation":
                return true;
            case "suspension":
                purpose = StatusPurpose.Suspension;
                return true;
            default:
                return false;
        }
    }
}

/// <summary>
/// A W3C Bitstring Status List (Recommendation, 2025): bit i is the status of the credential whose
/// <c>statusListIndex</c> is i; bit 0 is the left-most (most significant) bit of byte 0. Encoded as GZIP,
/// then base64url without padding, with the multibase prefix "u". At least 131,072 entries (16 KB), so
/// a verifier cannot tell which of many credentials it is asking about (herd privacy).
/// </summary>
public sealed class BitstringStatusList
{
    public const int MinimumEntries = 131_072;

    readonly byte[] _bits;

    /// <summary>A list with room for <paramref name="entries"/> (rounded up to a multiple of 131,072).</summary>
    public BitstringStatusList(int entries = MinimumEntries)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(entries);
        var blocks = Math.Max(1, (entries + MinimumEntries - 1) / MinimumEntries);
        _bits = new byte[blocks * (MinimumEntries / 8)];
    }

    BitstringStatusList(byte[] bits) => _bits = bits;

    /// <summary>
    /// How many entries an issuer's lists have once it has given <paramref name="issued"/> credentials an index: 131,072,
    /// and another 131,072 for each 65,536 issued, so at most half of the entries are ever taken. Indices are drawn at
    /// random from that range (docs/credentials.md, "The credential"): a list read beside one known credential must not
    /// tell which index belongs to which certificate, as indices given in issuing order would.
    /// </summary>
    public static int EntriesFor(int issued)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(issued);
        return MinimumEntries * (issued / (MinimumEntries / 2) + 1);
    }

    public int Length => _bits.Length * 8;

    public bool this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Length);
            return (_bits[index >> 3] & (0x80 >> (index & 7))) != 0;
        }
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Length);
            if (value)
            {
                _bits[index >> 3] |= (byte)(0x80 >> (index & 7));
            }
            else
            {
                _bits[index >> 3] &= (byte)~(0x80 >> (index & 7));
            }
        }
    }

    /// <summary>A list of the given size with the bits at <paramref name="set"/> on.</summary>
    public static BitstringStatusList WithBits(IEnumerable<int> set, int entries = MinimumEntries)
    {
        var indices = set as IReadOnlyCollection<int> ?? set.ToList();
        var list = new BitstringStatusList(Math.Max(entries, indices.Count == 0 ? 0 : indices.Max() + 1));
        foreach (var i in indices)
        {
            list[i] = true;
        }
        return list;
    }

    /// <summary>The <c>encodedList</c> value: "u" + base64url(gzip(bits)).</summary>
    public string Encode()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(_bits);
        }
        return "u" + Base64Url.EncodeToString(buffer.ToArray());
    }

    public static BitstringStatusList Decode(string encodedList)
    {
        if (string.IsNullOrEmpty(encodedList) || encodedList[0] != 'u')
        {
            throw new FormatException("An encodedList is multibase base64url: it starts with 'u'.");
        }
        using var gzip = new GZipStream(new MemoryStream(Base64Url.DecodeFromChars(encodedList.AsSpan(1))), CompressionMode.Decompress);
        using var bits = new MemoryStream();
        gzip.CopyTo(bits);
        if (bits.Length * 8 < MinimumEntries)
        {
            throw new FormatException($"A status list has at least {MinimumEntries} entries.");
        }
        return new BitstringStatusList(bits.ToArray());
    }
}
