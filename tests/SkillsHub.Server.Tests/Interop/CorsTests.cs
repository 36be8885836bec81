using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static SkillsHub.Server.Tests.Certification.CertificationScenario;

namespace SkillsHub.Server.Tests.Interop;

/// <summary>Public reads answer any origin without credentials (preflight and actual request); nothing else is cross-origin.</summary>
[Collection(ServerCollection.Interop)]
public sealed class CorsTests(PostgresFixture postgres)
{
    const string Origin = "https://media.example";

    static HttpRequestMessage Preflight(string path, string method, string? headers = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", Origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        if (headers is not null)
        {
            request.Headers.Add("Access-Control-Request-Headers", headers);
        }
        return request;
    }

    static HttpRequestMessage Get(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Origin", Origin);
        return request;
    }

    static string? AllowOrigin(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? string.Join(",", values) : null;

    [Fact]
    public async Task PublicReads_AllowAnyOrigin_WithoutCredentials_PreflightAndActual_AndNothingElseDoes()
    {
        await using var node = await TestNode.StartAsync(await postgres.NewDatabaseAsync());
        await SetUpAgenciesAsync(node);
        using var http = node.Client();
        string[] publicReads =
        [
            "/api/competitions", "/api/competitions/WSC2024", "/api/competitions/WSC2024/skills/7/standings", "/api/competitions/WSC2024/results",
            "/api/competitions/WSC2024/reports/medals", $"/api/issuers/{SocialAgency}", $"/api/issuers/{SocialAgency}/jwks.json",
            $"/api/status-lists/{SocialAgency}/revocation", "/.well-known/jwks.json", "/ns/skillshub/v1", "/api/certificates/S000031000001255000001",
        ];
        foreach (var path in publicReads)
        {
            var preflight = await http.SendAsync(Preflight(path, "GET", "last-event-id"));
            Assert.True(preflight.StatusCode == HttpStatusCode.NoContent, $"{path}: preflight {preflight.StatusCode}");
            Assert.Equal("*", AllowOrigin(preflight));
            Assert.Contains("GET", string.Join(",", preflight.Headers.GetValues("Access-Control-Allow-Methods")));
            Assert.False(preflight.Headers.Contains("Access-Control-Allow-Credentials"), path);
            var actual = await http.SendAsync(Get(path));
            Assert.True(AllowOrigin(actual) == "*", $"{path}: {actual.StatusCode} without Access-Control-Allow-Origin: *");
            Assert.False(actual.Headers.Contains("Access-Control-Allow-Credentials"), path);
        }

        // A public read's refusal of a route value that breaks its type is readable cross-origin too (it matched no
        // endpoint, so the CORS middleware had added nothing); a refused non-public one is not.
        var refusedRead = await http.SendAsync(Get("/api/competitions/WSC2024/skills/abc/standings"));
        Assert.Equal(HttpStatusCode.BadRequest, refusedRead.StatusCode);
        Assert.Equal("*", AllowOrigin(refusedRead));
        // Its preflight too (found by an outside tester: a bare 404 without CORS headers, so a page that sent If-None-Match
        // or Last-Event-ID saw a failed fetch instead of the 400); a private route's stays refused.
        foreach (var path in new[] { "/api/competitions/WSC2024/skills/abc/standings", "/api/competitions/WSC2024/skills/100/standings" })
        {
            var refusedPreflight = await http.SendAsync(Preflight(path, "GET", "if-none-match"));
            Assert.True(refusedPreflight.StatusCode == HttpStatusCode.NoContent, $"{path}: preflight {refusedPreflight.StatusCode}");
            Assert.Equal("*", AllowOrigin(refusedPreflight));
        }
        Assert.Null(AllowOrigin(await http.SendAsync(Preflight("/api/agency/sessions/abc", "GET", "if-none-match"))));
        // (Anonymously a signed-in endpoint answers 401 before its route value is looked at.)
        var refusedPrivate = await http.SendAsync(Get("/api/agency/sessions/abc"));
        Assert.Equal(HttpStatusCode.Unauthorized, refusedPrivate.StatusCode);
        Assert.Null(AllowOrigin(refusedPrivate));

        // Cookie-authenticated reads and every write: no CORS header, preflight refused.
        foreach (var (path, method) in new[]
        {
            ("/api/auth/me", "GET"), ("/api/accounts", "GET"), ("/api/competitions/WSC2024/results.csv", "GET"), ("/api/agency/", "GET"),
            ("/api/competitions/WSC2024/skills/7/marks", "POST"), ("/api/auth/login", "POST"), ("/api/competitions/WSC2024/skills/7/visibility", "PUT"),
        })
        {
            var preflight = await http.SendAsync(Preflight(path, method, "content-type"));
            Assert.True(AllowOrigin(preflight) is null, $"{method} {path}: preflight allowed ({preflight.StatusCode})");
            if (method == "GET")
            {
                Assert.Null(AllowOrigin(await http.SendAsync(Get(path))));
            }
        }

        // Structurally: every endpoint carrying the CORS policy is a Public GET/HEAD read.
        var endpoints = node.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var cors = endpoints.Where(e => e.Metadata.GetMetadata<ICorsMetadata>() is not null).ToList();
        Assert.NotEmpty(cors);
        Assert.All(cors, e =>
        {
            Assert.All(e.Metadata.GetOrderedMetadata<IAuthorizeData>(), a => Assert.Equal("Public", a.Policy));
            Assert.All(e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods, m => Assert.Contains(m, new[] { "GET", "HEAD" }));
        });
    }
}
