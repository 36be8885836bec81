using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SkillsHub.Domain.Credentials;
using SkillsHub.Server.Credentials;
using static SkillsHub.Server.Tests.Certification.CertificationScenario;
using static SkillsHub.Server.Tests.Credentials.CredentialTestKit;

namespace SkillsHub.Server.Tests.Interop;

/// <summary>
/// Open Badges 3.0 / VC 2.0 conformance checked by independent code only: tests/interop/verify-credential.mjs
/// runs Node's jose (jwtVerify with the issuer and the published JWK Sets, the kid resolved to a JWK) and
/// jsonld (safe-mode expansion of credential, Profile and status lists: an undefined term is an error).
/// Both tests share one node with the agencies set up once, each with candidates of its own.
/// </summary>
[Collection(ServerCollection.Credentials)]
public sealed class OpenBadgesInteropTests(Credentials.CredentialTests.AgenciesNode shared) : IClassFixture<Credentials.CredentialTests.AgenciesNode>
{
    /// <summary>The certificate's credential as its holder receives it (signed on first use).</summary>
    static async Task<string> JwtAsync(SkillsHub.Server.Hosting.SkillsHubNode node, string number) =>
        (await node.Services.GetRequiredService<CredentialIssuer>().EnsureAsync(number, node.Services.GetRequiredService<SkillsHub.Server.Platform.PublicAddress>().Credentials, default))!.Jwt;

    [Fact]
    public async Task Credential_VerifiesWithJose_AgainstThePublishedJwks_AndExpandsWithoutLoss()
    {
        var node = shared.Node;
        await ScalarAsync(node, $"update skillshub.occupations set certificate_validity_years = 3 where code = '{Welder}'");
        var (_, numbers) = await IssuedAsync(node, 2);
        // A certificate from before issue instants were recorded: validFrom is the start of its China issue day.
        await ScalarAsync(node, $"update skillshub.certificates set issued_at = null where number = '{numbers[1]}'");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        // A type of work on the first, so its term is in the credential the script expands (one without has none).
        await ScalarAsync(node, $"update skillshub.certificates set work_type = '电焊' where number = '{numbers[0]}'");

        var (code, output, error) = await NodeTool.RunAsync("verify-credential.mjs", node.BaseAddress.ToString().TrimEnd('/'), await JwtAsync(node, numbers[0]));
        Assert.True(code == 0, $"jose/jsonld verification failed: {error}\n{output}");
        var summary = JsonNode.Parse(output)!;
        Assert.True((bool)summary["verified"]!);
        Assert.Equal(["revocation", "suspension"], summary["lists"]!.AsArray().Select(l => (string)l!));
        Assert.StartsWith($"{node.BaseAddress.ToString().TrimEnd('/')}/api/issuers/{SocialAgency}/keys/", (string)summary["kid"]!);
        // validFrom is the instant of issue (seconds ago), whatever the hour in China; exp is the end (in China) of the
        // last day, three years on from the China issue day.
        var nbf = DateTimeOffset.FromUnixTimeSeconds((long)summary["nbf"]!);
        Assert.InRange(nbf, before.AddMinutes(-5), DateTimeOffset.UtcNow);
        var china = TimeSpan.FromHours(8);
        var lastDay = DateOnly.FromDateTime(nbf.ToOffset(china).DateTime).AddYears(3);
        Assert.Equal(new DateTimeOffset(lastDay.AddDays(1).ToDateTime(TimeOnly.MinValue), china).ToUnixTimeSeconds(), (long)summary["exp"]!);

        (code, output, error) = await NodeTool.RunAsync("verify-credential.mjs", node.BaseAddress.ToString().TrimEnd('/'), await JwtAsync(node, numbers[1]));
        Assert.True(code == 0, $"legacy certificate: {error}\n{output}");
        var legacyFrom = DateTimeOffset.FromUnixTimeSeconds((long)JsonNode.Parse(output)!["nbf"]!);
        Assert.Equal(TimeSpan.FromHours(16), legacyFrom.UtcDateTime.TimeOfDay); // 00:00 in China = 16:00Z the day before
    }

    [Fact]
    public async Task JoseRejects_ACredentialWhoseClaimsDisagree_AndTheServerVerifierDoesToo()
    {
        var node = shared.Node;
        var (_, numbers) = await IssuedAsync(node, 1, offset: 100);
        using var http = node.Client();
        var jwt = await JwtAsync(node, numbers[0]);
        var parsed = VcJwt.TryParse(jwt, out _)!;
        var payload = parsed.Payload.DeepClone().AsObject();
        payload["iss"] = "https://elsewhere.example/api/issuers/S000031000001";
        var parts = jwt.Split('.');
        var forged = $"{parts[0]}.{System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(payload.ToJsonString()))}.{parts[2]}";
        var response = await http.PostAsync("/api/credentials/verify", new StringContent(forged));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.False((bool)result["verified"]!);
        Assert.Contains("iss", (string)result["checks"]![0]!["detail"]!);
    }
}
