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
        var run = await Shell.ExecAsync("sh", [Script]);
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
            var run = await Shell.ExecAsync("sh", [Path.Combine(root, "scripts", "folder-references.sh")]);
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("back-reference: Api <-> Hosting", run.Output);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
