using System.Diagnostics.CodeAnalysis;

namespace SkillsHub.Domain.Marking;

/// <summary>
/// Ids of competitors, experts, aspects and members (docs/scoring.md, "Identifiers"): letters, digits,
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

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A competition code (docs/scoring.md, "Limits and identifiers"): 3 to 16 ASCII letters or digits, compared
    /// upper-cased. It names the competition's grains, so a route whose code breaks the rule names no competition.
    /// </summary>
    public static bool IsCompetitionCode(string? code) =>
        code is { Length: >= 3 and <= 16 } && code.All(char.IsAsciiLetterOrDigit);

    /// <summary>A skill number is 1 to 99 (two digits in every skill key).</summary>
    public static bool IsSkillNumber([NotNullWhen(true)] int? number) => number is >= 1 and <= 99;

    public const string CompetitionCodeRule = "The code is 3 to 16 letters or digits, e.g. NSC2026.";

    public static string Rule(string what) =>
        $"{("aeiou".Contains(what[0]) ? "An" : "A")} {what} id is 1-{MaxLength} characters: letters, digits, '-', '_' or '.'.";
}
