using System.Reflection;
using SkillsHub.Domain.Certification;
using SkillsHub.Domain.Scoring.Import;
using SkillsHub.Domain.Text;

namespace SkillsHub.Domain.Tests;

/// <summary>Import problems carry a stable code and the arguments their English message quotes (docs/pages.md, "Languages").</summary>
public sealed class RowCodesTests
{
    [Fact]
    public void Codes_AreUnique_AndLowerCaseDotted()
    {
        var codes = typeof(RowCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^[a-z]+\\.[a-z0-9-]+$", c));
    }

    [Fact]
    public void CandidateRow_ErrorsCarryCodesAndTheQuotedValues()
    {
        var errors = new List<LineError>();
        var fields = new Dictionary<string, string> { ["name"] = "", ["id_type"] = "resident", ["id_number"] = "110101199003076516", ["in_occupation_since"] = "2020-13-01" };
        ImportRows.Candidate(4, k => fields.GetValueOrDefault(k), errors);

        Assert.Contains(errors, e => e is { Field: "name", Code: RowCodes.Required });
        Assert.Contains(errors, e => e is { Field: "id_number", Code: RowCodes.ResidentIdCheckDigit });
        var date = Assert.Single(errors, e => e.Code == RowCodes.NotADate);
        Assert.Equal("2020-13-01", date.Args!["value"]);
        Assert.Contains("2020-13-01", date.Message);
    }

    [Fact]
    public void Scheme_ProblemsCarryCodesAndArguments()
    {
        var parsed = SchemeJson.Import("""
            {"criteria":[{"id":"A","name":"A","subCriteria":[{"id":"A1","name":"A1","aspects":[
              {"id":"A1.1","type":"M","description":"d","markingDay":"D1","maxMark":40}]}]}]}
            """);

        var day = Assert.Single(parsed.Problems, p => p.Code == RowCodes.MarkingDay);
        Assert.Equal(("A1.1", "D1"), (day.Args!["id"], day.Args["day"]));
        var total = Assert.Single(parsed.Problems, p => p.Code == RowCodes.Total);
        Assert.Equal("40.00", total.Args!["total"]);
    }

    [Fact]
    public void TextRule_FaultNamesTheCharacterAndPosition()
    {
        var fault = TextInput.FaultOf("ab\u202Ec");

        Assert.Equal(RowCodes.BidiControl, fault!.Code);
        Assert.Equal(("U+202E", "3"), (fault.Args["char"], fault.Args["position"]));
        Assert.Equal(fault.Message, TextInput.Check("ab\u202Ec"));
    }
}
