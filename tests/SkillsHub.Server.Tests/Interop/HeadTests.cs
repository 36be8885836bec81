using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SkillsHub.Server.Security;

namespace SkillsHub.Server.Tests.Interop;

/// <summary>Every read answers HEAD as its GET without the body, under the GET's own policy (RFC 9110, 9.1; docs/operations.md).</summary>
[Collection(ServerCollection.Interop)]
public sealed class HeadTests(NodeFixture shared) : IClassFixture<NodeFixture>
{
    [Fact]
    public void EveryGetEndpoint_AlsoTakesHead()
    {
        var reads = shared.Node.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (e.RoutePattern.RawText, Methods: e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods))
            .Where(e => e.Methods?.Contains("GET") == true).ToList();
        Assert.True(reads.Count > 30, $"{reads.Count} reads");
        Assert.All(reads, e => Assert.True(e.Methods!.Contains("HEAD"), $"{e.RawText}: {string.Join(",", e.Methods!)}"));
    }

    [Fact]
    public async Task SignedInReads_AnswerHead_WithTheGetsStatusAndHeaders_AndNoBody()
    {
        var node = shared.Node;
        using var admin = await MarkingScenario.SignInAsync(node, "head-admin", [Roles.Admin, Roles.Organiser]);
        foreach (var path in new[] { "/api/auth/me", "/api/accounts", "/api/competitions/WSC2024/results.csv", "/api-docs/" })
        {
            using var get = await admin.GetAsync(path);
            using var head = await admin.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
            Assert.True(get.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)get.StatusCode}");
            Assert.True(head.StatusCode == HttpStatusCode.OK, $"HEAD {path}: {(int)head.StatusCode}");
            Assert.Equal(get.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
            Assert.Equal(get.Headers.CacheControl?.ToString(), head.Headers.CacheControl?.ToString());
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        }
        // The GET's policy holds for HEAD: anonymously a signed-in read is 401, a tablet's read without a token too.
        using var anonymous = node.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/auth/me"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/accounts"))).StatusCode);
    }
}
