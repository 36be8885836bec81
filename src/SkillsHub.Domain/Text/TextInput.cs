using System.Text;

namespace SkillsHub.Domain.Text;

/// <summary>
/// The rule for text people type or import (names, titles, reasons; docs/security.md): at most
/// <see cref="MaxLength"/> characters (<see cref="MaxMultilineLength"/> where line breaks are allowed), control
/// characters and Unicode bidirectional controls are refused -- a right-to-left override makes a
/// name display as something it is not (Trojan Source, CVE-2021-42574), a NUL or BEL corrupts files
/// and terminals -- and accepted text is stored NFC-normalised, so one name has one spelling.
/// </summary>
public static class TextInput
{
    /// <summary>A text's characters as a person sees them (grapheme clusters: an emoji, a flag, a letter with its accent is one).</summary>
    public static List<string> TextElements(string text)
    {
        var elements = new List<string>();
        var enumerator = System.Globalization.StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            elements.Add(enumerator.GetTextElement());
        }
        return elements;
    }

    /// <summary>The longest single-line text accepted: names, codes, titles.</summary>
    public const int MaxLength = 200;

    /// <summary>The longest multi-line text accepted: a reason, a comment, a scheme's description.</summary>
    public const int MaxMultilineLength = 4000;

    /// <summary>Why the text is refused, or null when it is acceptable.</summary>
    public static string? Check(string? value, bool multiline = false, int? maxLength = null, bool? tabs = null) => FaultOf(value, multiline, maxLength, tabs)?.Message;

    /// <summary>
    /// Why the text is refused, with its code and arguments for the pages (docs/pages.md, "Languages"), or null.
    /// <paramref name="maxLength"/> is a field's own, lower limit (a token's name: 100), checked as the general one is, so
    /// every length past it gets one answer. Multi-line text may hold line breaks, and tabs unless <paramref name="tabs"/>
    /// says otherwise: a marking scheme's prose may (docs/security.md, "Files and text"), a reason typed in a form may not
    /// (found by an outside tester: a tab was stored in a certificate's suspension reason).
    /// </summary>
    public static Fault? FaultOf(string? value, bool multiline = false, int? maxLength = null, bool? tabs = null)
    {
        if (value is null)
        {
            return null;
        }
        var max = Math.Min(maxLength ?? int.MaxValue, multiline ? MaxMultilineLength : MaxLength);
        // Characters are counted as people count them, one per code point: an emoji outside the basic plane is one, not
        // the two UTF-16 units .NET's Length counts.
        if (value.Length > max && CodePoints(value) is var length && length > max)
        {
            return new(RowCodes.TextTooLong, $"At most {max} characters (this has {length}).", RowCodes.Args(("max", max), ("length", length)));
        }
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (multiline && (c is '\n' or '\r' || c == '\t' && tabs != false))
            {
                continue;
            }
            // A line break in one-line text is said as one (found by an outside tester: Excel's Alt+Enter in a name read
            // "Control character U+000D"); U+2028/U+2029 are line breaks too (Unicode's line and paragraph separators).
            if (!multiline && c is '\n' or '\r' or '\u2028' or '\u2029')
            {
                return new(RowCodes.LineBreak, $"A line break (U+{(int)c:X4}) at position {i + 1}: this takes one line; remove the line break.", RowCodes.Args(("char", $"U+{(int)c:X4}"), ("position", i + 1)));
            }
            if (char.IsControl(c))
            {
                return new(RowCodes.ControlCharacter, $"Control character U+{(int)c:X4} at position {i + 1} is not allowed.", RowCodes.Args(("char", $"U+{(int)c:X4}"), ("position", i + 1)));
            }
            if (IsBidiControl(c))
            {
                return new(RowCodes.BidiControl, $"Bidirectional control character U+{(int)c:X4} at position {i + 1} is not allowed.", RowCodes.Args(("char", $"U+{(int)c:X4}"), ("position", i + 1)));
            }
            if (IsUnpairedSurrogate(value, i))
            {
                return new(RowCodes.UnpairedSurrogate, $"An unpaired surrogate at position {i + 1} is not valid text.", RowCodes.Args(("position", i + 1)));
            }
        }
        if (!string.IsNullOrWhiteSpace(value) && !HasVisibleCharacter(value))
        {
            // Blank to the eye, so blank to the rules: a name or a reason made of U+200B reads as missing.
            return new(RowCodes.InvisibleText, "The text holds no visible character (only zero-width or formatting characters).");
        }
        return null;
    }

    /// <summary>True when at least one character (code point, so beyond the basic plane too) shows something.</summary>
    static bool HasVisibleCharacter(string value)
    {
        foreach (var rune in value.EnumerateRunes())
        {
            if (!Rune.IsWhiteSpace(rune) && !IsInvisible(rune))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Characters that show nothing by themselves: format characters (U+200B zero-width space, U+2060 word joiner,
    /// U+00AD soft hyphen, U+FEFF, tag characters U+E0020..U+E007F, ...), marks with no base to sit on (variation
    /// selectors, combining marks), control characters, Hangul fillers, the braille blank and Khmer's inherent vowels.
    /// Inside a visible text they are kept (a zero-width joiner builds an emoji, a variation selector picks its style).
    /// </summary>
    public static bool IsInvisible(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is System.Globalization.UnicodeCategory.Format or System.Globalization.UnicodeCategory.NonSpacingMark
            or System.Globalization.UnicodeCategory.EnclosingMark or System.Globalization.UnicodeCategory.Control
        || rune.Value is 0x2800
        || IsDefaultIgnorable(rune.Value);

    /// <summary>
    /// Unicode's Default_Ignorable_Code_Point property (the Hangul fillers and Khmer's inherent vowels among them), its
    /// unassigned code points too (U+2065, U+FFF0..U+FFF8, U+E0000..U+E0FFF): a font shows nothing for them, assigned or
    /// not, so the category alone let them through (an outside tester made an account that read "agency").
    /// </summary>
    public static bool IsDefaultIgnorable(int c) => c is 0x00AD or 0x034F or 0x061C or 0x115F or 0x1160 or 0x17B4 or 0x17B5 or (>= 0x180B and <= 0x180F)
        or (>= 0x200B and <= 0x200F) or (>= 0x202A and <= 0x202E) or (>= 0x2060 and <= 0x206F) or 0x3164 or (>= 0xFE00 and <= 0xFE0F) or 0xFEFF
        or 0xFFA0 or (>= 0xFFF0 and <= 0xFFF8) or (>= 0x1BCA0 and <= 0x1BCA3) or (>= 0x1D173 and <= 0x1D17A) or (>= 0xE0000 and <= 0xE0FFF);

    /// <summary>
    /// An invisible character (<see cref="IsInvisible"/>) that shows nothing even on a letter: all of them but the
    /// combining marks that draw on their letter (an accent); default-ignorable marks (a variation selector) included.
    /// A face draws nothing, a box, a hyphen or a "VS" placeholder for them, so the certificate PDF leaves them out of
    /// its drawing, and a holder's name is compared without them: the name as printed proves the holder
    /// (docs/security.md, "What is public").
    /// </summary>
    public static bool ShowsNothing(Rune rune) =>
        IsInvisible(rune) && (Rune.GetUnicodeCategory(rune) is not (System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.EnclosingMark)
            || IsDefaultIgnorable(rune.Value));

    /// <summary>The text without the characters that show nothing (<see cref="ShowsNothing"/>): what a face draws of it.</summary>
    public static string WithoutWhatShowsNothing(string value) =>
        string.Concat(value.EnumerateRunes().Where(r => !ShowsNothing(r)).Select(r => r.ToString()));

    /// <summary>Every line break (CRLF, a lone CR) written as LF.</summary>
    public static string LineBreaksAsLf(string value) => value.Replace("\r\n", "\n").Replace('\r', '\n');

    /// <summary>
    /// Trimmed, NFC-normalised and with every line break written as LF (call after <see cref="Check"/> accepted it): a
    /// description sent as JSON with CRLF and the same description read from a CSV sheet are one text. The trim takes a
    /// byte-order mark (U+FEFF) at either end with the spaces (found by an outside tester: a data row that
    /// began with a BOM, as concatenated files do, kept it in the candidate's name, which then matched no other record).
    /// </summary>
    public static string Normalise(string value) => LineBreaksAsLf(TrimEdges(value)).Normalize(NormalizationForm.FormC);

    static string TrimEdges(string value)
    {
        static bool Blank(char c) => char.IsWhiteSpace(c) || c == '\uFEFF';
        var (start, end) = (0, value.Length);
        while (start < end && Blank(value[start]))
        {
            start++;
        }
        while (end > start && Blank(value[end - 1]))
        {
            end--;
        }
        return value[start..end];
    }

    /// <summary>
    /// Optional text as stored: <see cref="Normalise"/>d, or null when it is blank (empty or only spaces), so that a blank
    /// field is taken as one left out (docs/security.md, "Files and text"), never stored as "".
    /// </summary>
    public static string? NormaliseOptional(string? value) => string.IsNullOrWhiteSpace(value) ? null : Normalise(value);

    static int CodePoints(string value)
    {
        var count = 0;
        foreach (var _ in value.EnumerateRunes())
        {
            count++;
        }
        return count;
    }

    /// <summary>
    /// Text the server keeps from outside without refusing it (a sign-in's User-Agent), made safe to show: every control
    /// character, bidirectional control and unpaired surrogate becomes U+FFFD, so it can neither turn the rest of a line
    /// around (U+202E made "gnp.exe" read "exe.png") nor hide what follows (found by an outside tester).
    /// </summary>
    public static string Displayable(string value)
    {
        var chars = value.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            if (char.IsControl(c) || IsBidiControl(c) || c is '\u2028' or '\u2029' || IsUnpairedSurrogate(value, i))
            {
                chars[i] = '\uFFFD';
            }
        }
        return new string(chars);
    }

    /// <summary>Whether the character at <paramref name="i"/> is half of a surrogate pair without its other half.</summary>
    static bool IsUnpairedSurrogate(string text, int i) =>
        char.IsHighSurrogate(text[i]) ? !(i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        : char.IsLowSurrogate(text[i]) && !(i > 0 && char.IsHighSurrogate(text[i - 1]));

    /// <summary>U+061C, U+200E/F, U+202A..U+202E, U+2066..U+2069: the explicit directional formatting characters of UAX #9.</summary>
    public static bool IsBidiControl(char c) =>
        c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    /// <summary>
    /// Text quoted back in a report (a refused cell, an unknown column's name) with each control character as its visible
    /// Unicode control picture: NUL as U+2400 "␀", a line feed as U+240A, DEL as U+2421. A person sees what the file held,
    /// and the report never carries the control itself (PostgreSQL text cannot hold a NUL; found by an outside tester: a
    /// cell ending in NUL left its import running for ever, its report unwritable; docs/certification.md, "Imports").
    /// A bidirectional control or an unpaired surrogate becomes U+FFFD, as in <see cref="Displayable"/> (found by an outside
    /// tester: an unknown column's name with U+202E turned its report's line around).
    /// </summary>
    public static string Visible(string value)
    {
        if (!value.Any(c => char.IsControl(c) || IsBidiControl(c) || char.IsSurrogate(c)))
        {
            return value;
        }
        return string.Create(value.Length, value, static (span, text) =>
        {
            for (var i = 0; i < text.Length; i++)
            {
                var unpaired = IsUnpairedSurrogate(text, i);
                span[i] = text[i] switch
                {
                    < '\u0020' and var c => (char)('\u2400' + c),
                    '\u007F' => '\u2421',
                    // C1 controls have no pictures of their own: the replacement character marks where one was.
                    >= '\u0080' and <= '\u009F' => '\uFFFD',
                    var c when IsBidiControl(c) || unpaired => '\uFFFD',
                    var c => c,
                };
            }
        });
    }

    /// <summary>
    /// Text from a file quoted back in a refusal (an unknown column's name, the text near a malformed line): at most
    /// <paramref name="length"/> characters, then "…", and <see cref="Visible"/>. A 4 MB header of unknown columns came
    /// back in full in every one of its problems (found by an outside tester: a refusal five times the file's size).
    /// </summary>
    public static string Quoted(string value, int length = 40)
    {
        if (value.Length > length)
        {
            var cut = char.IsHighSurrogate(value[length - 1]) ? length - 1 : length;
            value = value[..cut] + "…";
        }
        return Visible(value);
    }

    /// <summary>Checks several named fields at once; each fault names its field.</summary>
    public static IReadOnlyList<(string Field, string Message)> CheckAll(params (string Field, string? Value)[] fields) =>
        fields.Select(f => (f.Field, Message: Check(f.Value))).Where(f => f.Message is not null).Select(f => (f.Field, f.Message!)).ToList();

}
