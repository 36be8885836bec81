using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static SkillsHub.Server.Tests.Certification.CertificationScenario;
using static SkillsHub.Server.Tests.Credentials.CredentialTestKit;

namespace SkillsHub.Server.Tests.Credentials;

/// <summary>The registry's lookup cache (docs/security.md, "What is public") never hides a status change for long.</summary>
[Collection(ServerCollection.Credentials)]
public sealed class LookupCacheTests(PostgresFixture postgres)
{
    /// <summary>The status the registry answers the certificate's QR link with (every node derives the same token).</summary>
    static async Task<string> StatusAsync(Hosting.SkillsHubNode node, HttpClient client, string number) =>
        (string)JsonNode.Parse(await client.GetStringAsync($"/api/certificates/{number}?t={Token(node, number)}"))!["status"]!;

    [Fact]
    public async Task ARevocation_IsSeenAtOnceOnItsNode_AndWithinTheNextPollOnAnother()
    {
        var db = await postgres.NewDatabaseAsync();
        await using var a = await TestNode.StartAsync(db, LenientLookups);
        await using var b = await TestNode.StartAsync(db, LenientLookups);
        await SetUpAgenciesAsync(a);
        var (_, numbers) = await IssuedAsync(a, 2);
        using var onA = a.Client();
        using var onB = b.Client();
        // Both nodes have the certificates cached as valid.
        foreach (var number in numbers)
        {
            Assert.Equal("valid", await StatusAsync(a, onA, number));
            Assert.Equal("valid", await StatusAsync(a, onB, number));
        }

        using var officer = await SignInAsync(a, "officer-s", "officer-password-1");
        Assert.True((await officer.PostAsJsonAsync($"/api/agency/certificates/{numbers[0]}/revoke", new { reason = "Exam misconduct" })).IsSuccessStatusCode);
        Assert.Equal("revoked", await StatusAsync(a, onA, numbers[0]));

        // Node B polls the recent status changes once a second (Certification:Lookup:InvalidationMilliseconds).
        var clock = Stopwatch.StartNew();
        while (await StatusAsync(a, onB, numbers[0]) != "revoked")
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "Node B still answers the revoked certificate as valid after 5 s.");
            await Task.Delay(100);
        }
        // The other certificate is untouched, on both nodes.
        Assert.Equal("valid", await StatusAsync(a, onA, numbers[1]));
        Assert.Equal("valid", await StatusAsync(a, onB, numbers[1]));
    }

    [Fact]
    public async Task AnAnswer_CarriesItsETag_ARepeatGets304_AndARevocationChangesIt()
    {
        await using var node = await TestNode.StartAsync(await postgres.NewDatabaseAsync(), LenientLookups);
        await SetUpAgenciesAsync(node);
        var (_, numbers) = await IssuedAsync(node, 1);
        using var anonymous = node.Client();
        var path = $"/api/certificates/{numbers[0]}?t={Token(node, numbers[0])}";
        var first = await anonymous.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        // Revalidated at every read, so a revocation shows at once (found by an outside tester: max-age=30 kept it valid).
        Assert.True(first.Headers.CacheControl is { Private: true, NoCache: true, MaxAge: null }, first.Headers.CacheControl?.ToString());
        var etag = first.Headers.ETag!;
        Assert.True(etag.IsWeak);
        Assert.Equal("valid", (string)JsonNode.Parse(await first.Content.ReadAsStringAsync())!["status"]!);

        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.IfNoneMatch.Add(etag);
        var notModified = await anonymous.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        using var officer = await SignInAsync(node, "officer-s", "officer-password-1");
        Assert.True((await officer.PostAsJsonAsync($"/api/agency/certificates/{numbers[0]}/revoke", new { reason = "Exam misconduct" })).IsSuccessStatusCode);
        using var afterRevoke = new HttpRequestMessage(HttpMethod.Get, path);
        afterRevoke.Headers.IfNoneMatch.Add(etag);
        var changed = await anonymous.SendAsync(afterRevoke);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("revoked", (string)JsonNode.Parse(await changed.Content.ReadAsStringAsync())!["status"]!);
    }
}
