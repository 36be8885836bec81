namespace SkillsHub.Domain.Scoring;

/// <summary>M (measurement) or J (judgement), as in the WorldSkills marking scheme [C].</summary>
public enum AspectType
{
    Measurement,
    Judgement,
}

/// <summary>
/// A skill's marking scheme [C]: criteria (A, B, ...) -> sub-criteria (A1, ...) -> aspects, summing
/// to exactly 100.00. Immutable; build it, then run <see cref="SchemeValidator.Validate"/>.
/// </summary>
public sealed record MarkingScheme(string Title, ValueList<Criterion> Criteria)
{
    public decimal Total
    {
        get
        {
            var total = 0m;
            foreach (var criterion in Criteria)
            {
                total += criterion.MaxMark;
            }

            return total;
        }
    }

    public IEnumerable<Aspect> Aspects =>
        Criteria.SelectMany(c => c.SubCriteria).SelectMany(s => s.Aspects);

    /// <summary>Every id a marking group may name: the criteria's, the sub-criteria's and the aspects' (docs/scoring.md).</summary>
    public IReadOnlySet<string> Targets()
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in Criteria)
        {
            set.Add(c.Id);
            foreach (var s in c.SubCriteria)
            {
                set.Add(s.Id);
                set.UnionWith(s.Aspects.Select(a => a.Id));
            }
        }
        return set;
    }
}

public sealed record Criterion(string Id, string Name, ValueList<SubCriterion> SubCriteria)
{
    public decimal MaxMark => SubCriteria.Sum(s => s.MaxMark);
}

public sealed record SubCriterion(string Id, string Name, ValueList<Aspect> Aspects)
{
    public decimal MaxMark => Aspects.Sum(a => a.MaxMark);
}

/// <summary>
/// One marked aspect. <see cref="Descriptors"/> holds the four judgement descriptors for scores 0..3
/// (J only). A measurement aspect is all-or-nothing unless it lists <see cref="Bands"/> or
/// <see cref="Deductions"/> (at most one of the two).
/// </summary>
public sealed record Aspect(
    string Id,
    AspectType Type,
    string Description,
    string MarkingDay,
    decimal MaxMark)
{
    /// <summary>CIS "extra aspect description" (measurement aspects).</summary>
    public string ExtraDescription { get; init; } = "";

    /// <summary>CIS "requirement": what the measurement must meet.</summary>
    public string Requirement { get; init; } = "";

    /// <summary>Judgement descriptors, index = score (0..3).</summary>
    public ValueList<string> Descriptors { get; init; } = ValueList<string>.Empty;

    public ValueList<ToleranceBand> Bands { get; init; } = ValueList<ToleranceBand>.Empty;

    public ValueList<Deduction> Deductions { get; init; } = ValueList<Deduction>.Empty;

    public bool IsAllOrNothing => Type == AspectType.Measurement && Bands.Count == 0 && Deductions.Count == 0;
}

/// <summary>"Within <see cref="Within"/> of the target: <see cref="Award"/> marks."</summary>
public sealed record ToleranceBand(decimal Within, decimal Award, string Description = "");

/// <summary>A deduction taken from the aspect's max for each occurrence of a fault.</summary>
public sealed record Deduction(decimal Amount, string Description = "");
