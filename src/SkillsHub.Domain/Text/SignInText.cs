using System.Globalization;
using System.Text;

namespace SkillsHub.Domain.Text;

/// <summary>
/// What a user name and a password must be (docs/security.md, "Accounts"). A user name is written in its plain form:
/// one whose compatibility form differs (full-width <c>ａdmin</c>, ligatures, superscripts) or that mixes Latin with
/// Cyrillic or Greek letters (<c>аdmin</c> with a Cyrillic a) would show in the console, the audit and the session list
/// as another account's name. A password has at least <see cref="MinPasswordLength"/> characters and is not only
/// spaces, one repeated character, or the user name.
/// </summary>
public static class SignInText
{
    public const int MinUserNameLength = 3;
    public const int MaxUserNameLength = 64;
    public const int MinPasswordLength = 10;

    /// <summary>Why the user name is refused (beside <see cref="TextInput"/>'s rule), or null.</summary>
    public static string? UserNameFault(string? userName)
    {
        var name = userName?.Trim() ?? "";
        // Counted in characters (code points), as the database counts them: a name of 65, or of two characters one of
        // which is outside the first plane, broke the table's rule and was a 500 (found by an outside tester).
        var length = name.Normalize(NormalizationForm.FormC).EnumerateRunes().Count();
        if (length < MinUserNameLength)
        {
            return $"A user name of at least {MinUserNameLength} characters is required.";
        }
        if (length > MaxUserNameLength)
        {
            return $"A user name has at most {MaxUserNameLength} characters.";
        }
        if (name.Normalize(NormalizationForm.FormKC) != name.Normalize(NormalizationForm.FormC))
        {
            return $"Write the user name in plain characters ('{name.Normalize(NormalizationForm.FormKC)}', not full-width or styled ones).";
        }
        // Invisible characters (a zero-width space, a soft hyphen, a word joiner) and stray combining marks make a name that
        // shows as another: "ad\u200Bmin" is "admin" on every page (found by an outside tester).
        // Read by code point, beyond the first plane too (tag characters U+E0001.., variation selectors U+E0100..), and with
        // the letters that show nothing (Hangul fillers): the rule every text field has (TextInput.IsInvisible).
        if (name.EnumerateRunes().Any(TextInput.IsInvisible))
        {
            return "A user name has no invisible characters or combining marks.";
        }
        // A user name is kept in lower case, and the database checks it is; a capital with no lower case of its own in
        // the invariant culture (İ, U+0130, which PostgreSQL lowers to i) would pass here and break the table's rule.
        if (name.Normalize(NormalizationForm.FormC).ToLowerInvariant().EnumerateRunes().FirstOrDefault(r =>
            Rune.GetUnicodeCategory(r) is UnicodeCategory.UppercaseLetter or UnicodeCategory.TitlecaseLetter) is { Value: > 0 } capital)
        {
            return $"A user name cannot hold '{capital}' (U+{capital.Value:X4}), a capital with no single lower-case letter; write the letter without it (for 'İ', 'i').";
        }
        // Letters, digits and . - _ @ only: dashes, colons, quotes and spaces each have look-alikes in other blocks (ab-c,
        // ab‐c, ab–c, ab−c; "ab c" and "ab  c" show alike in a page), found by an outside tester.
        if (name.EnumerateRunes().FirstOrDefault(r => !Rune.IsLetterOrDigit(r) && r.Value is not ('.' or '-' or '_' or '@')) is { Value: > 0 } other)
        {
            return $"A user name holds letters, digits and . - _ @ only, not '{other}' (U+{other.Value:X4}).";
        }
        var scripts = name.Where(char.IsLetter).Select(ScriptOf).Where(s => s is not null).Distinct().Count();
        return scripts > 1 ? "A user name does not mix letters of alphabets that look alike (Latin with Cyrillic, Greek, Armenian, Cherokee ...)." : null;
    }

    /// <summary>
    /// What a user name looks like, for telling whether a new name would pass for an existing one (docs/security.md,
    /// "Accounts"): its plain lower-case form with each letter that looks like a Latin one (Cyrillic а, е, о, р, с, у, х;
    /// Greek ο, ν, ρ; Latin ǀ, ı) and the digits 0 and 1 written as that Latin letter. "асе" (Cyrillic) and "ace" have one
    /// key, as have "paypal", "paypaǀ" and "paypa1". A check of UTS #39's kind, on the letters that matter for names.
    /// </summary>
    public static string LookAlikeKey(string userName)
    {
        var plain = userName.Trim().Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var key = new StringBuilder(plain.Length);
        foreach (var rune in plain.EnumerateRunes())
        {
            key.Append(rune.Value < 0x10000 && LookAlikes.TryGetValue((char)rune.Value, out var latin) ? latin : rune.ToString());
        }
        return key.ToString().Replace("rn", "m", StringComparison.Ordinal).Replace("vv", "w", StringComparison.Ordinal);
    }

    /// <summary>Letters (and digits) drawn like a Latin letter in common fonts, with that letter.</summary>
    static readonly Dictionary<char, char> LookAlikes = new()
    {
        // Cyrillic
        ['а'] = 'a', ['в'] = 'b', ['е'] = 'e', ['ё'] = 'e', ['һ'] = 'h', ['і'] = 'i', ['ї'] = 'i', ['ј'] = 'j', ['к'] = 'k', ['ӏ'] = 'l',
        ['м'] = 'm', ['н'] = 'h', ['о'] = 'o', ['р'] = 'p', ['ԛ'] = 'q', ['ѕ'] = 's', ['т'] = 't', ['у'] = 'y', ['ԝ'] = 'w', ['х'] = 'x',
        ['с'] = 'c', ['ԁ'] = 'd', ['ү'] = 'y',
        // Greek
        ['α'] = 'a', ['β'] = 'b', ['ε'] = 'e', ['η'] = 'n', ['ι'] = 'i', ['κ'] = 'k', ['ν'] = 'v', ['ο'] = 'o', ['ρ'] = 'p', ['τ'] = 't',
        ['υ'] = 'u', ['χ'] = 'x', ['γ'] = 'y', ['ω'] = 'w',
        // Latin and digits
        ['ǀ'] = 'l', ['ı'] = 'i', ['ɑ'] = 'a', ['ɡ'] = 'g', ['0'] = 'o', ['1'] = 'l', ['ℓ'] = 'l',
    };

    /// <summary>Why the password is refused, or null. <paramref name="field"/> names it in the message's words.</summary>
    public static string? PasswordFault(string? password, string? userName, string field = "password")
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinPasswordLength)
        {
            return $"A {field} of at least {MinPasswordLength} characters is required.";
        }
        if (string.IsNullOrWhiteSpace(password) || password.Distinct().Count() == 1)
        {
            return $"The {field} cannot be only spaces or one character repeated.";
        }
        return userName is not null && string.Equals(password.Trim(), userName.Trim(), StringComparison.OrdinalIgnoreCase)
            ? $"The {field} cannot be the user name."
            : null;
    }

    /// <summary>
    /// The alphabet a letter belongs to, coarsely: Latin, Greek and Cyrillic by name, any other alphabet by its 128-letter
    /// block; Chinese, Japanese and Korean letters count as none, since they are written beside Latin ones.
    /// </summary>
    static string? ScriptOf(char c) => c switch
    {
        >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '\u00C0' and <= '\u024F' or >= '\u1E00' and <= '\u1EFF' => "Latin",
        >= '\u0370' and <= '\u03FF' or >= '\u1F00' and <= '\u1FFF' => "Greek",
        >= '\u0400' and <= '\u052F' => "Cyrillic",
        >= '\u1100' and <= '\u11FF' or >= '\u2E80' and <= '\u9FFF' or >= '\uAC00' and <= '\uD7AF' or >= '\uF900' and <= '\uFAFF' or >= '\uFF00' => null,
        _ when char.IsSurrogate(c) => null,
        _ => "block-" + (c / 0x80),
    };
}
