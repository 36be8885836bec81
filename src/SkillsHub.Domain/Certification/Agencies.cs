using System.Diagnostics.CodeAnalysis;

namespace SkillsHub.Domain.Certification;

/// <summary>Y: an employer on file; S: a social training/evaluation organisation.</summary>
public enum AgencyType
{
    Y,
    S,
}

/// <summary>
/// An evaluation agency's identity as it appears in its certificate numbers: type, 4-digit agency code
/// (0000 when filed with a province), 2-digit province code and 6-digit site serial, 13 characters,
/// e.g. <c>Y000123000001</c>. SkillsHub keys agencies (and the officer claim) by it.
/// </summary>
public readonly record struct AgencyKey(AgencyType Type, string AgencyCode, string Province, string Site)
{
    public const int Length = 13;

    public override string ToString() => $"{Type}{AgencyCode}{Province}{Site}";

    public static bool TryParse([NotNullWhen(true)] string? text, out AgencyKey key)
    {
        key = default;
        var s = text?.Trim().ToUpperInvariant();
        if (s is not { Length: Length } || s[0] is not ('Y' or 'S') || !AllDigits(s.AsSpan(1)))
        {
            return false;
        }
        key = new AgencyKey(s[0] == 'Y' ? AgencyType.Y : AgencyType.S, s[1..5], s[5..7], s[7..13]);
        return true;
    }

    public static AgencyKey Parse(string text) =>
        TryParse(text, out var key) ? key : throw new FormatException($"'{text}' is not an agency key (Y/S + 4 + 2 + 6 digits).");

    internal static bool AllDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return true;
    }
}

/// <summary>What an agency is on file for: occupations x levels. Nothing outside it may be rated or certified.</summary>
public sealed class AgencyScope
{
    readonly HashSet<(string Occupation, SkillLevel Level)> _entries;

    public AgencyScope(IEnumerable<(string Occupation, SkillLevel Level)> entries) => _entries = [.. entries];

    public static AgencyScope Empty { get; } = new([]);

    public bool Covers(string occupation, SkillLevel level) => _entries.Contains((occupation, level));

    public bool CoversOccupation(string occupation) => _entries.Any(e => e.Occupation == occupation);

    public IReadOnlyCollection<(string Occupation, SkillLevel Level)> Entries => _entries;
}

public sealed record Agency(AgencyKey Key, string Name, AgencyScope Scope, bool Active = true)
{
    public AgencyType Type => Key.Type;
}

public static class AgencyRules
{
    /// <summary>Why an agency may not evaluate (rate or certify) this occupation and level, or null when it may.</summary>
    public static string? EvaluationRefusal(this Agency agency, string occupation, SkillLevel level)
    {
        if (!agency.Active)
        {
            return "agency-inactive";
        }
        if (level.IsByAppointment())
        {
            return "appointment-only";
        }
        if (!level.IsEvaluated())
        {
            return "not-evaluated";
        }
        return agency.Scope.Covers(occupation, level) ? null : "outside-scope";
    }

    /// <summary>
    /// Why an agency may not appoint this level, or null when it may: special-grade and chief technician
    /// are appointed only by an employer (Y) agency on file for the occupation at that very level (its scope's 6 or 7
    /// entry; docs/certification.md): "outside-scope" when the occupation is not filed at all, "level-outside-scope" when
    /// it is, but not at this level.
    /// </summary>
    public static string? AppointmentRefusal(this Agency agency, string occupation, SkillLevel level)
    {
        if (!agency.Active)
        {
            return "agency-inactive";
        }
        if (!level.IsByAppointment())
        {
            return "by-evaluation-only";
        }
        if (agency.Type != AgencyType.Y)
        {
            return "employer-agency-only";
        }
        return agency.Scope.Covers(occupation, level) ? null
            : agency.Scope.CoversOccupation(occupation) ? "level-outside-scope" : "outside-scope";
    }

    /// <summary>
    /// Special-grade and chief technicians are chosen from senior technicians (人社部发〔2022〕14号: special grade from Level 1,
    /// chief from special grade and Level 1): the person must hold Level 1 or an appointed level in the occupation on the
    /// appointment's date (docs/certification.md, "Levels held"). Found by an outside tester: a person holding no level at
    /// all, a newborn, was appointed chief technician.
    /// </summary>
    public static bool MayBeAppointed(SkillLevel? highestHeldOnTheDate) => highestHeldOnTheDate >= SkillLevel.Level1;

    /// <summary>The earliest appointment date on record: the eight-level ladder with special-grade and chief technician dates from 2022 (人社部发〔2022〕14号).</summary>
    public static readonly DateOnly EarliestAppointment = new(2022, 1, 1);

    /// <summary>Why an appointment date is not acceptable (before <see cref="EarliestAppointment"/> or after today), or null.</summary>
    /// A date before the birth an ID carries (<paramref name="born"/>, a resident ID's) is refused too (found by an outside tester).
    public static string? AppointmentDateRefusal(DateOnly appointedOn, DateOnly today, DateOnly? born = null) =>
        appointedOn > today ? $"The appointment date {appointedOn:yyyy-MM-dd} is after today ({today:yyyy-MM-dd}); record appointments once made."
        : appointedOn < EarliestAppointment ? $"The appointment date {appointedOn:yyyy-MM-dd} is before {EarliestAppointment:yyyy-MM-dd}, when special-grade and chief technician became levels of the ladder."
        : appointedOn < born ? $"The appointment date {appointedOn:yyyy-MM-dd} is before the person was born ({born:yyyy-MM-dd})."
        : null;

    /// <summary>The earliest exam date a session may carry (docs/certification.md, "API"): older records are not imported sessions.</summary>
    public static readonly DateOnly EarliestExam = new(2000, 1, 1);

    /// <summary>
    /// What is wrong with a session's type of work: given, it has a letter or a digit (docs/certification.md, "Imports"). A
    /// dash typed for none ("—", "--") made another exam than a session without one, and read as the PDF's "--" for none
    /// (found by an outside tester).
    /// </summary>
    public static IReadOnlyList<(string Field, string Message)> WorkTypeFaults(string? workType) =>
        !string.IsNullOrWhiteSpace(workType) && !workType.Any(char.IsLetterOrDigit)
            ? [("workType", "A type of work has letters or digits: leave it out (or empty) for none.")]
            : [];

    /// <summary>
    /// What is wrong with a session's dates, by field: the exam from <see cref="EarliestExam"/> to a year ahead, the
    /// comprehensive review on or after the exam and within a year of it.
    /// </summary>
    public static IReadOnlyList<(string Field, string Message)> SessionDateFaults(DateOnly examOn, DateOnly? reviewOn, DateOnly today)
    {
        var faults = new List<(string, string)>();
        if (examOn < EarliestExam || examOn > today.AddYears(1))
        {
            faults.Add(("examOn", $"The exam date is between {EarliestExam:yyyy-MM-dd} and a year from today ({today.AddYears(1):yyyy-MM-dd})."));
        }
        if (reviewOn is { } review && (review < examOn || review > examOn.AddYears(1)))
        {
            faults.Add(("reviewOn", $"The comprehensive review is on or after the exam ({examOn:yyyy-MM-dd}) and within a year of it."));
        }
        return faults;
    }

    /// <summary>
    /// Why a session may not be rated, issued or given results yet: its exam is after <paramref name="today"/> (China
    /// time), so it has no real results and eligibility, reckoned on the exam date, would count time not yet served
    /// (docs/certification.md, "Sessions"; found by an outside tester). Null from the exam date on.
    /// </summary>
    public static string? ExamNotHeld(DateOnly examOn, DateOnly today) =>
        examOn > today
            ? $"The exam is on {examOn:yyyy-MM-dd}, after today ({today:yyyy-MM-dd}): results, rating and certificates wait for the exam date."
            : null;

    /// <summary>
    /// Why a session of a level with a comprehensive review (Levels 2 and 1) may not be rated or issued yet: its review is
    /// after <paramref name="today"/> (China time), so no candidate can have a real review mark (docs/certification.md,
    /// "Sessions"; found by an outside tester: a Level 2 certificate was issued three months before its review). Null
    /// from the review date on, and for levels without a review.
    /// </summary>
    public static string? ReviewNotHeld(SkillLevel level, DateOnly? reviewOn, DateOnly today) =>
        level.NeedsReview() && reviewOn is { } review && review > today
            ? $"The comprehensive review is on {review:yyyy-MM-dd}, after today ({today:yyyy-MM-dd}): review marks, rating and certificates wait for the review date."
            : null;
}
