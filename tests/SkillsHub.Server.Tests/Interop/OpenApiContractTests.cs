using System.Text.Json.Nodes;

namespace SkillsHub.Server.Tests.Interop;

/// <summary>The OpenAPI document clients generate from: ids, security, problem responses, Idempotency-Key, numbers as numbers.</summary>
[Collection(ServerCollection.Interop)]
public sealed class OpenApiContractTests(NodeFixture shared) : IClassFixture<NodeFixture>
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
        var document = JsonNode.Parse(await node.Client().GetStringAsync("/openapi/v1.json"))!;
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
        foreach (var status in new[] { "400", "401", "403", "422" })
        {
            Assert.NotNull(marks["responses"]![status]!["content"]!["application/problem+json"]);
        }
        Assert.Contains(marks["security"]!.AsArray(), s => s!.AsObject().ContainsKey("tablet"));

        var publicRead = operations.Single(o => o.Method == "get" && o.Path == "/api/competitions").Operation;
        // Anonymous on purpose: one empty requirement (OpenAPI's "no credentials"), not a missing one.
        var anonymous = Assert.Single(publicRead["security"]!.AsArray());
        Assert.Empty(anonymous!.AsObject());
        var accounts = operations.Single(o => o.Method == "get" && o.Path == "/api/accounts").Operation;
        Assert.Contains(accounts["security"]!.AsArray(), s => s!.AsObject().ContainsKey("session"));
    }
}
