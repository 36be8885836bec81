using System.Globalization;
using System.Text.RegularExpressions;
using CsvHelper;
using CsvHelper.Configuration;

namespace SkillsHub.Domain.Text;

/// <summary>
/// The one CSV writer for files SkillsHub hands out (results, reports, error reports, agency
/// exports; docs/security.md): OWASP's rule against formula injection -- a cell beginning with
/// = + - @ (or their full-width forms), a tab or a carriage return is prefixed with an apostrophe, so a spreadsheet shows it as
/// text instead of running it -- through CsvHelper's own injection escaping, except that plain
/// numbers (-3, 12.5) stay numbers.
/// </summary>
public static partial class SafeCsv
{
    /// <summary>
    /// OWASP's characters, and their full-width forms (＝ ＋ － ＠), which a spreadsheet set up for East Asian input may
    /// read as the plain ones (found by an outside tester: a name starting with ＝ was written as it was).
    /// </summary>
    static readonly char[] InjectionCharacters = ['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20'];

    static CsvConfiguration Configuration() => new(CultureInfo.InvariantCulture)
    {
        InjectionOptions = InjectionOptions.Escape,
        InjectionCharacters = InjectionCharacters,
        InjectionEscapeCharacter = '\'',
    };

    public static CsvWriter CreateWriter(TextWriter writer, bool leaveOpen = false) => new NumberKeepingWriter(writer, Configuration(), leaveOpen);

    /// <summary>The cell as it will be written (before CSV quoting): the rule on its own, for callers that build text another way.</summary>
    public static string Neutralise(string cell) =>
        cell.Length > 0 && Array.IndexOf(InjectionCharacters, cell[0]) >= 0 && !IsPlainNumber(cell) ? "'" + cell : cell;

    /// <summary>
    /// The rule for a round-trip format (the marking-scheme CSV, read back by its importer): as
    /// <see cref="Neutralise"/>, but a cell whose formula character follows apostrophes also gets one
    /// more, so <see cref="Restore"/> can take exactly one off and every cell comes back as it was.
    /// </summary>
    public static string NeutraliseReversibly(string cell) =>
        StartsWithEscapedFormula(cell, apostrophes: 0) && !IsPlainNumber(cell) ? "'" + cell : cell;

    /// <summary>Undoes <see cref="NeutraliseReversibly"/>: one leading apostrophe comes off a cell whose apostrophes precede a formula character.</summary>
    public static string Restore(string cell) => StartsWithEscapedFormula(cell, apostrophes: 1) ? cell[1..] : cell;

    /// <summary>True when the cell is at least <paramref name="apostrophes"/> apostrophes followed by a formula character.</summary>
    static bool StartsWithEscapedFormula(string cell, int apostrophes)
    {
        var i = 0;
        while (i < cell.Length && cell[i] == '\'')
        {
            i++;
        }
        return i >= apostrophes && i < cell.Length && Array.IndexOf(InjectionCharacters, cell[i]) >= 0;
    }

    static bool IsPlainNumber(string cell) => PlainNumber().IsMatch(cell);

    [GeneratedRegex(@"^-?[0-9]+(\.[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainNumber();

    sealed class NumberKeepingWriter(TextWriter writer, CsvConfiguration configuration, bool leaveOpen) : CsvWriter(writer, configuration, leaveOpen)
    {
        protected override string? SanitizeForInjection(string? field) => field is not null && IsPlainNumber(field) ? field : base.SanitizeForInjection(field);
    }
}
