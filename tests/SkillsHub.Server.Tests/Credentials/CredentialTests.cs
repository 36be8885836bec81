using Microsoft.Extensions.DependencyInjection;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SkillsHub.Domain.Credentials;
using SkillsHub.Server.Credentials;
using static SkillsHub.Server.Tests.Certification.CertificationScenario;
using static SkillsHub.Server.Tests.Credentials.CredentialTestKit;

namespace SkillsHub.Server.Tests.Credentials;

/// <summary>
/// Signed credentials, status lists, PDFs and bundles. The tests share one node with the agencies set up once;
/// each issues its own certificates to its own candidates and counts only those.
/// </summary>
[Collection(ServerCollection.Credentials)]
public sealed class CredentialTests(CredentialTests.AgenciesNode shared) : IClassFixture<CredentialTests.AgenciesNode>
{
    /// <summary>A node with lenient lookups and the certification agencies and officers.</summary>
    public sealed class AgenciesNode(PostgresFixture postgres) : NodeFixture(postgres)
    {
        protected override string[] Arguments => LenientLookups;

        protected override Task SetUpAsync() => SetUpAgenciesAsync(Node);
    }

    static int _candidates;

    /// <summary>Certificates for candidates no other test of the class uses (passports Q + offset + 1..n).</summary>
    static async Task<(long Session, List<string> Numbers, int Offset)> IssueAsync(Hosting.SkillsHubNode node, int n)
    {
        var offset = Interlocked.Add(ref _candidates, 100) - 100;
        var (session, numbers) = await IssuedAsync(node, n, offset);
        return (session, numbers, offset);
    }

    /// <summary>The certificate's access token (from its QR code); downloads need it (docs/security.md).</summary>
    static string Token(Hosting.SkillsHubNode node, string number) => node.Services.GetRequiredService<SkillsHub.Server.Certification.RegistryTokens>().For(number);

    static async Task<string> JwtOf(Hosting.SkillsHubNode node, HttpClient http, string number)
    {
        var response = await http.GetAsync($"/api/credentials/{number}?t={Token(node, number)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vc+jwt", response.Content.Headers.ContentType?.MediaType);
        AssertCachedAsTheHoldersRecord(response);
        AssertCachedAsTheHoldersRecord(await http.GetAsync($"/api/credentials/{number}?t={Token(node, number)}&format=json"));
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The holder's record as a JWT, JSON or PDF is cached as its JSON lookup is (docs/pages.md, "Transfer").</summary>
    static void AssertCachedAsTheHoldersRecord(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SkillsHub.Server.Certification.CertificateAnswer.CacheControl, response.Headers.NonValidated["Cache-Control"].ToString());
        Assert.Contains("Cookie", response.Headers.Vary);
        Assert.Contains("Authorization", response.Headers.Vary);
    }

    static async Task<VerificationResult> VerifyAsync(HttpClient http, object body)
    {
        var response = await http.PostAsJsonAsync("/api/credentials/verify", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<VerificationResult>(Json))!;
    }

    static string Outcome(VerificationResult result, string check) => result.Checks.Single(c => c.Check == check).Outcome;

    [Fact]
    public async Task Credential_SignAndVerify_RoundTrip_AndOneChangedFieldFailsTheSignature()
    {
        var node = shared.Node;
        var (_, numbers, offset) = await IssueAsync(node, 2);
        var firstPassport = $"Q{offset + 1:0000000}";
        using var anonymous = node.Client();

        var jwt = await JwtOf(node, anonymous, numbers[0]);
        Assert.Equal(jwt, await JwtOf(node, anonymous, numbers[0])); // issued once, then served as stored
        var parsed = VcJwt.TryParse(jwt, out _)!;
        Assert.Equal("vc+jwt", (string)parsed.Header["typ"]!);
        var vc = parsed.Payload;
        Assert.Contains("OpenBadgeCredential", vc["type"]!.AsArray().Select(t => (string)t!));
        Assert.Equal(numbers[0], (string)vc["credentialSubject"]!["certificateNumber"]!);
        // When the assessment ended: the session's exam day in China, not the moment of issue (found by an outside tester).
        Assert.Equal("2025-06-01T00:00:00+08:00", (string)vc["credentialSubject"]!["activityEndDate"]!);
        var masked = (string)vc["credentialSubject"]!["idNumberMasked"]!;
        Assert.True(masked.StartsWith('*') && masked.EndsWith(firstPassport[^4..]), masked);
        Assert.DoesNotContain(firstPassport, parsed.Payload.ToJsonString());

        var verified = await VerifyAsync(anonymous, new { credential = jwt });
        Assert.True(verified.Verified, string.Join("; ", verified.Checks.Select(c => $"{c.Check} {c.Outcome} {c.Detail}")));
        Assert.Equal(["format", "issuerKey", "signature", "status", "validity"], verified.Checks.Select(c => c.Check));
        Assert.Equal("valid", verified.Status);
        // As text/plain, a body is a bare JWT whatever it starts with: "{}" is a credential that fails the format check.
        Assert.Equal("failed", Outcome(await (await anonymous.PostAsync("/api/credentials/verify", new StringContent("{}", Encoding.ASCII, "text/plain")))
            .Content.ReadFromJsonAsync<VerificationResult>(Json) ?? throw new InvalidOperationException(), "format"));
        // A bare JWT string (text/plain) is accepted too.
        var plain = await anonymous.PostAsync("/api/credentials/verify", new StringContent(jwt, Encoding.ASCII, "text/plain"));
        Assert.True((await plain.Content.ReadFromJsonAsync<VerificationResult>(Json))!.Verified);
        // ... and as the credential download serves it (application/vc+jwt), so a client can pass it on unchanged.
        var passedOn = await anonymous.PostAsync("/api/credentials/verify", new StringContent(jwt, Encoding.ASCII, "application/vc+jwt"));
        Assert.True((await passedOn.Content.ReadFromJsonAsync<VerificationResult>(Json))!.Verified);

        // The issuer profile publishes the key that verifies it, as Multikey and JWK.
        var profile = JsonNode.Parse(await anonymous.GetStringAsync($"/api/issuers/{SocialAgency}"))!;
        var method = profile["verificationMethod"]![0]!;
        Assert.Equal((string)parsed.Header["kid"]!, (string)method["id"]!);
        Assert.Equal("Multikey", (string)method["type"]!);
        var jwk = JsonNode.Parse(await anonymous.GetStringAsync((string)parsed.Header["kid"]!))!; // the kid answers with the JWK
        Assert.Equal(System.Buffers.Text.Base64Url.DecodeFromChars((string)jwk["x"]!), Multikey.DecodeEd25519PublicKey((string)method["publicKeyMultibase"]!));
        Assert.True(NSec.Cryptography.SignatureAlgorithm.Ed25519.Verify(
            NSec.Cryptography.PublicKey.Import(NSec.Cryptography.SignatureAlgorithm.Ed25519, Multikey.DecodeEd25519PublicKey((string)method["publicKeyMultibase"]!), NSec.Cryptography.KeyBlobFormat.RawPublicKey),
            parsed.SigningInput, parsed.Signature));

        // A verifier revalidates the issuer's keys and profile with their ETag: 304, the endpoint's own lifetime kept.
        foreach (var path in new[] { $"/api/issuers/{SocialAgency}", $"/api/issuers/{SocialAgency}/jwks.json", (string)parsed.Header["kid"]!, "/.well-known/jwks.json", "/ns/skillshub/v1" })
        {
            var first = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            var etag = first.Headers.ETag;
            Assert.True(etag is { IsWeak: true }, path);
            Assert.True(first.Headers.CacheControl?.ToString().StartsWith("public, ") == true, $"{path}: {first.Headers.CacheControl}");
            using var again = new HttpRequestMessage(HttpMethod.Get, path);
            again.Headers.IfNoneMatch.Add(etag!);
            var revalidated = await anonymous.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
            Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync());
        }

        // One field changed, the signature kept: the signature check fails (and names itself).
        var forged = vc.DeepClone().AsObject();
        forged["credentialSubject"]!["name"] = "Someone Else";
        var parts = jwt.Split('.');
        var tampered = $"{parts[0]}.{System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(forged.ToJsonString()))}.{parts[2]}";
        var refused = await VerifyAsync(anonymous, new { credential = tampered });
        Assert.False(refused.Verified);
        Assert.Equal("passed", Outcome(refused, "issuerKey"));
        Assert.Equal("failed", Outcome(refused, "signature"));

        // Another certificate's credential under this one's signature fails as well.
        var other = (await JwtOf(node, anonymous, numbers[1])).Split('.');
        Assert.Equal("failed", Outcome(await VerifyAsync(anonymous, new { credential = $"{other[0]}.{other[1]}.{parts[2]}" }), "signature"));

        // Found by an outside tester: a body over the limit was read whole (up to 30 MB) and answered 400. Now 413 with the limit.
        using var hugeRequest = new HttpRequestMessage(HttpMethod.Post, "/api/credentials/verify") { Content = new StringContent(new string('a', 300 * 1024), Encoding.ASCII, "text/plain") };
        hugeRequest.Headers.ExpectContinue = true;
        var huge = await anonymous.SendAsync(hugeRequest);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal(CredentialsApi.MaxVerifyBytes, JsonNode.Parse(await huge.Content.ReadAsStringAsync())!["limitBytes"]!.GetValue<long>());

        // Malformed input is a 400 naming the field, or a failed format check; never a 500.
        // An empty body is a write without its body (docs/operations.md, "A write without its body"): 400 naming body.
        var empty = await anonymous.PostAsync("/api/credentials/verify", new StringContent("", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal("body", JsonNode.Parse(await empty.Content.ReadAsStringAsync())!["field"]!.GetValue<string>());
        Assert.Equal("failed", Outcome(await VerifyAsync(anonymous, new { credential = "not.a.jwt" }), "format"));
        // Found by an outside tester: {} and a number for the credential answered 200 "verified": false, and a JSON body that
        // opens with a comment was taken for a bare JWT. Each is a 400 naming credential.
        // Later: an object that is neither {"credential": ...} nor a credential document, or wrapping an object that is none,
        // was "verified": false too.
        foreach (var body in new[] { "{}", """{"credential":123}""", """{"credential":[]}""", """/*c*/{"credential":"abc.def.ghi"}""", "5", "true", "[]", "\"  \"",
            """{"other":"x"}""", """{"credential":{"a":1}}""" })
        {
            var notACredential = await anonymous.PostAsync("/api/credentials/verify", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.True(notACredential.StatusCode == HttpStatusCode.BadRequest, $"{body}: {(int)notACredential.StatusCode}");
            Assert.NotNull(JsonNode.Parse(await notACredential.Content.ReadAsStringAsync())!["errors"]?["credential"]);
        }
        // Found by an outside tester: bytes that are not UTF-8 were read as U+FFFD and checked; every body is UTF-8.
        foreach (var type in new[] { "application/json", "text/plain" })
        {
            var latin = await anonymous.PostAsync("/api/credentials/verify", new ByteArrayContent([.. "{\"credential\":\"ab"u8.ToArray(), 0xFF, 0xFE, .. "\"}"u8.ToArray()])
            { Headers = { ContentType = new(type) } });
            Assert.True(latin.StatusCode == HttpStatusCode.BadRequest, $"{type}: {(int)latin.StatusCode}");
            Assert.Equal("credential", (string?)JsonNode.Parse(await latin.Content.ReadAsStringAsync())!["field"]);
        }
        // Found by an outside tester: half a surrogate pair escaped in the JSON was a 500.
        foreach (var body in new[] { """{"credential":"\ud800x"}""", "\"\\ud800.x.y\"", """{"credential":"a.\udc00.c"}""" })
        {
            var lone = await anonymous.PostAsync("/api/credentials/verify", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.True(lone.StatusCode == HttpStatusCode.BadRequest, $"{body}: {(int)lone.StatusCode} {await lone.Content.ReadAsStringAsync()}");
            Assert.Equal("credential", (string?)JsonNode.Parse(await lone.Content.ReadAsStringAsync())!["field"]);
        }
        // A key given twice: in the body, a 400 naming the field; inside the JWT, a failed format check.
        var twice = await anonymous.PostAsync("/api/credentials/verify", new StringContent($"{{\"credential\":\"{jwt}\",\"credential\":\"b\"}}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        Assert.NotNull(JsonNode.Parse(await twice.Content.ReadAsStringAsync())!["errors"]?["credential"]);
        var doubled = forged.ToJsonString().Insert(1, "\"issuer\":\"https://elsewhere.example\",");
        var duplicateClaim = $"{parts[0]}.{System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(doubled))}.{parts[2]}";
        Assert.Equal("failed", Outcome(await VerifyAsync(anonymous, new { credential = duplicateClaim }), "format"));
        // A credential with an embedded proof is told why it is not checked, whole or wrapped (an outside tester: wrapped,
        // it got the generic line).
        var embedded = new { type = "VerifiableCredential", proof = new { cryptosuite = "eddsa-rdfc-2022" } };
        foreach (var body in new object[] { embedded, new { credential = embedded } })
        {
            var format = (await VerifyAsync(anonymous, body)).Checks.Single(c => c.Check == "format");
            Assert.Equal("failed", format.Outcome);
            Assert.StartsWith("Embedded proofs (eddsa-rdfc-2022) are not verified here", format.Detail);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/credentials/S000031000001995999999?t=AAAAAAAAAAAAAAAAAAAAAA")).StatusCode);

        // The private key is stored encrypted: the raw key bytes appear nowhere in the table.
        Assert.Equal(1L, await ScalarAsync(node, "select count(*) from skillshub.agency_keys where length(private_key) = 12 + 32 + 16"));
    }

    [Fact]
    public async Task Revoking_FlipsTheRightBit_SuspensionIsReversible_RevocationIsNot()
    {
        var node = shared.Node;
        var (_, numbers, _) = await IssueAsync(node, 3);
        using var anonymous = node.Client();
        using var officer = await SignInAsync(node, "officer-s", "officer-password-1");
        using var otherOfficer = await SignInAsync(node, "officer-other", "officer-password-3");
        var jwts = new List<string>();
        foreach (var number in numbers)
        {
            jwts.Add(await JwtOf(node, anonymous, number));
        }
        int IndexOf(string jwt) => int.Parse((string)VcJwt.TryParse(jwt, out _)!.Payload["credentialStatus"]![0]!["statusListIndex"]!);
        var indices = jwts.Select(IndexOf).ToList();
        Assert.Equal(3, indices.Distinct().Count());
        // Drawn at random within the list, not given in issuing order: with the list public, one holder's own index would
        // otherwise tell every other certificate number's status (found by an outside tester). Three draws of 131,072
        // falling one after another in order has a chance of about one in 10^10.
        Assert.All(indices, i => Assert.InRange(i, 0, BitstringStatusList.MinimumEntries - 1));
        Assert.False(indices[1] == indices[0] + 1 && indices[2] == indices[1] + 1, $"indices in issuing order: {string.Join(", ", indices)}");

        async Task<string> EncodedList(string purpose)
        {
            var list = VcJwt.TryParse(await anonymous.GetStringAsync($"/api/status-lists/{SocialAgency}/{purpose}"), out _)!.Payload; // always signed
            Assert.Equal("BitstringStatusList", (string)list["credentialSubject"]!["type"]!);
            Assert.Equal(purpose, (string)list["credentialSubject"]!["statusPurpose"]!);
            return (string)list["credentialSubject"]!["encodedList"]!;
        }
        Assert.All(indices, i => Assert.False(BitAt(EncodedList("revocation").Result, i)));
        // A status list is signed by the agency too, but it is no certificate: the verifier refuses it at the format check
        // and names no status (found by an outside tester: it said "revoked" while nothing was).
        var listAsCredential = await VerifyAsync(anonymous, await anonymous.GetStringAsync($"/api/status-lists/{SocialAgency}/suspension"));
        Assert.False(listAsCredential.Verified);
        Assert.Equal("failed", Outcome(listAsCredential, "format"));
        Assert.Null(listAsCredential.Status);

        // Only the issuing agency's officer may revoke: another agency's officer sees 404, anonymous 401; a reason is required.
        var target = numbers[1];
        Assert.Equal(HttpStatusCode.NotFound, (await otherOfficer.PostAsJsonAsync($"/api/agency/certificates/{target}/revoke", new { reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync($"/api/agency/certificates/{target}/revoke", new { reason = "x" })).StatusCode);
        var noReason = await officer.PostAsJsonAsync($"/api/agency/certificates/{target}/revoke", new { reason = "" });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("reason", await noReason.Content.ReadAsStringAsync());
        // No body at all names the body, as every other endpoint does (found by an outside tester: it named reason).
        foreach (var content in new HttpContent?[] { null, new StringContent("", Encoding.UTF8, "application/json") })
        {
            var noBody = await officer.PostAsync($"/api/agency/certificates/{target}/suspend", content);
            Assert.Equal(HttpStatusCode.BadRequest, noBody.StatusCode);
            Assert.True((await noBody.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("body", out _));
        }

        // Past 500 characters, one answer whatever the length: 422 naming reason (found by an outside tester: 501 to 4,000
        // characters got 400, more 422). Nothing changes.
        foreach (var length in new[] { 501, 4_000, 5_000 })
        {
            var tooLong = await officer.PostAsJsonAsync($"/api/agency/certificates/{target}/revoke", new { reason = new string('r', length) });
            Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLong.StatusCode);
            Assert.True((await tooLong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("reason", out _));
        }
        // The PDF, drawn (and cached) while the certificate is valid, carries no status.
        async Task<string> PdfTextOf(string number)
        {
            var bytes = await anonymous.GetByteArrayAsync($"/api/certificates/{number}/pdf?t={Token(node, number)}");
            var path = Path.Combine(Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts", "credentials")).FullName, $"{number}-{Guid.NewGuid():N}.pdf");
            await File.WriteAllBytesAsync(path, bytes);
            return PdfText(path);
        }
        var validPdf = await PdfTextOf(target);
        Assert.DoesNotContain("REVOKED", validPdf);
        Assert.Contains("同等效力", validPdf.Replace("\n", "", StringComparison.Ordinal));
        var revoked = await officer.PostAsJsonAsync($"/api/agency/certificates/{target}/revoke", new { reason = "\uFEFF Exam misconduct found on review\uFEFF" });
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        // Once revoked, it says so with the reason: it is drawn again (found by an outside tester: a revoked certificate's PDF
        // still downloaded clean, saying the electronic certificate has the same force as the paper one).
        var revokedPdf = await PdfTextOf(target);
        Assert.Contains("已撤销 REVOKED", revokedPdf);
        Assert.Contains("Exam misconduct found on review", revokedPdf);
        // Nor does it claim the paper certificate's force any more (found by an outside tester).
        Assert.DoesNotContain("同等效力", revokedPdf.Replace("\n", "", StringComparison.Ordinal));
        Assert.Contains("本证书已撤销，不再有效", revokedPdf.Replace("\n", "", StringComparison.Ordinal));
        var revocation = await EncodedList("revocation");
        Assert.True(BitAt(revocation, indices[1]));
        Assert.False(BitAt(revocation, indices[0]));
        Assert.False(BitAt(revocation, indices[2]));
        Assert.False(BitAt(await EncodedList("suspension"), indices[1]));
        var check = await VerifyAsync(anonymous, jwts[1]);
        Assert.False(check.Verified);
        Assert.Equal("passed", Outcome(check, "signature"));
        Assert.Equal("failed", Outcome(check, "status"));
        Assert.Contains("Exam misconduct", check.Checks.Single(c => c.Check == "status").Detail);
        Assert.Equal("revoked", check.Status);
        Assert.True((await VerifyAsync(anonymous, jwts[0])).Verified);
        var lookup = JsonNode.Parse(await anonymous.GetStringAsync($"/api/certificates/{target}?t={Token(node, target)}"))!;
        Assert.Equal("revoked", (string)lookup["status"]!);
        // A byte-order mark at either end is trimmed with the spaces, as in every text (found by an outside tester).
        Assert.Equal("Exam misconduct found on review", (string)lookup["statusReason"]!);

        // Revocation is final: no suspension, no reinstatement, no second revocation.
        foreach (var action in new[] { "reinstate", "suspend", "revoke" })
        {
            var refused = await officer.PostAsJsonAsync($"/api/agency/certificates/{target}/{action}", new { reason = "try" });
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        }
        Assert.True(BitAt(await EncodedList("revocation"), indices[1]));

        // Suspension is reversible.
        var suspended = numbers[2];
        // A reason takes line breaks, not tabs (found by an outside tester: a tab was stored): 422 naming it, nothing changed.
        var tabbed = await officer.PostAsJsonAsync($"/api/agency/certificates/{suspended}/suspend", new { reason = "Under\tinvestigation" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tabbed.StatusCode);
        Assert.True((await tabbed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("reason", out _));
        Assert.Equal(HttpStatusCode.OK, (await officer.PostAsJsonAsync($"/api/agency/certificates/{suspended}/suspend", new { reason = "Under investigation\r\nby the board" })).StatusCode);
        // A reason's line breaks are kept as LF, as a file's are (found by an outside tester: CRLF was stored as sent).
        Assert.Equal("Under investigation\nby the board", await TextAsync(node, "select status_reason from skillshub.certificates where number = @suspended", new { suspended }));
        Assert.Contains("已暂停 SUSPENDED", await PdfTextOf(suspended));
        Assert.True(BitAt(await EncodedList("suspension"), indices[2]));
        Assert.False(BitAt(await EncodedList("revocation"), indices[2]));
        var whileSuspended = await VerifyAsync(anonymous, jwts[2]);
        Assert.Equal("suspended", whileSuspended.Status);
        Assert.Contains("Under investigation", whileSuspended.Checks.Single(c => c.Check == "status").Detail);
        Assert.Equal(HttpStatusCode.OK, (await officer.PostAsJsonAsync($"/api/agency/certificates/{suspended}/reinstate", new { reason = "Cleared" })).StatusCode);
        Assert.DoesNotContain("SUSPENDED", await PdfTextOf(suspended));
        Assert.False(BitAt(await EncodedList("suspension"), indices[2]));
        Assert.True((await VerifyAsync(anonymous, jwts[2])).Verified);
        Assert.Equal(HttpStatusCode.Conflict, (await officer.PostAsJsonAsync($"/api/agency/certificates/{suspended}/reinstate", new { reason = "again" })).StatusCode);
        Assert.Equal(3L, await ScalarAsync(node, "select count(*) from skillshub.certificate_status_events where number = any(@numbers)", new { numbers = numbers.ToArray() }));

        // The list is signed whatever the Accept header asks for, and verifies with the agency's key.
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/status-lists/{SocialAgency}/revocation");
        request.Headers.Accept.ParseAdd("application/json");
        var listResponse = await anonymous.SendAsync(request);
        Assert.Equal("application/vc+jwt", listResponse.Content.Headers.ContentType?.MediaType);
        var signedList = VcJwt.TryParse(await listResponse.Content.ReadAsStringAsync(), out _)!;
        Assert.True(BitAt((string)signedList.Payload["credentialSubject"]!["encodedList"]!, indices[1]));
        var listKey = JsonNode.Parse(await anonymous.GetStringAsync((string)signedList.Header["kid"]!))!;
        Assert.True(AgencyKeys.Verify(System.Buffers.Text.Base64Url.DecodeFromChars((string)listKey["x"]!), signedList.SigningInput, signedList.Signature));
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/status-lists/{SocialAgency}/other")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/status-lists/S999999999999/revocation")).StatusCode);
    }

    /// <summary>
    /// A status list is valid from the lists' last change, not from the request, so it is the same bytes until a status
    /// changes and revalidates with its ETag (found by an outside tester: re-signed with a new validFrom on every request,
    /// with no ETag, a verifier could never tell an unchanged list).
    /// </summary>
    [Fact]
    public async Task AStatusList_ReadsTheSameUntilAStatusChanges_AndRevalidatesWithItsETag()
    {
        var node = shared.Node;
        var (_, numbers, _) = await IssueAsync(node, 1);
        using var anonymous = node.Client();
        using var officer = await SignInAsync(node, "officer-s", "officer-password-1");
        // The agency's lists last changed a day ago: a list made from the clock would say now.
        await ScalarAsync(node, """
            update skillshub.credentials set issued_at = issued_at - interval '1 day' where agency_key = @agency;
            update skillshub.certificates set status_changed_at = status_changed_at - interval '1 day' where agency_key = @agency and status_changed_at is not null;
            select 0
            """, new { agency = SocialAgency });
        var path = $"/api/status-lists/{SocialAgency}/suspension";
        var first = await anonymous.GetAsync(path);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        var body = await first.Content.ReadAsStringAsync();
        Assert.Equal(body, await anonymous.GetStringAsync(path));
        using (var conditional = new HttpRequestMessage(HttpMethod.Get, path))
        {
            conditional.Headers.IfNoneMatch.Add(etag);
            Assert.Equal(HttpStatusCode.NotModified, (await anonymous.SendAsync(conditional)).StatusCode);
        }
        var payload = VcJwt.TryParse(body, out _)!.Payload;
        var validFrom = DateTimeOffset.Parse((string)payload["validFrom"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(validFrom < DateTimeOffset.UtcNow.AddHours(-12), $"validFrom {validFrom:O} is not the lists' last change");
        Assert.Equal(validFrom.ToUnixTimeSeconds(), (long)payload["nbf"]!);

        Assert.Equal(HttpStatusCode.OK, (await officer.PostAsJsonAsync($"/api/agency/certificates/{numbers[0]}/suspend", new { reason = "Under review" })).StatusCode);
        using var stale = new HttpRequestMessage(HttpMethod.Get, path);
        stale.Headers.IfNoneMatch.Add(etag);
        var changed = await anonymous.SendAsync(stale);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var after = VcJwt.TryParse(await changed.Content.ReadAsStringAsync(), out _)!.Payload;
        Assert.True(DateTimeOffset.Parse((string)after["validFrom"]!, System.Globalization.CultureInfo.InvariantCulture) > validFrom.AddHours(12), "validFrom did not follow the change");
        Assert.NotEqual((string)payload["credentialSubject"]!["encodedList"]!, (string)after["credentialSubject"]!["encodedList"]!);
    }

    [Fact]
    public async Task Expiry_FromTheOccupation_IsInTheCredential_AndVerificationReportsIt()
    {
        var node = shared.Node;
        // The welder's validity changes for this test only (credentials read it when first served): it is put
        // back for the other tests of the class at the end.
        var validity = await ScalarAsync(node, $"select coalesce(certificate_validity_years, 0) from skillshub.occupations where code = '{Welder}'");
        // A certificate issued before the change keeps the validity it was issued with (docs/certification.md, "Certificates
        // keep what they said"; found by an outside tester: one issued with no expiry took the occupation's new validity).
        var (_, earlier, _) = await IssueAsync(node, 1);
        using var reader = node.Client();
        var earlierView = JsonNode.Parse(await reader.GetStringAsync($"/api/certificates/{earlier[0]}?t={Token(node, earlier[0])}"))!;
        await ScalarAsync(node, $"update skillshub.occupations set certificate_validity_years = 2 where code = '{Welder}'");
        try
        {
            var earlierNow = JsonNode.Parse(await reader.GetStringAsync($"/api/certificates/{earlier[0]}?t={Token(node, earlier[0])}"))!;
            Assert.Equal(earlierView["validUntil"]?.ToJsonString(), earlierNow["validUntil"]?.ToJsonString());
            Assert.Equal(earlierView["validUntil"] is null, VcJwt.TryParse(await JwtOf(node, reader, earlier[0]), out _)!.Payload["exp"] is null);

            var (session, numbers, _) = await IssueAsync(node, 2);
            await ScalarAsync(node, $"update skillshub.certificates set issued_on = '2020-03-01', issued_at = '2020-02-29T17:45:10Z' where number = '{numbers[0]}'");
            using var anonymous = node.Client();

            // validFrom is the instant of issue (01:45 on 1 March in China). The last day is 1 March 2022, and validUntil
            // is its end in China, when the registry says "expired" too (00:00 UTC+8 on 2 March); exp says the same.
            var jwt = await JwtOf(node, anonymous, numbers[0]);
            var payload = VcJwt.TryParse(jwt, out _)!.Payload;
            Assert.Equal("2020-02-29T17:45:10Z", (string)payload["validFrom"]!);
            Assert.Equal("2022-03-01", (string)JsonNode.Parse(await anonymous.GetStringAsync($"/api/certificates/{numbers[0]}?t={Token(node, numbers[0])}"))!["validUntil"]!);
            Assert.Equal("2022-03-01T16:00:00Z", (string)payload["validUntil"]!);
            Assert.Equal(new DateTimeOffset(2022, 3, 1, 16, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), (long)payload["exp"]!);
            var result = await VerifyAsync(anonymous, jwt);
            Assert.Equal("failed", Outcome(result, "validity"));
            // The last day as the registry shows it, in China: 1 March, not the UTC day its end falls on.
            Assert.Equal("Expired: valid until 2022-03-01 (China time).", result.Checks.Single(c => c.Check == "validity").Detail);
            Assert.Equal("passed", Outcome(result, "signature"));
            Assert.Equal("expired", result.Status);
            Assert.Equal("expired", (string)JsonNode.Parse(await anonymous.GetStringAsync($"/api/certificates/{numbers[0]}?t={Token(node, numbers[0])}"))!["status"]!);
            Assert.True((await VerifyAsync(anonymous, await JwtOf(node, anonymous, numbers[1]))).Verified);
            // The officer's decisions say so too (an outside tester: they said "valid" while the registry said "expired").
            var decisions = await node.Services.GetRequiredService<SkillsHub.Server.Certification.CertificationStore>().DecisionsAsync(session, 0, 500, true, default);
            Assert.Equal("expired", decisions.Single(d => d.CertificateNumber == numbers[0]).CertificateStatus);
            Assert.Equal("valid", decisions.Single(d => d.CertificateNumber == numbers[1]).CertificateStatus);
        }
        finally
        {
            await ScalarAsync(node, $"update skillshub.occupations set certificate_validity_years = nullif(@validity, 0)::smallint where code = '{Welder}'", new { validity = (int)validity });
        }
    }

    /// <summary>
    /// A PDF drawn before a status change or a new photo is not cached after it (found by an outside tester: a certificate
    /// revoked while its first PDF was drawn kept that clean PDF for good). The race is played in order: the source read
    /// for the drawing, the change, then the drawn PDF offered to the cache.
    /// </summary>
    [Fact]
    public async Task APdfDrawnBeforeAChange_IsNotCachedAfterIt()
    {
        var node = shared.Node;
        var (_, numbers, _) = await IssueAsync(node, 2);
        using var officer = await SignInAsync(node, "officer-s", "officer-password-1");
        var files = node.Services.GetRequiredService<CredentialFileStore>();
        var baseUrl = node.BaseAddress.ToString().TrimEnd('/');
        byte[] drawn = [1, 2, 3];

        var beforeRevocation = (await files.PdfSourceAsync(numbers[0], CancellationToken.None))!;
        (await officer.PostAsJsonAsync($"/api/agency/certificates/{numbers[0]}/revoke", new { reason = "Revoked while its PDF was drawn" })).EnsureSuccessStatusCode();
        await files.CachePdfAsync(numbers[0], baseUrl, drawn, beforeRevocation, CancellationToken.None);
        Assert.Null(await files.CachedPdfAsync(numbers[0], baseUrl, CancellationToken.None));

        var beforePhoto = (await files.PdfSourceAsync(numbers[1], CancellationToken.None))!;
        var upload = new ByteArrayContent(PortraitPng());
        upload.Headers.ContentType = new("image/png");
        Assert.Equal(HttpStatusCode.NoContent, (await officer.PutAsync($"/api/agency/certificates/{numbers[1]}/photo", upload)).StatusCode);
        await files.CachePdfAsync(numbers[1], baseUrl, drawn, beforePhoto, CancellationToken.None);
        Assert.Null(await files.CachedPdfAsync(numbers[1], baseUrl, CancellationToken.None));

        // Drawn from what the certificate still is, it is cached; the PDF served then says REVOKED.
        var now = (await files.PdfSourceAsync(numbers[0], CancellationToken.None))!;
        Assert.Equal("revoked", now.Status);
        await files.CachePdfAsync(numbers[0], baseUrl, drawn, now, CancellationToken.None);
        Assert.Equal(drawn, await files.CachedPdfAsync(numbers[0], baseUrl, CancellationToken.None));
    }

    [Fact]
    public async Task Pdf_ShowsTheNumber_AndItsQrCodeOpensTheVerifyPage()
    {
        var node = shared.Node;
        var (_, numbers, offset) = await IssueAsync(node, 1);
        var passport = $"Q{offset + 1:0000000}";
        using var anonymous = node.Client();
        using var officer = await SignInAsync(node, "officer-s", "officer-password-1");

        // A photo from the agency (a small PNG), printed on the certificate.
        var photo = PortraitPng();
        var upload = new ByteArrayContent(photo);
        upload.Headers.ContentType = new("image/png");
        Assert.Equal(HttpStatusCode.NoContent, (await officer.PutAsync($"/api/agency/certificates/{numbers[0]}/photo", upload)).StatusCode);
        var notImage = new StringContent("hello", Encoding.UTF8, "text/plain");
        // Not a type the photo takes (PNG, JPEG, or a form): 415 at once; an image/png that is not one: 400.
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await officer.PutAsync($"/api/agency/certificates/{numbers[0]}/photo", notImage)).StatusCode);
        var fakePng = new StringContent("hello", Encoding.UTF8, "image/png");
        Assert.Equal(HttpStatusCode.BadRequest, (await officer.PutAsync($"/api/agency/certificates/{numbers[0]}/photo", fakePng)).StatusCode);
        // Over 2 MB: 413 with the photo's limit, however far over (found by an outside tester: 400 up to 64 MB, then 413 saying 64 MB).
        foreach (var size in new[] { SkillsHub.Domain.Credentials.HolderPhoto.MaxBytes + 1, 3 * 1024 * 1024 })
        {
            var large = new ByteArrayContent(new byte[size]);
            large.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
            // Expect: 100-continue, as a careful client sends: the 413 comes before the body is uploaded. Without it the
            // server answered and closed while the client was still writing, and the client saw a broken pipe now and then.
            using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/agency/certificates/{numbers[0]}/photo") { Content = large };
            request.Headers.ExpectContinue = true;
            var refused = await officer.SendAsync(request);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
            Assert.Contains("\"limitBytes\"", await refused.Content.ReadAsStringAsync());
        }

        // Without the access token the PDF (full name, photo) is not served, with the record's 400 naming t for an issued
        // number as for a free one; with a wrong token, 404; with it, it is.
        var tokenless = await anonymous.GetAsync($"/api/certificates/{numbers[0]}/pdf");
        Assert.Equal(HttpStatusCode.BadRequest, tokenless.StatusCode);
        var tokenlessBody = await tokenless.Content.ReadAsStringAsync();
        Assert.Contains("\"t\"", tokenlessBody);
        var free = await anonymous.GetAsync("/api/certificates/S000031000001995999999/pdf");
        Assert.Equal(HttpStatusCode.BadRequest, free.StatusCode);
        Assert.Equal(Without(tokenlessBody, "traceId"), Without(await free.Content.ReadAsStringAsync(), "traceId"));
        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.GetAsync($"/api/credentials/{numbers[0]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/certificates/{numbers[0]}/pdf?t=wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/credentials/{numbers[0]}?t=wrong")).StatusCode);
        var response = await anonymous.GetAsync($"/api/certificates/{numbers[0]}/pdf?t={Token(node, numbers[0])}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        AssertCachedAsTheHoldersRecord(response);
        var pdf = await response.Content.ReadAsByteArrayAsync();
        var directory = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts", "credentials")).FullName;
        var path = Path.Combine(directory, $"{numbers[0]}.pdf");
        await File.WriteAllBytesAsync(path, pdf);

        var text = PdfText(path);
        Assert.Contains(numbers[0], text);
        Assert.Contains("职业技能等级证书", text);
        Assert.Contains("****" + passport[^4..], text.Replace(" ", ""));
        Assert.DoesNotContain(passport, text);
        Assert.Equal($"{node.BaseAddress.ToString().TrimEnd('/')}/verify/{numbers[0]}?t={Token(node, numbers[0])}", DecodeQr(path));

        // Cached: the second request serves the same bytes without rendering.
        Assert.Equal(pdf, await anonymous.GetByteArrayAsync($"/api/certificates/{numbers[0]}/pdf?t={Token(node, numbers[0])}"));
        Assert.Equal(1L, await ScalarAsync(node, "select count(*) from skillshub.certificate_pdfs where number = @number", new { number = numbers[0] }));
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/certificates/S000031000001995999999/pdf?t=wrong")).StatusCode);
    }

    static string Without(string json, string property)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        node.Remove(property);
        return node.ToJsonString();
    }

    /// <summary>
    /// A photo too large to print is refused from its header, before anything decodes it (found by an outside tester:
    /// a 1.1 MB PNG of 20000 × 20000 zeros decoded for 47 s and was stored); the stored photo stays as it was.
    /// </summary>
    [Fact]
    public async Task Photo_OverThePixelLimits_IsRefusedFromItsHeader_AndTheStoredPhotoStays()
    {
        var node = shared.Node;
        var (_, numbers, _) = await IssueAsync(node, 1);
        using var officer = await SignInAsync(node, "officer-s", "officer-password-1");
        var path = $"/api/agency/certificates/{numbers[0]}/photo";
        static ByteArrayContent Image(byte[] bytes, string type) => new(bytes) { Headers = { ContentType = new(type) } };
        var portrait = PortraitPng();
        Assert.Equal(HttpStatusCode.NoContent, (await officer.PutAsync(path, Image(portrait, "image/png"))).StatusCode);
        async Task<byte[]> StoredAsync()
        {
            await using var connection = await node.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().OpenConnectionAsync();
            await using var command = new Npgsql.NpgsqlCommand("select content from skillshub.certificate_photos where number = $1", connection);
            command.Parameters.AddWithValue(numbers[0]);
            return (byte[])(await command.ExecuteScalarAsync())!;
        }
        Assert.Equal(portrait, await StoredAsync());

        // 36 million pixels in 100 KB (PDFsharp takes seconds to decode it), 4097 pixels on a side, and a JPEG whose
        // frame header claims 30000 × 30000 (PDFsharp never decodes a JPEG: it would go into the PDF as it is).
        var huge = BlackPng(6000, 6000);
        Assert.True(huge.Length < 200_000, $"{huge.Length} bytes");
        foreach (var (bytes, type, size) in new[] { (huge, "image/png", "6000 × 6000"), (BlackPng(4097, 2), "image/png", "4097 × 2"), (JpegOfSize(30000, 30000), "image/jpeg", "30000 × 30000") })
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var refused = await officer.PutAsync(path, Image(bytes, type));
            clock.Stop();
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var file = (string?)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["errors"]?["file"]?[0];
            Assert.Contains($"{size} pixels", file);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"{size}: answered in {clock.Elapsed}");
        }
        Assert.Equal(portrait, await StoredAsync());
        // A valid PNG the PDF library cannot place (16-bit or 1-bit greyscale) is refused saying so and what to send
        // instead (found by an outside tester: it was told the file was not a PNG of at most 2 MB).
        foreach (var (depth, layout, rowBytes) in new (byte, string, int)[] { (16, "16-bit greyscale", 1 + 200), (1, "1-bit greyscale", 1 + 13) })
        {
            var grey = CredentialTestKit.Png(100, 130, System.IO.Compression.CompressionLevel.Optimal, rows => rows.Write(new byte[130 * rowBytes]), depth, colour: 0);
            var refused = await officer.PutAsync(path, Image(grey, "image/png"));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var file = (string?)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["errors"]?["file"]?[0];
            Assert.Contains($"its pixels are {layout}", file);
            Assert.Contains("8-bit PNG or as a JPEG", file);
        }
        Assert.Equal(portrait, await StoredAsync());
        // 100 × 130 pixels whose image data runs on past its rows (here 64 MiB of zeros, in about 64 KB): refused as not a
        // photo, without being inflated further (found by an outside tester: 2,000 MiB in a 2 MB file took 6 GB to decode).
        var padded = CredentialTestKit.Png(100, 130, System.IO.Compression.CompressionLevel.SmallestSize, rows =>
        {
            rows.Write(new byte[130 * 301]);
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 64; i++)
            {
                rows.Write(zeros);
            }
        });
        var paddedAnswer = await officer.PutAsync(path, Image(padded, "image/png"));
        Assert.Equal(HttpStatusCode.BadRequest, paddedAnswer.StatusCode);
        Assert.Equal(HolderPhoto.NotAPhoto, (string?)JsonNode.Parse(await paddedAnswer.Content.ReadAsStringAsync())!["errors"]?["file"]?[0]);
        Assert.Equal(portrait, await StoredAsync());
        // Within the limits, a JPEG is taken as it is.
        var jpeg = JpegOfSize(600, 800);
        Assert.Equal(HttpStatusCode.NoContent, (await officer.PutAsync(path, Image(jpeg, "image/jpeg"))).StatusCode);
        Assert.Equal(jpeg, await StoredAsync());
    }

    [Fact]
    public async Task Bundle_ZipsEveryCertificatesPdfAndCredential_WithProgress()
    {
        var node = shared.Node;
        var (session, numbers, _) = await IssueAsync(node, 6);
        using var officer = await SignInAsync(node, "officer-s", "officer-password-1");
        using var otherOfficer = await SignInAsync(node, "officer-other", "officer-password-3");
        var notTheirs = await otherOfficer.PostAsync($"/api/agency/sessions/{session}/bundle", null);
        Assert.True(notTheirs.StatusCode == HttpStatusCode.NotFound, $"{notTheirs.StatusCode}: {await notTheirs.Content.ReadAsStringAsync()}");

        var started = await officer.PostAsync($"/api/agency/sessions/{session}/bundle", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var bundle = (await started.Content.ReadFromJsonAsync<BundleView>(Json))!;
        Assert.Equal(6, bundle.Total);
        Assert.Equal(HttpStatusCode.NotFound, (await otherOfficer.GetAsync($"/api/agency/bundles/{bundle.Id}")).StatusCode);
        Assert.True(await TestNode.EventuallyAsync(async () =>
        {
            bundle = (await officer.GetFromJsonAsync<BundleView>($"/api/agency/bundles/{bundle.Id}", Json))!;
            return bundle.Status is "succeeded" or "failed";
        }, TimeSpan.FromSeconds(90)), "the bundle job did not finish");
        Assert.Equal("succeeded", bundle.Status);
        Assert.Null(bundle.Code);
        Assert.Equal(6, bundle.Processed);

        using var download = await officer.GetAsync(bundle.Download);
        var zipBytes = await download.Content.ReadAsByteArrayAsync();
        Assert.Equal(bundle.SizeBytes, zipBytes.Length);
        Assert.Equal(bundle.SizeBytes, download.Content.Headers.ContentLength);
        using var zip = new ZipArchive(new MemoryStream(zipBytes));
        Assert.Equal(18, zip.Entries.Count);
        using var anonymous = node.Client();
        foreach (var number in numbers)
        {
            Assert.NotNull(zip.GetEntry($"{number}/{number}.pdf"));
            using var reader = new StreamReader(zip.GetEntry($"{number}/{number}.vc.jwt")!.Open());
            var result = await VerifyAsync(anonymous, await reader.ReadToEndAsync());
            Assert.True(result.Verified);
            Assert.Equal(number, result.CertificateNumber);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await otherOfficer.GetAsync($"/api/agency/bundles/{bundle.Id}/download")).StatusCode);

        // One of its certificates revoked afterwards: the bundle holds that certificate drawn clean, so it is no longer handed
        // out; its progress says why, and the download is a 409 naming the certificate (found by an outside tester: it still
        // downloaded, the revoked certificate's PDF "with the same force as the paper one").
        Assert.Equal(HttpStatusCode.OK, (await officer.PostAsJsonAsync($"/api/agency/certificates/{numbers[3]}/revoke", new { reason = "Found on review" })).StatusCode);
        var outdated = (await officer.GetFromJsonAsync<BundleView>($"/api/agency/bundles/{bundle.Id}", Json))!;
        Assert.Equal(("succeeded", (string?)null, CredentialFileStore.OutdatedCode), (outdated.Status, outdated.Download, outdated.Code));
        Assert.Contains($"Certificate {numbers[3]} was revoked after this bundle was built", outdated.Message);
        using var refused = await officer.GetAsync($"/api/agency/bundles/{bundle.Id}/download");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal(("Outdated bundle", "id"), ((string?)problem["title"], (string?)problem["field"]));
        Assert.Contains(numbers[3], (string?)problem["detail"]);
    }
}
