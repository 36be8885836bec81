namespace SkillsHub.Deploy.Tests;

/// <summary>
/// The server's folders keep one direction (README, "Folders of src/SkillsHub.Server"): Hosting is the composition
/// root, Platform refers to no other folder, and no two folders refer to each other. scripts/folder-references.sh
/// lists the references and exits 1 on a pair printed both ways.
/// </summary>
public sealed class StructureTests
{
    static readonly string Script = Path.Combine(Shell.RepoRoot, "scripts", "folder-references.sh");

    [Fact]
    public async Task ServerFolders_HaveNoBackReference()
    {
        var run = await Shell.ExecAsync("bash", [Script]);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Hosting -> Platform", run.Output);
        Assert.DoesNotContain("back-reference", run.Output);
        Assert.DoesNotMatch(@"(?m)^Platform -> ", run.Output);
    }

    [Fact]
    public async Task TheScript_FailsOnABackReference()
    {
        var root = Directory.CreateTempSubdirectory("skillshub-structure-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "scripts"));
            File.Copy(Script, Path.Combine(root, "scripts", "folder-references.sh"));
            var server = Path.Combine(root, "src", "SkillsHub.Server");
            Directory.CreateDirectory(Path.Combine(server, "Api"));
            Directory.CreateDirectory(Path.Combine(server, "Hosting"));
            File.WriteAllText(Path.Combine(server, "Api", "A.cs"), "using SkillsHub.Server.Hosting;\nnamespace SkillsHub.Server.Api;\n");
            File.WriteAllText(Path.Combine(server, "Hosting", "H.cs"), "namespace SkillsHub.Server.Hosting;\nclass H { object a = Api.A.Value; }\n");
            var run = await Shell.ExecAsync("bash", [Path.Combine(root, "scripts", "folder-references.sh")]);
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("back-reference: Api <-> Hosting", run.Output);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// No product source file (src/, the front end's generated API types aside) is over 400 lines: a file that long holds
    /// more than one thing (issue "One home for each thing"; benchmarks and tests aside).
    /// </summary>
    [Fact]
    public void NoProductSourceFile_IsOver400Lines()
    {
        var src = Path.Combine(Shell.RepoRoot, "src");
        string[] kinds = [".cs", ".ts", ".css", ".html"];
        var tooLong = Directory.EnumerateFiles(src, "*", SearchOption.AllDirectories)
            .Where(f => kinds.Contains(Path.GetExtension(f)))
            .Select(f => Path.GetRelativePath(src, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(part => part is "bin" or "obj" or "node_modules" or "dist" or "generated"))
            .Select(f => (File: f, Lines: File.ReadLines(Path.Combine(src, f)).Count()))
            .Where(f => f.Lines > 400)
            .Select(f => $"{f.File}: {f.Lines} lines")
            .ToList();
        Assert.True(tooLong.Count == 0, string.Join("\n", tooLong));
    }

    /// <summary>
    /// Every module of the pages' code is under 250 lines (docs/pages.md, "Front-end structure"): a page is split by
    /// screen and by part. Translation tables (the `strings` modules) and the generated API types are tables, not code.
    /// </summary>
    [Fact]
    public void NoPageModule_IsOver250Lines()
    {
        var pages = Path.Combine(Shell.RepoRoot, "src", "SkillsHub.Web", "src");
        var tooLong = Directory.EnumerateFiles(pages, "*.ts", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(pages, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("generated/", StringComparison.Ordinal) && !Path.GetFileNameWithoutExtension(f).EndsWith("strings", StringComparison.Ordinal))
            .Select(f => (File: f, Lines: File.ReadLines(Path.Combine(pages, f)).Count()))
            .Where(f => f.Lines >= 250)
            .Select(f => $"{f.File}: {f.Lines} lines")
            .ToList();
        Assert.True(tooLong.Count == 0, string.Join("\n", tooLong));
    }
}
