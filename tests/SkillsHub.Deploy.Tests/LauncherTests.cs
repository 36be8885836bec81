namespace SkillsHub.Deploy.Tests;

/// <summary>
/// scripts/prerequisites.sh installs only what is missing, and run.sh ends as the built server alone.
/// apt-get and sudo are stand-ins that record their calls, so "no install" is checked, not assumed.
/// </summary>
public sealed class LauncherTests
{
    static readonly string Prerequisites = Path.Combine(Shell.RepoRoot, "scripts", "prerequisites.sh");

    static Shell.Shims PackageManagerShims() => new Shell.Shims().Add("apt-get").Add("sudo", "exec \"$@\"");

    [Fact]
    public async Task Prerequisites_WhenEverythingIsInstalled_PrintNoInstallLine_AndCallNoPackageManager()
    {
        using var shims = PackageManagerShims();

        var first = await Shell.RunAsync(Prerequisites, ["--browser"], shims.Directory);
        var second = await Shell.RunAsync(Prerequisites, ["--browser"], shims.Directory);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        Assert.DoesNotContain("Installing", first.Output + second.Output);
        Assert.Empty(shims.Calls);
    }

    [Fact]
    public async Task Prerequisites_ALongFontList_WhoseMatchComesFirst_CountsTheFontAsInstalled()
    {
        // The old `fc-list | grep -q` under pipefail: grep stopped at the first line, fc-list died of SIGPIPE
        // writing the rest, and the pipeline failed, so the installed font was "missing" on every run.
        using var shims = PackageManagerShims().Add("fc-list", """
            echo "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc: WenQuanYi Micro Hei:style=Regular"
            echo "/usr/share/fonts/truetype/hanazono/HanaMinA.ttf: HanaMinA,花園明朝A:style=Regular"
            echo "/usr/share/fonts/truetype/babelstone/BabelStoneHan.ttf: BabelStone Han:style=Regular"
            echo "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf: Noto Color Emoji:style=Regular"
            for i in $(seq 1 20000); do echo "/usr/share/fonts/truetype/filler/Filler$i.ttf: Filler $i:style=Regular"; done
            """);

        var run = await Shell.RunAsync(Prerequisites, [], shims.Directory);

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("Installing", run.Output);
        Assert.DoesNotContain(shims.Calls, c => c.StartsWith("apt-get"));
    }

    [Fact]
    public async Task Prerequisites_AMissingFont_IsInstalledWithApt()
    {
        // The stand-ins do see a real install: the check above is not passing for want of a way to fail.
        using var shims = PackageManagerShims().Add("fc-list", "echo '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf: DejaVu Sans:style=Book'");

        var run = await Shell.RunAsync(Prerequisites, [], shims.Directory);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Installing missing packages: fonts-wqy-microhei fonts-hanazono fonts-babelstone-han fonts-noto-color-emoji", run.Output);
        Assert.Contains("apt-get update -qq", shims.Calls);
        Assert.Contains(shims.Calls, c => c.StartsWith("apt-get install") && c.Contains("fonts-wqy-microhei") && c.Contains("fonts-hanazono") && c.Contains("fonts-babelstone-han") && c.Contains("fonts-noto-color-emoji"));
    }

    [Fact]
    public async Task RunSh_BuildsThenBecomesTheBuiltServer_WithNoDotnetRunHostLeft()
    {
        // dotnet is a stand-in: `build` succeeds, `exec` records the pid it runs as. exec keeps the pid, so the
        // server process is the one that was started as run.sh: no shell, no `dotnet run` host beside it.
        using var shims = PackageManagerShims().Add("dotnet", """
            if [ "$1" = exec ]; then echo "pid $$" >>"$(dirname "$0")/calls.log"; fi
            exit 0
            """);

        var run = await Shell.RunAsync(Path.Combine(Shell.RepoRoot, "run.sh"), ["--Urls=http://localhost:5116"], shims.Directory);

        Assert.Equal(0, run.ExitCode);
        var dotnet = shims.Calls.Where(c => c.StartsWith("dotnet ")).ToArray();
        Assert.Equal(3, dotnet.Length);
        Assert.StartsWith("dotnet build src/SkillsHub.Server -c Release", dotnet[0]);
        Assert.Equal("dotnet build-server shutdown", dotnet[1]); // the build's compiler server does not outlive the build
        Assert.Equal($"dotnet exec {Shell.RepoRoot}/src/SkillsHub.Server/bin/Release/net10.0/SkillsHub.Server.dll --Embedded:DataDirectory={Shell.RepoRoot}/.data/postgres --Urls=http://localhost:5116", dotnet[2]);
        Assert.DoesNotContain(shims.Calls, c => c.StartsWith("dotnet run"));
        Assert.Contains($"pid {run.Pid}", shims.Calls);
    }
}
