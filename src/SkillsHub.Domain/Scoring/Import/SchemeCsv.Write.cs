using CsvHelper;
using SkillsHub.Domain.Text;

namespace SkillsHub.Domain.Scoring.Import;

/// <summary>Writing a scheme in the CIS import sheet layout that <see cref="SchemeCsv.Parse(string, string)"/> reads back.</summary>
public static partial class SchemeCsv
{
    public static void Write(MarkingScheme scheme, TextWriter output)
    {
        using var writer = CsvText.CreateWriter(output);
        WriteFields(writer, Columns);
        foreach (var criterion in scheme.Criteria)
        {
            WriteRow(writer, new() { [CriterionId] = criterion.Id, [CriterionName] = criterion.Name });
            foreach (var sub in criterion.SubCriteria)
            {
                WriteRow(writer, new() { [SubCriterionId] = sub.Id, [SubCriterionName] = sub.Name });
                foreach (var aspect in sub.Aspects)
                {
                    WriteAspect(writer, aspect);
                }
            }
        }
    }

    public static string Write(MarkingScheme scheme)
    {
        using var writer = new StringWriter(Invariant);
        Write(scheme, writer);
        return writer.ToString();
    }

    private static void WriteAspect(CsvWriter csv, Aspect aspect)
    {
        WriteRow(csv, new()
        {
            [AspectId] = aspect.Id,
            [AspectType] = aspect.Type == Scoring.AspectType.Judgement ? "J" : "M",
            [AspectDescription] = aspect.Description,
            [ExtraDescription] = aspect.ExtraDescription,
            [Requirement] = aspect.Requirement,
            [MarkingDay] = aspect.MarkingDay,
            [MaxMark] = Marks.Format(aspect.MaxMark),
        });
        for (var score = 0; score < aspect.Descriptors.Count; score++)
        {
            WriteRow(csv, new() { [JudgementScore] = score.ToString(Invariant), [ExtraDescription] = aspect.Descriptors[score] });
        }

        foreach (var band in aspect.Bands)
        {
            WriteRow(csv, new()
            {
                [JudgementScore] = "band",
                [ExtraDescription] = band.Description,
                [MaxMark] = Marks.Format(band.Award),
                [Tolerance] = Marks.FormatPlain(band.Within),
            });
        }

        foreach (var deduction in aspect.Deductions)
        {
            WriteRow(csv, new()
            {
                [JudgementScore] = "deduction",
                [ExtraDescription] = deduction.Description,
                [MaxMark] = Marks.Format(deduction.Amount),
            });
        }
    }

    private static void WriteRow(CsvWriter writer, Dictionary<string, string> values) =>
        WriteFields(writer, Columns.Select(c => values.GetValueOrDefault(c, "")));

    private static void WriteFields(CsvWriter writer, IEnumerable<string> fields)
    {
        foreach (var field in fields)
        {
            writer.WriteField(SafeCsv.NeutraliseReversibly(field));
        }
        writer.NextRecord();
    }
}
