using System.Text;

namespace SkillsHub.Domain.Certification;

/// <summary>
/// Who may see a certificate's record in the public registry (docs/security.md, "What is public"): a caller who
/// knows its holder. A number alone shows nothing, because numbers run in sequence and can be guessed; with the
/// number the proof is the holder's name, the last 4 characters of the ID, or the access token from the
/// certificate's QR code; without it, the name plus the full ID number.
/// </summary>
public static class HolderPrivacy
{
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

    /// <summary>The caller's spelling of the holder's name matches (case, spacing, Unicode form and character width aside).</summary>
    public static bool NameMatches(string? given, string holder) =>
        !string.IsNullOrWhiteSpace(given) && string.Equals(Canonical(given), Canonical(holder), StringComparison.Ordinal);

    /// <summary>The last 4 characters of the holder's ID number (the X check digit in either case, full-width or not).</summary>
    public static bool IdLast4Matches(string? given, string idNumber)
    {
        var g = IdLast4Key(given);
        return g.Length == 4 && idNumber.Length >= 4 && string.Equals(g, idNumber[^4..].ToUpperInvariant(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Why an ID ending as given cannot be one, or null: it is 4 letters or digits (an ID number's characters; full-width
    /// ones as a Chinese input method types them count as themselves). Such a value is no attempt to prove who holds a
    /// certificate, so it is refused naming the field before it counts as one (found by an outside tester: ten requests of
    /// "1" locked a certificate's record for an hour).
    /// </summary>
    public static string? IdLast4Fault(string? given) =>
        string.IsNullOrWhiteSpace(given) || IdLast4Key(given) is { Length: 4 } key && key.All(char.IsAsciiLetterOrDigit)
            ? null
            : "The last 4 characters of the ID number: 4 letters or digits.";

    static string IdLast4Key(string? given) => (given ?? "").Normalize(NormalizationForm.FormKC).Trim().ToUpperInvariant();

    /// <summary>
    /// The name as compared: NFKC, single spaces, upper case (so "li  wei", "Li Wei" and the full-width "Ｌｉ Ｗｅｉ" a
    /// Chinese input method types are one holder; found by an outside tester), without the characters that show nothing
    /// (<see cref="Text.TextInput.ShowsNothing"/>), which the certificate leaves out of its drawing: the name as printed
    /// proves the holder (found by an outside tester: a name registered with a soft hyphen printed without it, and the
    /// printed name was then refused as a wrong proof).
    /// </summary>
    public static string NameKey(string name) => Canonical(name);

    static string Canonical(string name)
    {
        var shown = Text.TextInput.WithoutWhatShowsNothing(name);
        return string.Join(' ', shown.Normalize(NormalizationForm.FormKC).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();
    }
}
