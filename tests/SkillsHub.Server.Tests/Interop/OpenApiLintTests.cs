using Xunit.Abstractions;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SkillsHub.Server.Tests.Interop;

/// <summary>
/// The OpenAPI document as independent tools see it (docs/operations.md, "API contract"): redocly CLI's recommended
/// rules find no error, and the front end's committed copy (src/SkillsHub.Web/openapi.json, from which the build
/// generates the pages' API types) is the document the server serves.
/// </summary>
[Collection(ServerCollection.Interop)]
public sealed class OpenApiLintTests(NodeFixture shared, ITestOutputHelper output) : IClassFixture<NodeFixture>
{
    /// <summary>Set to 1 to rewrite the front end's snapshot from the server (then commit it).</summary>
    const string UpdateVariable = "SKILLSHUB_UPDATE_OPENAPI";

    [Fact]
    public async Task Document_PassesRedoclyRecommendedRules_AndEqualsTheFrontEndsSnapshot()
    {
        var node = shared.Node;
        var text = await node.Client().GetStringAsync("/openapi/v1.json");
        var file = Path.Combine(Path.GetTempPath(), $"skillshub-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, text);
        try
        {
            var (_, stdout, stderr) = await NodeTool.RunAsync("node_modules/@redocly/cli/bin/cli.js", "lint", file, "--extends", "recommended", "--format", "json", "--max-problems", "1000");
            var start = stdout.IndexOf('{');
            Assert.True(start >= 0, $"redocly wrote no report: {stdout} {stderr}");
            var report = JsonNode.Parse(stdout[start..])!;
            var problems = report["problems"]!.AsArray().Select(p => (Severity: (string)p!["severity"]!, Rule: (string)p["ruleId"]!, Message: (string)p["message"]!, Where: (string?)p["location"]?[0]?["pointer"])).ToList();
            foreach (var group in problems.GroupBy(p => (p.Severity, p.Rule)))
            {
                output.WriteLine($"{group.Key.Severity} {group.Key.Rule}: {group.Count()} (e.g. {group.First().Where}: {group.First().Message})");
            }
            var errors = problems.Where(p => p.Severity == "error").Select(p => $"{p.Rule} at {p.Where}: {p.Message}").ToList();
            Assert.True(errors.Count == 0, $"{errors.Count} redocly errors:\n{string.Join('\n', errors.Take(30))}");
        }
        finally
        {
            File.Delete(file);
        }

        // The committed snapshot the front end builds its types from (the server's local address left out).
        var served = JsonNode.Parse(text)!.AsObject();
        served.Remove("servers");
        var snapshotPath = Path.Combine(NodeTool.Folder, "..", "..", "src", "SkillsHub.Web", "openapi.json");
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(snapshotPath, served.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
        }
        var snapshot = JsonNode.Parse(await File.ReadAllTextAsync(snapshotPath));
        Assert.True(JsonNode.DeepEquals(served, snapshot),
            $"src/SkillsHub.Web/openapi.json differs from the served document: run this test with {UpdateVariable}=1, rebuild the front end (its types are generated from the file) and commit both.");
    }
}
