using System.Net;
using System.Text;

namespace SkillsHub.Server.Tests;

/// <summary>Formula injection (docs/security.md): names imported as formulas leave in results.csv as text.</summary>
[Collection(ServerCollection.Name)]
public sealed class CsvSafetyTests(NodeFixture shared) : IClassFixture<NodeFixture>
{
    [Fact]
    public async Task ResultsCsv_NeutralisesFormulaNames_AndKeepsNumbersAsNumbers()
    {
        var scenario = await MarkingScenario.CreateAsync(shared.Node, NodeFixture.NewCode());
        var competitors = """
            id,member,first_name,last_name
            FR-07,FR,=cmd|'/C calc'!A0,Martin
            CN-07,CN,Wei,+SUM(1+1)
            KR-07,KR,@Minjun,-Kim
            """;
        var import = await scenario.Organiser.PutAsync($"{scenario.Path}/competitors", new StringContent(competitors, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scenario.MarkAsync(scenario.Experts["E-FR"], "KR-07", "csv-safe-1", new { aspectId = "A1.1", achieved = true })).StatusCode);

        var csv = await scenario.Organiser.GetStringAsync($"/api/competitions/{scenario.Code}/results.csv");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => l.Contains("\"'=cmd|'/C calc'!A0\",Martin", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(",Wei,\"'+SUM(1+1)\",", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"'@Minjun\",\"'-Kim\",", StringComparison.Ordinal));
        // No cell anywhere starts with a formula character unescaped; the scores are plain numbers.
        foreach (var line in lines.Skip(1))
        {
            foreach (var cell in line.Split(','))
            {
                Assert.False(cell.Length > 0 && "=+@\t".Contains(cell[0]), line);
            }
            Assert.Matches("^[0-9]+(\\.[0-9]+)?$", line.Split(',')[^1]);
        }
    }
}
