using SkillsHub.Domain.Text;

namespace SkillsHub.Domain.Tests.Text;

/// <summary>User names and passwords (docs/security.md, "Accounts"); found by an outside tester.</summary>
public sealed class SignInTextTests
{
    [Theory]
    [InlineData("admin")]
    [InlineData("organiser-1")]
    [InlineData("wang.wei")]
    [InlineData("张三丰")]
    [InlineData("  chief  ")]
    [InlineData("Istanbul")]
    [InlineData("wang.wei张伟")]
    [InlineData("uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu")]
    [InlineData("张三丰\U00020000")]
    public void PlainUserNames_AreAccepted(string name) => Assert.Null(SignInText.UserNameFault(name));

    [Theory]
    [InlineData("ａdmin", "plain characters")]      // full-width a
    [InlineData("ﬁnance", "plain characters")]      // the fi ligature
    [InlineData("admin²", "plain characters")]
    [InlineData("аdmin", "a to z")]                 // Cyrillic a, Latin dmin
    [InlineData("αdmin", "a to z")]                 // Greek alpha
    [InlineData("иван", "a to z")]                  // every other alphabet, whole names too (outside testers: ѵіѵіԁ, ոսհո)
    [InlineData("ѵіѵіԁ", "a to z")]
    [InlineData("ϳοϳοα", "a to z")]
    [InlineData("ոսհո", "a to z")]
    [InlineData("José", "a to z")]
    [InlineData("ãdmin", "a to z")]
    [InlineData("paypa\u0661", "a to z")]            // digits of other scripts: Arabic-Indic one, Devanagari zero, Myanmar zero
    [InlineData("g\u0966\u0966gle", "a to z")]
    [InlineData("g\u1040\u1040ggle", "a to z")]
    [InlineData("\u06F1olly", "a to z")]
    [InlineData("\uF900admin", "a to z")]
    [InlineData("\U0002B73Ckk", "a to z")]            // unassigned inside a Chinese block: shows as an empty box (an outside tester)
    [InlineData("\U0002CEA2kk", "a to z")]                 // a CJK compatibility ideograph (U+F900)
    [InlineData("ad\u200Bmin", "invisible")]           // zero-width space
    [InlineData("ad\u00ADmin", "invisible")]           // soft hyphen
    [InlineData("admin\uFEFF", "invisible")]
    [InlineData("adm\u034Fin", "invisible")]           // combining grapheme joiner
    [InlineData("admin\U000E0001", "invisible")]       // a tag character, beyond the first plane (an outside tester)
    [InlineData("admin\U000E0041", "invisible")]
    [InlineData("admin\U000E0100", "invisible")]       // a variation selector, beyond the first plane
    [InlineData("admin\U0001D173", "invisible")]       // a musical format character
    [InlineData("agen\u2065cy", "invisible")]          // unassigned, default-ignorable: shows as "agency"
    [InlineData("admin\uFFF0", "invisible")]
    [InlineData("agen\U000E0002cy", "invisible")]
    [InlineData("admin\u115F", "invisible")]           // Hangul fillers: letters that show nothing
    [InlineData("admin\u1160", "invisible")]
    [InlineData("İstanbul", "U+0130")]                  // lowered to i by PostgreSQL, kept by .NET's invariant culture
    [InlineData("xİx", "U+0130")]
    [InlineData("ab\u2010c", "a to z")]               // dashes, colons, quotes and spaces that look like others
    [InlineData("ab\u2212c", "a to z")]
    [InlineData("ab\u2236c", "a to z")]
    [InlineData("ab\u2019c", "a to z")]
    [InlineData("ab|c", "a to z")]
    [InlineData("ab c", "a to z")]
    [InlineData("pr\u0585be", "a to z")]               // Armenian o
    [InlineData("pro\uAB7Cbe", "a to z")]              // Cherokee small letter
    [InlineData("ab", "at least 3")]
    [InlineData("   ", "at least 3")]
    [InlineData(null, "at least 3")]
    [InlineData("a\U00020000", "at least 3")]          // two characters, three UTF-16 units
    [InlineData("uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu", "at most 64")]
    public void LookAlikeOrShortUserNames_AreRefused(string? name, string why) =>
        Assert.Contains(why, SignInText.UserNameFault(name));

    [Theory]
    [InlineData("correct horse battery", null)]
    [InlineData("0123456789", "too easy to guess")]
    [InlineData("          ", "only spaces")]
    [InlineData("aaaaaaaaaaaa", "only spaces")]
    [InlineData("short", "at least 10")]
    [InlineData("", "at least 10")]
    [InlineData(null, "at least 10")]
    [InlineData("Organiser-7", "the user name")]
    // Characters as a person sees them, not UTF-16 units (an outside tester: five emoji were taken as ten characters).
    [InlineData("\U0001F511\U0001F511\U0001F511\U0001F511\U0001F511", "at least 10")]
    [InlineData("\U0001F511\U0001F511\U0001F511\U0001F511\U0001F511\U0001F511\U0001F511\U0001F511\U0001F511\U0001F511", "one character repeated")]
    [InlineData("\U0001F1E8\U0001F1F3\U0001F1E8\U0001F1F3\U0001F1E8\U0001F1F3\U0001F1E8\U0001F1F3\U0001F1E8\U0001F1F3", "at least 10")] // five flags
    [InlineData("e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301", "at least 10")] // six accented letters, twelve code points
    [InlineData("\U0001F511\U0001F512\U0001F513\U0001F514\U0001F515\U0001F516\U0001F517\U0001F518\U0001F519\U0001F51A", null)]
    [InlineData("密码是正确的马电池钉", null)]
    // As they look: é as one code point and as e with an accent are one character; the user name in full width is the name.
    [InlineData("\u00E9\u00E9\u00E9\u00E9\u00E9e\u0301e\u0301e\u0301e\u0301e\u0301", "one character repeated")]
    [InlineData("\uFF4F\uFF52\uFF47\uFF41\uFF4E\uFF49\uFF53\uFF45\uFF52-7", "the user name")]
    // Characters that show nothing do not count (an outside tester: "a" and nine zero-width spaces was a password).
    [InlineData("a\u200B\u200B\u200B\u200B\u200B\u200B\u200B\u200B\u200B", "at least 10")]
    [InlineData("aaaaa\u00AD\u00AD\u00AD\u00AD\u00AD", "at least 10")]
    [InlineData("aaaaaaaaaa\u00AD\u00AD", "one character repeated")]
    [InlineData("organiser-7\u2060\u2060\u2060\u2060\u2060\u2060", "the user name")]
    [InlineData("or\u200Bganiser-7", "the user name")]
    // Compared as it is kept (NFKC) and without what attaches to a letter and shows nothing (an outside tester: accepted,
    // and signed in as ten a or ten 1).
    [InlineData("a\uFF41a\uFF41a\uFF41a\uFF41a\uFF41", "one character repeated")]
    [InlineData("\u24601\u24601\u24601\u24601\u24601", "one character repeated")]
    [InlineData("\U0001D41Aa\U0001D41Aa\U0001D41Aa\U0001D41Aa\U0001D41Aa", "one character repeated")]
    [InlineData("a\u200Caaaaaaaaa", "one character repeated")]
    [InlineData("a\uFE0Faaaaaaaaa", "one character repeated")]
    [InlineData("a\u034Faaaaaaaaa", "one character repeated")]
    [InlineData("a\U000E0041aaaaaaaaa", "one character repeated")]
    [InlineData("o\u200Crganiser-7", "the user name")]
    [InlineData("organ\u200Diser-7", "the user name")]
    [InlineData("organiser\uFE0E-7", "the user name")]
    [InlineData("\u202E7-resinagro\u202C", "direction marks")]
    [InlineData("organiser-7\u200E", "direction marks")]
    // A letter with its accent is another character than the letter: not one repeated (but easy to guess).
    [InlineData("e\u0301e\u0301e\u0301e\u0301e\u0301eeeee", "too easy to guess")]
    [InlineData("\0abcdefghijk", "control characters")]
    [InlineData("abcdefghij\u001B", "control characters")]
    // A joiner inside an emoji is part of what shows: the family counts as one character of ten.
    [InlineData("\U0001F468\u200D\U0001F469\u200D\U0001F467abcdefghi", null)]
    public void Passwords_NeedTenCharacters_NotBlankRepeatedOrTheUserName(string? password, string? why)
    {
        var fault = SignInText.PasswordFault(password, "organiser-7");
        if (why is null)
        {
            Assert.Null(fault);
        }
        else
        {
            Assert.Contains(why, fault);
        }
    }

    [Fact]
    public void APassword_HasAtMostTheLongestLength_CountedInCharacters()
    {
        var random = new Random(20261207);
        string Letters(int n) => string.Concat(Enumerable.Range(0, n).Select(_ => (char)('a' + random.Next(26))));
        Assert.Null(SignInText.PasswordFault(Letters(SignInText.MaxPasswordLength), null));
        Assert.Contains("at most 1024 characters", SignInText.PasswordFault(Letters(SignInText.MaxPasswordLength + 1), null));
        Assert.Null(SignInText.PasswordFault(string.Concat(Enumerable.Range(0, SignInText.MaxPasswordLength).Select(i => char.ConvertFromUtf32(0x20000 + i))), null));
    }

    // Among the first an attacker tries (NIST SP 800-63B): common passwords with digits, capitals, l33t or a year, keyboard
    // rows, sequences, a word and a date, the user name inside a longer one.
    [Theory]
    [InlineData("password123")]
    [InlineData("Password1234")]
    [InlineData("P@ssw0rd2024!")]
    [InlineData("1234567890")]
    [InlineData("qwertyuiop")]
    [InlineData("1q2w3e4r5t")]
    [InlineData("iloveyou1314")]
    [InlineData("abcdefghijkl")]
    [InlineData("admin12345")]
    [InlineData("letmein2024")]
    [InlineData("dragon19900101")]
    [InlineData("organiser-7-2026")]
    [InlineData("skillshub2026")]
    // Found by an outside tester: a short unit repeated, and a listed word (the user name, "skillshub") reversed with a year.
    [InlineData("ababababab")]
    [InlineData("xyxyxyxyxyxy")]
    [InlineData("aabbaabbaabb")]
    [InlineData("ababababab1")]
    [InlineData("AbAbAbAbAbAb")]
    [InlineData("7-resinagro2026")]
    [InlineData("buhsllikS2026")]
    public void APassword_ThatIsEasyToGuess_IsRefused(string password) =>
        Assert.Contains("too easy to guess", SignInText.PasswordFault(password, "organiser-7"));

    // Passphrases, random characters and Chinese text of the same lengths are not.
    [Theory]
    [InlineData("correct horse battery staple")]
    [InlineData("cafe au lait 2026")]
    [InlineData("18c76c5888a883b403")]
    [InlineData("密码是正确的马电池钉")]
    [InlineData("violet kettle drums 9")]
    public void APassword_ThatIsHardToGuess_IsTaken(string password) => Assert.Null(SignInText.PasswordFault(password, "organiser-7"));

    [Fact]
    public void OnlyTheFirstCharacters_AreJudgedForGuessing()
    {
        // The estimate takes seconds on hundreds of characters, so a long password is judged on its first 64: here a
        // repeated common word, though what follows them would make the whole hard to guess.
        var strongTail = "xq7#Lm2$vB9!kW4 violet kettle drums";
        Assert.Null(SignInText.PasswordFault(strongTail, null));
        Assert.Contains("too easy to guess", SignInText.PasswordFault(string.Concat(Enumerable.Repeat("password", 8)) + strongTail, null));
    }

    [Fact]
    public void ThePasswordFault_NamesTheField() =>
        Assert.StartsWith("A new password of at least 10", SignInText.PasswordFault("x", null, "new password"));

    /// <summary>Names that would pass for one another have one key (found by an outside tester: "асе" beside "ace").</summary>
    [Theory]
    [InlineData("ace", "асе")]            // all Cyrillic
    [InlineData("coe", "сое")]
    [InlineData("paypal", "paypaǀ")]      // Latin letter dental click
    [InlineData("paypal", "paypa1")]
    [InlineData("admin", "ADMIN")]
    [InlineData("modern", "modem")]
    [InlineData("root", "r00t")]
    [InlineData("dave", "clave")]         // UTS #39: cl looks like d (an outside tester)
    [InlineData("wang-wei", "wang一wei")]  // a Chinese stroke drawn like a dash
    [InlineData("kill", "kil丨")]
    [InlineData("kvwk", "kwvk")]          // w and vv wherever they sit (an outside tester: "vv" replaced from the left)
    [InlineData("kvvvk", "kwvk")]
    [InlineData("vwvq", "vvvvq")]
    [InlineData("rnm", "mrn")]
    public void LookAlikeNames_ShareAKey(string first, string second) =>
        Assert.Equal(SignInText.LookAlikeKey(first), SignInText.LookAlikeKey(second));

    [Theory]
    [InlineData("ace", "acf")]
    [InlineData("wang.wei", "wang-wei")]
    [InlineData("张三", "张王")]
    public void DifferentNames_HaveDifferentKeys(string first, string second) =>
        Assert.NotEqual(SignInText.LookAlikeKey(first), SignInText.LookAlikeKey(second));

    /// <summary>The form a password is hashed in (NFKC): the same password typed on another keyboard or input method is one password.</summary>
    [Theory]
    [InlineData("caf\u00e9 au lait 2026", "caf\u00e9 au lait 2026")]         // é as one code point (Windows)
    [InlineData("cafe\u0301 au lait 2026", "caf\u00e9 au lait 2026")]        // e and a combining accent (macOS)
    [InlineData("ｃｏｒｒｅｃｔ　ｈｏｒｓｅ　１２３", "correct horse 123")]        // a Chinese input method in full-width mode
    [InlineData("correct horse battery staple", "correct horse battery staple")]
    [InlineData("密码是一二三四五六七八", "密码是一二三四五六七八")]
    public void APassword_IsHashedInItsCompatibilityForm(string typed, string hashed) => Assert.Equal(hashed, SignInText.PasswordForm(typed));

    [Fact]
    public void APasswordsEarlierForms_AreItsOtherNormalForms_TheNewOneFirst()
    {
        Assert.Equal(["correct horse battery staple"], SignInText.PasswordForms("correct horse battery staple"));
        Assert.Equal(["caf\u00e9 au lait", "cafe\u0301 au lait"], SignInText.PasswordForms("cafe\u0301 au lait"));
        Assert.Equal(["pass word 12", "ｐａｓｓ　ｗｏｒｄ　１２"], SignInText.PasswordForms("ｐａｓｓ　ｗｏｒｄ　１２"));
    }
}
