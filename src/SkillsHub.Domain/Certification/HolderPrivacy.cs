using System.Globalization;
using System.Text;

namespace SkillsHub.Domain.Certification;

/// <summary>
/// What the public registry shows of a holder (docs/security.md). A lookup by number alone shows the
/// name masked -- the first character of a Chinese name (张**), the initial of each word of a Latin one
/// (J*** S***), masks of one length whatever the name's -- because numbers can be guessed; the full name needs proof that the
/// caller knows the holder: the name itself, the last 4 characters of the ID, or the certificate's
/// access token from its QR code. Since the ID's last 4 characters are such a proof, the lookup by
/// number alone shows none of the ID (<see cref="HideId"/>); views after a proof show its last 4.
/// </summary>
public static class HolderPrivacy
{
    public static string MaskName(string name)
    {
        var text = name.Trim().Normalize(NormalizationForm.FormC);
        if (text.Length == 0)
        {
            return "";
        }
        // The masks have one length whatever the name's, so a masked answer does not tell how long the name is
        // (found by an outside tester: "欧**娜" told four characters, "J*** S****" five letters).
        if (text.EnumerateRunes().Any(IsCjk))
        {
            // A one-character name too: "*" alone told that the name is one character (found by an outside tester).
            return StringInfoElements(text.Replace(" ", "").Replace("\u00B7", "")).First() + "**";
        }
        return string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(word => StringInfoElements(word).First() + "***"));
    }

    /// <summary>The ID number as a lookup by number alone shows it: nothing of it, not even its length.</summary>
    public static string HideId(string idNumber) => "********";

    /// <summary>
    /// The caller's proof for the full record: the holder's name, the last 4 characters of the ID, or both; every part
    /// given must match (a right name with a wrong ID ending is a wrong proof, found by an outside tester).
    /// </summary>
    public static bool ProofHolds(string? name, string? idLast4, string holderName, string idNumber)
    {
        var hasName = !string.IsNullOrWhiteSpace(name);
        var hasId = !string.IsNullOrWhiteSpace(idLast4);
        return (hasName || hasId)
            && (!hasName || NameMatches(name, holderName))
            && (!hasId || IdLast4Matches(idLast4, idNumber));
    }

    /// <summary>The caller's spelling of the holder's name matches (case, spacing and Unicode form aside).</summary>
    public static bool NameMatches(string? given, string holder) =>
        !string.IsNullOrWhiteSpace(given) && string.Equals(Canonical(given), Canonical(holder), StringComparison.Ordinal);

    /// <summary>The last 4 characters of the holder's ID number (the X check digit in either case).</summary>
    public static bool IdLast4Matches(string? given, string idNumber)
    {
        var g = (given ?? "").Trim().ToUpperInvariant();
        return g.Length == 4 && idNumber.Length >= 4 && string.Equals(g, idNumber[^4..].ToUpperInvariant(), StringComparison.Ordinal);
    }

    /// <summary>The name as compared: NFC, single spaces, upper case (so "li  wei" and "Li Wei" are one holder).</summary>
    public static string NameKey(string name) => Canonical(name);

    static string Canonical(string name) =>
        string.Join(' ', name.Normalize(NormalizationForm.FormC).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();

    /// <summary>A Chinese character, those beyond the first plane too (extensions B to H; found by an outside tester: 𠀀 was masked as a Latin word).</summary>
    static bool IsCjk(Rune c) => c.Value is >= 0x3400 and <= 0x9FFF or >= 0xF900 and <= 0xFAFF or >= 0x20000 and <= 0x323AF;

    static IEnumerable<string> StringInfoElements(string text)
    {
        var e = StringInfo.GetTextElementEnumerator(text);
        while (e.MoveNext())
        {
            yield return e.GetTextElement();
        }
    }
}
