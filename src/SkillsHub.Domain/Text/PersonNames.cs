using System.Text;

namespace SkillsHub.Domain.Text;

/// <summary>
/// A person's name as pages and reports show it, from the first and last names a roster gives (docs/scoring.md,
/// "Names"). A name written in Chinese, Japanese or Korean characters is shown family name first with no space
/// (欧阳 + 志明: 欧阳志明), as its readers write it; any other, first name first (Louis Martin). Found by an outside
/// tester: 志明 欧阳 on the boards.
/// </summary>
public static class PersonNames
{
    public static string Display(string firstName, string lastName) =>
        IsEastAsian(firstName) && IsEastAsian(lastName) ? lastName + firstName : $"{firstName} {lastName}";

    /// <summary>True when every letter is a CJK ideograph, a kana or a hangul syllable (a middle dot may join parts: 阿依·买买提).</summary>
    public static bool IsEastAsian(string text)
    {
        var any = false;
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value is '·' or '・' or '•')
            {
                continue;
            }
            if (!IsEastAsianLetter(rune))
            {
                return false;
            }
            any = true;
        }
        return any;
    }

    static bool IsEastAsianLetter(Rune rune) => rune.Value is
        (>= 0x3400 and <= 0x4DBF) or (>= 0x4E00 and <= 0x9FFF) or (>= 0xF900 and <= 0xFAFF) or (>= 0x20000 and <= 0x3134F)
        or (>= 0x3040 and <= 0x30FF) or (>= 0xAC00 and <= 0xD7AF);
}
