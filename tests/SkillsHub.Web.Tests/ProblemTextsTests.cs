using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using SkillsHub.Abstractions;
using SkillsHub.Domain;
using SkillsHub.Server.Hosting;
using SkillsHub.Server.Platform;

namespace SkillsHub.Web.Tests;

/// <summary>
/// Every code the server can send has a Chinese and an English text in the pages' table
/// (src/SkillsHub.Web/src/kernel/problem-texts.json; docs/pages.md, "Languages"), so a new code without a
/// translation fails here. The codes: import row codes (<see cref="RowCodes"/>, by reflection), mark
/// refusals (<see cref="RefusalKind"/>, by reflection), ASP.NET's default titles for bare status codes (by
/// reflection on its defaults table), and the titles and explicit codes the server's source writes (problem
/// codes are the titles' slugs, <see cref="ProblemCodes.Slug"/>).
/// </summary>
public sealed partial class ProblemTextsTests
{
    static DirectoryInfo Repo()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "src", "SkillsHub.Web", "src", "kernel")))
            {
                return dir;
            }
        }
        throw new DirectoryNotFoundException("The repository (src/SkillsHub.Web) was not found above the test's folder.");
    }

    static Dictionary<string, (string En, string Zh)> Table()
    {
        var path = Path.Combine(Repo().FullName, "src", "SkillsHub.Web", "src", "kernel", "problem-texts.json");
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return json.RootElement.EnumerateObject().ToDictionary(p => p.Name,
            p => (p.Value.TryGetProperty("en", out var en) ? en.GetString() ?? "" : "", p.Value.TryGetProperty("zh", out var zh) ? zh.GetString() ?? "" : ""));
    }

    public static IEnumerable<string> RowCodeConstants() =>
        typeof(RowCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!);

    /// <summary>The codes the server names as constants (a job's failure, a full node, ...).</summary>
    static IEnumerable<string> NamedCodes() =>
        new[] { typeof(ProblemCodes), typeof(ConnectionLimits) }.SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!);

    static IEnumerable<string> RefusalCodes() => Enum.GetNames<RefusalKind>().Select(ProblemCodes.Refusal);

    /// <summary>Titles ASP.NET gives a problem that has only a status (404 for an unknown route, 405, 415, ...).</summary>
    static IEnumerable<string> FrameworkStatusCodes()
    {
        var defaults = typeof(ProblemDetailsOptions).Assembly.GetType("Microsoft.AspNetCore.Http.ProblemDetailsDefaults")
            ?.GetField("Defaults", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)?.GetValue(null) as System.Collections.IDictionary;
        Assert.True(defaults is { Count: > 0 }, "ASP.NET's ProblemDetailsDefaults.Defaults table was not found: find the new place of the default problem titles.");
        foreach (System.Collections.DictionaryEntry entry in defaults!)
        {
            var title = (string?)entry.Value!.GetType().GetField("Item2")?.GetValue(entry.Value);
            yield return ProblemCodes.Slug(title) ?? $"http-{entry.Key}";
        }
    }

    [GeneratedRegex("""(?:\b[Tt]itle\s*[:=]\s*|(?:Problems\.|[^.\w])(?:NotFound|Conflict|Unprocessable)\(\s*|\b(?:RowErrors|WithRows)\(\s*|Refuse\(context,\s*|WriteAsync\(httpContext,\s*StatusCodes\.\w+,\s*)"([^"{}]+)"|"([^"{}]+ was not imported)"|\["code"\]\s*=\s*"([^"]+)(?=")""")]
    private static partial Regex TitleInSource();

    /// <summary>The codes of the titles the server's source writes (a mark refusal's title is replaced by its own code).</summary>
    static IEnumerable<string> SourceCodes()
    {
        var server = Path.Combine(Repo().FullName, "src", "SkillsHub.Server");
        foreach (var file in Directory.EnumerateFiles(server, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            foreach (Match m in TitleInSource().Matches(File.ReadAllText(file)))
            {
                var title = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Success ? m.Groups[2].Value : null;
                if (title is not null && Path.GetFileName(file) is not ("OpenApiContract.cs" or "JobsRegistration.cs"))
                {
                    yield return ProblemCodes.Slug(title)!;
                }
                else if (m.Groups[3].Success)
                {
                    yield return m.Groups[3].Value;
                }
            }
        }
    }

    [Fact]
    public void EveryCodeTheServerSends_HasAChineseAndAnEnglishText()
    {
        var table = Table();
        var sourceCodes = SourceCodes().ToHashSet();
        // The scan must keep finding the server's titles (a renamed helper would otherwise hide new ones).
        Assert.Contains("unknown-skill", sourceCodes);
        Assert.Contains("the-competitors-file-was-not-imported", sourceCodes);
        Assert.Contains("cross-site-request-refused", sourceCodes);
        Assert.Contains("database-unavailable", sourceCodes);
        Assert.Contains("invalid-request", sourceCodes);
        var codes = RowCodeConstants().Concat(NamedCodes()).Concat(RefusalCodes()).Concat(FrameworkStatusCodes()).Concat(sourceCodes).Append("network").ToHashSet();
        Assert.True(RowCodeConstants().Count() > 80, "RowCodes lost its constants?");

        var missing = codes.Where(c => !table.TryGetValue(c, out var text) || string.IsNullOrWhiteSpace(text.En) || string.IsNullOrWhiteSpace(text.Zh)).Order().ToList();
        Assert.True(missing.Count == 0, $"Codes without a Chinese and English text in src/SkillsHub.Web/src/kernel/problem-texts.json: {string.Join(", ", missing)}");
    }

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();

    [Fact]
    public void Texts_AreChineseInChinese_AndUseOnlyTheArgumentsTheEnglishNames()
    {
        foreach (var (code, (en, zh)) in Table())
        {
            Assert.True(Regex.IsMatch(zh, @"\p{IsCJKUnifiedIdeographs}"), $"{code}: the Chinese text has no Chinese: {zh}");
            var enArgs = Placeholder().Matches(en).Select(m => m.Groups[1].Value).ToHashSet();
            var extra = Placeholder().Matches(zh).Select(m => m.Groups[1].Value).Where(a => !enArgs.Contains(a)).ToList();
            Assert.True(extra.Count == 0, $"{code}: the Chinese text uses {string.Join(", ", extra)}, which the English does not");
        }
    }
}
