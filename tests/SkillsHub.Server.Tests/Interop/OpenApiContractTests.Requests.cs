using SkillsHub.Domain.Text;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SkillsHub.Domain.Certification;
using SkillsHub.Server.Certification;
using SkillsHub.Server.Security;

namespace SkillsHub.Server.Tests.Interop;

/// <summary>
/// What the document says a request takes, held against what the server takes: required properties, paging ranges, and
/// where a route value the app never sees is refused.
/// </summary>
public sealed partial class OpenApiContractTests
{
    static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    /// <summary>
    /// Whether a problem names <paramref name="field"/>: a handler's own check, an import's row (<c>row 1: name</c>) or a
    /// scheme's node (<c>A1.1: maxMark</c>), or an item of a list (<c>A1.1: deductions[0].amount</c>).
    /// </summary>
    static bool Names(JsonNode? problem, string field) =>
        problem?["errors"] is JsonObject errors && errors.Any(e => e.Key == field || e.Key.EndsWith(": " + field, StringComparison.Ordinal)
            || e.Key.EndsWith("]." + field, StringComparison.Ordinal));

    /// <summary>
    /// Found by an outside tester: <c>RedeemRequest.deviceName</c>, <c>CreateAccountRequest.displayName</c> and
    /// <c>GroupJson.name</c> were marked required, though the server fills each in when it is left out. For each request
    /// type below, every property the document marks required is refused when left out (400 or 422 naming it), and every
    /// other one may be left out (an alias standing for it where the type has one: memberCode, expertIds). The marking
    /// scheme's types too, each left out in place in a whole scheme (found by an outside tester: none declared a required
    /// property, though a scheme without criteria is refused).
    /// </summary>
    [Fact]
    public async Task RequiredProperties_AreTheOnesTheServerRefusesToDoWithout()
    {
        var node = shared.Node;
        var document = JsonNode.Parse(await node.Client().GetStringAsync("/openapi/v1.json"))!;
        var s = await MarkingScenario.CreateAsync(node, NodeFixture.NewCode());
        var admin = await MarkingScenario.SignInAsync(node, "admin-" + s.Code.ToLowerInvariant(), [Roles.Admin]);
        var n = 0;
        // A client of its own for each anonymous request: a sign-in that succeeds leaves a session cookie behind.
        async Task<HttpResponseMessage> Anonymous(string path, JsonNode body)
        {
            using var http = node.Client();
            return await http.PostAsync(path, Json(body));
        }
        async Task<JsonObject> Redeemable()
        {
            var issued = await s.Organiser.PostAsJsonAsync($"{s.Path}/pairing-codes", new { expertId = "E-DE" });
            return new JsonObject { ["code"] = (string?)(await issued.Content.ReadFromJsonAsync<JsonNode>())!["code"], ["deviceName"] = "tablet" };
        }
        // The scheme's types are sent in place in a whole scheme; its first aspect (M) is given every optional property.
        static JsonObject Aspect(string deductionsOrBands) => new()
        {
            ["id"] = "A1.1", ["type"] = "M", ["description"] = "Outer dimension within tolerance", ["extraDescription"] = "Measured twice",
            ["requirement"] = "50.00 mm", ["markingDay"] = "C1", ["maxMark"] = 40.00m,
            [deductionsOrBands] = deductionsOrBands == "bands"
                ? new JsonArray(new JsonObject { ["within"] = 0.05m, ["award"] = 40.00m, ["description"] = "within 0.05 mm" })
                : new JsonArray(new JsonObject { ["amount"] = 1.00m, ["description"] = "each burr" }),
        };
        Task<HttpResponseMessage> Scheme(JsonObject node, Func<JsonNode, JsonNode> at)
        {
            var scheme = JsonNode.Parse(MarkingScenario.SchemeJson)!;
            var slot = at(scheme);
            slot.ReplaceWith(node);
            return s.Organiser.PutAsync($"{s.Path}/scheme", Json(scheme));
        }
        static JsonNode FirstAspect(JsonNode scheme) => scheme["criteria"]![0]!["subCriteria"]![0]!["aspects"]![0]!;
        Task<HttpResponseMessage> InAspect(string list, JsonObject item)
        {
            var aspect = Aspect(list);
            aspect[list]![0]!.ReplaceWith(item);
            return Scheme(aspect, FirstAspect);
        }
        var cases = new (string Schema, Func<Task<JsonObject>> Full, Func<JsonObject, Task<HttpResponseMessage>> Send)[]
        {
            ("LoginRequest", () => Task.FromResult(new JsonObject { ["userName"] = s.OrganiserName, ["password"] = "correct horse battery staple" }),
                b => Anonymous("/api/auth/login", b)),
            ("RedeemRequest", Redeemable, b => Anonymous("/api/pairing/redeem", b)),
            ("CreateAccountRequest", () => Task.FromResult(new JsonObject
                {
                    ["userName"] = $"account-{s.Code.ToLowerInvariant()}-{++n}", ["password"] = "correct horse battery staple",
                    ["roles"] = new JsonArray(Roles.Organiser), ["displayName"] = "Someone",
                }),
                b => admin.PostAsync("/api/accounts", Json(b))),
            ("CreateCompetitionRequest", () => Task.FromResult(new JsonObject { ["code"] = NodeFixture.NewCode(), ["name"] = "Test", ["city"] = "Lyon", ["country"] = "France" }),
                b => s.Organiser.PostAsync("/api/competitions", Json(b))),
            ("SkillJson", () => Task.FromResult(new JsonObject { ["number"] = 8, ["name"] = "Welding" }),
                b => s.Organiser.PutAsync($"/api/competitions/{s.Code}/skills", Json(new JsonArray(b)))),
            ("CompetitorJson", () => Task.FromResult(new JsonObject
                {
                    ["id"] = "FR-07", ["member"] = "FR", ["name"] = "Louis Martin",
                    ["people"] = new JsonArray(new JsonObject { ["firstName"] = "Louis", ["lastName"] = "Martin" }),
                }),
                b => s.Organiser.PutAsync($"{s.Path}/competitors", Json(new JsonArray(b)))),
            ("ExpertJson", () => Task.FromResult(new JsonObject { ["id"] = "E-FR", ["member"] = "FR", ["name"] = "Paul Durand", ["role"] = "Expert" }),
                b => s.Organiser.PutAsync($"{s.Path}/experts", Json(new JsonArray(b)))),
            ("GroupJson", () => Task.FromResult(new JsonObject
                {
                    ["id"] = "G1", ["name"] = "Machining", ["targets"] = new JsonArray("A"), ["experts"] = new JsonArray("E-FR", "E-CN", "E-KR"),
                }),
                b => s.Organiser.PutAsync($"{s.Path}/marking-groups", Json(new JsonArray(b)))),
            ("SchemeDto", () => Task.FromResult(JsonNode.Parse(MarkingScenario.SchemeJson)!.AsObject()), b => s.Organiser.PutAsync($"{s.Path}/scheme", Json(b))),
            ("CriterionDto", () => Task.FromResult(JsonNode.Parse(MarkingScenario.SchemeJson)!["criteria"]![0]!.DeepClone().AsObject()),
                b => Scheme(b, scheme => scheme["criteria"]![0]!)),
            ("SubCriterionDto", () => Task.FromResult(JsonNode.Parse(MarkingScenario.SchemeJson)!["criteria"]![0]!["subCriteria"]![0]!.DeepClone().AsObject()),
                b => Scheme(b, scheme => scheme["criteria"]![0]!["subCriteria"]![0]!)),
            ("AspectDto", () => Task.FromResult(Aspect("deductions")), b => Scheme(b, FirstAspect)),
            ("DeductionDto", () => Task.FromResult(Aspect("deductions")["deductions"]![0]!.DeepClone().AsObject()), b => InAspect("deductions", b)),
            ("BandDto", () => Task.FromResult(Aspect("bands")["bands"]![0]!.DeepClone().AsObject()), b => InAspect("bands", b)),
        };
        // The scheme's nested types are written in place, as the items of their lists.
        JsonNode SchemaOf(string name)
        {
            JsonNode Items(string owner, string list) => Resolve(SchemaOf(owner)["properties"]![list]!["items"]!);
            JsonNode Resolve(JsonNode node) =>
                node["oneOf"] is JsonArray either ? Resolve(either.First(o => (string?)o!["type"] != "null")!)
                : node["$ref"] is { } reference ? document["components"]!["schemas"]![((string)reference!).Split('/')[^1]]!
                : node;
            return name switch
            {
                "CriterionDto" => Items("SchemeDto", "criteria"),
                "SubCriterionDto" => Items("CriterionDto", "subCriteria"),
                "AspectDto" => Items("SubCriterionDto", "aspects"),
                "DeductionDto" => Items("AspectDto", "deductions"),
                "BandDto" => Items("AspectDto", "bands"),
                _ => document["components"]!["schemas"]![name]!,
            };
        }
        var aliases = new Dictionary<string, string> { ["member"] = "memberCode", ["experts"] = "expertIds" };
        var mismatches = new List<string>();
        foreach (var (name, full, send) in cases)
        {
            var schema = SchemaOf(name);
            var required = (schema["required"] as JsonArray ?? []).Select(r => (string)r!).ToHashSet();
            var properties = (await full()).Select(p => p.Key).ToList();
            Assert.True(required.IsSubsetOf(properties), $"{name}: the test's body leaves out a required property ({string.Join(", ", required.Except(properties))})");
            var whole = await send(await full());
            Assert.True(whole.IsSuccessStatusCode, $"{name} in full: {(int)whole.StatusCode} {await whole.Content.ReadAsStringAsync()}");
            foreach (var property in properties)
            {
                var body = await full();
                var value = body[property]?.DeepClone();
                body.Remove(property);
                if (!required.Contains(property) && aliases.TryGetValue(property, out var alias))
                {
                    body[alias] = value;
                }
                var response = await send(body);
                var text = await response.Content.ReadAsStringAsync();
                var refusedNamingIt = response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity && Names(JsonNode.Parse(text), property);
                if (required.Contains(property) != refusedNamingIt)
                {
                    mismatches.Add($"{name}.{property} ({(required.Contains(property) ? "required" : "optional")}) left out: {(int)response.StatusCode} {text}");
                }
                if (!required.Contains(property))
                {
                    continue;
                }
                // Null for a required property is refused naming it too, and the document lists no null for it (found by an
                // outside tester: 21 request schemas allowed null where the server refused it).
                var nulled = await full();
                nulled[property] = null;
                var refused = await send(nulled);
                var refusal = await refused.Content.ReadAsStringAsync();
                if (refused.StatusCode is not (HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity) || !Names(JsonNode.Parse(refusal), property))
                {
                    mismatches.Add($"{name}.{property} (required) null: {(int)refused.StatusCode} {refusal}");
                }
                if (schema["properties"]?[property] is { } declared && AllowsNull(declared))
                {
                    mismatches.Add($"{name}.{property} (required) is declared nullable: {declared.ToJsonString()}");
                }
            }
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        // The three the tester named, by name.
        foreach (var (type, property) in new[] { ("RedeemRequest", "deviceName"), ("CreateAccountRequest", "displayName"), ("GroupJson", "name") })
        {
            Assert.DoesNotContain(property, (document["components"]!["schemas"]![type]!["required"] as JsonArray ?? []).Select(r => (string?)r));
        }
    }

    /// <summary>Whether a property's schema takes null: a type list naming it, or a <c>oneOf</c> with a null option.</summary>
    static bool AllowsNull(JsonNode schema) =>
        schema["type"] is JsonArray types ? types.Any(t => (string?)t == "null")
            : (string?)schema["type"] == "null" || (schema["oneOf"] as JsonArray ?? []).Any(o => (string?)o?["type"] == "null");

    /// <summary>
    /// Every request body's schema, the nested ones too: a required property lists no null (found by an outside tester: 21
    /// request schemas did, where the server refuses null as it refuses the property left out), and no property states a
    /// <c>default</c>, which generators (openapi-typescript) take to mean always present, so a generated client had to send
    /// <c>allowSeveralPerMember</c> (found by a later tester); its description says what leaving it out means.
    /// </summary>
    [Fact]
    public async Task NoRequestSchema_AllowsNullForARequiredProperty()
    {
        var document = JsonNode.Parse(await shared.Node.Client().GetStringAsync("/openapi/v1.json"))!;
        var schemas = document["components"]!["schemas"]!.AsObject();
        var pending = new Stack<JsonNode>(document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject())
            .SelectMany(o => (o.Value!["requestBody"]?["content"] as JsonObject ?? []).Select(m => m.Value!["schema"]!)));
        var seen = new HashSet<string>();
        var found = new List<string>();
        var checkedRequired = 0;
        while (pending.TryPop(out var schema))
        {
            if ((string?)schema["$ref"] is { } reference)
            {
                var id = reference.Split('/')[^1];
                if (seen.Add(id))
                {
                    pending.Push(schemas[id]!);
                }
                continue;
            }
            var properties = schema["properties"] as JsonObject ?? [];
            found.AddRange(properties.Where(p => p.Value?["default"] is not null).Select(p => $"{p.Key} has a default: {p.Value!.ToJsonString()}"));
            foreach (var required in (schema["required"] as JsonArray ?? []).Select(r => (string)r!).Where(properties.ContainsKey))
            {
                checkedRequired++;
                if (AllowsNull(properties[required]!))
                {
                    found.Add($"{required}: {properties[required]!.ToJsonString()}");
                }
            }
            foreach (var child in properties.Select(p => p.Value).Concat(schema["oneOf"] as JsonArray ?? []).Concat(schema["anyOf"] as JsonArray ?? [])
                .Append(schema["items"]).Append(schema["additionalProperties"] as JsonObject).OfType<JsonNode>())
            {
                pending.Push(child);
            }
        }
        Assert.True(checkedRequired > 40, $"only {checkedRequired} required properties found");
        Assert.True(found.Count == 0, string.Join("\n", found));
        Assert.EndsWith("Left out: false.", (string?)schemas["CreateCompetitionRequest"]!["properties"]!["allowSeveralPerMember"]!["description"]);
    }

    /// <summary>
    /// Found by an outside tester: no endpoint with a <c>limit</c> declared its range. Each declares 1 to its maximum, the
    /// one its handler checks (docs/security.md, "Bad input"): the maximum is taken, one more (and 0, a negative, a word, a
    /// number past int) is a 400 problem naming <c>limit</c>. The security audit's maximum is 1000.
    /// </summary>
    /// <summary>
    /// A JSON form's strings declare the text rule's limit (found by an outside tester: a competition's name of 201
    /// characters was refused, and the document stated no maxLength), and a JSON competitors file its most entries. Sent at
    /// the limit, taken; one more, a 422 naming the field.
    /// </summary>
    [Fact]
    public async Task AFormsStrings_DeclareTheLengthTheServerTakes()
    {
        var node = shared.Node;
        var document = JsonNode.Parse(await node.Client().GetStringAsync("/openapi/v1.json"))!;
        var schemas = document["components"]!["schemas"]!;
        int? Declared(string schema, string property) => (int?)schemas[schema]!["properties"]![property]!["maxLength"];
        Assert.Equal(TextInput.MaxLength, Declared("CreateCompetitionRequest", "name"));
        Assert.Equal(TextInput.MaxLength, Declared("CreateCompetitionRequest", "city"));
        Assert.Equal(100, Declared("CreateTokenRequest", "name"));
        Assert.Equal(500, Declared("StatusChangeRequest", "reason"));
        Assert.Equal(TextInput.MaxLength, Declared("RevokeRequest", "reason"));
        Assert.Equal(TextInput.MaxMultilineLength, Declared("UnlockRequest", "reason"));
        Assert.Null(schemas["LoginRequest"]!["properties"]!["password"]!["maxLength"]);
        // The setup imports' texts too (found by an outside tester): a roster's names 200, a scheme's title, ids and marking
        // days 200 and its names and descriptions 4,000; a batch of marks holds at least one, its counts from 0 up.
        Assert.Equal([TextInput.MaxLength, TextInput.MaxLength, TextInput.MaxLength, TextInput.MaxLength], new[] { Declared("SkillJson", "name"), Declared("SkillJson", "nameZh"), Declared("ExpertJson", "name"), Declared("GroupJson", "name") });
        var aspect = schemas["SchemeDto"]!["properties"]!["criteria"]!["items"]!["properties"]!["subCriteria"]!["items"]!["properties"]!["aspects"]!["items"]!["properties"]!;
        Assert.Equal([TextInput.MaxLength, TextInput.MaxLength, TextInput.MaxMultilineLength, TextInput.MaxMultilineLength, TextInput.MaxMultilineLength],
            new[] { Declared("SchemeDto", "title"), (int?)aspect["markingDay"]!["maxLength"], (int?)aspect["description"]!["maxLength"], (int?)aspect["extraDescription"]!["maxLength"], (int?)aspect["descriptors"]!["items"]!["maxLength"] });
        var codes = schemas["CodeStatesRequest"]!["properties"]!["codes"]!;
        Assert.Equal((1, Api.AuthApi.MaxCodesAsked, Api.AuthApi.MaxCodeLength), ((int)codes["minItems"]!, (int)codes["maxItems"]!, (int)codes["items"]!["maxLength"]!));
        var title = document["paths"]!["/api/competitions/{code}/skills/{number}/scheme"]!["put"]!["parameters"]!.AsArray().Single(p => (string?)p!["name"] == "title")!;
        Assert.Equal(TextInput.MaxLength, (int?)title["schema"]!["maxLength"]);
        var marks = schemas["MarksRequest"]!["properties"]!;
        Assert.Equal((1, 0, 0), ((int)marks["marks"]!["minItems"]!, (int)marks["deviceSequence"]!["minimum"]!, (int)marks["marks"]!["items"]!["properties"]!["deductions"]!["items"]!["minimum"]!));
        var competitors = document["paths"]!["/api/competitions/{code}/skills/{number}/competitors"]!["put"]!["requestBody"]!["content"]!["application/json"]!["schema"]!;
        Assert.Equal(Domain.Scoring.Import.RosterSize.MaxCompetitors, (int?)competitors["maxItems"]);
        // Strings of one form say it, not the text rule's 200 (found by an outside tester: a client built from the document sent
        // ids of 200 characters, a code of 200, an agency's site of 200, all refused).
        (int?, int?, string?) Form(string schema, string property) =>
            ((int?)schemas[schema]!["properties"]![property]!["minLength"], (int?)schemas[schema]!["properties"]![property]!["maxLength"], (string?)schemas[schema]!["properties"]![property]!["pattern"]);
        var id = (1, Domain.Marking.Identifiers.MaxLength, "^[A-Za-z0-9._-]*[A-Za-z0-9][A-Za-z0-9._-]*$");
        Assert.Equal([id, id, id, id, id], new[] { Form("CompetitorJson", "id"), Form("ExpertJson", "id"), Form("GroupJson", "id"), Form("MarksRequest", "competitorId"), Form("PairingCodeRequest", "expertId") });
        Assert.Equal(((int?)3, (int?)16, "^[A-Za-z0-9]{3,16}$"), Form("CreateCompetitionRequest", "code"));
        Assert.Equal([((int?)null, (int?)Domain.Text.SignInText.MaxUserNameLength, (string?)null), (null, Domain.Text.SignInText.MaxUserNameLength, null)],
            new[] { Form("LoginRequest", "userName"), Form("CreateAccountRequest", "userName") });
        Assert.Equal([((int?)4, (int?)4, "^[0-9]{4}$"), (2, 2, "^[0-9]{2}$"), (6, 6, "^[0-9]{6}$")],
            new[] { Form("CreateAgencyRequest", "agencyCode"), Form("CreateAgencyRequest", "province"), Form("CreateAgencyRequest", "site") });

        var organiser = await MarkingScenario.SignInAsync(node, "organiser-lengths", [Roles.Organiser]);
        foreach (var (length, taken) in new[] { (TextInput.MaxLength, true), (TextInput.MaxLength + 1, false) })
        {
            var sent = await organiser.PostAsJsonAsync("/api/competitions", new { code = NodeFixture.NewCode(), name = new string('n', length), city = "Lyon", country = "FR" });
            var problem = taken ? null : JsonNode.Parse(await sent.Content.ReadAsStringAsync());
            Assert.True(taken ? sent.StatusCode == HttpStatusCode.Created : sent.StatusCode == HttpStatusCode.UnprocessableEntity && Names(problem, "name"),
                $"a name of {length}: {(int)sent.StatusCode} {problem?.ToJsonString()}");
        }
    }

    [Fact]
    public async Task EveryLimit_DeclaresTheRangeTheServerTakes()
    {
        var node = shared.Node;
        var document = JsonNode.Parse(await node.Client().GetStringAsync("/openapi/v1.json"))!;
        var limits = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().SelectMany(m => (m.Value!["parameters"] as JsonArray ?? []).OfType<JsonObject>()
                .Where(q => (string?)q["in"] == "query" && (string?)q["name"] == "limit")
                .Select(q => (Path: p.Key, Method: m.Key, Min: (int?)q["schema"]!["minimum"], Max: (int?)q["schema"]!["maximum"]))))
            .ToList();
        Assert.Equal(5, limits.Count);
        Assert.All(limits, l => Assert.True(l.Min == 1 && l.Max > 1, $"{l.Method} {l.Path}: limit {l.Min}..{l.Max}"));
        Assert.Equal(1000, limits.Single(l => l.Path == "/api/security-audit").Max);

        var s = await MarkingScenario.CreateAsync(node, NodeFixture.NewCode());
        var admin = await MarkingScenario.SignInAsync(node, "admin-limits-" + s.Code.ToLowerInvariant(), [Roles.Admin]);
        const string agency = "S000031000078";
        await node.Services.GetRequiredService<AgencyStore>().CreateAgencyAsync(AgencyKey.Parse(agency), "OpenAPI limits agency",
            [(Certification.CertificationScenario.Welder, SkillLevel.Level5)], default);
        var officer = await MarkingScenario.SignInAsync(node, "officer-limits", [Roles.AgencyOfficer], agency);
        foreach (var (path, _, _, max) in limits)
        {
            var caller = path.StartsWith("/api/agency", StringComparison.Ordinal) ? officer : path == "/api/security-audit" ? admin : s.Organiser;
            var concrete = path.Replace("{code}", s.Code).Replace("{number}", "07").Replace("{id}", "1");
            // An exam session that does not exist is a 404: the limit was taken.
            var taken = await caller.GetAsync($"{concrete}?limit={max}");
            Assert.True(taken.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{concrete}?limit={max}: {(int)taken.StatusCode}");
            foreach (var bad in new[] { $"{max + 1}", "0", "-1", "ten", "99999999999" })
            {
                var refused = await caller.GetAsync($"{concrete}?limit={bad}");
                var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync());
                Assert.True(refused.StatusCode == HttpStatusCode.BadRequest && Names(problem, "limit"), $"{concrete}?limit={bad}: {(int)refused.StatusCode} {problem?.ToJsonString()}");
            }
        }
    }

    /// <summary>
    /// Found by an outside tester: a JSON write sent without a body was 415 on the endpoints that read their body themselves
    /// (no Content-Type) and 400 on those ASP.NET binds (it reads no Content-Type when there is no body). One rule
    /// (docs/operations.md, "A write without its body"): every operation whose JSON body is required answers 400 naming
    /// body, code bad-request, to an empty request with no Content-Type or one it takes; one naming another type is 415
    /// naming Content-Type, as ASP.NET's routing answers for the bodies it binds.
    /// </summary>
    [Fact]
    public async Task AWriteWithoutItsBody_Is400NamingBody_OnEveryJsonOperation()
    {
        var node = shared.Node;
        var document = JsonNode.Parse(await node.Client().GetStringAsync("/openapi/v1.json"))!;
        var operations = document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject()
                .Where(m => m.Value!["requestBody"] is { } body && (bool?)body["required"] == true && body["content"]?["application/json"] is not null)
                .Select(m => (Path: p.Key, Method: m.Key, Types: m.Value!["requestBody"]!["content"]!.AsObject().Select(c => c.Key).ToList())))
            .ToList();
        Assert.True(operations.Count > 25, $"{operations.Count} operations");
        var s = await MarkingScenario.CreateAsync(node, NodeFixture.NewCode());
        const string agency = "S000031000079";
        await node.Services.GetRequiredService<AgencyStore>().CreateAgencyAsync(AgencyKey.Parse(agency), "OpenAPI bodies agency",
            [(Certification.CertificationScenario.Welder, SkillLevel.Level5)], default);
        // The first caller the operation lets through: anyone, the organiser, an admin, an officer, a Chief Expert's tablet.
        HttpClient[] callers =
        [
            node.Client(), s.Organiser, await MarkingScenario.SignInAsync(node, "admin-bodies-" + s.Code.ToLowerInvariant(), [Roles.Admin]),
            await MarkingScenario.SignInAsync(node, "officer-bodies", [Roles.AgencyOfficer], agency), s.Experts["E-DE"],
        ];
        var wrong = new List<string>();
        foreach (var (path, method, types) in operations)
        {
            var concrete = path.Replace("/api/competitions/{code}/skills/{number}", s.Path).Replace("{code}", s.Code).Replace("{competition}", s.Code)
                .Replace("{deviceId}", Guid.Empty.ToString()).Replace("{target}", "A").Replace("{number}", "S000031000001255000001")
                .Replace("{id}", path.StartsWith("/api/agency", StringComparison.Ordinal) ? "1" : Guid.Empty.ToString());
            foreach (var contentType in new[] { null, "application/json", "text/plain" })
            {
                HttpResponseMessage? answer = null;
                foreach (var caller in callers)
                {
                    using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), concrete);
                    if (contentType is not null)
                    {
                        request.Content = new ByteArrayContent([]);
                        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
                    }
                    request.Headers.Add("Idempotency-Key", "no-body");
                    answer = await caller.SendAsync(request);
                    if (answer.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
                    {
                        break;
                    }
                }
                var text = await answer!.Content.ReadAsStringAsync();
                var problem = text.StartsWith('{') ? JsonNode.Parse(text) : null;
                var (status, field, code) = contentType is null || types.Contains(contentType)
                    ? (HttpStatusCode.BadRequest, "body", "bad-request") : (HttpStatusCode.UnsupportedMediaType, "Content-Type", "unsupported-media-type");
                if (answer.StatusCode != status || (string?)problem?["field"] != field || (string?)problem?["code"] != code)
                {
                    wrong.Add($"{method} {path} ({contentType ?? "no Content-Type"}): {(int)answer.StatusCode} {text}");
                }
            }
        }
        Assert.True(wrong.Count == 0, $"{wrong.Count} answers:\n{string.Join("\n", wrong)}");
    }

    /// <summary>
    /// A body that stops arriving (Kestrel's minimum data rate: 240 bytes a second after a 5 s grace) is a 408 titled as
    /// such, naming the body and saying to send it again, as the document declares (found by an outside tester: "Bad
    /// request", blaming the body's shape, and declared nowhere).
    /// </summary>
    [Fact]
    public async Task ABodyThatStopsArriving_Is408_SayingToSendItAgain()
    {
        var node = shared.Node;
        var document = JsonNode.Parse(await node.Client().GetStringAsync("/openapi/v1.json"))!;
        Assert.NotNull(document["paths"]!["/api/auth/login"]!["post"]!["responses"]!["408"]);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(node.BaseAddress.Host, node.BaseAddress.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{\"userName\": \"someo"));
        using var reader = new StreamReader(stream);
        var answer = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.StartsWith("HTTP/1.1 408", answer);
        // The problem, whether its body came in chunks or whole.
        var problem = JsonNode.Parse(answer[answer.IndexOf('{', StringComparison.Ordinal)..(answer.LastIndexOf('}') + 1)])!;
        Assert.Equal(("Request Timeout", "body"), ((string?)problem["title"], (string?)problem["field"]));
        Assert.Contains("Send it again", (string?)problem["detail"]);
    }

    /// <summary>
    /// Found by an outside tester: <c>GET /api/competitions/%00</c> answers a bare 400 without problem details. Kestrel
    /// refuses a request target whose path decodes to NUL while parsing the request line ("Invalid request target", its
    /// BadRequest diagnostic event), before any middleware runs: the answer carries none of the headers every answer of
    /// the app's pipeline has, so no middleware can make it a problem, and none tries (docs/security.md, "Bad input").
    /// Any other control character reaches the app and is its 404 problem naming the route value. Pinned, so that a
    /// Kestrel that lets NUL through is noticed: the app's route value check would then have to name it.
    /// </summary>
    [Fact]
    public async Task ANulInAPath_IsRefusedByKestrelBeforeTheApp_AnotherControlCharacterIsTheAppsProblem()
    {
        var node = shared.Node;
        async Task<string> Raw(string target)
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(node.BaseAddress.Host, node.BaseAddress.Port);
            var stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
            using var reader = new StreamReader(stream);
            return await reader.ReadToEndAsync();
        }
        var rejected = new List<string>();
        using var subscription = DiagnosticListener.AllListeners.Subscribe(new Observer<DiagnosticListener>(listener =>
        {
            if (listener.Name == "Microsoft.AspNetCore")
            {
                listener.Subscribe(new Observer<KeyValuePair<string, object?>>(e =>
                {
                    if (e.Key == "Microsoft.AspNetCore.Server.Kestrel.BadRequest"
                        && (e.Value as Microsoft.AspNetCore.Http.Features.IFeatureCollection)?.Get<Microsoft.AspNetCore.Http.Features.IBadRequestExceptionFeature>()?.Error is { } error)
                    {
                        lock (rejected)
                        {
                            rejected.Add(error.Message);
                        }
                    }
                }), name => name == "Microsoft.AspNetCore.Server.Kestrel.BadRequest");
            }
        }));
        foreach (var target in new[] { "/api/competitions/%00", "/api/competitions/WSC%002024" })
        {
            var answer = await Raw(target);
            Assert.StartsWith("HTTP/1.1 400", answer);
            Assert.DoesNotContain("X-Content-Type-Options", answer, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("Content-Length: 0", answer);
        }
        lock (rejected)
        {
            Assert.True(rejected.Count(m => m.StartsWith("Invalid request target", StringComparison.Ordinal)) >= 2, string.Join("; ", rejected));
        }
        // A request line over Kestrel's limit is Kestrel's too (docs/security.md, "Bad input"; an outside tester asked).
        var tooLong = await Raw("/api/competitions/" + new string('a', 10 * 1024));
        Assert.StartsWith("HTTP/1.1 414", tooLong);
        Assert.Contains("Content-Length: 0", tooLong);
        // The same route with U+0001 is the app's: its headers, and a problem naming the route value.
        var app = await Raw("/api/competitions/%01");
        Assert.StartsWith("HTTP/1.1 404", app);
        Assert.Contains("X-Content-Type-Options", app, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"field\":\"code\"", app);
    }

    sealed class Observer<T>(Action<T> next) : IObserver<T>
    {
        public void OnCompleted() { }

        public void OnError(Exception error) { }

        public void OnNext(T value) => next(value);
    }
}
