using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SkillsHub.Domain.Credentials;
using SkillsHub.Server.Hosting;
using SkillsHub.Server.Platform;
using static SkillsHub.Server.Tests.Certification.CertificationScenario;
using static SkillsHub.Server.Tests.Credentials.CredentialTestKit;

namespace SkillsHub.Server.Tests;

/// <summary>
/// Every URL that leaves the server is built on PublicBaseUrl, never on the request's Host (a proxy's
/// upstream name, or whatever a client sends); a production node does not start without it (docs/deployment.md).
/// </summary>
[Collection(ServerCollection.Platform)]
public sealed class PublicAddressTests(PostgresFixture postgres)
{
    const string Public = "https://results.example.org";

    /// <summary>A request as nginx forwards it: the upstream's name as Host, and what a client claimed.</summary>
    static HttpRequestMessage ThroughProxy(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = "skillshub_api";
        request.Headers.Add("X-Forwarded-Host", "evil.example");
        request.Headers.Add("X-Forwarded-Proto", "http");
        return request;
    }

    [Fact]
    public async Task HttpsDeployment_RefusesASignInOverPlainHttp_WithAProblem_NotA500()
    {
        await using var node = await TestNode.StartAsync(await postgres.NewDatabaseAsync(), [$"--PublicBaseUrl={Public}/"]);
        var response = await node.Client().PostAsJsonAsync("/api/auth/login", new { userName = "anyone", password = "whatever-it-is" });
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("HTTPS required", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["title"]!.GetValue<string>());

        // A session made over HTTPS (the loopback proxy says so) whose cookie then reaches the node over plain HTTP (a proxy
        // location that drops X-Forwarded-Proto): the same 403 for reads, writes and sign-out, not a 500 from the Secure-only
        // antiforgery cookie, and the session is left as it was (found by an outside tester).
        await node.Services.GetRequiredService<SkillsHub.Server.Security.AccountStore>().CreateAsync("https-only", "https-only", "correct horse battery staple", ["Organiser"], null);
        using var http = node.Client();
        HttpRequestMessage Request(HttpMethod method, string path, string? cookies, bool https, object? body = null)
        {
            var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            if (cookies is not null)
            {
                request.Headers.Add("Cookie", cookies);
            }
            if (https)
            {
                request.Headers.Add("X-Forwarded-Proto", "https");
            }
            return request;
        }
        var signIn = await http.SendAsync(Request(HttpMethod.Post, "/api/auth/login", null, https: true, new { userName = "https-only", password = "correct horse battery staple" }));
        Assert.Equal(System.Net.HttpStatusCode.OK, signIn.StatusCode);
        var cookies = string.Join("; ", signIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        Assert.Contains("__Host-", cookies);
        foreach (var (method, path) in new[] { (HttpMethod.Get, "/api/auth/me"), (HttpMethod.Get, "/jobs"), (HttpMethod.Post, "/api/me/tokens"), (HttpMethod.Post, "/api/auth/logout") })
        {
            var overHttp = await http.SendAsync(Request(method, path, cookies, https: false, method == HttpMethod.Post ? new { name = "x" } : null));
            Assert.True(overHttp.StatusCode == System.Net.HttpStatusCode.Forbidden, $"{method} {path}: {(int)overHttp.StatusCode}");
            var problem = JsonNode.Parse(await overHttp.Content.ReadAsStringAsync())!;
            Assert.Equal("HTTPS required", (string)problem["title"]!);
            Assert.Equal("scheme", (string)problem["field"]!);
        }
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.SendAsync(Request(HttpMethod.Get, "/api/auth/me", cookies, https: true))).StatusCode);
    }

    [Fact]
    public async Task CredentialIssuerStatusListPdfAndPairingUrls_NamePublicBaseUrl_WhateverTheHostHeaderSays()
    {
        // The test talks plain HTTP to the node (as the proxy would, without a trusted X-Forwarded-Proto), so the
        // HTTPS-only cookies an https PublicBaseUrl implies are switched off here.
        await using var node = await TestNode.StartAsync(await postgres.NewDatabaseAsync(), [.. LenientLookups, $"--PublicBaseUrl={Public}/", "--Security:Https=false"]);
        await SetUpAgenciesAsync(node);
        var (_, numbers) = await IssuedAsync(node, 1);
        using var http = node.Client();

        // The first request through the proxy signs the credential: it must carry the public address for good.
        var credential = JsonNode.Parse(await (await http.SendAsync(ThroughProxy($"/api/credentials/{numbers[0]}?format=json&t={Token(node, numbers[0])}"))).Content.ReadAsStringAsync())!["credential"]!;
        Assert.Equal($"{Public}/api/credentials/{numbers[0]}", (string)credential["id"]!);
        Assert.Equal($"{Public}/api/issuers/{SocialAgency}", (string)credential["issuer"]!["id"]!);
        Assert.All(credential["credentialStatus"]!.AsArray(), status =>
            Assert.StartsWith($"{Public}/api/status-lists/{SocialAgency}/", (string)status!["statusListCredential"]!));

        var profile = JsonNode.Parse(await (await http.SendAsync(ThroughProxy($"/api/issuers/{SocialAgency}"))).Content.ReadAsStringAsync())!;
        Assert.Equal($"{Public}/api/issuers/{SocialAgency}", (string)profile["id"]!);
        Assert.StartsWith($"{Public}/api/issuers/{SocialAgency}/keys/", (string)profile["verificationMethod"]![0]!["id"]!);

        var list = SkillsHub.Domain.Credentials.VcJwt.TryParse(await (await http.SendAsync(ThroughProxy($"/api/status-lists/{SocialAgency}/revocation"))).Content.ReadAsStringAsync(), out _)!.Payload;
        Assert.Equal($"{Public}/api/status-lists/{SocialAgency}/revocation", (string)list["id"]!);

        var folder = Directory.CreateTempSubdirectory("skillshub-pdf-").FullName;
        try
        {
            var pdf = Path.Combine(folder, "certificate.pdf");
            await File.WriteAllBytesAsync(pdf, await (await http.SendAsync(ThroughProxy($"/api/certificates/{numbers[0]}/pdf?t={Token(node, numbers[0])}"))).Content.ReadAsByteArrayAsync());
            Assert.Equal($"{Public}/verify/{numbers[0]}?t={Token(node, numbers[0])}", DecodeQr(pdf));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        // Pairing: the console's QR code shows the link the server names.
        using var organiser = await MarkingScenario.SignInAsync(node, "urls-organiser", [SkillsHub.Server.Security.Roles.Organiser]);
        (await organiser.PutAsync($"{MarkingScenario.SkillPath}/experts", new StringContent(MarkingScenario.ExpertsCsv, System.Text.Encoding.UTF8, "text/csv"))).EnsureSuccessStatusCode();
        var code = JsonNode.Parse(await (await organiser.PostAsJsonAsync($"{MarkingScenario.SkillPath}/pairing-codes", new { expertId = "E-FR" })).Content.ReadAsStringAsync())!;
        Assert.Equal($"{Public}/judge?code={Uri.EscapeDataString((string)code["code"]!)}", (string)code["pairUrl"]!);

        // The API document names the public address, not a forwarded or claimed Host.
        var document = JsonNode.Parse(await (await http.SendAsync(ThroughProxy("/openapi/v1.json"))).Content.ReadAsStringAsync())!;
        Assert.Equal(Public, (string)Assert.Single(document["servers"]!.AsArray())!["url"]!);
        var claimed = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
        claimed.Headers.Host = "evil.example";
        Assert.Equal(Public, (string)JsonNode.Parse(await (await http.SendAsync(claimed)).Content.ReadAsStringAsync())!["servers"]![0]!["url"]!);

        // A change whose Origin matches a Host the client chose is still another site's: only PublicBaseUrl's origin is own.
        HttpRequestMessage Change(string host, string origin)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"{MarkingScenario.SkillPath}/pairing-codes") { Content = JsonContent.Create(new { expertId = "E-FR" }) };
            request.Headers.Host = host;
            request.Headers.Add("Origin", origin);
            return request;
        }
        var forged = await organiser.SendAsync(Change("evil.example", "http://evil.example"));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal("Origin", (string?)JsonNode.Parse(await forged.Content.ReadAsStringAsync())!["field"]);
        Assert.True((await organiser.SendAsync(Change("skillshub_api", Public))).IsSuccessStatusCode);
    }

    [Theory]
    [InlineData("https://results.example.org", "https://results.example.org", true)]
    [InlineData("https://RESULTS.example.org", "https://results.example.org/", true)]
    [InlineData("http://results.example.org", "https://results.example.org", false)]
    [InlineData("https://results.example.org:8443", "https://results.example.org", false)]
    [InlineData("http://evil.example", "https://results.example.org", false)]
    [InlineData("null", "https://results.example.org", false)]
    [InlineData("http://127.0.0.1:5000", "http://localhost:5000", true)]
    [InlineData("http://[::1]:5000", "http://localhost:5000", true)]
    [InlineData("http://127.0.0.1:5001", "http://localhost:5000", false)]
    [InlineData("http://localhost:5000", "https://results.example.org", false)]
    [InlineData("http://xn--fsqu00a.example:5020", "http://例子.example:5020", true)]
    [InlineData("http://例子.example:5020", "http://xn--fsqu00a.example:5020", true)]
    public void OwnOrigin_IsPublicBaseUrls(string origin, string publicBaseUrl, bool own) =>
        Assert.Equal(own, SkillsHub.Server.Security.RequestForgery.SameOrigin(origin, publicBaseUrl));

    [Fact]
    public async Task ProductionNode_WithoutPublicBaseUrl_DoesNotStart_AndSaysWhichSettingInOneLine()
    {
        // An empty database (not the migrated template): what a refused start leaves in it is seen below.
        var database = await postgres.NewEmptyDatabaseAsync();
        string[] args = [$"--ConnectionStrings:Postgres={database}", "--urls=http://127.0.0.1:0", $"--Orleans:SiloPort={TestNode.FreePort()}", $"--Credentials:KeyEncryptionKey={TestNode.CredentialsKey}", $"--DataProtection:KeyEncryptionKey={TestNode.DataProtectionKey}"];

        var missing = await Assert.ThrowsAsync<StartupException>(() => SkillsHubNode.CreateAsync(args));
        var malformed = await Assert.ThrowsAsync<StartupException>(() => SkillsHubNode.CreateAsync([.. args, "--PublicBaseUrl=results.example.org"]));
        var withPath = await Assert.ThrowsAsync<StartupException>(() => SkillsHubNode.CreateAsync([.. args, "--PublicBaseUrl=https://example.org/skills"]));

        Assert.StartsWith("PublicBaseUrl is not set.", missing.Message);
        Assert.DoesNotContain('\n', missing.Message);
        Assert.Contains("absolute http(s) address", malformed.Message);
        Assert.Contains("without a path", withPath.Message);
        Assert.DoesNotContain('\n', withPath.Message);
        // A password in the address is named as what it is and not written into the log (found by an outside tester).
        var withUser = await Assert.ThrowsAsync<StartupException>(() => SkillsHubNode.CreateAsync([.. args, "--PublicBaseUrl=https://ops:s3cret-pass@example.org"]));
        Assert.Contains("must not hold a user name or password", withUser.Message);
        Assert.DoesNotContain("s3cret-pass", withUser.Message);
        // Refused before the database is touched (an outside tester: the refusing node had migrated it), the missing key too.
        var noKey = await Assert.ThrowsAsync<StartupException>(() => SkillsHubNode.CreateAsync([$"--ConnectionStrings:Postgres={database}", "--urls=http://127.0.0.1:0", $"--Orleans:SiloPort={TestNode.FreePort()}",
            "--PublicBaseUrl=https://results.example.org", $"--Credentials:KeyEncryptionKey={TestNode.CredentialsKey}"]));
        Assert.StartsWith("DataProtection:KeyEncryptionKey is not set", noKey.Message);
        // A setting read while the node is made (not one of those checked first) is refused before the migrations too (an
        // outside tester: the empty database was left migrated).
        var late = await Assert.ThrowsAsync<StartupException>(() => SkillsHubNode.CreateAsync([.. args, "--PublicBaseUrl=https://results.example.org", "--Security:SignInPerMinute=0"]));
        Assert.StartsWith("Security:SignInPerMinute must be", late.Message);
        await using var connection = new Npgsql.NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var schemas = new Npgsql.NpgsqlCommand("select count(*) from information_schema.schemata where schema_name = 'skillshub'", connection);
        Assert.Equal(0L, await schemas.ExecuteScalarAsync());
    }

    [Fact]
    public async Task ProductionNode_WithoutCredentialsKey_DoesNotStart_AndSaysWhichSettingInOneLine()
    {
        var database = await postgres.NewDatabaseAsync();
        string[] args = [$"--ConnectionStrings:Postgres={database}", "--urls=http://127.0.0.1:0", $"--Orleans:SiloPort={TestNode.FreePort()}", $"--PublicBaseUrl={Public}", $"--DataProtection:KeyEncryptionKey={TestNode.DataProtectionKey}"];

        var missing = await Assert.ThrowsAsync<StartupException>(() => SkillsHubNode.CreateAsync(args));
        var missingFile = await Assert.ThrowsAsync<StartupException>(() => SkillsHubNode.CreateAsync([.. args, "--Credentials:KeyEncryptionKeyFile=/nonexistent/skillshub.kek"]));

        Assert.StartsWith("Credentials:KeyEncryptionKey is not set", missing.Message);
        Assert.DoesNotContain('\n', missing.Message);
        Assert.Equal("Credentials:KeyEncryptionKeyFile /nonexistent/skillshub.kek does not exist.", missingFile.Message);
        // A folder, and a file that holds no key, are refused naming the setting too (found by an outside tester: the path alone,
        // and a folder "did not exist").
        var folder = await Assert.ThrowsAsync<StartupException>(() => SkillsHubNode.CreateAsync([.. args, $"--Credentials:KeyEncryptionKeyFile={Path.GetTempPath()}"]));
        Assert.StartsWith("Credentials:KeyEncryptionKeyFile ", folder.Message);
        Assert.EndsWith(" is a folder: name the file that holds the key.", folder.Message);
        var bad = Path.GetTempFileName();
        await File.WriteAllTextAsync(bad, "not a key");
        try
        {
            var notAKey = await Assert.ThrowsAsync<StartupException>(() => SkillsHubNode.CreateAsync([.. args, $"--Credentials:KeyEncryptionKeyFile={bad}"]));
            Assert.Equal($"Credentials:KeyEncryptionKeyFile {bad} is not base64.", notAKey.Message);
        }
        finally
        {
            File.Delete(bad);
        }
    }

    /// <summary>
    /// A rotation's previous keys may come from a file, one a line (found by an outside tester: the systemd unit gives the
    /// keys as files, and the previous ones had to go into the environment file in plain text).
    /// </summary>
    [Fact]
    public void PreviousKeys_ComeFromTheSettingAndFromAFile()
    {
        static string Key() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var (inSetting, first, second) = (Key(), Key(), Key());
        var file = Path.GetTempFileName();
        File.WriteAllText(file, $"{first}\n\n{second}\n");
        try
        {
            IConfiguration Settings(string? listed) => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Credentials:PreviousKeyEncryptionKeys"] = inSetting,
                ["Credentials:PreviousKeyEncryptionKeysFile"] = listed,
            }).Build();
            Assert.Equal([inSetting, first, second], SkillsHub.Server.Security.KeyEncryption.PreviousKeys(Settings(file), "Credentials").Select(Convert.ToBase64String));
            var missing = Assert.Throws<StartupException>(() => SkillsHub.Server.Security.KeyEncryption.PreviousKeys(Settings("/nonexistent/previous.kek"), "Credentials").ToList());
            Assert.Equal("Credentials:PreviousKeyEncryptionKeysFile /nonexistent/previous.kek does not exist.", missing.Message);
            File.WriteAllText(file, "not a key");
            var bad = Assert.Throws<StartupException>(() => SkillsHub.Server.Security.KeyEncryption.PreviousKeys(Settings(file), "Credentials").ToList());
            Assert.Equal($"Credentials:PreviousKeyEncryptionKeysFile {file} is not base64.", bad.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// Found by an outside tester: a PublicBaseUrl with a Unicode host (http://例子.example:5020) was kept as given, so links
    /// and credential ids named it, while browsers send the punycode form in Origin and every browser sign-in was refused as
    /// another site's. Both spellings are one address, the ASCII one, and a sign-in from it is taken (docs/deployment.md,
    /// "One public address").
    /// </summary>
    [Fact]
    public async Task AnInternationalisedPublicBaseUrl_IsItsAsciiForm_AndABrowsersSignInFromItIsTaken()
    {
        const string Unicode = "http://例子.example:5020/", Ascii = "http://xn--fsqu00a.example:5020";
        string? Normalised(string value) => PublicAddress.Configured(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["PublicBaseUrl"] = value }).Build(), production: true);
        Assert.Equal(Ascii, Normalised(Unicode));
        Assert.Equal(Ascii, Normalised("HTTP://XN--FSQU00A.Example:5020"));
        Assert.Equal("https://xn--bcher-kva.example", Normalised("https://Bücher.example:443/"));

        await using var node = await TestNode.StartAsync(await postgres.NewDatabaseAsync(), [$"--PublicBaseUrl={Unicode}"]);
        Assert.Equal(Ascii, node.Services.GetRequiredService<PublicAddress>().BaseUrl);
        await node.Services.GetRequiredService<SkillsHub.Server.Security.AccountStore>().CreateAsync("idn-admin", "idn-admin", "correct horse battery staple", [SkillsHub.Server.Security.Roles.Admin], null);
        using var login = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { userName = "idn-admin", password = "correct horse battery staple" }) };
        login.Headers.Add("Origin", Ascii);
        var response = await node.Client().SendAsync(login);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public void Credentials_FromTheOldSettingName_StillWork_AndATrailingSlashIsDropped()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Credentials:PublicBaseUrl"] = "https://skills.example.org/" }).Build();

        Assert.Equal("https://skills.example.org", PublicAddress.Configured(configuration, production: true));
        Assert.Equal("https://skills.example.org/api/issuers/S1", new CredentialUrls(PublicAddress.Configured(configuration, production: true)!).Issuer("S1"));
    }
}
