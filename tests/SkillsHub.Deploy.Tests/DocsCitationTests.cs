using System.Text.RegularExpressions;

namespace SkillsHub.Deploy.Tests;

/// <summary>
/// Comments and documents cite the rules they follow as a docs/ file and a quoted section; a citation is only useful when
/// that section exists. Every cited document is in docs/, and every cited section is one of its headings or one of its
/// bold lead-ins (<c>**Names.**</c>), whole or up to a qualifier (<c>"Jobs"</c> for "Jobs (CertificationJobs)").
/// Found in review: 35 citations named sections that had been renamed, merged or never written.
/// </summary>
public sealed class DocsCitationTests
{
    [Fact]
    public void EveryCitedSection_IsInItsDocument()
    {
        var (cited, dangling) = DocsCitations.Check(Shell.RepoRoot);
        Assert.True(dangling.Count == 0, string.Join("\n", dangling));
        Assert.True(cited > 500, $"only {cited} citations found: has the layout changed?");
    }

    [Fact]
    public void TheCheck_FindsASectionThatIsNotThere()
    {
        var root = Directory.CreateTempSubdirectory("skillshub-citations-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "docs"));
            Directory.CreateDirectory(Path.Combine(root, "src"));
            File.WriteAllText(Path.Combine(root, "docs", "rules.md"), "# Rules\n\n## Jobs (the runner)\n\n- **Names.** How names are shown.\n");
            // Written with {{d}} for the folder, so that this file cites no document itself.
            const string d = "docs";
            File.WriteAllText(Path.Combine(root, "src", "A.cs"), $$"""
                /// See {{d}}/rules.md, "Jobs" and "Names"; a wrapped one ({{d}}/rules.md, "Jobs
                /// (the runner)").
                /// Gone: {{d}}/rules.md, "Rating". Missing: {{d}}/other.md. In brackets: {{d}}/rules.md ("Names"), {{d}}/rules.md ("Teams").
                /// The other way round: see "Jobs" in {{d}}/rules.md; and "Levels" in {{d}}/rules.md.
                class A { string s = "{{d}}/rules.md"; }
                """);
            var (cited, dangling) = DocsCitations.Check(root);
            Assert.Equal(11, cited); // each naming of the document counts, with its sections or without
            Assert.Equal(
                [
                    $"src/A.cs: {d}/rules.md, \"Rating\" is no section of it", $"src/A.cs: {d}/other.md does not exist",
                    $"src/A.cs: {d}/rules.md, \"Teams\" is no section of it", $"src/A.cs: {d}/rules.md, \"Levels\" is no section of it",
                ],
                dangling);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}

/// <summary>Finds the citations of docs/ under a repository whose document or section does not exist.</summary>
static class DocsCitations
{
    static readonly string[] Folders = ["src", "tests", "deploy", "scripts", "docs", "bench"];
    static readonly string[] Kinds = [".cs", ".ts", ".css", ".html", ".sh", ".props", ".csproj", ".sql", ".yaml", ".yml", ".conf", ".md"];
    static readonly string[] Skipped = ["bin", "obj", "node_modules", "dist", ".playwright"];

    /// <summary>A line break with the next line's comment marker: a citation may wrap inside a comment.</summary>
    static readonly Regex Wrap = new(@"\n[ \t]*(///|//|\*|#|--)[ \t]*", RegexOptions.Compiled);
    /// <summary>A document and the sections after it, "One" and "Two" or ("One"); or a section, then "in" and the document.</summary>
    static readonly Regex Citation = new(@"docs/([\w.-]+\.md)((?:\s*,?\s*\(?(?:and\s+)?""[^""]+"")*)", RegexOptions.Compiled);
    static readonly Regex SectionFirst = new(@"""([^""]+)"" in docs/([\w.-]+\.md)", RegexOptions.Compiled);
    static readonly Regex Quoted = new(@"""([^""]+)""", RegexOptions.Compiled);
    static readonly Regex Bold = new(@"\*\*([^*\n]+)\*\*", RegexOptions.Compiled);

    /// <summary>How many citations the repository holds, and those that name no document or section of it.</summary>
    public static (int Cited, List<string> Dangling) Check(string root)
    {
        var cited = 0;
        var docs = Path.Combine(root, "docs");
        var sections = Directory.EnumerateFiles(docs, "*.md").ToDictionary(f => Path.GetFileName(f), f => Sections(File.ReadAllText(f)));
        var found = new List<string>();
        foreach (var file in Files(root))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            var text = Wrap.Replace(File.ReadAllText(file).Replace("\r\n", "\n"), " ");
            var citations = Citation.Matches(text).Select(m => (Doc: m.Groups[1].Value, Sections: Quoted.Matches(m.Groups[2].Value).Select(q => q.Groups[1].Value)))
                .Concat(SectionFirst.Matches(text).Select(m => (Doc: m.Groups[2].Value, Sections: (IEnumerable<string>)[m.Groups[1].Value])));
            foreach (var (doc, quoted) in citations)
            {
                cited++;
                if (!sections.TryGetValue(doc, out var headings))
                {
                    found.Add($"{relative}: docs/{doc} does not exist");
                    continue;
                }
                foreach (var section in quoted.Select(q => Regex.Replace(q, @"\s+", " ")))
                {
                    if (!headings.Any(h => h == section || (h.StartsWith(section, StringComparison.Ordinal) && " :([,.".Contains(h[section.Length]))))
                    {
                        found.Add($"{relative}: docs/{doc}, \"{section}\" is no section of it");
                    }
                }
            }
        }
        return (cited, found);
    }

    static List<string> Sections(string markdown) =>
    [
        .. markdown.Split('\n').Where(line => line.StartsWith('#')).Select(line => line.TrimStart('#').Trim()),
        .. Bold.Matches(markdown).Select(m => m.Groups[1].Value.Trim().TrimEnd('.', ':').Trim()),
    ];

    static IEnumerable<string> Files(string root) =>
        Folders.Select(f => Path.Combine(root, f)).Where(Directory.Exists)
            .SelectMany(f => Directory.EnumerateFiles(f, "*", SearchOption.AllDirectories))
            .Concat(Directory.EnumerateFiles(root, "*.md")).Concat(Directory.EnumerateFiles(root, "*.sh")).Concat(Directory.EnumerateFiles(root, "*.props"))
            .Where(f => Kinds.Contains(Path.GetExtension(f)))
            .Where(f => !Path.GetRelativePath(root, f).Split(Path.DirectorySeparatorChar).Any(Skipped.Contains))
            .Order(StringComparer.Ordinal);
}
