using System.Diagnostics.CodeAnalysis;

namespace SkillsHub.Domain.Marking;

/// <summary>
/// Ids of competitors, experts, aspects and members (docs/scoring.md, "Limits and identifiers"): letters, digits,
/// '-', '_' and '.', at most 64 characters. They are parts of grain keys and URLs, so '/', control
/// characters and anything else are refused before they reach a grain or the database.
/// </summary>
public static class Identifiers
{
    public const int MaxLength = 64;

    public static bool IsValid(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxLength)
        {
            return false;
        }

        var letterOrDigit = false;
        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return false;
            }
            letterOrDigit |= char.IsAsciiLetterOrDigit(c);
        }

        // At least one letter or digit: an id of dots alone ("." or "..") cannot stand in an address, where it means the
        // folder itself or the one above (found by an outside tester: such a competitor could be marked but never removed).
        return letterOrDigit;
    }

    /// <summary>
    /// A competition code (docs/scoring.md, "Limits and identifiers"): 3 to 16 ASCII letters or digits, compared
    /// upper-cased. It names the competition's grains, so a route whose code breaks the rule names no competition.
    /// </summary>
    public static bool IsCompetitionCode(string? code) =>
        code is { Length: >= 3 and <= 16 } && code.All(char.IsAsciiLetterOrDigit);

    /// <summary>A skill number is 1 to 99 (two digits in every skill key).</summary>
    public static bool IsSkillNumber([NotNullWhen(true)] int? number) => number is >= 1 and <= 99;

    /// <summary>
    /// A skill number as written in a file: ASCII digits, with a minus for a negative one (which <see cref="IsSkillNumber"/>
    /// then refuses). A leading zero only in the two-digit form that skill keys, routes (<c>/skills/07</c>) and results.csv
    /// write, so an import reads back what an export writes (found by an outside tester: "01" was "not a whole number");
    /// "0012" or "007" are not how anyone writes a skill number, nor are a plus sign, spaces inside or decimals: null.
    /// </summary>
    public static int? ReadSkillNumber(string? text)
    {
        var value = text?.Trim() ?? "";
        var negative = value.StartsWith('-');
        var unsigned = negative ? value[1..] : value;
        if (unsigned.Length is 0 or > 9 || !unsigned.All(char.IsAsciiDigit) || (unsigned.Length > 2 && unsigned[0] == '0'))
        {
            return null;
        }
        var number = int.Parse(unsigned, System.Globalization.CultureInfo.InvariantCulture);
        return negative ? -number : number;
    }

    public const string CompetitionCodeRule = "The code is 3 to 16 letters or digits, e.g. NSC2026.";

    public static string Rule(string what) =>
        $"{("aeiou".Contains(what[0]) ? "An" : "A")} {what} id is 1-{MaxLength} characters: letters, digits, '-', '_' or '.', with at least one letter or digit.";
}
