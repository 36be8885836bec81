using System.Net;
using System.Text;
using System.Text.Json;

namespace SkillsHub.Server.Tests;

/// <summary>Formula injection (docs/security.md): names imported as formulas leave in results.csv as text.</summary>
[Collection(ServerCollection.Interop)]
public sealed class CsvSafetyTests(NodeFixture shared) : IClassFixture<NodeFixture>
{
    [Fact]
    public async Task ResultsCsv_NeutralisesFormulaNames_AndKeepsNumbersAsNumbers()
    {
        var scenario = await MarkingScenario.CreateAsync(shared.Node, NodeFixture.NewCode());
        var competitors = """
            id,member,first_name,last_name
            FR-07,FR,=cmd|'/C calc'!A0,Martin;=1+1
            CN-07,CN,Wei,+SUM(1+1)
            KR-07,KR,@Minjun,-Kim
            """;
        var import = await scenario.Organiser.PutAsync($"{scenario.Path}/competitors", new StringContent(competitors, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scenario.MarkAsync(scenario.Experts["E-FR"], "KR-07", "csv-safe-1", new { aspectId = "A1.1", achieved = true })).StatusCode);
        Assert.True(await scenario.DecidedAsync()); // an undecided skill is not in the CSV

        var csv = await DownloadAsync(scenario.Organiser, $"/api/competitions/{scenario.Code}/results.csv", $"{scenario.Code}-results.csv");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => l.Contains("\"'=cmd|'/C calc'!A0\",\"Martin;'=1+1\"", StringComparison.Ordinal));
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
            // Nor where a spreadsheet splitting at semicolons starts one (found by an outside tester: "Martin;=1+1" read
            // as a cell "=1+1" in a German Excel).
            Assert.All(line.Split(';').Skip(1), cell => Assert.DoesNotMatch("^[ \"]*[=+\\-@]", cell));
        }
    }

    [Fact]
    public async Task SchemeCsvExport_NeutralisesFormulas_AndReimportsItselfLosslessly()
    {
        var scenario = await MarkingScenario.CreateAsync(shared.Node, NodeFixture.NewCode());
        var formulas = MarkingScenario.SchemeJson
            .Replace("\"name\":\"Machining\"", "\"name\":\"=cmd|'/C calc'!A0;@SUM(1);'=2\"", StringComparison.Ordinal)
            .Replace("\"description\":\"Surface finish\"", "\"description\":\"+SUM(1+1)\"", StringComparison.Ordinal)
            .Replace("\"Poor\",\"Acceptable\"", "\"-Poor\",\"'@Acceptable\"", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await scenario.Organiser.PutAsync($"{scenario.Path}/scheme", new StringContent(formulas, Encoding.UTF8, "application/json"))).StatusCode);
        var stored = await scenario.Organiser.GetStringAsync($"{scenario.Path}/scheme");

        var csv = await DownloadAsync(scenario.Organiser, $"{scenario.Path}/scheme?format=csv", $"{scenario.Code}-07-scheme.csv");
        // Every record ends in CRLF (RFC 4180).
        Assert.EndsWith("\r\n", csv, StringComparison.Ordinal);
        Assert.DoesNotMatch("[^\r]\n", csv.Replace("\r\n", "", StringComparison.Ordinal) + "x");
        Assert.Contains(",\"'=cmd|'/C calc'!A0;'@SUM(1);''=2\",", csv, StringComparison.Ordinal);
        Assert.Contains(",'+SUM(1+1),", csv, StringComparison.Ordinal);
        Assert.Contains(",'-Poor,", csv, StringComparison.Ordinal);
        Assert.Contains(",''@Acceptable,", csv, StringComparison.Ordinal);
        Assert.Contains(",40.00,", csv, StringComparison.Ordinal);
        foreach (var cell in csv.Split("\r\n").SelectMany(line => line.Split(',')))
        {
            Assert.False(cell.Length > 0 && "=+-@\t\r".Contains(cell[0]), cell);
        }

        // The export goes back in as it came out: the same scheme, the escapes undone.
        var title = JsonDocument.Parse(stored).RootElement.GetProperty("title").GetString()!;
        var reimport = await scenario.Organiser.PutAsync($"{scenario.Path}/scheme?title={Uri.EscapeDataString(title)}", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.True(reimport.StatusCode == HttpStatusCode.OK, await reimport.Content.ReadAsStringAsync());
        Assert.Equal(stored, await scenario.Organiser.GetStringAsync($"{scenario.Path}/scheme"));
    }

    [Fact]
    public async Task JudgingReportCsv_NeutralisesFormulaNames()
    {
        var scenario = await MarkingScenario.CreateAsync(shared.Node, NodeFixture.NewCode());
        var experts = MarkingScenario.ExpertsCsv.Replace("Sato Ken", "\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"", StringComparison.Ordinal).Replace("Li Na", "@Li Na", StringComparison.Ordinal);
        var import = await scenario.Organiser.PutAsync($"{scenario.Path}/experts", new StringContent(experts, Encoding.UTF8, "text/csv"));
        Assert.True(import.StatusCode == HttpStatusCode.OK, await import.Content.ReadAsStringAsync());

        foreach (var path in new[] { $"{scenario.Path}/judging-report.csv", $"/api/competitions/{scenario.Code}/judging-report.csv" })
        {
            var csv = await DownloadAsync(scenario.Organiser, path, "-judging-report.csv");
            Assert.Contains(",E-JP,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",", csv, StringComparison.Ordinal);
            Assert.Contains(",E-CN,\"'@Li Na\",", csv, StringComparison.Ordinal);
        }
    }

    /// <summary>A CSV download as every one is served: UTF-8 with a byte-order mark, text/csv; charset=utf-8, an attachment's file name.</summary>
    static async Task<string> DownloadAsync(HttpClient http, string path, string fileNameEnd)
    {
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.EndsWith(fileNameEnd, response.Content.Headers.ContentDisposition?.FileName?.Trim('"') ?? "", StringComparison.Ordinal);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(bytes.AsSpan().StartsWith(Encoding.UTF8.GetPreamble()), path);
        return Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
    }
}
