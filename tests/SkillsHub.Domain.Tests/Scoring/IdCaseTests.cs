using SkillsHub.Domain.Scoring.Import;

namespace SkillsHub.Domain.Tests.Scoring;

public sealed class IdCaseTests
{
    [Fact]
    public void AnIdOnFile_InAnotherCase_IsRefused_NamingTheOneOnFile()
    {
        var clashes = IdCase.Clashes(["X-FR", "CN-1"], ["x-fr", "CN-1", "KR-9", "cn-1"]).ToList();
        Assert.Equal([0, 3], clashes.Select(c => c.Index));
        Assert.All(clashes, c => Assert.Equal(RowCodes.IdCaseClash, c.Fault.Code));
        Assert.Equal("X-FR", clashes[0].Fault.Args["onFile"]);
        Assert.Equal("CN-1", clashes[1].Fault.Args["onFile"]);
        Assert.Contains("write it as 'X-FR'", clashes[0].Fault.Message);
    }

    [Fact]
    public void TheSameIdInTheSameCase_AndNewIds_AreNoClash() =>
        Assert.Empty(IdCase.Clashes(["X-FR"], ["X-FR", "Y-FR", "x-de"]));
}
