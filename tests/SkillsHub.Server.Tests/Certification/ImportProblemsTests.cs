using SkillsHub.Domain.Certification;
using SkillsHub.Server.Certification;

namespace SkillsHub.Server.Tests.Certification;

/// <summary>What an import's report quotes back from the file (docs/certification.md, "Imports").</summary>
public sealed class ImportProblemsTests
{
    [Fact]
    public void ALongNameFromTheFile_IsQuotedShort_AndControlsVisible()
    {
        // Found by an outside tester: a 64 MB column name came back in full in the field, the message and the arguments.
        var name = new string('a', 1_000_000) + "\0";
        var problems = new ImportProblems();
        problems.Add(new LineError(1, name, $"Unknown column '{name}'", "csv.unknown-column", new Dictionary<string, string> { ["column"] = name }));
        var listed = Assert.Single(problems.Listed);
        Assert.All(new[] { listed.Field, listed.Message, listed.Args!["column"] }, text =>
        {
            Assert.Equal(ImportProblems.MaxQuoted, text.Length);
            Assert.EndsWith("…", text);
        });
        problems.Add(new LineError(2, "id_number", "short\0", "x.y"));
        Assert.Equal("short\u2400", problems.Listed[1].Message);
    }
}
