using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SkillsHub.Server.Hosting;
using SkillsHub.Server.Platform;
using SkillsHub.Server.Security;
using static SkillsHub.Server.Tests.Certification.CertificationScenario;
using static SkillsHub.Server.Tests.Credentials.CredentialTestKit;

namespace SkillsHub.Server.Tests;

/// <summary>
/// The Data Protection key ring lives in PostgreSQL, encrypted under DataProtection:KeyEncryptionKey, so every
/// node of a cluster accepts every other node's sign-in cookie (Hosting/DataProtectionRegistration.cs, docs/deployment.md).
/// </summary>
[Collection(ServerCollection.Cluster)]
public sealed class SharedKeysTests(PostgresFixture postgres)
{
    [Fact]
    public async Task SignInCookie_FromNodeA_IsAcceptedByNodeB_OnTheSameDatabase()
    {
        var database = await postgres.NewDatabaseAsync();
        await using var nodeA = await TestNode.StartAsync(database);
        await using var nodeB = await TestNode.StartAsync(database);
        using var signedInOnA = await MarkingScenario.SignInAsync(nodeA, "roaming-organiser", [Roles.Organiser]);
        var cookie = new CookieContainer();

        // The cookie A set, sent to B as a browser behind a balancer would.
        var handler = new HttpClientHandler { CookieContainer = cookie };
        using (var login = new HttpClient(handler) { BaseAddress = nodeA.BaseAddress })
        {
            (await login.PostAsJsonAsync("/api/auth/login", new { userName = "roaming-organiser", password = "correct horse battery staple" })).EnsureSuccessStatusCode();
        }
        using var onB = new HttpClient() { BaseAddress = nodeB.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        request.Headers.Add("Cookie", cookie.GetCookieHeader(nodeA.BaseAddress));
        using var me = await onB.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal("roaming-organiser", (string)JsonNode.Parse(await me.Content.ReadAsStringAsync())!["name"]!);

        // One key ring for both, stored encrypted: no key material in the clear in the table.
        await using var connection = await nodeA.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await using var rows = new NpgsqlCommand("select xml from skillshub.data_protection_keys", connection);
        var xml = (string)(await rows.ExecuteScalarAsync())!;
        Assert.Contains("skillshubEncrypted", xml);
        Assert.DoesNotContain("<value>", xml);
        await using var count = new NpgsqlCommand("select count(*) from skillshub.data_protection_keys", connection);
        Assert.Equal(1L, await count.ExecuteScalarAsync());
    }

    [Fact]
    public async Task NodeWithAnotherKeyEncryptionKey_DoesNotStart_AndAPreviousKeyStillReadsTheRing()
    {
        var database = await postgres.NewDatabaseAsync();
        await using (await TestNode.StartAsync(database))
        {
        }
        const string otherKey = "b3RoZXIgY2x1c3RlciBkYXRhIHByb3RlY3Rpb24gayE=";

        var refused = await Assert.ThrowsAsync<StartupException>(() => TestNode.StartAsync(database, $"--DataProtection:KeyEncryptionKey={otherKey}"));
        Assert.Contains("DataProtection:KeyEncryptionKey", refused.Message);

        // Rotation: the new key first, the old one kept for reading.
        await using var rotated = await TestNode.StartAsync(database, $"--DataProtection:KeyEncryptionKey={otherKey}", $"--DataProtection:PreviousKeyEncryptionKeys={TestNode.DataProtectionKey}");
        Assert.Equal(HttpStatusCode.OK, (await rotated.Client().GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task ProductionNode_WithoutDataProtectionKey_DoesNotStart_AndSaysWhichSettingInOneLine()
    {
        var database = await postgres.NewDatabaseAsync();

        var missing = await Assert.ThrowsAsync<StartupException>(() => SkillsHubNode.CreateAsync([
            $"--ConnectionStrings:Postgres={database}", "--urls=http://127.0.0.1:0", "--PublicBaseUrl=https://results.example.org",
            $"--Credentials:KeyEncryptionKey={TestNode.CredentialsKey}"]));

        Assert.StartsWith("DataProtection:KeyEncryptionKey is not set", missing.Message);
        Assert.DoesNotContain('\n', missing.Message);
    }

    [Fact]
    public async Task CredentialsKeyRotation_ReSealsTheSigningKeys_SoTheOldKeyCanGo()
    {
        var database = await postgres.NewDatabaseAsync();
        var newKey = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes("rotated credentials kek, 32 byte"));
        string unsigned;
        await using (var before = await TestNode.StartAsync(database, LenientLookups))
        {
            await SetUpAgenciesAsync(before);
            var (_, numbers) = await IssuedAsync(before, 2);
            unsigned = numbers[1];
            // The agency's signing key is made now, sealed under the old key.
            Assert.Equal(HttpStatusCode.OK, (await before.Client().GetAsync($"/api/credentials/{numbers[0]}?t={Token(before, numbers[0])}")).StatusCode);
        }
        await using (var unrotated = await TestNode.StartAsync(database, [.. LenientLookups, $"--Credentials:KeyEncryptionKey={newKey}"]))
        {
            // Without the old key, the node cannot sign: 503 naming the setting, not a 500; the key ids stay in the log.
            var refused = await unrotated.Client().GetAsync($"/api/credentials/{unsigned}?t={Token(unrotated, unsigned)}");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
            var problem = await refused.Content.ReadAsStringAsync();
            Assert.Contains("Credentials:KeyEncryptionKey", problem);
            Assert.DoesNotContain("key-encryption key", problem);
        }

        // The second round: a start with the new key and the old one as previous seals the signing keys again...
        await using (await TestNode.StartAsync(database, [.. LenientLookups, $"--Credentials:KeyEncryptionKey={newKey}", $"--Credentials:PreviousKeyEncryptionKeys={TestNode.CredentialsKey}"]))
        {
        }
        // ...which a node still in the first round (the old key current, the new one as previous) reads (found by an
        // outside tester: rotating in one round left the nodes not yet restarted unable to sign).
        await using (var firstRound = await TestNode.StartAsync(database, [.. LenientLookups, $"--Credentials:PreviousKeyEncryptionKeys={newKey}"]))
        {
            Assert.Equal(HttpStatusCode.OK, (await firstRound.Client().GetAsync($"/api/credentials/{unsigned}?t={Token(firstRound, unsigned)}")).StatusCode);
        }
        // ...after which the old key is no longer needed.
        await using var after = await TestNode.StartAsync(database, [.. LenientLookups, $"--Credentials:KeyEncryptionKey={newKey}"]);
        Assert.Equal(HttpStatusCode.OK, (await after.Client().GetAsync($"/api/credentials/{unsigned}?t={Token(after, unsigned)}")).StatusCode);
    }
}
