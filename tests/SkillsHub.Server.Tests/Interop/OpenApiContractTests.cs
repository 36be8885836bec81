using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SkillsHub.Domain.Certification;
using SkillsHub.Server.Certification;
using SkillsHub.Server.Security;

namespace SkillsHub.Server.Tests.Interop;

/// <summary>The OpenAPI document clients generate from: ids, security, problem responses, Idempotency-Key, numbers as numbers.</summary>
[Collection(ServerCollection.Interop)]
public sealed partial class OpenApiContractTests(NodeFixture shared) : IClassFixture<NodeFixture>
{
    static IEnumerable<JsonNode> Walk(JsonNode? node)
    {
        if (node is null)
        {
            yield break;
        }
        yield return node;
        var children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a.AsEnumerable(),
            _ => [],
        };
        foreach (var child in children.SelectMany(Walk))
        {
            yield return child;
        }
    }

    [Fact]
    public async Task EveryOperation_HasAnIdSecurityAndProblemResponses_AndNumbersAreNumbers()
    {
        var node = shared.Node;
        // The document revalidates (found by an outside tester: 1.7 MB fetched whole every time): an ETag, and 304 for it.
        using var served = await node.Client().GetAsync("/openapi/v1.json");
        Assert.NotNull(served.Headers.ETag);
        var revalidate = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
        revalidate.Headers.IfNoneMatch.Add(served.Headers.ETag!);
        using var revalidated = await node.Client().SendAsync(revalidate);
        if (revalidated.StatusCode != HttpStatusCode.NotModified)
        {
            // What differed, for whoever reads the failure: whether each answer came from the node's output cache (Age), and
            // where the two bodies part.
            var first = await served.Content.ReadAsStringAsync();
            var second = await revalidated.Content.ReadAsStringAsync();
            var at = Enumerable.Range(0, Math.Min(first.Length, second.Length)).FirstOrDefault(i => first[i] != second[i]);
            Assert.Fail($"{revalidated.StatusCode} to If-None-Match {served.Headers.ETag}: ETag {revalidated.Headers.ETag}, Age {served.Headers.Age}/{revalidated.Headers.Age}, "
                + $"{first.Length}/{second.Length} characters, first difference at {at}: '{first[Math.Max(0, at - 80)..Math.Min(first.Length, at + 80)]}' / '{second[Math.Max(0, at - 80)..Math.Min(second.Length, at + 80)]}'");
        }
        // Generated once and served from memory: readers at the same moment get the same bytes, so the same ETag.
        var again = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => node.Client().GetAsync("/openapi/v1.json")));
        Assert.All(again, a => Assert.Equal(served.Headers.ETag, a.Headers.ETag));
        var document = JsonNode.Parse(await served.Content.ReadAsStringAsync())!;
        Assert.True(document.ToJsonString().Length < 1_000_000, $"{document.ToJsonString().Length} characters");
        var feed = document["paths"]!["/api/competitions/{code}/events"]!["get"]!["parameters"]!.AsArray();
        Assert.Contains(feed, p => (string?)p!["name"] == "Last-Event-ID" && (string?)p["in"] == "header");
        var operations = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Where(m => m.Key is "get" or "post" or "put" or "delete" or "patch").Select(m => (Path: p.Key, Method: m.Key, Operation: m.Value!.AsObject())))
            .ToList();
        Assert.True(operations.Count > 60, $"{operations.Count} operations");
        var ids = operations.Select(o => (string?)o.Operation["operationId"]).ToList();
        Assert.All(ids, id => Assert.False(string.IsNullOrEmpty(id)));
        Assert.Equal(ids.Count, ids.Distinct().Count());

        Assert.NotNull(document["components"]!["securitySchemes"]!["session"]);
        Assert.Equal("bearer", (string)document["components"]!["securitySchemes"]!["tablet"]!["scheme"]!);

        var mixed = Walk(document).OfType<JsonObject>()
            .Where(o => o["type"] is JsonArray types && types.Any(t => (string?)t == "string") && types.Any(t => (string?)t is "integer" or "number"))
            .Select(o => o.ToJsonString()).ToList();
        Assert.True(mixed.Count == 0, $"{mixed.Count} schemas typed number-or-string, e.g. {mixed.FirstOrDefault()}");
        // A skill's number in a path is 1 to 99, written 7 or 07: no string pattern that refuses the two-digit form the docs
        // use (found by an outside tester).
        var skillNumbers = operations.SelectMany(o => (o.Operation["parameters"] as JsonArray ?? []).OfType<JsonObject>())
            .Where(p => (string?)p["in"] == "path" && (string?)p["name"] == "number" && (string?)p["schema"]?["type"] == "integer").ToList();
        Assert.True(skillNumbers.Count > 20, $"{skillNumbers.Count} skill-number parameters");
        Assert.All(skillNumbers, p => Assert.Equal((null, 1, 99), ((string?)p["schema"]!["pattern"], (int?)p["schema"]!["minimum"], (int?)p["schema"]!["maximum"])));

        // Every write that takes a body declares it, typed; these act on the route alone.
        string[] bodiless =
        [
            "post /api/auth/logout", "post /api/accounts/{id}/enable", "post /api/accounts/{id}/reset-password", "post /api/sessions/{id}/end",
            "post /api/me/tokens/{id}/revoke", "post /api/agency/sessions/{id}/rate", "post /api/agency/sessions/{id}/issue",
            "post /api/certification/consistency-check", "post /api/certification/promotions/run", "post /api/agency/sessions/{id}/bundle",
            "post /api/competitions/{code}/skills/{number}/publish",
        ];
        var withoutBody = operations.Where(o => o.Method is "post" or "put" && o.Operation["requestBody"] is null).Select(o => $"{o.Method} {o.Path}").ToList();
        Assert.Equal(bodiless.Order(), withoutBody.Order());
        Assert.All(operations, o => Assert.False(string.IsNullOrWhiteSpace((string?)o.Operation["summary"]), $"{o.Method} {o.Path} has no summary"));
        var competitorsImport = operations.Single(o => o.Method == "put" && o.Path.EndsWith("/competitors", StringComparison.Ordinal)).Operation["requestBody"]!["content"]!;
        Assert.EndsWith("/CompetitorJson", (string)competitorsImport["application/json"]!["schema"]!["items"]!["$ref"]!);
        Assert.NotNull(competitorsImport["text/csv"]);

        var marks = operations.Single(o => o.Method == "post" && o.Path.EndsWith("/marks", StringComparison.Ordinal)).Operation;
        Assert.EndsWith("/MarksRequest", (string)marks["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!);
        var key = marks["parameters"]!.AsArray().Single(p => (string)p!["name"]! == "Idempotency-Key")!;
        Assert.Equal("header", (string)key["in"]!);
        Assert.True((bool)key["required"]!);
        // The key's rule as the server holds it: printable ASCII, not all spaces (found by an outside tester: "   " met the
        // declared length and was refused).
        var keyRule = new System.Text.RegularExpressions.Regex((string)key["schema"]!["pattern"]!);
        Assert.True(keyRule.IsMatch("batch-1 a") && !keyRule.IsMatch("   ") && !keyRule.IsMatch("k\u00e9y") && !keyRule.IsMatch("a\tb"));
        // The agency's uploads declare the file's name header, percent-encoded (found by an outside tester: undeclared).
        foreach (var upload in new[] { "/api/agency/sessions/{id}/candidates", "/api/agency/sessions/{id}/results" })
        {
            var name = operations.Single(o => o.Method == "post" && o.Path == upload).Operation["parameters"]!.AsArray().Single(p => (string)p!["name"]! == "X-File-Name")!;
            Assert.Equal("header", (string)name["in"]!);
            Assert.Contains("percent-encoded", (string)name["description"]!, StringComparison.Ordinal);
        }
        // The marks body and each mark refuse a property they do not have, and say so (found by an outside tester).
        var schemas = document["components"]!["schemas"]!;
        Assert.False((bool)schemas["MarksRequest"]!["additionalProperties"]!);
        Assert.False((bool)schemas["MarksRequest"]!["properties"]!["marks"]!["items"]!["additionalProperties"]!);
        // A preview of a session whose exam is still to come is a 409, declared (found by an outside tester: it was not).
        Assert.NotNull(operations.Single(o => o.Method == "get" && o.Path == "/api/agency/sessions/{id}/rating-preview").Operation["responses"]!["409"]);
        foreach (var status in new[] { "400", "401", "403", "422" })
        {
            Assert.NotNull(marks["responses"]![status]!["content"]!["application/problem+json"]);
        }
        // A tablet's own operations take the tablet's token alone: no account may call them (found by an outside tester:
        // they listed the session and API tokens, which always answer 403 there).
        var tablets = operations.Where(o => (o.Path.EndsWith("/marks", StringComparison.Ordinal) && o.Method == "post") || o.Path is "/api/me/assignment" or "/api/me/sheet/{competitorId}").ToList();
        Assert.Equal(3, tablets.Count);
        foreach (var own in tablets)
        {
            Assert.Equal(["tablet"], own.Operation["security"]!.AsArray().SelectMany(s => s!.AsObject().Select(p => p.Key)));
        }

        var publicRead = operations.Single(o => o.Method == "get" && o.Path == "/api/competitions").Operation;
        // Anonymous on purpose: one empty requirement (OpenAPI's "no credentials"), not a missing one.
        var anonymous = Assert.Single(publicRead["security"]!.AsArray());
        Assert.Empty(anonymous!.AsObject());
        // A public read that answers a skill's jury otherwise names the credentials beside anonymous access, so a generated
        // client sends them (found by an outside tester: a client generated from the document never got the jury's view);
        // and every public read says a refused token is a 401.
        foreach (var path in new[] { "/api/competitions/{code}/skills/{number}/standings", "/api/competitions/{code}/results", "/api/competitions/{code}/skills/{number}" })
        {
            var read = operations.Single(o => o.Method == "get" && o.Path == path).Operation;
            Assert.Equal(["", "apiToken", "session", "tablet"], read["security"]!.AsArray().Select(s => string.Join(",", s!.AsObject().Select(p => p.Key))).Order(StringComparer.Ordinal));
        }
        Assert.NotNull(publicRead["responses"]!["401"]!["content"]!["application/problem+json"]);
        var accounts = operations.Single(o => o.Method == "get" && o.Path == "/api/accounts").Operation;
        Assert.Contains(accounts["security"]!.AsArray(), s => s!.AsObject().ContainsKey("session"));

        // The schemes name what a client really sends: the session cookie, and a personal API token beside it.
        Assert.Equal("skillshub", (string?)document["components"]!["securitySchemes"]!["session"]!["name"]);
        Assert.Equal("bearer", (string?)document["components"]!["securitySchemes"]!["apiToken"]!["scheme"]);
        Assert.Contains(accounts["security"]!.AsArray(), s => s!.AsObject().ContainsKey("apiToken"));

        // Every status an operation gives is declared: sign-in's 401 and 403, 415 where a JSON body is bound.
        var login = operations.Single(o => o.Method == "post" && o.Path == "/api/auth/login").Operation;
        foreach (var status in new[] { "401", "403", "415", "429" })
        {
            Assert.NotNull(login["responses"]![status]?["content"]?["application/problem+json"]);
        }
        var plain = await node.Client().PostAsync("/api/auth/login", new StringContent("{}", System.Text.Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, plain.StatusCode);
        // An operation that reads a body declares 413 (an upload its 415 too), and the problem schema names the
        // extensions the server sends.
        var candidates = operations.Single(o => o.Method == "post" && o.Path == "/api/agency/sessions/{id}/candidates").Operation;
        foreach (var status in new[] { "413", "415" })
        {
            Assert.NotNull(candidates["responses"]![status]?["content"]?["application/problem+json"]);
            Assert.NotNull(login["responses"]![status]?["content"]?["application/problem+json"]);
        }
        // One problem schema under components, named by every error answer (inlined, it was most of the document).
        Assert.Equal("#/components/schemas/ProblemDetails", (string?)login["responses"]!["400"]!["content"]!["application/problem+json"]!["schema"]!["$ref"]);
        var problemProperties = document["components"]!["schemas"]!["ProblemDetails"]!["properties"]!.AsObject();
        Assert.All(new[] { "code", "field", "errors", "traceId", "rows", "refusals", "kind", "limitBytes", "passwordChangeRequired", "certificateNumber", "runId", "bundleId", "lastEventId", "retryAfter" }, name => Assert.True(problemProperties.ContainsKey(name), name));

        // Every answer with a body says its media type (files, JWTs and JSON written as text included).
        var bodiless201 = new[] { "post /api/agency/appointments" };
        var undeclared = operations.SelectMany(o => o.Operation["responses"]!.AsObject()
                .Where(r => r.Key.StartsWith('2') && r.Key != "204" && r.Value!["content"] is null && !bodiless201.Contains($"{o.Method} {o.Path}"))
                .Select(r => $"{o.Method} {o.Path} {r.Key}")).ToList();
        Assert.True(undeclared.Count == 0, "no content type: " + string.Join(", ", undeclared));
        Assert.NotNull(operations.Single(o => o.Method == "get" && o.Path == "/api/competitions/{code}/skills/{number}/scheme").Operation["responses"]!["200"]!["content"]!["text/csv"]);
        Assert.Equal("binary", (string?)operations.Single(o => o.Path == "/api/certificates/{number}/pdf").Operation["responses"]!["200"]!["content"]!["application/pdf"]!["schema"]!["format"]);

        // Found by an outside tester: no response header was declared. Those a client acts on are.
        JsonNode? HeaderOf(string method, string path, string status, string name) =>
            operations.Single(o => o.Method == method && o.Path == path).Operation["responses"]![status]?["headers"]?[name];
        Assert.NotNull(HeaderOf("post", "/api/auth/login", "429", "Retry-After"));
        Assert.NotNull(HeaderOf("post", "/api/me/tokens", "201", "Location"));
        Assert.NotNull(HeaderOf("get", "/api/certificates/{number}/pdf", "200", "Content-Disposition"));
        Assert.NotNull(HeaderOf("get", "/api/competitions/{code}/skills/{number}/standings", "200", "ETag"));
        Assert.NotNull(operations.Single(o => o.Method == "get" && o.Path == "/api/competitions/{code}/skills/{number}/standings").Operation["responses"]!["304"]);
        Assert.Null(HeaderOf("get", "/api/accounts", "200", "ETag"));
    }

    /// <summary>
    /// Every error answer a non-browser client gets is RFC 7807 problem details with its code and traceId, whatever its
    /// Accept names (docs/pages.md, "Errors"); one type URI per status; a problem naming one field names it at the top.
    /// </summary>
    [Fact]
    public async Task ErrorAnswers_AreProblemDetailsWithACode_WhateverTheAccept_AndNameTheirField()
    {
        var node = shared.Node;
        using var http = node.Client();
        async Task<JsonObject> Problem(HttpMethod method, string path, string? accept, HttpStatusCode status, HttpContent? content = null)
        {
            using var request = new HttpRequestMessage(method, path) { Content = content };
            if (accept is not null)
            {
                request.Headers.TryAddWithoutValidation("Accept", accept);
            }
            using var response = await http.SendAsync(request);
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.False(string.IsNullOrEmpty((string?)problem["code"]), $"{method} {path} ({accept}): no code in {problem.ToJsonString()}");
            Assert.NotNull(problem["traceId"]);
            return problem;
        }
        await Problem(HttpMethod.Get, "/api/competitions/WSC2024/results.csv", "text/csv", HttpStatusCode.Unauthorized);
        await Problem(HttpMethod.Get, "/api/nothing-here", "text/csv", HttpStatusCode.NotFound);
        await Problem(HttpMethod.Post, "/api/credentials/S000031000001255000001", "application/vc+jwt", HttpStatusCode.MethodNotAllowed);
        var unknown = await Problem(HttpMethod.Get, "/api/competitions/NOPE9/events", "text/event-stream", HttpStatusCode.NotFound);
        Assert.Equal("unknown-competition", (string?)unknown["code"]);
        // A browser navigating to a page keeps the HTML error page.
        using var page = new HttpRequestMessage(HttpMethod.Get, "/nothing-here");
        page.Headers.Accept.ParseAdd("text/html");
        using var pageAnswer = await http.SendAsync(page);
        Assert.Equal(HttpStatusCode.NotFound, pageAnswer.StatusCode);
        Assert.NotEqual("application/problem+json", pageAnswer.Content.Headers.ContentType?.MediaType);

        // One type per status: a 400 from a parameter that does not bind and one from a handler's own check.
        var unbound = await Problem(HttpMethod.Get, "/api/competitions/WSC2024/skills/abc/standings", null, HttpStatusCode.BadRequest);
        var handler = await Problem(HttpMethod.Post, "/api/credentials/verify", null, HttpStatusCode.BadRequest,
            new StringContent("""{"credential":null}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal((string?)handler["type"], (string?)unbound["type"]);
        // Named once in errors, named at the top as well; a null credential is a missing one (not "verified: false").
        Assert.Equal("number", (string?)unbound["field"]);
        Assert.Equal("credential", (string?)handler["field"]);
        // The field left out is the one named (found by an outside tester: a missing password was named userName).
        var login = await Problem(HttpMethod.Post, "/api/auth/login", null, HttpStatusCode.BadRequest,
            new StringContent("""{"userName":"someone","password":""}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal("password", (string?)login["field"]);
    }

    /// <summary>
    /// Found by an outside tester: a refused mark's problem carried <c>"scores": null</c>, and <c>"aspectId": null</c> for an
    /// unknown competitor, where the contract types both without null, so a generated client failed to read them. A problem
    /// leaves out an extension that has no value; every problem with extensions matches the schema its operation declares.
    /// </summary>
    [Fact]
    public async Task ProblemsWithExtensions_MatchTheSchemaTheirOperationDeclares()
    {
        var node = shared.Node;
        var document = JsonNode.Parse(await node.Client().GetStringAsync("/openapi/v1.json"))!;
        var s = await MarkingScenario.CreateAsync(node, NodeFixture.NewCode());
        async Task<JsonObject> Matches(HttpResponseMessage response, string path, string method, HttpStatusCode status)
        {
            Assert.Equal(status, response.StatusCode);
            var body = (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            var schema = SchemaCheck.ResponseSchema(document, path, method, ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), "application/problem+json");
            var problems = SchemaCheck.Problems(document, schema, body);
            Assert.True(problems.Count == 0, $"{method} {path} {(int)status}: {string.Join("; ", problems)} in {body.ToJsonString()}");
            return body;
        }
        const string marks = "/api/competitions/{code}/skills/{number}/marks";
        // A compatriot (no scores), an unknown competitor (no aspect), a score out of range.
        var compatriot = await Matches(await s.MarkAsync(s.Experts["E-CN"], "CN-07", "p1", new { aspectId = "A1.2", score = 2 }), marks, "post", HttpStatusCode.Forbidden);
        Assert.False(compatriot.ContainsKey("scores"));
        Assert.Equal("competitorId", (string?)compatriot["field"]);
        var unknown = await Matches(await s.MarkAsync(s.Experts["E-FR"], "ZZ-07", "p2", new { aspectId = "A1.2", score = 2 }), marks, "post", HttpStatusCode.NotFound);
        Assert.False(unknown.ContainsKey("aspectId"));
        await Matches(await s.MarkAsync(s.Experts["E-FR"], "CN-07", "p3", new { aspectId = "A1.2", score = 7 }), marks, "post", HttpStatusCode.UnprocessableEntity);
        // A spread violation names the scores.
        Assert.Equal(HttpStatusCode.OK, (await s.MarkAsync(s.Experts["E-KR"], "FR-07", "p6", new { aspectId = "B1.2", score = 1 })).StatusCode);
        var spread = await Matches(await s.MarkAsync(s.Experts["E-JP"], "FR-07", "p7", new { aspectId = "B1.2", score = 3 }), marks, "post", HttpStatusCode.Conflict);
        Assert.NotEmpty(spread["scores"]!.AsArray());
        // Sent again with its key: the first answer, repeated, matches as well.
        await Matches(await s.MarkAsync(s.Experts["E-CN"], "CN-07", "p1", new { aspectId = "A1.2", score = 2 }), marks, "post", HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await s.Experts["E-DE"].PostAsJsonAsync($"{s.Path}/locks", new { target = "A" })).StatusCode);
        await Matches(await s.MarkAsync(s.Experts["E-FR"], "CN-07", "p4", new { aspectId = "A1.2", score = 2 }), marks, "post", HttpStatusCode.Conflict);

        // An import's rows, a body over the limit, a competition that exists.
        var rows = await Matches(await s.Organiser.PutAsync($"{s.Path}/competitors", new StringContent("id,member,first_name,last_name\nXX-07,ZZ,A,B\n", System.Text.Encoding.UTF8, "text/csv")),
            "/api/competitions/{code}/skills/{number}/competitors", "put", HttpStatusCode.UnprocessableEntity);
        Assert.NotEmpty(rows["rows"]!.AsArray());
        using var huge = new HttpRequestMessage(HttpMethod.Post, $"{s.Path}/marks")
        {
            Content = new StringContent("{\"competitorId\":\"FR-07\",\"marks\":[" + string.Join(",", Enumerable.Repeat("{\"aspectId\":\"A1.1\",\"achieved\":true}", 3000)) + "]}", System.Text.Encoding.UTF8, "application/json"),
        };
        huge.Headers.Add("Idempotency-Key", "p5");
        huge.Headers.ExpectContinue = true;
        await Matches(await s.Experts["E-JP"].SendAsync(huge), marks, "post", HttpStatusCode.RequestEntityTooLarge);
        await Matches(await s.Organiser.PostAsJsonAsync("/api/competitions", new { code = s.Code, name = "Another", city = "Lyon", country = "France" }),
            "/api/competitions", "post", HttpStatusCode.Conflict);

        // Found by an outside tester: the feed's 409 (a resume point past the last event) was declared with no content,
        // though it is a problem with lastEventId (docs/feed.md). Every error status an endpoint declares is a problem.
        const string events = "/api/competitions/{code}/events";
        var ahead = await Matches(await s.Anonymous.GetAsync($"/api/competitions/{s.Code}/events?since=999999"), events, "get", HttpStatusCode.Conflict);
        Assert.Equal("ahead-of-the-feed", (string?)ahead["code"]);
        Assert.Equal("#/components/schemas/ProblemDetails", (string?)SchemaCheck.ResponseSchema(document, events, "get", "409", "application/problem+json")["$ref"]);
        Assert.Equal("integer", (string?)document["components"]!["schemas"]!["ProblemDetails"]!["properties"]!["lastEventId"]!["type"]);
        var undeclared = document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().SelectMany(m => m.Value!["responses"]!.AsObject()
                .Where(r => r.Key[0] is '4' or '5' && r.Value!["content"]?["application/problem+json"] is null)
                .Select(r => $"{m.Key} {p.Key} {r.Key}"))).ToList();
        Assert.True(undeclared.Count == 0, "error statuses without a problem: " + string.Join(", ", undeclared));
    }

    /// <summary>Every type the endpoints take or answer with, and the types of their properties, as deep as they go.</summary>
    static HashSet<Type> ContractTypes(IServiceProvider services)
    {
        var roots = services.GetRequiredService<IApiDescriptionGroupCollectionProvider>().ApiDescriptionGroups.Items.SelectMany(g => g.Items)
            .SelectMany(d => d.SupportedResponseTypes.Select(r => r.Type)
                .Concat(d.ParameterDescriptions.Select(p => p.Type))
                .Concat(d.ActionDescriptor.EndpointMetadata.OfType<Platform.RequestBodies.JsonBody>().Select(b => b.Type)));
        var seen = new HashSet<Type>();
        void Visit(Type? type)
        {
            if (type is null || !seen.Add(type))
            {
                return;
            }
            foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : [])
            {
                Visit(argument);
            }
            Visit(type.GetElementType());
            if (type.Namespace?.StartsWith("SkillsHub", StringComparison.Ordinal) == true)
            {
                foreach (var property in type.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance))
                {
                    Visit(property.PropertyType);
                }
            }
        }
        foreach (var root in roots)
        {
            Visit(root);
        }
        return seen;
    }

    /// <summary>
    /// Found by an outside tester: a report answers with its kind as the enum name (TotalMedalPoints), which the path
    /// refused (404), and the contract listed no report names. The path takes both spellings, in any case, and the
    /// OpenAPI document lists the names.
    /// </summary>
    [Fact]
    public async Task MemberReports_TakeTheKindTheyAnswerWith_AndTheContractListsTheNames()
    {
        var node = shared.Node;
        var s = await MarkingScenario.CreateAsync(node, NodeFixture.NewCode());
        using var anonymous = node.Client();
        foreach (var path in new[] { "alphabetical", "total-medal-points", "average-medal-points", "total-scaled", "average-scaled" })
        {
            var kind = (string)(await anonymous.GetFromJsonAsync<JsonNode>($"/api/competitions/{s.Code}/reports/{path}"))!["kind"]!;
            foreach (var again in new[] { kind, kind.ToLowerInvariant(), kind.ToUpperInvariant(), path.ToUpperInvariant() })
            {
                var response = await anonymous.GetAsync($"/api/competitions/{s.Code}/reports/{again}");
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{again}: {(int)response.StatusCode}");
                Assert.Equal(kind, (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["kind"]!);
            }
        }
        foreach (var unknown in new[] { "2", "medals", "TotalMedalPointsX" })
        {
            var refused = await anonymous.GetAsync($"/api/competitions/{s.Code}/reports/{unknown}");
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.Equal("kind", (string)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["field"]!);
        }

        var document = JsonNode.Parse(await anonymous.GetStringAsync("/openapi/v1.json"))!;
        var parameter = document["paths"]!["/api/competitions/{code}/reports/{kind}"]!["get"]!["parameters"]!.AsArray().Single(p => (string?)p!["name"] == "kind")!;
        var names = parameter["schema"]!["enum"]!.AsArray().Select(n => (string?)n).ToList();
        Assert.Contains("total-medal-points", names);
        Assert.Contains("TotalMedalPoints", names);
        // Every name as listed is answered (found by an outside tester: total-scaled-score was answered, not listed).
        Assert.Equal(12, names.Count);
        foreach (var name in names)
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/api/competitions/{s.Code}/reports/{name}")).StatusCode);
        }
    }

    /// <summary>
    /// A parameter or a body's property the server takes only from a list declares the list as its enum, the same list the
    /// handler checks (found by an outside tester: a scheme's and a credential's format, the promotions' status, a status
    /// list's purpose, a scheme's judges and a holder lookup's ID type were declared as any value, and a visibility's
    /// required mode listed null, which is refused).
    /// </summary>
    [Fact]
    public async Task ValuesTakenFromAList_AreDeclaredAsTheirEnum()
    {
        var document = JsonNode.Parse(await shared.Node.Client().GetStringAsync("/openapi/v1.json"))!;
        static List<string> Listed(JsonNode? schema) => [.. schema!["enum"]!.AsArray().Select(n => n?.ToJsonString() ?? "null")];
        List<string> Parameter(string path, string method, string name) =>
            Listed(document["paths"]![path]![method]!["parameters"]!.AsArray().Single(p => (string?)p!["name"] == name)!["schema"]);
        List<string> Property(string type, string name) => Listed(document["components"]!["schemas"]![type]!["properties"]![name]);
        Assert.Equal(["\"json\"", "\"csv\""], Parameter("/api/competitions/{code}/skills/{number}/scheme", "get", "format"));
        Assert.Equal(["3", "5"], Parameter("/api/competitions/{code}/skills/{number}/scheme", "put", "judges"));
        Assert.Equal(["\"jwt\"", "\"json\""], Parameter("/api/credentials/{number}", "get", "format"));
        Assert.Equal(["\"revocation\"", "\"suspension\""], Parameter("/api/status-lists/{agencyKey}/{purpose}", "get", "purpose"));
        Assert.Equal(["\"open\"", "\"issued\""], Parameter("/api/agency/promotions", "get", "status"));
        Assert.Equal(["\"Live\"", "\"Frozen\"", "\"Hidden\""], Property("VisibilityRequest", "mode"));
        // Null only where the property may be left out (a holder lookup's ID type); a required one lists none.
        List<string> idTypes = [.. IdNumbers.Types.Order(StringComparer.Ordinal).Select(t => $"\"{t}\"")];
        Assert.Equal([.. idTypes, "null"], Property("HolderLookupRequest", "idType"));
        Assert.Equal(idTypes, Property("AppointmentRequest", "idType"));
        Assert.Equal(idTypes, Property("IssuePromotionRequest", "idType"));
        Assert.Equal(["\"special-grade\"", "\"chief\""], Property("AppointmentRequest", "level"));
        // A promotion earns Level 5 to Level 1 only (never the apprentice nor an appointed level).
        var rule = document["components"]!["schemas"]!["PromotionRuleRequest"]!["properties"]!["rule"]!["properties"]!;
        List<string> levels = ["\"Level5\"", "\"Level4\"", "\"Level3\"", "\"Level2\"", "\"Level1\""];
        Assert.Equal([.. levels, "null"], Listed(rule["awardLevel"]));
        Assert.Equal([.. levels, "null"], Listed(rule["alreadyHeldLevel"]));
        Assert.Equal(levels, Listed(rule["bands"]!["items"]!["properties"]!["level"]));
        List<string> roles = ["\"Admin\"", "\"AgencyOfficer\"", "\"Organiser\""];
        Assert.Equal(roles, Listed(document["components"]!["schemas"]!["CreateAccountRequest"]!["properties"]!["roles"]!["items"]));
        Assert.Equal(roles, Listed(document["components"]!["schemas"]!["SetRolesRequest"]!["properties"]!["roles"]!["items"]));
        Assert.Equal(["\"Expert\"", "\"DeputyChiefExpert\"", "\"ChiefExpert\""], Property("ExpertJson", "role"));
        // An agency's type and a scheme aspect's (found by an outside tester: free strings, though others are refused).
        Assert.Equal(["\"Y\"", "\"S\""], Property("CreateAgencyRequest", "type"));
        Assert.Contains("\"enum\":[\"M\",\"J\"],\"type\":\"string\",\"description\":\"M (measurement) or J (judgement).\"", document.ToJsonString());
        // Answers' values from a fixed list (found by an outside tester: a generated client typed these as free strings).
        List<string> jobStates = ["\"queued\"", "\"running\"", "\"succeeded\"", "\"rejected\"", "\"failed\""];
        Assert.Equal(["\"accepted\"", "\"superseded\""], Property("MarksResponse", "outcome"));
        Assert.Equal(["\"used\"", "\"waiting\"", "\"void\""], Property("CodeState", "state"));
        Assert.Equal(["\"passed\"", "\"failed\"", "\"ineligible\"", "\"out-of-scope\"", "null"], Property("DecisionView", "outcome"));
        Assert.Equal([jobStates, jobStates, jobStates], new[] { Property("ImportView", "status"), Property("RunView", "status"), Property("BundleView", "status") });
        Assert.Equal(["\"rate\"", "\"issue\""], Property("RunView", "kind"));
        Assert.Equal(["\"passed\"", "\"failed\"", "\"skipped\""], Property("CredentialCheck", "outcome"));
        Assert.Equal(["\"valid\"", "\"revoked\"", "\"suspended\""], Property("StatusChangeView", "status"));
        Assert.Equal(["\"special-grade\"", "\"chief\""], Property("AppointmentView", "level"));
        Assert.Equal(idTypes, Property("CertificateView", "idType"));
        var level = document["components"]!["schemas"]!["CreateSessionRequest"]!["properties"]!["level"]!;
        Assert.Equal((1, 5), ((int)level["minimum"]!, (int)level["maximum"]!));
        // The ranges the server checks are declared (found by an outside tester: a schema-driven client got 422s).
        static (int, int) Range(JsonNode property) => ((int)property["minimum"]!, (int)property["maximum"]!);
        var skill = document["components"]!["schemas"]!["SkillJson"]!["properties"]!;
        var marks = document["components"]!["schemas"]!["MarksRequest"]!["properties"]!["marks"]!;
        Assert.Equal([(1, 99), (1, 3), (10, 99), (0, 3)], new[] { Range(skill["number"]!), Range(skill["teamSize"]!), Range(skill["competitorMaxAge"]!), Range(marks["items"]!["properties"]!["score"]!) });
        Assert.Equal(Api.MarksApi.MaxMarksPerBatch, (int)marks["maxItems"]!);
        Assert.Equal(Domain.Text.SignInText.MaxPasswordLength, (int)document["components"]!["schemas"]!["CreateAccountRequest"]!["properties"]!["password"]!["maxLength"]!);
    }

    [Fact]
    public void NoTwoTypes_ShareASchemaName()
    {
        var services = shared.Node.Services;
        var options = services.GetRequiredService<IOptionsMonitor<OpenApiOptions>>().Get("v1");
        var json = services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var types = ContractTypes(services).Where(t => t.Namespace?.StartsWith("SkillsHub", StringComparison.Ordinal) == true).ToList();
        Assert.Contains(typeof(ExamSessionView), types);
        Assert.Contains(typeof(SessionStore.SessionView), types);
        var clashes = types.Select(t => (Type: t, Id: options.CreateSchemaReferenceId(json.GetTypeInfo(t))))
            .Where(t => t.Id is not null).GroupBy(t => t.Id).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(t => t.Type.FullName))}").ToList();
        Assert.True(clashes.Count == 0, "schema names given to more than one type: " + string.Join("; ", clashes));
    }

    [Fact]
    public async Task AgencySessionAnswers_MatchTheirSchemas()
    {
        var node = shared.Node;
        var document = JsonNode.Parse(await node.Client().GetStringAsync("/openapi/v1.json"))!;
        const string agency = "S000031000077";
        await node.Services.GetRequiredService<AgencyStore>().CreateAgencyAsync(AgencyKey.Parse(agency), "OpenAPI test agency",
            [(Certification.CertificationScenario.Welder, SkillLevel.Level5)], default);
        var officer = await MarkingScenario.SignInAsync(node, "officer-openapi", [Roles.AgencyOfficer], agency);

        var created = await officer.PostAsJsonAsync("/api/agency/sessions", new { occupation = Certification.CertificationScenario.Welder, workType = "", level = 5, examOn = "2025-06-01" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var session = JsonNode.Parse(await created.Content.ReadAsStringAsync());
        Assert.Empty(SchemaCheck.Problems(document, SchemaCheck.ResponseSchema(document, "/api/agency/sessions", "post", "201"), session));
        var list = JsonNode.Parse(await officer.GetStringAsync("/api/agency/sessions"));
        Assert.Empty(SchemaCheck.Problems(document, SchemaCheck.ResponseSchema(document, "/api/agency/sessions", "get", "200"), list));
        var one = JsonNode.Parse(await officer.GetStringAsync($"/api/agency/sessions/{session!["id"]}"));
        Assert.Empty(SchemaCheck.Problems(document, SchemaCheck.ResponseSchema(document, "/api/agency/sessions/{id}", "get", "200"), one));
    }

    [Fact]
    public async Task JudgingReport_MatchesItsSchema_RationalsIncluded()
    {
        var node = shared.Node;
        var document = JsonNode.Parse(await node.Client().GetStringAsync("/openapi/v1.json"))!;
        var rational = document["components"]!["schemas"]!["Rational"]!;
        Assert.Equal("object", (string?)rational["type"]);
        Assert.Empty(SchemaCheck.Problems(document, rational, JsonNode.Parse("""{"value": -0.166667, "exact": "-1/6"}""")));
        Assert.NotEmpty(SchemaCheck.Problems(document, rational, JsonNode.Parse("{}")));
        // A nullable one is oneOf [null, Rational]: null must match one branch only.
        Assert.Empty(SchemaCheck.Problems(document, JsonNode.Parse("""{"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Rational"}]}"""), null));

        var s = await MarkingScenario.CreateAsync(node, NodeFixture.NewCode());
        foreach (var (expert, score) in new[] { ("E-CN", 2), ("E-KR", 2), ("E-JP", 3) })
        {
            var answer = await s.MarkAsync(s.Experts[expert], "FR-07", $"{expert}-{Guid.NewGuid():N}", new { aspectId = "A1.2", score });
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            var marked = SchemaCheck.Problems(document, SchemaCheck.ResponseSchema(document, "/api/competitions/{code}/skills/{number}/marks", "post", "200"),
                JsonNode.Parse(await answer.Content.ReadAsStringAsync()));
            Assert.True(marked.Count == 0, string.Join("\n", marked));
        }
        var report = JsonNode.Parse(await s.Organiser.GetStringAsync($"{s.Path}/judging-report"));
        var problems = SchemaCheck.Problems(document, SchemaCheck.ResponseSchema(document, "/api/competitions/{code}/skills/{number}/judging-report", "get", "200"), report);
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(10)));
    }
}
