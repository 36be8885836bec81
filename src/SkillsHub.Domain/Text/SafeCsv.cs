using System.Globalization;
using System.Text.RegularExpressions;
using CsvHelper;
using CsvHelper.Configuration;

namespace SkillsHub.Domain.Text;

/// <summary>
/// The one CSV writer for files SkillsHub hands out (results, reports, error reports, agency
/// exports; docs/security.md): OWASP's rule against formula injection -- a cell beginning with
/// = + - @, a tab or a carriage return is prefixed with an apostrophe, so a spreadsheet shows it as
/// text instead of running it -- through CsvHelper's own injection escaping, except that plain
/// numbers (-3, 12.5) stay numbers.
/// </summary>
public static partial class SafeCsv
{
    static readonly char[] InjectionCharacters = ['=', '+', '-', '@', '\t', '\r'];

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

    static bool IsPlainNumber(string cell) => PlainNumber().IsMatch(cell);

    [GeneratedRegex(@"^-?[0-9]+(\.[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainNumber();

    sealed class NumberKeepingWriter(TextWriter writer, CsvConfiguration configuration, bool leaveOpen) : CsvWriter(writer, configuration, leaveOpen)
    {
        protected override string? SanitizeForInjection(string? field) => field is not null && IsPlainNumber(field) ? field : base.SanitizeForInjection(field);
    }
}
