using System.Globalization;
using System.Text;

namespace SkillsHub.Domain.Text;

/// <summary>
/// What a user name and a password must be (docs/security.md, "Accounts"). A user name is written with the letters a to
/// z, the digits 0 to 9, Chinese characters and <c>. - _ @</c>: every other alphabet and digit set has letters drawn
/// like Latin ones (Cyrillic а, Greek ο, Armenian ո, Arabic-Indic ١, Devanagari ०, ...), which would show in the console,
/// the audit and the session list as another account's name, and no list of them stays complete (found by outside
/// testers, round after round). A password has at least <see cref="MinPasswordLength"/> characters, is not only
/// spaces, one repeated character, or the user name, and is not easy to guess.
/// </summary>
public static class SignInText
{
    public const int MinUserNameLength = 3;
    public const int MaxUserNameLength = 64;
    public const int MinPasswordLength = 10;

    /// <summary>
    /// The longest password, in characters (code points): one sign-in can always carry it (its body limit is 16 KB, and a
    /// character outside the first plane written as JSON escapes takes 12 bytes). Found by an outside tester: an account
    /// created with a 20,000-letter password could never sign in, the sign-in refusing the body as too large.
    /// </summary>
    public const int MaxPasswordLength = 1024;

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
        // a to z, 0 to 9, Chinese characters and . - _ @ only. Dashes, colons, quotes and spaces each have look-alikes in other
        // blocks (ab-c, ab‐c, ab–c, ab−c; "ab c" and "ab  c" show alike in a page), and so do the letters and digits of
        // other alphabets (found by outside testers).
        if (name.EnumerateRunes().FirstOrDefault(r => !IsUserNameCharacter(r)) is { Value: > 0 } other)
        {
            return $"A user name holds the letters a to z, the digits 0 to 9, Chinese characters and . - _ @ only, not '{other}' (U+{other.Value:X4}).";
        }
        return null;
    }

    static bool IsUserNameCharacter(Rune r) => r.Value is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '.' or '-' or '_' or '@'
        || IsHan(r);

    /// <summary>
    /// A Chinese character: an assigned one of the CJK Unified Ideographs and their extensions (not the compatibility
    /// forms). The blocks have unassigned code points, which show as one empty box whatever they are (found by an outside
    /// tester: two names differing only in them), so the character must be a letter in .NET's Unicode data.
    /// </summary>
    static bool IsHan(Rune r) => (r.Value is >= 0x3400 and <= 0x4DBF or >= 0x4E00 and <= 0x9FFF or >= 0x20000 and <= 0x2A6DF
        or >= 0x2A700 and <= 0x2EE5F or >= 0x30000 and <= 0x323AF) && Rune.GetUnicodeCategory(r) == UnicodeCategory.OtherLetter;

    /// <summary>
    /// What a user name looks like, for telling whether a new name would pass for an existing one (docs/security.md,
    /// "Accounts"): its plain lower-case form with the digits 0 and 1 written as o and l, m as rn, w as vv, d as cl, and the
    /// Chinese strokes drawn like a Latin sign (一 -, 丨 l, 丶 ., 亅 j) as that sign: "paypa1" and "paypal" have one key, as
    /// have "clave" and "dave". Names are made of those characters only (<see cref="UserNameFault"/>); the letters of other
    /// alphabets that look Latin are mapped too, for the names of accounts created before that rule ("асе", Cyrillic).
    /// </summary>
    public static string LookAlikeKey(string userName)
    {
        var plain = userName.Trim().Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var key = new StringBuilder(plain.Length);
        foreach (var rune in plain.EnumerateRunes())
        {
            key.Append(rune.Value < 0x10000 && LookAlikes.TryGetValue((char)rune.Value, out var latin) ? latin : rune.ToString());
        }
        // Each letter is written as the pair it looks like, never the pair as the letter: replacing "vv" by "w" from the left
        // turned "kvwk" into "kvwk" and "kwvk" into "kwvk", two keys for one look (found by an outside tester).
        return key.ToString().Replace("w", "vv", StringComparison.Ordinal).Replace("m", "rn", StringComparison.Ordinal).Replace("d", "cl", StringComparison.Ordinal);
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
        // Chinese strokes
        ['一'] = '-', ['丨'] = 'l', ['丶'] = '.', ['亅'] = 'j',
    };

    /// <summary>
    /// The form of a password that is hashed and checked (docs/security.md, "Accounts"): its compatibility form (NFKC, as
    /// NIST SP 800-63B advises), so the same password typed on another keyboard or input method is the same password: é as
    /// one code point (Windows) or as e and an accent (macOS), full-width ｐａｓｓ or an ideographic space (a Chinese input
    /// method left in full-width mode) as pass and a space.
    /// </summary>
    public static string PasswordForm(string password) => password.Normalize(NormalizationForm.FormKC);

    /// <summary>
    /// The forms a password may have been hashed in before <see cref="PasswordForm"/> was: as typed, and its other
    /// normal forms (NFC, NFD), the first being the one hashed now. Distinct, so a plain ASCII password is one form.
    /// </summary>
    public static IReadOnlyList<string> PasswordForms(string password) =>
        new[] { PasswordForm(password), password, password.Normalize(NormalizationForm.FormC), password.Normalize(NormalizationForm.FormD) }
            .Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The marks that set the direction text is shown in (LRM, RLM, ALM, embeddings, overrides and isolates).</summary>
    static bool IsDirectionMark(int c) => c is 0x200E or 0x200F or 0x061C or (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069);

    /// <summary>Why the password is refused, or null. <paramref name="field"/> names it in the message's words.</summary>
    public static string? PasswordFault(string? password, string? userName, string field = "password")
    {
        // Characters as a person sees them (grapheme clusters: an emoji, a flag, a letter with its accent is one), as every
        // length in SkillsHub counts (docs/security.md): counted in UTF-16 units, five emoji made ten "characters" and
        // one repeated emoji was not "one character repeated" (found by an outside tester).
        // A control character (NUL, an escape) is nothing a person types: refused, as in every other text. So is a mark
        // that changes the direction text is shown in: "\u202E" and a reversed name shows as the name (an outside tester).
        if (password is not null && (password.Length > 2 * MaxPasswordLength || password.EnumerateRunes().Count() > MaxPasswordLength))
        {
            return $"A {field} has at most {MaxPasswordLength} characters.";
        }
        if (password is not null && password.EnumerateRunes().Any(r => Rune.IsControl(r) || IsDirectionMark(r.Value)))
        {
            return $"A {field} has no control characters or direction marks.";
        }
        // Only the characters a person sees count: a zero-width space, a soft hyphen or a word joiner shows nothing, so
        // "a" and nine of them is one character, and the user name with them is the user name (found by an outside tester).
        var characters = password is null ? [] : TextInput.TextElements(password).Where(c => c.EnumerateRunes().Any(r => !TextInput.IsInvisible(r))).ToList();
        if (characters.Count < MinPasswordLength)
        {
            return $"A {field} of at least {MinPasswordLength} characters is required (characters that show; invisible ones do not count).";
        }
        // Compared as they look and as the password is kept: without the characters that show nothing (a zero-width joiner,
        // a variation selector attached to a letter: "a\u200C" and nine a is ten a), in its compatibility form, as it is
        // hashed (PasswordForm: full-width ａ, ① and 𝐚 are a, 1 and a), so "aａ" five times, which signs in as ten a, is
        // refused as ten a is (found by an outside tester).
        // Accents stay: they show, on their letter.
        var seen = PasswordForm(TextInput.WithoutWhatShowsNothing(password!)).Trim();
        if (string.IsNullOrWhiteSpace(seen) || TextInput.TextElements(seen).Distinct(StringComparer.Ordinal).Count() == 1)
        {
            return $"The {field} cannot be only spaces or one character repeated.";
        }
        // The user name in any case or width (full-width ｏｒｇａｎｉｓｅｒ reads as organiser), invisible characters aside.
        if (userName is not null && string.Equals(seen, PasswordForm(userName.Trim()), StringComparison.OrdinalIgnoreCase))
        {
            return $"The {field} cannot be the user name.";
        }
        return IsEasyToGuess(seen, userName)
            ? $"The {field} is too easy to guess: it is, or is made of, a commonly used password, a word or name, a date, a keyboard row or a sequence (such as 'password123' or 'qwertyuiop'). Use a longer one, such as a few unrelated words."
            : null;
    }

    /// <summary>The characters of a password that its guessability is judged on: the first 64 (docs/security.md, "Accounts").</summary>
    public const int GuessedLength = 64;

    static readonly Zxcvbn.Zxcvbn Guesser = new();
    static readonly Lock GuesserLock = new();

    /// <summary>
    /// Whether a password is among the first an attacker tries (docs/security.md, "Accounts"; NIST SP 800-63B asks that a
    /// new password be checked against commonly used ones): zxcvbn's estimate, from its lists of common passwords, words
    /// and names, its dates, keyboard rows, repeats and sequences (with capitals, l33t and reversal), and the user name,
    /// scores it below 2 of 4. Its first <see cref="GuessedLength"/> characters are judged, since the estimate takes
    /// seconds on a password of hundreds.
    /// </summary>
    /// <remarks>
    /// zxcvbn as ported misses two kinds a cracker's rules try first (found by an outside tester): a word of its own lists
    /// reversed (the user name or "skillshub" backwards with a year), so the password is judged forwards and backwards; and
    /// a short unit repeated ("abababab", "aabbaabb1"), so a password of at most <see cref="FewestCharacters"/> different
    /// characters (capitals as small letters) is easy to guess whatever its length.
    /// </remarks>
    static bool IsEasyToGuess(string password, string? userName)
    {
        var elements = TextInput.TextElements(password).Take(GuessedLength).ToList();
        if (elements.Select(e => e.ToLowerInvariant()).Distinct(StringComparer.Ordinal).Count() <= FewestCharacters)
        {
            return true;
        }
        var judged = string.Concat(elements);
        var backwards = string.Concat(Enumerable.Reverse(elements));
        string[] personal = userName is null ? ["skillshub"] : ["skillshub", userName.Trim()];
        lock (GuesserLock)
        {
            return Guesser.EvaluatePassword(judged, personal).Score < 2 || Guesser.EvaluatePassword(backwards, personal).Score < 2;
        }
    }

    /// <summary>A password of this many different characters or fewer is easy to guess (<see cref="IsEasyToGuess"/>).</summary>
    public const int FewestCharacters = 3;
}
