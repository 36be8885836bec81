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

    // Indices are drawn at random, so a list keeps at least half of its entries free: it grows by a block at each 65,536.
    [Theory]
    [InlineData(0, 131_072)]
    [InlineData(65_535, 131_072)]
    [InlineData(65_536, 262_144)]
    [InlineData(131_071, 262_144)]
    [InlineData(131_072, 393_216)]
    public void AnIssuersLists_KeepHalfTheirEntriesFree(int issued, int entries)
    {
        Assert.Equal(entries, BitstringStatusList.EntriesFor(issued));
        Assert.True(issued < entries / 2 + 1);
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
        Assert.Throws<FormatException>(() => BitstringStatusList.Decode("u" + System.Buffers.Text.Base64Url.EncodeToString(buffer.ToArray())));
    }

    [Fact]
    public void Multikey_RoundTrips_AndStartsWithZ6Mk()
    {
        var key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var multibase = Multikey.EncodeEd25519PublicKey(key);
        Assert.StartsWith("z6Mk", multibase);
        Assert.Equal(key, Multikey.DecodeEd25519PublicKey(multibase));
        // Leading zero bytes are base58's "1"s; a non-base58 character is a FormatException.
        Assert.Equal(new byte[32], Multikey.DecodeEd25519PublicKey(Multikey.EncodeEd25519PublicKey(new byte[32])));
        Assert.Throws<FormatException>(() => Multikey.DecodeEd25519PublicKey("z6Mk0OIl"));
    }

    [Fact]
    public void Multikey_MatchesAPublishedTestVector()
    {
        // W3C Controlled Identifiers / did:key test vector: the Ed25519 key whose Multikey is z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp.
        var x = System.Buffers.Text.Base64Url.DecodeFromChars("O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik");
        Assert.Equal("z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp", Multikey.EncodeEd25519PublicKey(x));
    }

    [Fact]
    public void Credential_HasTheOpenBadgesShape_AndBothStatusEntries()
    {
        var facts = new CredentialFacts("S000031000001255000007", "张三", "resident", "**************1234", "6-18-02-04", "焊工", "Welder", "", 5, "五级/初级工",
            "Level 5 / Junior worker", "S000031000001", "Agency",
            new DateTimeOffset(2025, 6, 1, 7, 30, 15, TimeSpan.FromHours(8)), new DateTimeOffset(2028, 6, 1, 7, 30, 15, TimeSpan.FromHours(8)), 41);
        var urls = new CredentialUrls("https://skills.example/");
        var vc = OpenBadgeCredential.Build(facts, urls);
        Assert.Equal(["VerifiableCredential", "OpenBadgeCredential"], vc["type"]!.AsArray().Select(t => (string)t!));
        Assert.Equal("https://skills.example/api/issuers/S000031000001", (string)vc["issuer"]!["id"]!);
        // The UTC instant of issue (07:30 in China is 23:30 the day before in UTC), not a date at midnight.
        Assert.Equal("2025-05-31T23:30:15Z", (string)vc["validFrom"]!);
        Assert.Equal("2028-05-31T23:30:15Z", (string)vc["validUntil"]!);
        Assert.Equal("urn:skillshub:holder:S000031000001255000007", (string)vc["credentialSubject"]!["id"]!);
        Assert.Equal(["https://www.w3.org/ns/credentials/v2", OpenBadgeCredential.ObContext, "https://skills.example/ns/skillshub/v1"], vc["@context"]!.AsArray().Select(t => (string)t!));
        Assert.Equal("Certificate", (string)vc["credentialSubject"]!["achievement"]!["achievementType"]!);
        Assert.DoesNotContain("1234567", vc.ToJsonString());
        var status = vc["credentialStatus"]!.AsArray().Cast<JsonObject>().ToList();
        Assert.Equal(["revocation", "suspension"], status.Select(s => (string)s["statusPurpose"]!));
        Assert.All(status, s => Assert.Equal("41", (string)s["statusListIndex"]!));
        Assert.Equal("https://skills.example/api/status-lists/S000031000001/revocation", (string)status[0]["statusListCredential"]!);
        Assert.Equal("S000031000001", urls.AgencyOfIssuer("https://skills.example/api/issuers/S000031000001"));
        // No type of work: none stated, not the PDF's "--" (found by an outside tester: a program read it as a name).
        var achievement = vc["credentialSubject"]!["achievement"]!.AsObject();
        Assert.False(achievement.ContainsKey("workType"));
        Assert.Equal("职业技能等级证书: 焊工（6-18-02-04），五级/初级工。 Vocational Skill Level Certificate: Welder (6-18-02-04), Level 5 / Junior worker.",
            (string)achievement["description"]!);
        var withWorkType = OpenBadgeCredential.Build(facts with { WorkType = "电焊工" }, urls)["credentialSubject"]!["achievement"]!;
        Assert.Equal("电焊工", (string)withWorkType["workType"]!);
        Assert.Contains("工种 电焊工，", (string)withWorkType["description"]!);
        Assert.Contains("type of work 电焊工, ", (string)withWorkType["description"]!);
    }

    [Fact]
    public void Evidence_NamesTheRouteToTheLevel_ExamOrPromotion()
    {
        var exam = new CredentialFacts("S000031000001255000007", "张三", "resident", "**************1234", "6-18-02-04", "焊工", "Welder", "", 5, "五级/初级工",
            "Level 5 / Junior worker", "S000031000001", "Agency", new DateTimeOffset(2025, 6, 1, 0, 0, 1, TimeSpan.Zero), null, 3);
        var urls = new CredentialUrls("https://skills.example");
        static string Evidence(JsonObject vc) => string.Join(" | ", vc["evidence"]!.AsArray().Select(e => $"{e!["name"]}: {e["narrative"]}"));

        var examined = OpenBadgeCredential.Build(exam, urls);
        Assert.StartsWith("Evaluation · 考核评价: Passed the theory and practical exams", Evidence(examined));
        Assert.DoesNotContain("competition", Evidence(examined));
        // A promoted holder sat no exam (found by an outside tester: the credential said they had): the evidence names the result.
        var promoted = OpenBadgeCredential.Build(exam with { PromotionReason = "place 3 in WSC2024 skill 7" }, urls);
        Assert.Equal("Competition promotion · 竞赛晋级: Promoted without an exam for a result in a published skills competition: place 3 in WSC2024 skill 7.", Evidence(promoted));
        Assert.DoesNotContain("Passed", Evidence(promoted));
        // The achievement is the same either way, its criteria naming both routes.
        Assert.Equal((string)examined["credentialSubject"]!["achievement"]!["id"]!, (string)promoted["credentialSubject"]!["achievement"]!["id"]!);
        Assert.Contains("by promotion", (string)promoted["credentialSubject"]!["achievement"]!["criteria"]!["narrative"]!);
        // With registry tokens on, the verify link follows the route.
        var withToken = OpenBadgeCredential.Build(exam, urls with { TokenKey = new byte[32] });
        Assert.Equal(["Evaluation · 考核评价", "Public verification page · 公开查询页"], withToken["evidence"]!.AsArray().Select(e => (string)e!["name"]!));
    }

    /// <summary>
    /// When the assessed activity ended: the exam's (or review's) day in China, the promotion's decision, never the moment of
    /// issue (found by an outside tester: a certificate issued 21 months after its exam said the exam ended at issue).
    /// </summary>
    [Fact]
    public void ActivityEndDate_IsTheAssessment_NotTheIssue()
    {
        var issued = new DateTimeOffset(2026, 12, 5, 12, 18, 59, TimeSpan.Zero);
        var facts = new CredentialFacts("S000031000001265000005", "张三", "resident", "**************1234", "6-18-02-04", "焊工", "Welder", "", 5, "五级/初级工",
            "Level 5 / Junior worker", "S000031000001", "Agency", issued, null, 3);
        var urls = new CredentialUrls("https://skills.example");
        static string? Ended(JsonObject vc) => (string?)vc["credentialSubject"]!["activityEndDate"];

        Assert.Equal("2025-02-28T00:00:00+08:00", Ended(OpenBadgeCredential.Build(facts with { AssessedOn = new DateOnly(2025, 2, 28) }, urls)));
        Assert.Equal("2026-09-20T08:30:00Z", Ended(OpenBadgeCredential.Build(
            facts with { PromotionReason = "Gold in WSC2026 skill 7", PromotedAt = new DateTimeOffset(2026, 9, 20, 16, 30, 0, TimeSpan.FromHours(8)) }, urls)));
        // Not known (no session and no promotion on record): left out, not the moment of issue.
        var unknown = OpenBadgeCredential.Build(facts, urls);
        Assert.False(unknown["credentialSubject"]!.AsObject().ContainsKey("activityEndDate"));
        Assert.DoesNotContain("12:18:59", unknown.ToJsonString().Replace((string)unknown["validFrom"]!, "", StringComparison.Ordinal));
    }

    [Fact]
    public void VcJwt_CarriesTheJwtClaimsOfTheCredential_AndTheCredentialComesBackWithoutThem()
    {
        var facts = new CredentialFacts("S000031000001255000007", "张三", "resident", "**************1234", "6-18-02-04", "焊工", "Welder", "", 5, "五级/初级工",
            "Level 5 / Junior worker", "S000031000001", "Agency", new DateTimeOffset(2025, 6, 1, 0, 0, 1, TimeSpan.Zero), new DateTimeOffset(2027, 6, 1, 0, 0, 1, TimeSpan.Zero), 3);
        var urls = new CredentialUrls("https://skills.example");
        var vc = OpenBadgeCredential.Build(facts, urls);
        var payload = VcJwt.TryParse(VcJwt.Assemble(VcJwt.SigningInput(urls.KeyId("S000031000001", "key-1"), vc), new byte[64]), out _)!.Payload;
        Assert.Equal("https://skills.example/api/issuers/S000031000001", (string)payload["iss"]!);
        Assert.Equal("urn:skillshub:holder:S000031000001255000007", (string)payload["sub"]!);
        Assert.Equal("https://skills.example/api/credentials/S000031000001255000007", (string)payload["jti"]!);
        Assert.Equal(new DateTimeOffset(2025, 6, 1, 0, 0, 1, TimeSpan.Zero).ToUnixTimeSeconds(), (long)payload["nbf"]!);
        Assert.Equal(new DateTimeOffset(2027, 6, 1, 0, 0, 1, TimeSpan.Zero).ToUnixTimeSeconds(), (long)payload["exp"]!);
        Assert.Null(VcJwt.ClaimMismatch(payload));
        Assert.True(JsonNode.DeepEquals(vc, VcJwt.CredentialOf(payload)));
        payload["iss"] = "https://elsewhere.example/api/issuers/S000031000001";
        Assert.Contains("iss", VcJwt.ClaimMismatch(payload));
        Assert.Equal("https://skills.example/api/issuers/S000031000001/keys/key-1", urls.KeyId("S000031000001", "key-1"));
    }

    [Fact]
    public void Jwk_IsAnOkpEd25519Key_NamedByItsAddress()
    {
        var urls = new CredentialUrls("https://skills.example");
        var key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var set = OpenBadgeCredential.JwkSet([("S000031000001", "key-1", key)], urls);
        var jwk = set["keys"]![0]!;
        Assert.Equal("OKP", (string)jwk["kty"]!);
        Assert.Equal("Ed25519", (string)jwk["crv"]!);
        Assert.Equal(key, System.Buffers.Text.Base64Url.DecodeFromChars((string)jwk["x"]!));
        Assert.Equal("https://skills.example/api/issuers/S000031000001/keys/key-1", (string)jwk["kid"]!);
        var profile = OpenBadgeCredential.Profile("S000031000001", "Agency", "S", [("key-1", key)], urls);
        var method = profile["verificationMethod"]![0]!.AsObject();
        Assert.Equal((string)jwk["kid"]!, (string)method["id"]!);
        Assert.False(method.ContainsKey("publicKeyJwk")); // one key representation in the profile
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
        // The header as written, its + not escaped (found by an outside tester: "vc\u002Bjwt").
        var header = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(jwt.Split('.')[0]));
        Assert.StartsWith("{\"alg\":\"EdDSA\",\"typ\":\"vc+jwt\",", header);
        Assert.Null(VcJwt.TryParse("a.b", out problem));
        Assert.NotNull(problem);
    }

    [Fact]
    public void VcJwt_RefusesAKeyGivenTwice_InHeaderOrPayload()
    {
        static string Part(string json) => System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(json));
        var header = Part("{\"alg\":\"EdDSA\",\"typ\":\"vc+jwt\"}");
        var payload = Part("{\"type\":[\"VerifiableCredential\"]}");
        Assert.Null(VcJwt.TryParse($"{Part("{\"alg\":\"EdDSA\",\"alg\":\"none\"}")}.{payload}.AAAA", out var problem));
        Assert.NotNull(problem);
        Assert.Null(VcJwt.TryParse($"{header}.{Part("{\"issuer\":\"a\",\"issuer\":\"b\"}")}.AAAA", out problem));
        Assert.NotNull(problem);
    }

    /// <summary>Found by an outside tester: a part that is not base64url was answered with the runtime's own exception text.</summary>
    [Theory]
    [InlineData("a.b.c", "not base64url")]
    [InlineData("a!b.e30.AAAA", "not base64url")]
    [InlineData("bm90IGpzb24.e30.AAAA", "not JSON text")]
    public void VcJwt_ThatDoesNotDecode_IsSaidInOurWords(string jwt, string why)
    {
        Assert.Null(VcJwt.TryParse(jwt, out var problem));
        Assert.Equal($"The JWS does not decode: {(why == "not JSON text" ? "its header or payload is not JSON text." : "a part is not base64url.")}", problem);
    }
}
