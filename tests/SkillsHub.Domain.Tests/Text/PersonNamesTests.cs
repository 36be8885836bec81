using SkillsHub.Domain.Text;

namespace SkillsHub.Domain.Tests.Text;

/// <summary>How a person's first and last names are shown (docs/scoring.md, "Names").</summary>
public sealed class PersonNamesTests
{
    [Theory]
    [InlineData("Louis", "Martin", "Louis Martin")]
    [InlineData("志明", "欧阳", "欧阳志明")]
    [InlineData("伟", "张", "张伟")]
    [InlineData("𠮷", "王", "王𠮷")]
    [InlineData("买买提", "阿依·", "阿依·买买提")]
    [InlineData("ひろし", "山田", "山田ひろし")]
    [InlineData("민준", "김", "김민준")]
    [InlineData("Wei", "张", "Wei 张")]
    [InlineData("志明", "Ouyang", "志明 Ouyang")]
    [InlineData("Anne-Marie", "Løkke-Rasmussen", "Anne-Marie Løkke-Rasmussen")]
    public void EastAsianNames_AreFamilyNameFirst_WithoutASpace_OthersFirstNameFirst(string first, string last, string shown) =>
        Assert.Equal(shown, PersonNames.Display(first, last));

    [Theory]
    [InlineData("·", false)]
    [InlineData("", false)]
    [InlineData("欧阳 ", false)]
    [InlineData("欧阳", true)]
    public void OnlyLettersOfThoseScripts_MakeANameEastAsian(string text, bool eastAsian) =>
        Assert.Equal(eastAsian, PersonNames.IsEastAsian(text));
}
