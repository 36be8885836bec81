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
            $"--ConnectionStrings:Postgres={database}", "--urls=http://127.0.0.1:0", $"--Orleans:SiloPort={TestNode.FreePort()}", "--PublicBaseUrl=https://results.example.org",
            $"--Credentials:KeyEncryptionKey={TestNode.CredentialsKey}"]));

        Assert.StartsWith("DataProtection:KeyEncryptionKey is not set", missing.Message);
        Assert.DoesNotContain('\n', missing.Message);
    }

    [Fact]
    public async Task CredentialsKeyRotation_ReSealsTheKeys_SoTheOldKeyCanGo()
    {
        var database = await postgres.NewDatabaseAsync();
        var newKey = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes("rotated credentials kek, 32 byte"));
        List<string> numbers;
        await using (var before = await TestNode.StartAsync(database, LenientLookups))
        {
            await SetUpAgenciesAsync(before);
            (_, numbers) = await IssuedAsync(before, 3);
            // The agency's signing key is made now, sealed under the old key (the registry's key was sealed at start).
            Assert.Equal(HttpStatusCode.OK, await CredentialStatusAsync(before, numbers[0]));
        }

        // Without the old key a node cannot open the registry's key, which every lookup needs: it does not start, and says
        // which setting to give it.
        var refused = await Assert.ThrowsAsync<StartupException>(() => TestNode.StartAsync(database, [.. LenientLookups, $"--Credentials:KeyEncryptionKey={newKey}"]));
        Assert.Contains("Credentials:KeyEncryptionKey", refused.Message);
        Assert.Contains("registry", refused.Message);

        // The first round: the old key current, the new one beside it. The second round starts while a node of the first
        // still runs, and seals the keys again under the new key; the first-round node still reads them.
        await using (var firstRound = await TestNode.StartAsync(database, [.. LenientLookups, $"--Credentials:PreviousKeyEncryptionKeys={newKey}"]))
        await using (var secondRound = await TestNode.StartAsync(database, [.. LenientLookups, $"--Credentials:KeyEncryptionKey={newKey}", $"--Credentials:PreviousKeyEncryptionKeys={TestNode.CredentialsKey}"]))
        {
            Assert.Equal(Token(firstRound, numbers[1]), Token(secondRound, numbers[1]));
            Assert.Equal(HttpStatusCode.OK, await CredentialStatusAsync(firstRound, numbers[1]));

            // A signing key sealed under a key-encryption key no node has: 503 naming the setting, not a 500; the key ids
            // stay in the log.
            await using var connection = await secondRound.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
            await using (var hide = new NpgsqlCommand("update skillshub.agency_keys set kek_id = 'a' || kek_id where retired_at is null", connection))
            {
                await hide.ExecuteNonQueryAsync();
            }
            var unavailable = await secondRound.Client().GetAsync($"/api/credentials/{numbers[2]}?t={Token(secondRound, numbers[2])}");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
            Assert.NotNull(unavailable.Headers.RetryAfter);
            var problem = await unavailable.Content.ReadAsStringAsync();
            Assert.Contains("Credentials:KeyEncryptionKey", problem);
            Assert.DoesNotContain("key-encryption key", problem);
            await using var restore = new NpgsqlCommand("update skillshub.agency_keys set kek_id = substr(kek_id, 2) where retired_at is null", connection);
            await restore.ExecuteNonQueryAsync();
        }
        // The first-round node restarts in the second round, the last restart of the rotation...
        await using (await TestNode.StartAsync(database, [.. LenientLookups, $"--Credentials:KeyEncryptionKey={newKey}", $"--Credentials:PreviousKeyEncryptionKeys={TestNode.CredentialsKey}"]))
        {
        }
        // ...after which the old key is no longer needed: a node with the new key alone starts, and signs a credential
        // never signed before.
        await using var after = await TestNode.StartAsync(database, [.. LenientLookups, $"--Credentials:KeyEncryptionKey={newKey}"]);
        Assert.Equal(HttpStatusCode.OK, await CredentialStatusAsync(after, numbers[2]));
    }

    [Fact]
    public async Task TheRegistrysKey_IsStoredSealed_AndAKeyStoredInTheClearIsSealedAtTheNextStart()
    {
        var database = await postgres.NewDatabaseAsync();
        byte[] key;
        string token;
        await using (var node = await TestNode.StartAsync(database))
        {
            key = node.Services.GetRequiredService<SkillsHub.Server.Certification.RegistryTokens>().Key;
            token = Token(node, "0123456789012345678901");
        }
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        Assert.Equal((true, false), await RowAsync());

        // As stored before the key was sealed (migration 0190): in the clear. The next start seals it; the tokens stay.
        await using (var clear = new NpgsqlCommand("update skillshub.registry_secret set secret = @key, sealed = null, kek_id = null", connection))
        {
            clear.Parameters.AddWithValue("key", key);
            await clear.ExecuteNonQueryAsync();
        }
        Assert.Equal((false, true), await RowAsync());
        await using (var node = await TestNode.StartAsync(database))
        {
            Assert.Equal(token, Token(node, "0123456789012345678901"));
        }
        Assert.Equal((true, false), await RowAsync());

        // (sealed, key readable in the row): the key's bytes appear nowhere in the row once sealed.
        async Task<(bool Sealed, bool KeyInTheRow)> RowAsync()
        {
            await using var read = new NpgsqlCommand("select coalesce(secret, ''::bytea) || coalesce(sealed, ''::bytea), sealed is not null from skillshub.registry_secret", connection);
            await using var reader = await read.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            var bytes = (byte[])reader[0];
            return (reader.GetBoolean(1), bytes.AsSpan().IndexOf(key) >= 0);
        }
    }

    static async Task<HttpStatusCode> CredentialStatusAsync(SkillsHubNode node, string number) =>
        (await node.Client().GetAsync($"/api/credentials/{number}?t={Token(node, number)}")).StatusCode;
}
