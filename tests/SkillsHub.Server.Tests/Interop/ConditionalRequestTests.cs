using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SkillsHub.Server.Security;

namespace SkillsHub.Server.Tests.Interop;

/// <summary>
/// HTTP semantics an outside tester checked against RFC 9110 (docs/pages.md, "Transfer"; docs/security.md): conditions,
/// Vary on every answer that depends on a request header, validators on the precompressed assets, the wildcard coding,
/// challenges on 401, no-store on private answers, and the headers of answers the framework refuses.
/// </summary>
[Collection(ServerCollection.Interop)]
public sealed class ConditionalRequestTests(NodeFixture shared) : IClassFixture<NodeFixture>
{
    HttpClient Raw() => new(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = shared.Node.BaseAddress };

    static HttpRequestMessage Get(string path, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return request;
    }

    static string Vary(HttpResponseMessage response) => string.Join(",", response.Headers.Vary);

    [Fact]
    public async Task AMalformedIfNoneMatch_IsNoCondition_AndAStarAloneIsAnsweredWithTheValidators()
    {
        using var http = Raw();
        var asset = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "web", "assets"), "*.js").First(f => File.Exists(f + ".br"));
        var assetPath = "/assets/" + Path.GetFileName(asset);
        foreach (var path in new[] { "/api/competitions", "/", "/openapi/v1.json", "/ns/skillshub/v1", assetPath })
        {
            foreach (var malformed in new[] { "x*", "**", "W/*", "\"x\", *", "*x" })
            {
                using var answer = await http.SendAsync(Get(path, ("If-None-Match", malformed)));
                Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{path} with If-None-Match {malformed}: {(int)answer.StatusCode}");
                Assert.NotEmpty(await answer.Content.ReadAsByteArrayAsync());
            }
        }
        // "*" alone is a condition: the API document (from the output cache) answers 304 with its ETag and Cache-Control.
        using var star = await http.SendAsync(Get("/openapi/v1.json", ("If-None-Match", "*")));
        Assert.Equal(HttpStatusCode.NotModified, star.StatusCode);
        Assert.NotNull(star.Headers.ETag);
        Assert.Equal("public, no-cache", star.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task A304_KeepsTheVaryOfIts200_AndThePrecompressedAssetsRevalidate()
    {
        using var http = Raw();
        foreach (var path in new[] { "/api/competitions", "/" })
        {
            using var first = await http.SendAsync(Get(path, ("Accept-Encoding", "br")));
            Assert.Contains("Accept-Encoding", Vary(first));
            using var again = await http.SendAsync(Get(path, ("Accept-Encoding", "br"), ("If-None-Match", first.Headers.ETag!.ToString())));
            Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
            Assert.Contains("Accept-Encoding", Vary(again));
        }

        var asset = "/assets/" + Path.GetFileName(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "web", "assets"), "*.js").First(f => File.Exists(f + ".br")));
        foreach (var encoding in new[] { "br", "gzip", "identity" })
        {
            using var copy = await http.SendAsync(Get(asset, ("Accept-Encoding", encoding)));
            Assert.Equal(encoding == "identity" ? null : encoding, copy.Content.Headers.ContentEncoding.SingleOrDefault());
            Assert.True(copy.Headers.ETag is { IsWeak: true }, $"{encoding}: {copy.Headers.ETag}");
            foreach (var tag in new[] { copy.Headers.ETag!.ToString(), copy.Headers.ETag!.Tag })
            {
                using var revalidated = await http.SendAsync(Get(asset, ("Accept-Encoding", encoding), ("If-None-Match", tag)));
                Assert.True(revalidated.StatusCode == HttpStatusCode.NotModified, $"{encoding} with {tag}: {(int)revalidated.StatusCode}");
                Assert.Contains("Accept-Encoding", Vary(revalidated));
            }
            using var since = await http.SendAsync(Get(asset, ("Accept-Encoding", encoding), ("If-Modified-Since", DateTimeOffset.UtcNow.AddSeconds(-1).ToString("R"))));
            Assert.Equal(HttpStatusCode.NotModified, since.StatusCode);
        }
        // "*" stands for the codings not named: Brotli refused by name is not sent for the wildcard.
        using var wildcard = await http.SendAsync(Get(asset, ("Accept-Encoding", "br;q=0, *")));
        Assert.Equal("gzip", wildcard.Content.Headers.ContentEncoding.Single());
        using var dynamicWildcard = await http.SendAsync(Get("/api/competitions", ("Accept-Encoding", "br;q=0, *")));
        Assert.Equal("gzip", dynamicWildcard.Content.Headers.ContentEncoding.Single());
    }

    [Fact]
    public async Task A401_NamesItsChallenge_AndPrivateAndWriteAnswersAreNoStore()
    {
        using var http = Raw();
        using var anonymous = await http.GetAsync("/api/auth/me");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer realm=\"SkillsHub\"", string.Join(",", anonymous.Headers.WwwAuthenticate));
        using var bogus = await http.SendAsync(Get("/api/me/assignment", ("Authorization", "Bearer bogus")));
        Assert.Equal(HttpStatusCode.Unauthorized, bogus.StatusCode);
        Assert.Contains("error=\"invalid_token\"", string.Join(",", bogus.Headers.WwwAuthenticate));

        // Answers written before any endpoint (authentication, route checks) are no-store like the endpoints' own.
        using var write = await http.PostAsJsonAsync("/api/competitions", new { code = "NOSTORE" });
        Assert.Equal(HttpStatusCode.Unauthorized, write.StatusCode);
        Assert.True(write.Headers.CacheControl?.NoStore, "anonymous write");
        using var admin = await MarkingScenario.SignInAsync(shared.Node, "nostore-admin", [Roles.Admin]);
        foreach (var path in new[] { "/api/competitions/NOPE", "/api/accounts/abc", "/api/competitions/NOPE/results", "/api/competitions/NOPE/skills/7/standings", "/api/competitions/XX", "/api/competitions/XX/events" })
        {
            using var answer = await admin.GetAsync(path);
            Assert.True(answer.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{path}: {(int)answer.StatusCode}");
            Assert.True(answer.Headers.CacheControl?.NoStore, path);
        }
    }

    [Fact]
    public async Task RefusalsTheFrameworkWrites_KeepTheSecurityHeaders_AndNameTheirField()
    {
        using var http = Raw();
        // A body that does not bind: 400 naming its field, with the headers every answer has.
        using var wrongType = await http.PostAsync("/api/auth/login", new StringContent("""{"userName":5,"password":"x"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", string.Join(";", wrongType.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", wrongType.Headers.GetValues("X-Content-Type-Options").Single());
        // A JSON body without Content-Type: 415 naming Content-Type, as the endpoints that read their own bodies say.
        using var untyped = await http.PostAsync("/api/auth/login", new ByteArrayContent("""{"userName":"a","password":"b"}"""u8.ToArray()));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, untyped.StatusCode);
        var problem = JsonDocument.Parse(await untyped.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(("Unsupported Media Type", "Content-Type"), (problem.GetProperty("title").GetString(), problem.GetProperty("field").GetString()));
        Assert.True(untyped.Headers.Contains("Content-Security-Policy"));

        // The API document has one name: another is the 404 problem (it was the package's text/plain).
        using var otherDocument = await http.SendAsync(Get("/openapi/v2.json", ("Accept", "application/json")));
        Assert.Equal(HttpStatusCode.NotFound, otherDocument.StatusCode);
        Assert.Equal("application/problem+json", otherDocument.Content.Headers.ContentType?.MediaType);

        // A client that refuses HTML gets the problem, not the page; either answer varies by Accept.
        using var noHtml = await http.SendAsync(Get("/no/such/page", ("Accept", "text/html;q=0, application/json")));
        Assert.Equal("application/problem+json", noHtml.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Accept", Vary(noHtml));
        using var page = await http.SendAsync(Get("/no/such/page", ("Accept", "text/html")));
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Accept", Vary(page));
    }
}
