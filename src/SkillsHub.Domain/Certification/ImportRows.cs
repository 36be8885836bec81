using System.Globalization;

namespace SkillsHub.Domain.Certification;

/// <summary>
/// A problem with one field of one line of an imported file: the English message for API clients and the
/// error report, and a stable <see cref="RowCodes"/> code with its arguments the pages translate.
/// </summary>
public sealed record LineError(long Line, string Field, string Message, string Code, IReadOnlyDictionary<string, string>? Args = null)
{
    // One constructor only: the OpenAPI schema takes the required properties from it.
    public static LineError Of(long line, string field, Fault fault) => new(line, field, fault.Message, fault.Code, fault.Args);
}

/// <param name="Education">Null when the file gives none (no column, a blank cell): what is known of the person stays.</param>
public sealed record CandidateRow(string Name, string IdType, string IdNumber, Education? Education, DateOnly? InOccupationSince, SkillLevel? HeldLevel, DateOnly? HeldSince);

public sealed record ResultRow(string IdType, string IdNumber, decimal? Theory, decimal? Practical, decimal? Review);

/// <param name="WorldSkillsSkillGiven">The file has the related_worldskills_skill column: without it, the stored value stays.</param>
/// <param name="ValidityYears">How many years a certificate of the occupation is valid; null: no expiry (docs/certification.md).</param>
/// <param name="ValidityGiven">The file has the certificate_validity_years column: without it, the stored value stays.</param>
public sealed record OccupationRow(string Code, string NameZh, string NameEn, IReadOnlyList<string> TypesOfWork, string? WorldSkillsSkill, bool IsMajorGroup,
    bool WorldSkillsSkillGiven = true, short? ValidityYears = null, bool ValidityGiven = false);

/// <summary>
/// Validates the fields of one already-parsed line of an import file (the CSV parsing is the
/// caller's). Each returns the row or the errors, every error naming its line and field.
/// </summary>
public static class ImportRows
{
    public static readonly string[] CandidateColumns = ["name", "id_type", "id_number", "education", "in_occupation_since", "held_level", "held_since"];
    public static readonly string[] ResultColumns = ["id_type", "id_number", "theory", "practical", "review"];
    public static readonly string[] OccupationColumns = ["code", "name_zh", "name_en", "types_of_work", "related_worldskills_skill", "certificate_validity_years"];

    /// <summary>
    /// The working age (docs/certification.md, "Age"): China's Labour Law (art. 15) forbids employing anyone under 16, and
    /// evaluations are open from 16, so work in the occupation, an apprenticeship or a level held counts from the 16th
    /// birthday and a candidate sits an exam at 16 or older. Found by an outside tester: a person born on the exam day was
    /// certified for a completed apprenticeship, and a ten-year-old had ten years in the occupation.
    /// </summary>
    public const int WorkingAge = 16;

    /// <summary>The candidate rule as of <paramref name="today"/> (China time): a birth date after it is impossible.</summary>
    /// <summary>A session's candidates row on <paramref name="today"/>, for a session whose exam is on <paramref name="examOn"/>.</summary>
    public static Func<long, Func<string, string?>, List<LineError>, CandidateRow?> CandidateAsOf(DateOnly today, DateOnly? examOn = null) =>
        (line, field, errors) => Candidate(line, field, errors, today, examOn);

    public static CandidateRow? Candidate(long line, Func<string, string?> field, List<LineError> errors) => Candidate(line, field, errors, null, null);

    /// <summary>The longest name a candidates row may give, in characters (code points).</summary>
    public const int MaxNameLength = 100;

    static CandidateRow? Candidate(long line, Func<string, string?> field, List<LineError> errors, DateOnly? today, DateOnly? examOn)
    {
        var before = errors.Count;
        var name = Required(line, field, "name", errors);
        // At most 100 characters, counted as the setup imports count them, one a code point (found by an outside tester: 60
        // characters of CJK Extension B, two UTF-16 units each, were refused as over 100).
        if (Text.TextInput.FaultOf(name, maxLength: MaxNameLength) is { } fault)
        {
            errors.Add(LineError.Of(line, "name", fault));
        }
        var (idType, idNumber, birthDate) = Identity(line, field, errors, today);
        var educationText = field("education")?.Trim();
        Education? education = null;
        if (!string.IsNullOrEmpty(educationText))
        {
            if (TryEducation(educationText, out var given))
            {
                education = given;
            }
            else
            {
                errors.Add(new(line, "education", "one of none, technical-school, senior-technical-school, college", RowCodes.Education));
            }
        }
        var since = OptionalDate(line, field, "in_occupation_since", errors, today);
        SkillLevel? held = null;
        // The two columns are required together only when both read: a value that does not parse is its own error. Other
        // columns' errors do not hide this one (an outside tester: a bad ID number left it out of the report).
        var beforeHeld = errors.Count;
        var heldText = field("held_level")?.Trim();
        if (!string.IsNullOrEmpty(heldText))
        {
            if (string.Equals(heldText, "apprentice", StringComparison.OrdinalIgnoreCase))
            {
                held = SkillLevel.Apprentice;
            }
            else if (int.TryParse(heldText, NumberStyles.None, CultureInfo.InvariantCulture, out var digit) && SkillLevels.TryFromDigit(digit, out var level))
            {
                held = level;
            }
            else
            {
                errors.Add(new(line, "held_level", "apprentice or a level digit 5..1", RowCodes.HeldLevel));
            }
        }
        var heldSince = OptionalDate(line, field, "held_since", errors, today);
        if (held is not null && heldSince is null && errors.Count == beforeHeld)
        {
            errors.Add(new(line, "held_since", "required when held_level is given", RowCodes.HeldSinceRequired));
        }
        // And the other way: a date with no level declares nothing, and was stored without a word (an outside tester).
        if (held is null && heldSince is not null && errors.Count == beforeHeld)
        {
            errors.Add(new(line, "held_level", "required when held_since is given", RowCodes.HeldLevelRequired));
        }
        // A history that starts before its holder was born cannot be (found by an outside tester: it counted towards eligibility).
        // Read only from a number that is one: an impossible number's error says enough (an outside tester: "born tomorrow,
        // after the exam" read from a number already refused as impossible).
        if (birthDate is { } born)
        {
            var sixteen = born.AddYears(WorkingAge);
            var birth = born.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var turned = sixteen.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            foreach (var (column, date) in new[] { ("in_occupation_since", since), ("held_since", heldSince) })
            {
                var value = date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                if (date < born)
                {
                    errors.Add(new(line, column, $"'{value}' is before the holder was born ({birth})", RowCodes.DateBeforeBirth, RowCodes.Args(("value", value), ("born", birth))));
                }
                else if (date < sixteen)
                {
                    errors.Add(new(line, column, $"'{value}' is before the holder turned {WorkingAge} ({turned}); work and levels count from then", RowCodes.BeforeWorkingAge,
                        RowCodes.Args(("value", value), ("age", WorkingAge), ("turned", turned))));
                }
            }
            // Nor does one sit an exam held before their birth (found by an outside tester: a certificate was issued for it), or
            // before they turn 16.
            var exam = examOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (examOn < born)
            {
                errors.Add(new(line, "id_number", $"born {birth}, after the session's exam date ({exam})", RowCodes.BornAfterExam, RowCodes.Args(("born", birth), ("exam", exam))));
            }
            else if (examOn < sixteen)
            {
                errors.Add(new(line, "id_number", $"born {birth}: under {WorkingAge} on the session's exam date ({exam})", RowCodes.UnderWorkingAge,
                    RowCodes.Args(("born", birth), ("age", WorkingAge), ("exam", exam))));
            }
        }
        // One name, one spelling: stored NFC-normalised (docs/security.md).
        return errors.Count > before ? null : new CandidateRow(Text.TextInput.Normalise(name!), idType!, idNumber!, education, since, held, heldSince);
    }

    public static ResultRow? Result(long line, Func<string, string?> field, List<LineError> errors)
    {
        var before = errors.Count;
        var (idType, idNumber, _) = Identity(line, field, errors);
        var theory = Score(line, field, "theory", errors);
        var practical = Score(line, field, "practical", errors);
        var review = Score(line, field, "review", errors);
        return errors.Count > before ? null : new ResultRow(idType!, idNumber!, theory, practical, review);
    }

    /// <summary>
    /// The results rule for a session of <paramref name="level"/> as of <paramref name="today"/> (China time): a review mark
    /// only for Levels 2 and 1 (the others have no review, so a mark for it would be stored and shown for nothing), and
    /// not before the review date (docs/certification.md, "Imports"; found by an outside tester).
    /// </summary>
    public static Func<long, Func<string, string?>, List<LineError>, ResultRow?> ResultFor(SkillLevel level, DateOnly? reviewOn, DateOnly today) =>
        (line, field, errors) =>
        {
            var row = Result(line, field, errors);
            if (row?.Review is null)
            {
                return row;
            }
            if (!level.NeedsReview())
            {
                var digit = level.Digit();
                errors.Add(new(line, "review", $"Level {digit} has no comprehensive review: leave the review cell empty", RowCodes.NoReviewForLevel,
                    RowCodes.Args(("level", digit))));
                return null;
            }
            if (AgencyRules.ReviewNotHeld(level, reviewOn, today) is not null)
            {
                errors.Add(new(line, "review", $"the comprehensive review is on {reviewOn:yyyy-MM-dd}, after today: its marks come from that day on", RowCodes.ReviewNotHeld,
                    RowCodes.Args(("date", $"{reviewOn:yyyy-MM-dd}"))));
                return null;
            }
            return row;
        };

    public static OccupationRow? Occupation(long line, Func<string, string?> field, List<LineError> errors)
    {
        var before = errors.Count;
        var code = Required(line, field, "code", errors);
        var isGroup = code is { Length: 1 } && code[0] is >= '1' and <= '8';
        if (code is not null && !isGroup && !OccupationCode.TryParse(code, out _))
        {
            errors.Add(new(line, "code", $"'{code}' is not an occupation code D-DD-DD-DD (or a major group 1-8)", RowCodes.NotAnOccupationCode, RowCodes.Args(("value", code))));
        }
        var zh = Required(line, field, "name_zh", errors);
        var en = Required(line, field, "name_en", errors);
        foreach (var (column, value) in new[] { ("name_zh", zh), ("name_en", en), ("types_of_work", field("types_of_work")) })
        {
            if (Text.TextInput.FaultOf(value) is { } fault)
            {
                errors.Add(LineError.Of(line, column, fault));
            }
        }
        var types = (field("types_of_work") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var skill = field("related_worldskills_skill")?.Trim();
        // Years a certificate stays valid, 1 to 50; blank for none (a certificate without expiry). Without the column the
        // stored value stays, so a catalogue import can change an occupation's validity (docs/certification.md).
        var validityText = field("certificate_validity_years")?.Trim();
        short? validity = null;
        if (!string.IsNullOrEmpty(validityText))
        {
            if (short.TryParse(validityText, NumberStyles.None, CultureInfo.InvariantCulture, out var years) && years is >= 1 and <= 50)
            {
                validity = years;
            }
            else
            {
                errors.Add(new(line, "certificate_validity_years", $"'{validityText}' is not a number of years from 1 to 50 (leave it blank for no expiry)",
                    RowCodes.ValidityYears, RowCodes.Args(("value", validityText))));
            }
        }
        return errors.Count > before ? null
            : new OccupationRow(code!, Text.TextInput.Normalise(zh!), Text.TextInput.Normalise(en!), types.Select(Text.TextInput.Normalise).ToList(), string.IsNullOrEmpty(skill) ? null : skill, isGroup, skill is not null,
                validity, validityText is not null);
    }

    public static bool TryEducation(string text, out Education education)
    {
        education = text.Trim().ToLowerInvariant() switch
        {
            "none" or "" => Education.None,
            "technical-school" => Education.TechnicalSchool,
            "senior-technical-school" => Education.SeniorTechnicalSchool,
            "college" => Education.College,
            _ => (Education)(-1),
        };
        return education >= 0;
    }

    /// <summary>The row's ID type and number, and the birth date a number that is one carries (a resident ID's).</summary>
    static (string? Type, string? Number, DateOnly? Born) Identity(long line, Func<string, string?> field, List<LineError> errors, DateOnly? today = null)
    {
        var type = Required(line, field, "id_type", errors)?.ToLowerInvariant();
        var number = Required(line, field, "id_number", errors) is { } typed ? IdNumbers.Plain(typed) : null;
        if (type is null || number is null)
        {
            return (type, number, null);
        }
        if (IdNumbers.FaultOf(type, number, today) is { } problem)
        {
            errors.Add(LineError.Of(line, IdNumbers.Types.Contains(type) ? "id_number" : "id_type", problem));
            return (type, number, null);
        }
        return (type, number, IdNumbers.BirthDate(type, number));
    }

    static string? Required(long line, Func<string, string?> field, string name, List<LineError> errors)
    {
        var value = field(name)?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(new(line, name, "required", RowCodes.Required));
            return null;
        }
        return value;
    }

    /// <summary>
    /// A date a candidate's history can hold: from 1900 and, when <paramref name="today"/> is known, not after it. Found by
    /// an outside tester: 0001-01-01 in the occupation made anyone eligible by work years, and 2099 was stored.
    /// </summary>
    static DateOnly? OptionalDate(long line, Func<string, string?> field, string name, List<LineError> errors, DateOnly? today = null)
    {
        var value = field(name)?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            if (date.Year < 1900 || date > today)
            {
                errors.Add(new(line, name, $"'{value}' cannot be: a date from 1900 and not after today", RowCodes.DateImpossible, RowCodes.Args(("value", value))));
                return null;
            }
            return date;
        }
        errors.Add(new(line, name, $"'{value}' is not a date yyyy-mm-dd", RowCodes.NotADate, RowCodes.Args(("value", value))));
        return null;
    }

    static decimal? Score(long line, Func<string, string?> field, string name, List<LineError> errors)
    {
        var value = field(name)?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        if (Text.ExactDecimal.TryParse(value, NumberStyles.AllowDecimalPoint, out var score) && score <= 100 && decimal.Round(score, 2) == score)
        {
            return score;
        }
        errors.Add(new(line, name, $"'{value}' is not a mark 0-100 (at most 2 decimals)", RowCodes.NotAMark, RowCodes.Args(("value", value))));
        return null;
    }
}
