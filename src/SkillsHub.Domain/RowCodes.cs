using System.Globalization;

namespace SkillsHub.Domain;

/// <summary>
/// Stable codes of the problems an import reports per row (marking schemes, rosters, agency candidate and
/// result files; docs/pages.md, "Languages"). Each row error carries one of these and its arguments (the
/// values the English message quotes) so the pages word it in the reader's language; the English message
/// stays for API clients. A test checks that the pages have a Chinese and an English text for every code.
/// </summary>
public static class RowCodes
{
    // Text rule (docs/security.md).
    public const string ControlCharacter = "text.control-character";
    public const string LineBreak = "text.line-break";
    public const string BidiControl = "text.bidi-control";
    public const string UnpairedSurrogate = "text.unpaired-surrogate";
    public const string TextTooLong = "text.too-long";
    public const string InvisibleText = "text.invisible";
    public const string InvalidUtf8 = "text.invalid-utf8";

    // CSV files.
    public const string CsvMalformed = "csv.malformed";
    public const string CsvEmpty = "csv.empty";
    public const string CsvMissingColumns = "csv.missing-columns";
    public const string CsvFieldCount = "csv.field-count";
    public const string CsvUnknownColumn = "csv.unknown-column";
    public const string CsvNamelessColumn = "csv.nameless-column";
    public const string CsvMoreUnknownColumns = "csv.more-unknown-columns";
    public const string CsvDuplicateColumn = "csv.duplicate-column";
    public const string NoRows = "import.no-rows";
    public const string TooManyRows = "import.too-many-rows";
    public const string TooManyCompetitors = "roster.too-many-competitors";
    public const string JsonMalformed = "json.malformed";
    public const string JsonTooManyDigits = "json.too-many-digits";
    public const string JsonOutOfRange = "json.out-of-range";
    public const string JsonNullEntry = "json.null-entry";
    public const string JsonNullItem = "json.null-item";
    public const string JsonBlankItem = "json.blank-item";
    public const string JsonAliasConflict = "json.alias-conflict";

    // Agency candidate, result and catalogue files.
    public const string Required = "import.required";
    /// <summary>No longer written (a candidate's long name is <see cref="TextTooLong"/>); reports stored before 2026-12-08 carry it, and the pages still translate it.</summary>
    public const string TooLong = "import.too-long";
    public const string Education = "import.education";
    public const string HeldLevel = "import.held-level";
    public const string HeldSinceRequired = "import.held-since-required";
    public const string HeldLevelRequired = "import.held-level-required";
    public const string NotADate = "import.not-a-date";
    public const string DateImpossible = "import.date-impossible";
    public const string DateBeforeBirth = "import.date-before-birth";
    public const string BornAfterExam = "import.born-after-exam";
    public const string BeforeWorkingAge = "import.before-working-age";
    public const string UnderWorkingAge = "import.under-working-age";
    public const string NotAMark = "import.not-a-mark";
    public const string NotAnOccupationCode = "import.not-an-occupation-code";
    public const string ValidityYears = "import.validity-years";
    public const string IdType = "import.id-type";
    public const string IdNumberFormat = "import.id-number-format";
    public const string ResidentIdCheckDigit = "import.resident-id-check-digit";
    public const string ResidentIdImpossible = "import.resident-id-impossible";
    public const string SamePerson = "import.same-person";
    public const string NameMismatch = "import.name-mismatch";
    public const string DuplicateCode = "import.duplicate-code";
    public const string ListedTwice = "import.listed-twice";
    public const string NotACandidate = "import.not-a-candidate";
    public const string AlreadyRated = "import.already-rated";
    public const string CandidateAlreadyRated = "import.candidate-already-rated";
    public const string CandidateOfAnotherSession = "import.candidate-of-another-session";
    public const string NoReviewForLevel = "import.no-review-for-level";
    public const string ReviewNotHeld = "import.review-not-held-yet";

    // Rosters and skills files (console).
    public const string InvalidId = "roster.invalid-id";
    public const string UnknownMember = "roster.unknown-member";
    public const string NotAWholeNumber = "roster.not-a-whole-number";
    public const string DuplicateCompetitor = "roster.duplicate-competitor";
    public const string IdCaseClash = "roster.id-case-clash";
    public const string CompetitorNeedsName = "roster.competitor-needs-name";
    public const string TeamSize = "roster.team-size";
    public const string TeamRowsDisagree = "roster.team-rows-disagree";
    public const string ExpertMemberFixed = "roster.expert-member-fixed";
    public const string ExpertNotRegistered = "roster.expert-not-registered";
    public const string ExpertInGroup = "roster.expert-in-group";
    public const string CompetitorMemberFixed = "roster.competitor-member-fixed";
    public const string OnePerMember = "roster.one-per-member";
    public const string DuplicateExpert = "roster.duplicate-expert";
    public const string ExpertNameRequired = "roster.expert-name-required";
    public const string UnknownRole = "roster.unknown-role";
    public const string RoleRequired = "roster.role-required";
    public const string OneChiefExpert = "roster.one-chief-expert";
    public const string DuplicateGroup = "roster.duplicate-group";
    public const string GroupNeedsTargets = "roster.group-needs-targets";
    public const string GroupNeedsExperts = "roster.group-needs-experts";
    public const string GroupUnknownTarget = "roster.group-unknown-target";
    public const string GroupUnknownExpert = "roster.group-unknown-expert";
    /// <summary>Notes of a scheme import that changed the marking groups (not refusals).</summary>
    public const string GroupTargetsDropped = "scheme.group-targets-dropped";
    public const string GroupRemovedWithScheme = "scheme.group-removed";
    public const string SchemeBeforeGroups = "roster.scheme-before-groups";
    /// <summary>Notes of an import after which the marking groups cannot complete a judgement aspect (Marking/JudgementCoverage.cs).</summary>
    public const string TooFewJudges = "marking.too-few-judges";
    public const string TooFewJudgesForMember = "marking.too-few-judges-for-member";
    public const string SkillNumber = "roster.skill-number";
    public const string DuplicateSkill = "roster.duplicate-skill";
    public const string SkillNameRequired = "roster.skill-name-required";
    public const string TeamSizeRange = "roster.team-size-range";
    public const string MaxAgeRange = "roster.max-age-range";

    // Marking schemes (docs/scoring.md).
    public const string JudgesPerAspect = "scheme.judges";
    public const string SchemeHasMarks = "scheme.has-marks";
    public const string NoCriteria = "scheme.no-criteria";
    public const string MissingId = "scheme.missing-id";
    public const string DuplicateId = "scheme.duplicate-id";
    public const string IdAcrossLevels = "scheme.id-across-levels";
    public const string CriterionIsDay = "scheme.criterion-is-day";
    public const string SchemeInvalidId = "scheme.invalid-id";
    public const string MissingName = "scheme.missing-name";
    public const string NoSubCriteria = "scheme.no-sub-criteria";
    public const string NoAspects = "scheme.no-aspects";
    public const string Total = "scheme.total";
    public const string NoDescription = "scheme.no-description";
    public const string NoMarkingDay = "scheme.no-marking-day";
    public const string MarkingDay = "scheme.marking-day";
    public const string MaxMarkPositive = "scheme.max-mark-positive";
    public const string MaxMarkAtMost100 = "scheme.max-mark-at-most-100";
    public const string TwoDecimalPlaces = "scheme.two-decimal-places";
    public const string JudgementHasBands = "scheme.judgement-has-bands";
    public const string MeasurementHasDescriptors = "scheme.measurement-has-descriptors";
    public const string BandsAndDeductions = "scheme.bands-and-deductions";
    public const string DescriptorCount = "scheme.descriptor-count";
    public const string DescriptorMissing = "scheme.descriptor-missing";
    public const string BandNegative = "scheme.band-negative";
    public const string BandTwice = "scheme.band-twice";
    public const string BandAward = "scheme.band-award";
    public const string BandOrder = "scheme.band-order";
    public const string ToleranceNotBand = "scheme.tolerance-not-band";
    public const string CellNotRead = "scheme.cell-not-read";
    public const string Deduction = "scheme.deduction";
    public const string OutOfOrder = "scheme.out-of-order";
    public const string NoAspectType = "scheme.no-aspect-type";
    public const string AspectType = "scheme.aspect-type";
    public const string NoMaxMark = "scheme.no-max-mark";
    public const string NotANumber = "scheme.not-a-number";
    public const string DescriptorTwice = "scheme.descriptor-twice";
    public const string ScoreKind = "scheme.score-kind";
    public const string MissingValue = "scheme.missing-value";
    public const string UnclosedQuote = "scheme.unclosed-quote";
    public const string MissingColumn = "scheme.missing-column";
    public const string BandIncomplete = "scheme.band-incomplete";
    public const string DeductionIncomplete = "scheme.deduction-incomplete";

    /// <summary>A row error's arguments, formatted invariantly (numbers as the English message shows them).</summary>
    public static IReadOnlyDictionary<string, string> Args(params (string Key, object? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => Convert.ToString(p.Value, CultureInfo.InvariantCulture) ?? "");

    public static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();
}

/// <summary>Why a value is refused: a <see cref="RowCodes"/> code, its arguments, and the English message.</summary>
public sealed record Fault(string Code, string Message, IReadOnlyDictionary<string, string> Args)
{
    public Fault(string code, string message) : this(code, message, RowCodes.None) { }
}
