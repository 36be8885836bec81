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

    /// <summary>
    /// A code name the docs give as <c>Type.Member</c>, where the type is SkillsHub's, still names something: found in review,
    /// deployment.md named a method of PostgresBinaries by the name it had before it became <c>RunQuietAsync</c>. A test
    /// named by its beginning (<c>SessionTests.PushesPerSecond_…</c>) must begin a name.
    /// </summary>
    [Fact]
    public void EveryMemberTheDocsName_Exists()
    {
        var (named, missing) = DocsCitations.CheckCodeNames(Shell.RepoRoot);
        Assert.True(missing.Count == 0, string.Join("\n", missing));
        Assert.True(named > 100, $"only {named} code names found: has the layout changed?");
    }

    [Fact]
    public void TheCheck_FindsAMemberThatIsNotThere()
    {
        using var tree = new Tree();
        tree.Write("src", "Thing.cs", "sealed class Thing { void Run() { } void Pushes_AreFew() { } }\n");
        tree.Write("docs", "rules.md", "`Thing.Run` runs; `Thing.Pushes_…` and `Thing.Pushes_` name a test by its start; `Thing.Gone` went; `Other.Gone` is not ours.\n");
        var (named, missing) = DocsCitations.CheckCodeNames(tree.Root);
        Assert.Equal(4, named);
        Assert.Equal([string.Join('/', "docs", "rules.md: Thing.Gone")], missing); // joined, so that this file cites no document
    }

    [Fact]
    public void TheCheck_FindsASectionThatIsNotThere()
    {
        using var tree = new Tree();
        tree.Write("docs", "rules.md", "# Rules\n\n## Jobs (the runner)\n\n- **Names.** How names are shown.\n");
        // Written with {{d}} for the folder, so that this file cites no document itself.
        const string d = "docs";
        tree.Write("src", "A.cs", $$"""
            /// See {{d}}/rules.md, "Jobs" and "Names"; a wrapped one ({{d}}/rules.md, "Jobs
            /// (the runner)").
            /// Gone: {{d}}/rules.md, "Rating". Missing: {{d}}/other.md. In brackets: {{d}}/rules.md ("Names"), {{d}}/rules.md ("Teams").
            /// The other way round: see "Jobs" in {{d}}/rules.md; and "Levels" in {{d}}/rules.md.
            class A { string s = "{{d}}/rules.md"; }
            """);
        var (cited, dangling) = DocsCitations.Check(tree.Root);
        Assert.Equal(11, cited); // each naming of the document counts, with its sections or without
        Assert.Equal(
            [
                $"src/A.cs: {d}/rules.md, \"Rating\" is no section of it", $"src/A.cs: {d}/other.md does not exist",
                $"src/A.cs: {d}/rules.md, \"Teams\" is no section of it", $"src/A.cs: {d}/rules.md, \"Levels\" is no section of it",
            ],
            dangling);
    }

    /// <summary>A throwaway repository with docs/ and src/, deleted when the test ends.</summary>
    sealed class Tree : IDisposable
    {
        public string Root { get; } = Directory.CreateTempSubdirectory("skillshub-docs-check-").FullName;

        public Tree()
        {
            Directory.CreateDirectory(Path.Combine(Root, "docs"));
            Directory.CreateDirectory(Path.Combine(Root, "src"));
        }

        public void Write(string folder, string name, string text) => File.WriteAllText(Path.Combine(Root, folder, name), text);

        public void Dispose() => Directory.Delete(Root, recursive: true);
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

    /// <summary><c>`Type.Member`</c> in docs/ and README, optionally with <c>…</c> after it: a name given by its beginning.</summary>
    static readonly Regex CodeName = new(@"`([A-Z][A-Za-z0-9]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+)(…|\.\.\.)?", RegexOptions.Compiled);
    static readonly Regex Declared = new(@"\b(?:class|record|struct|interface|enum)\s+([A-Z][A-Za-z0-9_]*)", RegexOptions.Compiled);
    static readonly Regex Identifier = new(@"[A-Za-z_][A-Za-z0-9_]*", RegexOptions.Compiled);

    /// <summary>How many <c>Type.Member</c> names of SkillsHub's types the docs give, and those whose member no code has.</summary>
    public static (int Named, List<string> Missing) CheckCodeNames(string root)
    {
        var code = string.Join("\n", Under(root, ["src", "tests", "bench"]).Where(f => Path.GetExtension(f) is ".cs" or ".ts").Select(File.ReadAllText));
        var types = Declared.Matches(code).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var words = Identifier.Matches(code).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
        var named = 0;
        var missing = new List<string>();
        var docs = Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md").Append(Path.Combine(root, "README.md")).Where(File.Exists);
        foreach (var doc in docs.Order(StringComparer.Ordinal))
        {
            foreach (Match m in CodeName.Matches(File.ReadAllText(doc)))
            {
                var parts = m.Groups[1].Value.Split('.');
                if (!types.Contains(parts[0]))
                {
                    continue;
                }
                named++;
                var last = parts[^1];
                var byBeginning = m.Groups[2].Success || last.EndsWith('_');
                if (!parts[1..^1].All(words.Contains) || !(byBeginning ? words.Any(w => w.StartsWith(last, StringComparison.Ordinal)) : words.Contains(last)))
                {
                    missing.Add($"{Path.GetRelativePath(root, doc).Replace('\\', '/')}: {m.Groups[1].Value}{m.Groups[2].Value}");
                }
            }
        }
        return (named, missing);
    }

    static List<string> Sections(string markdown) =>
    [
        .. markdown.Split('\n').Where(line => line.StartsWith('#')).Select(line => line.TrimStart('#').Trim()),
        .. Bold.Matches(markdown).Select(m => m.Groups[1].Value.Trim().TrimEnd('.', ':').Trim()),
    ];

    static IEnumerable<string> Files(string root) =>
        Under(root, Folders)
            .Concat(Directory.EnumerateFiles(root, "*.md")).Concat(Directory.EnumerateFiles(root, "*.sh")).Concat(Directory.EnumerateFiles(root, "*.props"))
            .Where(f => Kinds.Contains(Path.GetExtension(f)))
            .Order(StringComparer.Ordinal);

    /// <summary>The files under the given folders of <paramref name="root"/>, never entering a skipped folder (build output, node_modules).</summary>
    static IEnumerable<string> Under(string root, IEnumerable<string> folders)
    {
        var pending = new Stack<string>(folders.Select(f => Path.Combine(root, f)).Where(Directory.Exists));
        while (pending.TryPop(out var folder))
        {
            foreach (var file in Directory.EnumerateFiles(folder))
            {
                yield return file;
            }
            foreach (var sub in Directory.EnumerateDirectories(folder).Where(d => !Skipped.Contains(Path.GetFileName(d))))
            {
                pending.Push(sub);
            }
        }
    }
}
