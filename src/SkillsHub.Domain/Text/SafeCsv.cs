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
/// numbers (-3, 12.5) stay numbers. A cell is also where a spreadsheet splitting lines at semicolons starts one (the list
/// separator of most European locales, which ignores the quotes of a comma-separated file there): a formula character
/// after a semicolon inside a cell, past any quotes or spaces, gets an apostrophe too, and a cell with a semicolon is
/// quoted (OWASP: take care of the field separators too; found by an outside tester: "Doe;=1+1" opened in a German
/// Excel as a cell "=1+1").
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
        ShouldQuote = args => ConfigurationFunctions.ShouldQuote(args) || args.Field?.Contains(Semicolon) == true,
    };

    const char Semicolon = ';';

    /// <summary>
    /// What a spreadsheet may take for the start of a cell inside one: a semicolon, and a line break, where a program that
    /// does not honour the quotes starts a row (found by an outside tester: a scheme's description with "=" after a line
    /// break was left bare).
    /// </summary>
    static readonly char[] CellStarts = [Semicolon, '\n'];

    public static CsvWriter CreateWriter(TextWriter writer, bool leaveOpen = false) => new NumberKeepingWriter(writer, Configuration(), leaveOpen);

    /// <summary>The cell as it will be written (before CSV quoting): the rule on its own, for callers that build text another way.</summary>
    public static string Neutralise(string cell) =>
        AfterCellStarts(cell.Length > 0 && Array.IndexOf(InjectionCharacters, cell[0]) >= 0 && !IsPlainNumber(cell) ? "'" + cell : cell, Escape.Unescaped);

    /// <summary>
    /// The rule for a round-trip format (the marking-scheme CSV, read back by its importer): as
    /// <see cref="Neutralise"/>, but a formula character that follows apostrophes also gets one
    /// more, so <see cref="Restore"/> can take exactly one off and every cell comes back as it was.
    /// </summary>
    public static string NeutraliseReversibly(string cell) =>
        AfterCellStarts(EscapedFormulaAt(cell, 0, skipQuotes: false) is not null && !IsPlainNumber(cell) ? "'" + cell : cell, Escape.Always);

    /// <summary>Undoes <see cref="NeutraliseReversibly"/>: one apostrophe comes off each place whose apostrophes precede a formula character.</summary>
    public static string Restore(string cell) =>
        AfterCellStarts(EscapedFormulaAt(cell, 0, skipQuotes: false) > 0 ? cell[1..] : cell, Escape.Undo);

    enum Escape { Unescaped, Always, Undo }

    /// <summary>
    /// The rule at each place a spreadsheet may start a cell inside one (after each semicolon or line break): an apostrophe added
    /// where a formula character follows with none before it (<see cref="Escape.Unescaped"/>) or with any number
    /// (<see cref="Escape.Always"/>), or one taken off where it follows one or more (<see cref="Escape.Undo"/>).
    /// </summary>
    static string AfterCellStarts(string cell, Escape escape)
    {
        if (cell.IndexOfAny(CellStarts) < 0)
        {
            return cell;
        }
        var text = new System.Text.StringBuilder(cell.Length + 4);
        var start = 0;
        for (var i = cell.IndexOfAny(CellStarts); i >= 0; i = cell.IndexOfAny(CellStarts, i + 1))
        {
            text.Append(cell, start, i + 1 - start);
            start = i + 1;
            var apostrophes = EscapedFormulaAt(cell, start, skipQuotes: true);
            if (apostrophes == 0 && escape == Escape.Unescaped || apostrophes is not null && escape == Escape.Always)
            {
                text.Append('\'');
            }
            else if (apostrophes > 0 && escape == Escape.Undo)
            {
                start++;
            }
        }
        return text.Append(cell, start, cell.Length - start).ToString();
    }

    /// <summary>
    /// How many apostrophes stand at <paramref name="at"/> before a formula character (past quotes and any spaces after a
    /// semicolon, where a spreadsheet's own cell may begin with them), or null when no formula character follows.
    /// </summary>
    static int? EscapedFormulaAt(string cell, int at, bool skipQuotes)
    {
        var i = at;
        while (i < cell.Length && cell[i] == '\'')
        {
            i++;
        }
        var apostrophes = i - at;
        // Any space counts, a no-break or an ideographic one too (found by an outside tester: "Doe;\u00A0=1+1" was left bare).
        while (skipQuotes && i < cell.Length && (cell[i] == '"' || char.IsWhiteSpace(cell[i]) && Array.IndexOf(InjectionCharacters, cell[i]) < 0))
        {
            i++;
        }
        return i < cell.Length && Array.IndexOf(InjectionCharacters, cell[i]) >= 0 ? apostrophes : null;
    }

    static bool IsPlainNumber(string cell) => PlainNumber().IsMatch(cell);

    [GeneratedRegex(@"^-?[0-9]+(\.[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainNumber();

    sealed class NumberKeepingWriter(TextWriter writer, CsvConfiguration configuration, bool leaveOpen) : CsvWriter(writer, configuration, leaveOpen)
    {
        protected override string? SanitizeForInjection(string? field) =>
            field is null || IsPlainNumber(field) ? field : AfterCellStarts(base.SanitizeForInjection(field) ?? field, Escape.Unescaped);
    }
}
