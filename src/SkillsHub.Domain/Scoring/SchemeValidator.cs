using System.Globalization;
using System.Text.RegularExpressions;

namespace SkillsHub.Domain.Scoring;

/// <summary>
/// One thing wrong with a marking scheme. <see cref="Row"/> is the spreadsheet row (header = 1) for a
/// CSV import and null otherwise; <see cref="Id"/> is the criterion, sub-criterion or aspect id
/// when there is one; <see cref="Message"/> is shown to the user as is.
/// </summary>
public sealed record SchemeProblem(int? Row, string? Id, string Field, string Message, string Code, IReadOnlyDictionary<string, string>? Args = null)
{
    /// <summary>A text-rule fault (docs/security.md) as a scheme problem.</summary>
    public SchemeProblem(int? row, string? id, string field, Fault fault) : this(row, id, field, fault.Message, fault.Code, fault.Args) { }

    public override string ToString() => Row is { } row ? $"Row {row}: {Message}" : Message;
}

/// <summary>
/// Checks a scheme against docs/scoring.md and reports every problem, never just the first, because
/// an import is rejected as a whole and the Chief Expert should fix the sheet in one pass.
/// </summary>
public static partial class SchemeValidator
{
    public const decimal RequiredTotal = 100.00m;

    public static IReadOnlyList<SchemeProblem> Validate(MarkingScheme scheme) => Validate(scheme, static _ => null);

    /// <param name="rowOf">Source row of a scheme node (by reference), so CSV problems carry rows.</param>
    internal static IReadOnlyList<SchemeProblem> Validate(MarkingScheme scheme, Func<object, int?> rowOf)
    {
        var problems = new List<SchemeProblem>();
        var criterionIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var subIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var aspectIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        if (scheme.Criteria.Count == 0)
        {
            problems.Add(new(null, null, "Criteria", "The scheme has no criteria.", RowCodes.NoCriteria));
        }

        foreach (var criterion in scheme.Criteria)
        {
            var row = rowOf(criterion);
            CheckId(row, criterion.Id, "criterion", "CriterionId", criterionIds, problems,
                "A criterion has no id.", RowCodes.Args(("kind", "criterion")));
            if (string.IsNullOrWhiteSpace(criterion.Name))
            {
                problems.Add(new(row, criterion.Id, "CriterionName", $"Criterion '{criterion.Id}' has no name.", RowCodes.MissingName, RowCodes.Args(("kind", "criterion"), ("id", criterion.Id))));
            }

            if (criterion.SubCriteria.Count == 0)
            {
                problems.Add(new(row, criterion.Id, "SubCriteria", $"Criterion '{criterion.Id}' has no sub-criteria.", RowCodes.NoSubCriteria, RowCodes.Args(("id", criterion.Id))));
            }

            foreach (var sub in criterion.SubCriteria)
            {
                ValidateSubCriterion(criterion, sub, rowOf, subIds, aspectIds, problems);
            }
        }

        CheckIdsAcrossLevels(scheme, rowOf, problems);

        // The total is added up only from max marks within 100.00 either way (no sum of them can overflow); past that, the
        // aspect's own problem says why.
        if (scheme.Aspects.Any(a => Math.Abs(a.MaxMark) > RequiredTotal))
        {
            return problems;
        }
        var total = scheme.Total;
        if (total != RequiredTotal)
        {
            problems.Add(new(null, null, "Total", $"The scheme totals {Marks.Format(total)} marks; it must be exactly 100.00.", RowCodes.Total, RowCodes.Args(("total", Marks.Format(total)))));
        }

        return problems;
    }

    /// <summary>
    /// Marking groups name criteria, sub-criteria and aspects by id, and locks name criteria and marking days: an id used
    /// at two levels (criterion X and aspect X), or a criterion named like one of the scheme's marking days, would make
    /// a group or a lock reach what it was not meant to.
    /// </summary>
    private static void CheckIdsAcrossLevels(MarkingScheme scheme, Func<object, int?> rowOf, List<SchemeProblem> problems)
    {
        var levels = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        void Claim(object node, string? id, string kind, string field)
        {
            if (string.IsNullOrWhiteSpace(id) || levels.TryAdd(id, kind) || levels[id] == kind)
            {
                return;
            }
            static string A(string kind) => (kind[0] == 'a' ? "an " : "a ") + kind;
            problems.Add(new(rowOf(node), id, field, $"Id '{id}' names both {A(levels[id])} and {A(kind)}; ids are unique across criteria, sub-criteria and aspects.",
                RowCodes.IdAcrossLevels, RowCodes.Args(("id", id), ("first", levels[id]), ("second", kind))));
        }
        var days = scheme.Aspects.Select(a => a.MarkingDay).Where(d => !string.IsNullOrWhiteSpace(d)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var criterion in scheme.Criteria)
        {
            Claim(criterion, criterion.Id, "criterion", "CriterionId");
            if (!string.IsNullOrWhiteSpace(criterion.Id) && days.Contains(criterion.Id))
            {
                problems.Add(new(rowOf(criterion), criterion.Id, "CriterionId", $"Criterion id '{criterion.Id}' is also a marking day of this scheme; a lock on '{criterion.Id}' would lock both.",
                    RowCodes.CriterionIsDay, RowCodes.Args(("id", criterion.Id))));
            }
            foreach (var sub in criterion.SubCriteria)
            {
                Claim(sub, sub.Id, "sub-criterion", "SubCriterionId");
                foreach (var aspect in sub.Aspects)
                {
                    Claim(aspect, aspect.Id, "aspect", "AspectId");
                }
            }
        }
    }

    /// <summary>A criterion's, sub-criterion's or aspect's id: present, within the id rule, and used once among its kind.</summary>
    private static void CheckId(int? row, string? id, string kind, string field, HashSet<string> ids, List<SchemeProblem> problems,
        string missing, IReadOnlyDictionary<string, string> missingArgs)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            problems.Add(new(row, null, field, missing, RowCodes.MissingId, missingArgs));
        }
        else if (!Marking.Identifiers.IsValid(id))
        {
            // Aspect ids name marks in the marks API and parts of keys, under the one id rule (docs/scoring.md,
            // "Limits and identifiers"): a scheme that let "A1/1" in would have an aspect no mark could ever name.
            problems.Add(new(row, id, field, $"{char.ToUpperInvariant(kind[0])}{kind[1..]} id '{id}' is not valid. {Marking.Identifiers.Rule(kind)}", RowCodes.SchemeInvalidId,
                RowCodes.Args(("kind", kind), ("id", id), ("max", Marking.Identifiers.MaxLength))));
            ids.Add(id);
        }
        else if (!ids.Add(id))
        {
            problems.Add(new(row, id, field, $"{char.ToUpperInvariant(kind[0])}{kind[1..]} id '{id}' is used more than once.", RowCodes.DuplicateId, RowCodes.Args(("kind", kind), ("id", id))));
        }
    }

    private static void ValidateSubCriterion(
        Criterion criterion,
        SubCriterion sub,
        Func<object, int?> rowOf,
        HashSet<string> subIds,
        HashSet<string> aspectIds,
        List<SchemeProblem> problems)
    {
        var row = rowOf(sub);
        CheckId(row, sub.Id, "sub-criterion", "SubCriterionId", subIds, problems,
            $"A sub-criterion of criterion '{criterion.Id}' has no id.", RowCodes.Args(("kind", "sub-criterion"), ("parent", criterion.Id)));
        if (string.IsNullOrWhiteSpace(sub.Name))
        {
            problems.Add(new(row, sub.Id, "SubCriterionName", $"Sub-criterion '{sub.Id}' has no name.", RowCodes.MissingName, RowCodes.Args(("kind", "sub-criterion"), ("id", sub.Id))));
        }

        if (sub.Aspects.Count == 0)
        {
            problems.Add(new(row, sub.Id, "Aspects", $"Sub-criterion '{sub.Id}' has no aspects.", RowCodes.NoAspects, RowCodes.Args(("id", sub.Id))));
        }

        foreach (var aspect in sub.Aspects)
        {
            ValidateAspect(sub, aspect, rowOf, aspectIds, problems);
        }
    }

    private static void ValidateAspect(
        SubCriterion sub, Aspect aspect, Func<object, int?> rowOf, HashSet<string> aspectIds, List<SchemeProblem> problems)
    {
        var id = aspect.Id;
        var row = rowOf(aspect);
        CheckId(row, id, "aspect", "AspectId", aspectIds, problems,
            $"An aspect of sub-criterion '{sub.Id}' has no id.", RowCodes.Args(("kind", "aspect"), ("parent", sub.Id)));
        if (string.IsNullOrWhiteSpace(aspect.Description))
        {
            problems.Add(new(row, id, "Description", $"Aspect '{id}' has no description.", RowCodes.NoDescription, RowCodes.Args(("id", id))));
        }

        if (string.IsNullOrWhiteSpace(aspect.MarkingDay))
        {
            problems.Add(new(row, id, "MarkingDay", $"Aspect '{id}' has no marking day.", RowCodes.NoMarkingDay, RowCodes.Args(("id", id))));
        }
        else if (!MarkingDayPattern().IsMatch(aspect.MarkingDay))
        {
            problems.Add(new(row, id, "MarkingDay", $"Aspect '{id}' has marking day '{aspect.MarkingDay}'; use C1, C2, C3 and so on.", RowCodes.MarkingDay, RowCodes.Args(("id", id), ("day", aspect.MarkingDay))));
        }

        if (aspect.MaxMark <= 0)
        {
            problems.Add(new(row, id, "MaxMark", $"Aspect '{id}' has max mark {Marks.Format(aspect.MaxMark)}; it must be greater than 0.", RowCodes.MaxMarkPositive, RowCodes.Args(("id", id), ("max", Marks.Format(aspect.MaxMark)))));
        }
        else if (aspect.MaxMark > RequiredTotal)
        {
            // More than the whole scheme: refused here, before any total is added up (such sums could exceed what a
            // decimal holds; found by an outside tester as a 500).
            problems.Add(new(row, id, "MaxMark", $"Aspect '{id}' has max mark {Marks.Format(aspect.MaxMark)}; it must be at most 100.00, the whole scheme.", RowCodes.MaxMarkAtMost100, RowCodes.Args(("id", id), ("max", Marks.Format(aspect.MaxMark)))));
        }
        else if (!Marks.HasAtMostTwoPlaces(aspect.MaxMark))
        {
            problems.Add(new(row, id, "MaxMark", $"Aspect '{id}' has max mark {Marks.Format(aspect.MaxMark)}; marks have at most 2 decimal places.", RowCodes.TwoDecimalPlaces, RowCodes.Args(("id", id), ("value", Marks.Format(aspect.MaxMark)))));
        }

        if (aspect.Type == AspectType.Judgement)
        {
            ValidateDescriptors(aspect, row, problems);
            if (aspect.Bands.Count > 0 || aspect.Deductions.Count > 0)
            {
                // Named where the file has them: its bands, else its deductions (found by an outside tester: deductions alone
                // were refused naming bands, which the file did not have).
                problems.Add(new(row, id, aspect.Bands.Count > 0 ? "Bands" : "Deductions", $"Judgement aspect '{id}' has tolerance bands or deductions; only measurement aspects have them.", RowCodes.JudgementHasBands, RowCodes.Args(("id", id))));
            }
        }
        else
        {
            if (aspect.Descriptors.Count > 0)
            {
                problems.Add(new(row, id, "Descriptors", $"Measurement aspect '{id}' has judgement descriptors; only judgement aspects have them.", RowCodes.MeasurementHasDescriptors, RowCodes.Args(("id", id))));
            }

            if (aspect.Bands.Count > 0 && aspect.Deductions.Count > 0)
            {
                problems.Add(new(row, id, "Bands", $"Measurement aspect '{id}' has both tolerance bands and deductions; use one or the other.", RowCodes.BandsAndDeductions, RowCodes.Args(("id", id))));
            }

            // A band's or deduction's own row where the file has one (found by an outside tester: its aspect's row was named).
            ValidateBands(aspect, band => rowOf(band) ?? row, problems);
            ValidateDeductions(aspect, deduction => rowOf(deduction) ?? row, problems);
        }
    }

    private static void ValidateDescriptors(Aspect aspect, int? row, List<SchemeProblem> problems)
    {
        var id = aspect.Id;
        if (aspect.Descriptors.Count > 4)
        {
            problems.Add(new(row, id, "Descriptors", $"Judgement aspect '{id}' has {aspect.Descriptors.Count} descriptors; it needs exactly four, for scores 0 to 3.", RowCodes.DescriptorCount, RowCodes.Args(("id", id), ("count", aspect.Descriptors.Count))));
            return;
        }

        var missing = new List<int>();
        for (var score = 0; score <= 3; score++)
        {
            if (score >= aspect.Descriptors.Count || string.IsNullOrWhiteSpace(aspect.Descriptors[score]))
            {
                missing.Add(score);
            }
        }

        if (missing.Count == 1)
        {
            problems.Add(new(row, id, "Descriptors", $"Judgement aspect '{id}' is missing the descriptor for score {missing[0]}.", RowCodes.DescriptorMissing, RowCodes.Args(("id", id), ("scores", missing[0]))));
        }
        else if (missing.Count > 1)
        {
            problems.Add(new(row, id, "Descriptors", $"Judgement aspect '{id}' is missing the descriptors for scores {string.Join(", ", missing)}.", RowCodes.DescriptorMissing, RowCodes.Args(("id", id), ("scores", string.Join(", ", missing)))));
        }
    }

    private static void ValidateBands(Aspect aspect, Func<ToleranceBand, int?> rowOf, List<SchemeProblem> problems)
    {
        var id = aspect.Id;
        var max = aspect.MaxMark;
        var seen = new HashSet<decimal>();
        foreach (var band in aspect.Bands)
        {
            if (band.Within < 0)
            {
                problems.Add(new(rowOf(band), id, "Bands", $"Aspect '{id}' has a tolerance band within {Marks.FormatPlain(band.Within)}; tolerances cannot be negative.", RowCodes.BandNegative, RowCodes.Args(("id", id), ("within", Marks.FormatPlain(band.Within)))));
            }
            else if (!seen.Add(band.Within))
            {
                problems.Add(new(rowOf(band), id, "Bands", $"Aspect '{id}' has two tolerance bands within {Marks.FormatPlain(band.Within)}.", RowCodes.BandTwice, RowCodes.Args(("id", id), ("within", Marks.FormatPlain(band.Within)))));
            }

            if (band.Award < 0 || band.Award > max)
            {
                problems.Add(new(rowOf(band), id, "Bands", $"Aspect '{id}' has a tolerance band awarding {Marks.Format(band.Award)}, outside 0.00 to {Marks.Format(max)}.", RowCodes.BandAward, RowCodes.Args(("id", id), ("award", Marks.Format(band.Award)), ("max", Marks.Format(max)))));
            }
            else if (!Marks.HasAtMostTwoPlaces(band.Award))
            {
                problems.Add(new(rowOf(band), id, "Bands", $"Aspect '{id}' has a tolerance band awarding {Marks.Format(band.Award)}; marks have at most 2 decimal places.", RowCodes.TwoDecimalPlaces, RowCodes.Args(("id", id), ("value", Marks.Format(band.Award)))));
            }
        }

        // [P] SkillsHub's own check, not a WorldSkills rule: a wider tolerance earning more than a
        // narrower one is almost always a typo in the sheet.
        var ordered = aspect.Bands.Where(b => b.Within >= 0).OrderBy(b => b.Within).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            var narrow = ordered[i - 1];
            var wide = ordered[i];
            if (wide.Within != narrow.Within && wide.Award > narrow.Award)
            {
                problems.Add(new(rowOf(wide), id, "Bands",
                    $"Aspect '{id}' awards more for a wider tolerance (within {Marks.FormatPlain(wide.Within)}: {Marks.Format(wide.Award)}) than for a narrower one (within {Marks.FormatPlain(narrow.Within)}: {Marks.Format(narrow.Award)}).", RowCodes.BandOrder, RowCodes.Args(("id", id), ("wide", Marks.FormatPlain(wide.Within)), ("wideAward", Marks.Format(wide.Award)), ("narrow", Marks.FormatPlain(narrow.Within)), ("narrowAward", Marks.Format(narrow.Award)))));
            }
        }
    }

    private static void ValidateDeductions(Aspect aspect, Func<Deduction, int?> rowOf, List<SchemeProblem> problems)
    {
        var id = aspect.Id;
        foreach (var deduction in aspect.Deductions)
        {
            if (deduction.Amount <= 0 || deduction.Amount > aspect.MaxMark)
            {
                problems.Add(new(rowOf(deduction), id, "Deductions",
                    $"Aspect '{id}' has a deduction of {Marks.Format(deduction.Amount)}; a deduction must be greater than 0 and at most the max mark {Marks.Format(aspect.MaxMark)}.", RowCodes.Deduction, RowCodes.Args(("id", id), ("amount", Marks.Format(deduction.Amount)), ("max", Marks.Format(aspect.MaxMark)))));
            }
            else if (!Marks.HasAtMostTwoPlaces(deduction.Amount))
            {
                problems.Add(new(rowOf(deduction), id, "Deductions", $"Aspect '{id}' has a deduction of {Marks.Format(deduction.Amount)}; marks have at most 2 decimal places.", RowCodes.TwoDecimalPlaces, RowCodes.Args(("id", id), ("value", Marks.Format(deduction.Amount)))));
            }
        }
    }

    // WorldSkills names competition days C-2 ... C4 and C+1; marking happens on C-days. One spelling per day (ASCII
    // digits: .NET's \d takes any script's; no leading zero), since a lock names a day by its text (docs/scoring.md).
    [GeneratedRegex(@"^C(0|[+-]?[1-9][0-9]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex MarkingDayPattern();
}

/// <summary>Mark formatting and rounding shared by validation, import/export and reports.</summary>
public static class Marks
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// Display rounding: 2 places, half away from zero. [P] SkillsHub's own choice, not a WorldSkills
    /// rule: it matches rounding by hand. Ranking and scaling never use the rounded value.
    /// </summary>
    public static decimal RoundForDisplay(decimal mark) => Math.Round(mark, 2, MidpointRounding.AwayFromZero);

    /// <summary>Two places for display, or every place when the value has more (so errors show 0.125, not 0.13).</summary>
    public static string Format(decimal mark) =>
        HasAtMostTwoPlaces(mark) ? mark.ToString("0.00", Invariant) : FormatPlain(mark);

    /// <summary>Shortest exact form (0.05, 12.5), for tolerances.</summary>
    public static string FormatPlain(decimal value) => (value / 1.000000000000000000000000000000000m).ToString(Invariant);

    public static bool HasAtMostTwoPlaces(decimal value) => decimal.Round(value, 2) == value;
}
