using System.IO.Compression;
using System.Text.Json.Nodes;
using SkillsHub.Domain.Credentials;

namespace SkillsHub.Domain.Tests.Credentials;

public sealed class StatusListTests
{
    /// <summary>
    /// A decoder written from the W3C Bitstring Status List text, independent of the production code:
    /// strip the multibase "u", base64url-decode, gunzip; bit i is bit (7 - i % 8) of byte i / 8, i.e.
    /// index 0 is the left-most bit of the first byte.
    /// </summary>
    internal static bool BitAt(string encodedList, int index)
    {
        Assert.StartsWith("u", encodedList);
        var b64 = encodedList[1..].Replace('-', '+').Replace('_', '/');
        b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
        using var gzip = new GZipStream(new MemoryStream(Convert.FromBase64String(b64)), CompressionMode.Decompress);
        using var bits = new MemoryStream();
        gzip.CopyTo(bits);
        var bytes = bits.ToArray();
        Assert.True(bytes.Length * 8 >= 131_072, "at least 131,072 entries");
        return (bytes[index / 8] >> (7 - index % 8) & 1) == 1;
    }

    [Fact]
    public void NewList_HasTheMinimumSize_AndNoBitSet()
    {
        var list = new BitstringStatusList();
        Assert.Equal(131_072, list.Length);
        var encoded = list.Encode();
        Assert.False(BitAt(encoded, 0));
        Assert.False(BitAt(encoded, 131_071));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(12_345)]
    [InlineData(131_071)]
    public void SettingABit_SetsExactlyThatBit_LeftMostFirst(int index)
    {
        var encoded = BitstringStatusList.WithBits([index]).Encode();
        Assert.True(BitAt(encoded, index));
        foreach (var other in new[] { index - 1, index + 1, 0, 131_071 }.Where(i => i is >= 0 and < 131_072 && i != index))
        {
            Assert.False(BitAt(encoded, other));
        }
        Assert.True(BitstringStatusList.Decode(encoded)[index]);
    }

    [Fact]
    public void Bit0_IsTheMostSignificantBitOfByte0()
    {
        var list = new BitstringStatusList { [0] = true };
        var b64 = list.Encode()[1..].Replace('-', '+').Replace('_', '/');
        using var gzip = new GZipStream(new MemoryStream(Convert.FromBase64String(b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '='))), CompressionMode.Decompress);
        Assert.Equal(0x80, gzip.ReadByte());
    }

    [Fact]
    public void ClearingABit_ClearsIt_AndTheListGrowsInBlocks()
    {
        var list = BitstringStatusList.WithBits([5, 200_000]);
        Assert.Equal(262_144, list.Length);
        list[5] = false;
        var decoded = BitstringStatusList.Decode(list.Encode());
        Assert.False(decoded[5]);
        Assert.True(decoded[200_000]);
        Assert.DoesNotContain('=', list.Encode());
    }

    [Fact]
    public void Decode_RejectsAListWithoutTheMultibasePrefix_OrTooShort()
    {
        Assert.Throws<FormatException>(() => BitstringStatusList.Decode(new BitstringStatusList().Encode()[1..]));
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(new byte[100]);
        }
        Assert.Throws<FormatException>(() => BitstringStatusList.Decode("u" + Base64Url.Encode(buffer.ToArray())));
    }

    [Fact]
    public void Multikey_RoundTrips_AndStartsWithZ6Mk()
    {
        var key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var multibase = Multikey.EncodeEd25519PublicKey(key);
        Assert.StartsWith("z6Mk", multibase);
        Assert.Equal(key, Multikey.DecodeEd25519PublicKey(multibase));
    }

    [Fact]
    public void Credential_HasTheOpenBadgesShape_AndBothStatusEntries()
    {
        var facts = new CredentialFacts("S000031000001255000007", "张三", "resident", "**************1234", "6-18-02-04", "焊工", "Welder", "", 5, "五级/初级工",
            "Level 5 / Junior worker", "S000031000001", "Agency", new DateOnly(2025, 6, 1), new DateOnly(2028, 6, 1), 41);
        var urls = new CredentialUrls("https://skills.example/");
        var vc = OpenBadgeCredential.Build(facts, urls);
        Assert.Equal(["VerifiableCredential", "OpenBadgeCredential"], vc["type"]!.AsArray().Select(t => (string)t!));
        Assert.Equal("https://skills.example/api/issuers/S000031000001", (string)vc["issuer"]!["id"]!);
        Assert.Equal("2025-06-01T00:00:00Z", (string)vc["validFrom"]!);
        Assert.Equal("2028-06-01T00:00:00Z", (string)vc["validUntil"]!);
        Assert.Equal("Certificate", (string)vc["credentialSubject"]!["achievement"]!["achievementType"]!);
        Assert.DoesNotContain("1234567", vc.ToJsonString());
        var status = vc["credentialStatus"]!.AsArray().Cast<JsonObject>().ToList();
        Assert.Equal(["revocation", "suspension"], status.Select(s => (string)s["statusPurpose"]!));
        Assert.All(status, s => Assert.Equal("41", (string)s["statusListIndex"]!));
        Assert.Equal("https://skills.example/api/status-lists/S000031000001/revocation", (string)status[0]["statusListCredential"]!);
        Assert.Equal("S000031000001", urls.AgencyOfIssuer("https://skills.example/api/issuers/S000031000001"));
    }

    [Fact]
    public void VcJwt_ParsesWhatItAssembles()
    {
        var payload = new JsonObject { ["type"] = new JsonArray("VerifiableCredential"), ["name"] = "证书" };
        var input = VcJwt.SigningInput("https://x/api/issuers/S000031000001#key-1", payload);
        var jwt = VcJwt.Assemble(input, new byte[64]);
        var parsed = VcJwt.TryParse(jwt, out var problem);
        Assert.Null(problem);
        Assert.Equal("vc+jwt", (string)parsed!.Header["typ"]!);
        Assert.Equal("EdDSA", (string)parsed.Header["alg"]!);
        Assert.Equal("证书", (string)parsed.Payload["name"]!);
        Assert.Equal(input, parsed.SigningInput);
        Assert.Null(VcJwt.TryParse("a.b", out problem));
        Assert.NotNull(problem);
    }
}
